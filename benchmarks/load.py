"""Load benchmark: gunicorn (4 workers) on PostgreSQL, public pages, signing and calls.

Usage (from the project root, with PostgreSQL on 127.0.0.1:5432 and wrk installed):
    .venv/bin/python benchmarks/load.py [--seconds 5] [--rounds 5] [--connections 8]
                                        [--post-rounds 3]

It creates a scratch database, loads the demo, serves it with gunicorn (4 gthread workers, one
thread and at most two connections each) on 127.0.0.1:8099 with production settings, and drives
it with wrk (benchmarks/wrk/*.lua): the pages take turns for --rounds rounds and each keeps its
median round; then concurrent petition signing, pressing "Confirm my signature" for every one,
and concurrent call submissions, each in --post-rounds rounds with a load of the bare page
driven the same way (a wrk thread per connection, for --seconds) before and after every round,
which give its ratio "beside" the bare page; a step's figures are those of its median round.
Signing and calls are sent for --seconds a round, as the bare page is read; confirming takes a
round's share of the links. After each load it counts the rows (nothing lost, nothing
duplicated) and exits non-zero if any count is wrong or a worker timed out. Only loopback
traffic; every run of wrk is bounded in time.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
PORT = 8099
BASE = f"http://127.0.0.1:{PORT}"
DATABASE = "scrutiny_bench"
SERVER_LOG = Path(tempfile.gettempdir()) / "scrutiny-load-gunicorn.log"
ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
    "SECRET_KEY": "benchmark-only-secret-key-that-is-long-enough-for-the-checks-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "WAGTAILADMIN_BASE_URL": BASE,
    "DEFAULT_FROM_EMAIL": "bench@example.org",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "SECURE_COOKIES": "false",
}


def manage(*args: str, extra: dict | None = None) -> None:
    env = os.environ | ENVIRONMENT | (extra or {})
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def prepare() -> None:
    """A fresh database with the demo, a bare page, and rate limits out of the way."""
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE], check=True
    )  # noqa: S603,S607
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)  # noqa: S603,S607
    manage("migrate", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    # The demo loader sets a development password; give it one for this scratch database.
    code = (
        "from django.conf import settings; settings.SCRUTINY_DEMO_PASSWORD='bench';"
        "from scrutiny.demo import demo_load; demo_load(profile='pine-court');"
        "from home.models import HomePage, StandardPage;"
        "HomePage.objects.get().add_child(instance=StandardPage(title='Bare', slug='bare'));"
        "from scrutiny.models import ScrutinySettings; s=ScrutinySettings.load();"
        "s.form_submissions_per_hour=32000; s.save()"
    )
    manage("shell", "-v0", "-c", code)


def wrk(path: str, *, script: str, connections: int, seconds: float, args=(), threads=None):
    """Run wrk against one address and read its RESULT line (see benchmarks/wrk/).

    posts.lua takes a folder as its first argument, where each thread says it has finished;
    wrk is interrupted (and so prints its results) as soon as every thread has.
    """
    threads = threads or connections
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "benchmarks" / "wrk" / script),
        BASE + path,
        "--",
        *map(str, args),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    if script == "posts.lua":
        folder, deadline = Path(args[0]), time.monotonic() + seconds
        while time.monotonic() < deadline and process.poll() is None:
            if len(list(folder.glob("done-*"))) == threads:
                process.send_signal(signal.SIGINT)
                break
            time.sleep(0.05)
    out, err = process.communicate(timeout=seconds + 60)
    lines = [line for line in out.splitlines() if line.startswith("RESULT ")]
    if not lines:
        raise RuntimeError(f"wrk printed no result: {out} {err}")
    fields = lines[0].split()
    requests_made, microseconds = int(fields[1]), int(fields[2])
    result = {
        "requests": requests_made,
        "per_second": requests_made / (microseconds / 1_000_000),
        "p50_ms": float(fields[3]),
        "p95_ms": float(fields[4]),
    }
    if script == "pages.lua":
        result["errors"] = int(fields[5])
    else:
        result["ok"], result["others"], result["errors"] = (int(n) for n in fields[5:8])
    return result


def django(code: str) -> str:
    """What a line of Python printed inside the benchmark's Django project."""
    out = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-v0", "-c", code],
        cwd=ROOT,
        env=os.environ | ENVIRONMENT,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


# Long enough that a confirming round ends when its share of the links is used, not before.
CONFIRM_SECONDS = 120
SLUG = "ccs-2026-0001"
PETITION = f"/petitions/{SLUG}/"
COUNT_SIGNATURES = (
    "from scrutiny.models import Petition, PetitionSignature as S;"
    "from scrutiny.pipeline import petition_count;"
    "b=S.objects.filter(email__startswith='bench');"
    "print(b.count(), b.values('email').distinct().count(),"
    f" b.filter(confirmed_at__isnull=False).count(), petition_count(Petition.objects.get(slug='{SLUG}')))"
)


def check(label: str, condition: bool) -> bool:
    print(f"  {'OK ' if condition else 'BAD'} {label}")
    return condition


def posts(path: str, connections: int, seconds: float, *args, tokens=()) -> dict:
    """Concurrent form submissions through posts.lua, a connection to each thread, each thread
    sending for `seconds` (or, confirming, until its share of `tokens` is used)."""
    with tempfile.TemporaryDirectory() as folder:
        for thread in range(connections):
            Path(folder, f"tokens-{thread}").write_text("\n".join(tokens[thread::connections]))
        return wrk(
            path,
            script="posts.lua",
            connections=connections,
            seconds=seconds + 60,
            args=(folder, seconds, *args),
        )


def bare_load(options) -> float:
    """The bare page's requests per second, driven as the POST steps are (a wrk thread per
    connection)."""
    return wrk(
        "/bare/",
        script="pages.lua",
        connections=options.connections,
        seconds=options.seconds,
        threads=options.connections,
    )["per_second"]


def in_rounds(options, step, shares: list) -> dict:
    """Run a POST step in rounds, one share of its requests each, every round between two loads
    of the bare page, so that each round's ratio compares like with like at the same moment
    (the machine's speed drifts from second to second). The step's figures are those of its
    median round by ratio; its totals are those of every round."""
    bare = bare_load(options)
    rounds = []
    for share in shares:
        result = step(share)
        after = bare_load(options)
        result["bare"] = (bare + after) / 2
        result["ratio"] = result["per_second"] / result["bare"]
        rounds.append(result)
        bare = after
    median = sorted(rounds, key=lambda result: result["ratio"])[len(rounds) // 2]
    totals = {
        key: sum(result[key] for result in rounds) for key in ("ok", "others", "errors", "requests")
    }
    return median | totals | {"ratios": [result["ratio"] for result in rounds]}


def sign_confirm_and_call(options) -> tuple[dict, bool]:
    """Concurrent signing, confirming and call submissions, each followed by counting the rows."""
    connections = options.connections
    results, good = {}, True
    before = [int(n) for n in django(COUNT_SIGNATURES).split()]
    signing = in_rounds(
        options,
        lambda _: posts(PETITION, connections, options.seconds, "sign"),
        [None] * options.post_rounds,
    )
    results["sign a petition"] = signing
    taken, emails, _, _ = (int(n) for n in django(COUNT_SIGNATURES).split())
    print(f"signing: {signing['ok']} redirected to 'check your email', {signing['others']} other")
    good &= check("every signature sent was accepted", signing["others"] == 0)
    good &= check(
        f"{taken - before[0]} new rows for {signing['ok']} signatures",
        taken - before[0] == signing["ok"],
    )
    good &= check("one row per email address", emails == taken)

    tokens = django(
        "from scrutiny.models import PetitionSignature as S;"
        "print('\\n'.join(S.objects.filter(email__startswith='bench', confirmed_at__isnull=True)"
        ".values_list('token', flat=True)))"
    ).split()
    confirming = in_rounds(
        options,
        lambda share: posts("/", connections, CONFIRM_SECONDS, "confirm", tokens=share),
        [tokens[n :: options.post_rounds] for n in range(options.post_rounds)],
    )
    results["confirm a signature"] = confirming
    _, _, confirmed, counted = (int(n) for n in django(COUNT_SIGNATURES).split())
    print(f"confirming: {confirming['ok']} confirmed pages, {confirming['others']} other")
    good &= check("every link confirmed", confirming["ok"] == len(tokens))
    good &= check(f"{confirmed} signatures confirmed", confirmed == taken)
    good &= check(
        f"the petition counts {counted} people, {before[3]} before + {confirmed}",
        counted == before[3] + confirmed,
    )

    count_calls = (
        "from scrutiny.models import CallForScrutiny as C;"
        "b=C.objects.filter(name__startswith='Bench Caller');"
        "print(b.count(), b.values('reference').distinct().count(), b.values('name').distinct().count())"
    )
    area = django(
        "from scrutiny.models import BusinessArea;"
        "print(BusinessArea.objects.filter(active=True).order_by('pk').first().pk)"
    )
    calling = in_rounds(
        options,
        lambda _: posts("/call-for-scrutiny/", connections, options.seconds, "call", area),
        [None] * options.post_rounds,
    )
    results["send a call"] = calling
    calls, references, names = (int(n) for n in django(count_calls).split())
    print(f"calls: {calling['ok']} redirected to the confirmation, {calling['others']} other")
    good &= check("every call sent was accepted", calling["others"] == 0)
    good &= check(f"{calls} calls stored for {calling['ok']} sent", calls == calling["ok"])
    good &= check("each with its own reference and each caller once", references == names == calls)
    return results, good


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5, help="for each page, each round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pages-only", action="store_true")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--post-rounds", type=int, default=3, help="rounds of each POST step")
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--threads", type=int, default=1)
    # At most two connections a worker, so that the eight are spread two to each, as a proxy in
    # front spreads requests; left to gunicorn, one worker could hold four of them while another
    # held none, and which worker took which connection decided the latencies more than the code.
    parser.add_argument("--worker-connections", type=int, default=2)
    parser.add_argument("--skip-prepare", action="store_true", help="reuse the last database")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("benchmarks/load.py needs wrk: apt-get install wrk")
    if not options.skip_prepare:
        prepare()
    SERVER_LOG.unlink(missing_ok=True)
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cms.wsgi",
            "--workers",
            "4",
            "--worker-class",
            options.worker_class,
            "--threads",
            str(options.threads),
            "--worker-connections",
            str(options.worker_connections),
            "-b",
            f"127.0.0.1:{PORT}",
            "--error-logfile",
            str(SERVER_LOG),
        ],
        cwd=ROOT,
        env=os.environ | ENVIRONMENT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                requests.get(BASE + "/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.2)
        pages = {
            "bare Wagtail page": "/bare/",
            "home page": "/",
            "call form": "/call-for-scrutiny/",
            "petition page": PETITION,
        }
        for path in pages.values():  # warm every worker's caches before measuring
            wrk(path, script="pages.lua", connections=options.connections, seconds=2, threads=2)
        # The machine's speed drifts (a shared VM), so each round measures the bare page before
        # and after the others, and each page's ratio is to that round's bare page. A page's
        # figures are those of its median round by ratio.
        rounds: dict[str, list[dict]] = {name: [] for name in pages}
        for _ in range(options.rounds):
            measured = {}
            for name in [*pages, "bare again"]:
                measured[name] = wrk(
                    pages.get(name, "/bare/"),
                    script="pages.lua",
                    connections=options.connections,
                    seconds=options.seconds,
                    threads=2,
                )
            first, again = measured["bare Wagtail page"], measured["bare again"]
            bare = (first["per_second"] + again["per_second"]) / 2
            for name in pages:
                rounds[name].append(measured[name] | {"ratio": measured[name]["per_second"] / bare})
        results = {
            name: sorted(runs, key=lambda result: result["ratio"])[len(runs) // 2]
            for name, runs in rounds.items()
        }
        print("| page | req/s | vs bare page | p50 ms | p95 ms | errors |")
        print("| --- | --- | --- | --- | --- | --- |")
        for name, result in results.items():
            print(
                f"| {name} | {result['per_second']:.1f} | {result['ratio']:.2f} | "
                f"{result['p50_ms']:.1f} | {result['p95_ms']:.1f} | {result['errors']} |"
            )
        for name, runs in rounds.items():
            print(f"  {name}: ratio by round", ", ".join(f"{run['ratio']:.2f}" for run in runs))
        if options.pages_only:
            return
        submitted, good = sign_confirm_and_call(options)
        bare = results["bare Wagtail page"]["per_second"]
        print(
            "| step (POST), median round | per second | x bare page beside | bare page beside "
            "(req/s) | x bare page of the page rounds | p50 ms | p95 ms | requests | "
            "socket errors |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for name, result in submitted.items():
            print(
                f"| {name} | {result['per_second']:.1f} | **{result['ratio']:.2f}** | "
                f"{result['bare']:.1f} | {result['per_second'] / bare:.2f} | "
                f"{result['p50_ms']:.1f} | {result['p95_ms']:.1f} | {result['requests']} | "
                f"{result['errors']} |"
            )
        for name, result in submitted.items():
            ratios = ", ".join(f"{ratio:.2f}" for ratio in result["ratios"])
            print(f"  {name}: x bare page beside, by round: {ratios}")
        timeouts = SERVER_LOG.read_text().count("WORKER TIMEOUT")
        good &= check(f"no worker timed out (gunicorn's log: {SERVER_LOG})", timeouts == 0)
        print("ROWS:", "OK: nothing lost, nothing duplicated" if good else "PROBLEM (see above)")
    finally:
        server.terminate()
        server.wait(timeout=20)
    sys.exit(0 if good else 1)


if __name__ == "__main__":
    main()
