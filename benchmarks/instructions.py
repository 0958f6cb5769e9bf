"""Instructions per request for the public pages, counted by valgrind's callgrind.

Usage (from the project root, after benchmarks/load.py has made its scratch database):
    .venv/bin/python benchmarks/instructions.py [--requests 20]

Timing a page on a shared VM varies by half from one second to the next; counting the
instructions the Python process runs does not vary, so the ratio of a page's work to the bare
page's can be settled here. Each page is served in one Python process through Django's test
client, with production settings, against the load benchmark's PostgreSQL database. The process
first serves every page a few times (templates compiled, caches warm), then serves one page
--requests times; a run that only warms up is subtracted, which leaves the instructions of those
requests. PostgreSQL's work is in its own process and is not counted, nor is the web server's,
which is the same for every page. Needs valgrind (Debian's package).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import ENVIRONMENT, PETITION, ROOT  # noqa: E402

PAGES = {
    "bare Wagtail page": "/bare/",
    "home page": "/",
    "call form": "/call-for-scrutiny/",
    "petition page": PETITION,
}

SERVE = """
import sys, django
django.setup()
from django.test import Client
client = Client()
pages, path, count = sys.argv[1].split(","), sys.argv[2], int(sys.argv[3])
for _ in range(5):
    for page in pages:
        assert client.get(page).status_code == 200, page
for _ in range(count):
    client.get(path)
"""

COLLECTED = re.compile(r"Collected : (\d+)")


def instructions(path: str, count: int) -> int:
    """Instructions of a whole run: warming every page up, then `path` served `count` times."""
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run(  # noqa: S603
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={folder}/callgrind.out",
                sys.executable,
                "-c",
                SERVE,
                ",".join(PAGES.values()),
                path,
                str(count),
            ],
            cwd=ROOT,
            env=os.environ | ENVIRONMENT | {"ALLOWED_HOSTS": "testserver", "PYTHONHASHSEED": "0"},
            capture_output=True,
            text=True,
            check=True,
        )
    return int(COLLECTED.search(out.stderr).group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20)
    options = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("benchmarks/instructions.py needs valgrind: apt-get install valgrind")
    baseline = instructions("/", 0)
    per_request = {
        name: (instructions(path, options.requests) - baseline) / options.requests
        for name, path in PAGES.items()
    }
    bare = per_request["bare Wagtail page"]
    print("| page | instructions per request (millions) | vs bare page |")
    print("| --- | --- | --- |")
    for name, count in per_request.items():
        print(f"| {name} | {count / 1e6:.1f} | {bare / count:.2f} |")


if __name__ == "__main__":
    main()
