"""Load benchmark: gunicorn (4 workers) on PostgreSQL, public pages and petition signing.

Usage (from the project root, with PostgreSQL on 127.0.0.1:5432):
    .venv/bin/python benchmarks/load.py [--seconds 10] [--clients 8] [--signatures 300]

It creates a scratch database, loads the demo, serves it with gunicorn on 127.0.0.1:8099 with
production settings, measures each page for a few seconds, then signs and confirms petitions
concurrently, and finally counts the rows: nothing lost, nothing duplicated. Only loopback
traffic; every loop is bounded in time and count.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
PORT = 8099
BASE = f"http://127.0.0.1:{PORT}"
DATABASE = "scrutiny_bench"
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
    manage("createcachetable")
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


def timed_get(session: requests.Session, path: str) -> float:
    started = time.perf_counter()
    response = session.get(BASE + path, timeout=10)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed


def measure(path: str, *, seconds: float, clients: int) -> dict:
    """Requests per second and latency percentiles for one page under concurrent clients."""
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        session = requests.Session()
        local = []
        while time.perf_counter() < deadline and len(local) < 100_000:
            local.append(timed_get(session, path))
        with lock:
            latencies.extend(local)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for future in [pool.submit(client) for _ in range(clients)]:
            future.result()
    wall = time.perf_counter() - started
    return summary(latencies, wall)


def summary(latencies: list[float], wall: float) -> dict:
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "per_second": len(ordered) / wall,
        "p50_ms": 1000 * statistics.median(ordered),
        "p95_ms": 1000 * ordered[int(0.95 * (len(ordered) - 1))],
    }


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def sign_and_confirm(count: int, clients: int) -> dict:
    """Sign the demo petition `count` times concurrently, then confirm each by its link."""
    slug = "ccs-2026-0001"
    page = f"/petitions/{slug}/"

    def sign(n: int) -> float:
        session = requests.Session()
        token = CSRF.search(session.get(BASE + page, timeout=10).text).group(1)
        started = time.perf_counter()
        response = session.post(
            BASE + page,
            data={
                "csrfmiddlewaretoken": token,
                "name": f"Bench Signer {n}",
                "email": f"bench{n}@example.org",
                "postcode": "L20 3AB",
                "address": "",
                "privacy_agreed": "on",
                "website": "",
            },
            headers={"Referer": BASE + page},
            timeout=10,
            allow_redirects=False,
        )
        assert response.status_code == 302, response.status_code
        return time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        signing = list(pool.map(sign, range(count)))
    signing_summary = summary(signing, time.perf_counter() - started)

    tokens = tokens_for_bench_signatures()

    def confirm(token: str) -> float:
        session = requests.Session()
        url = f"{BASE}/petitions/confirm/{token}/"
        csrf = CSRF.search(session.get(url, timeout=10).text).group(1)
        begun = time.perf_counter()
        response = session.post(
            url, data={"csrfmiddlewaretoken": csrf}, headers={"Referer": url}, timeout=10
        )
        response.raise_for_status()
        return time.perf_counter() - begun

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        confirming = list(pool.map(confirm, tokens))
    return {"sign": signing_summary, "confirm": summary(confirming, time.perf_counter() - started)}


def tokens_for_bench_signatures() -> list[str]:
    out = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "shell",
            "-v0",
            "-c",
            "from scrutiny.models import PetitionSignature as S;"
            "print('\\n'.join(S.objects.filter(email__startswith='bench').values_list('token', flat=True)))",
        ],
        cwd=ROOT,
        env=os.environ | ENVIRONMENT,
        check=True,
        capture_output=True,
        text=True,
    )
    return [line for line in out.stdout.split() if line]


def count_rows() -> str:
    out = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "shell",
            "-v0",
            "-c",
            "from scrutiny.models import PetitionSignature as S;"
            "from scrutiny.pipeline import petition_count;"
            "b=S.objects.filter(email__startswith='bench');"
            "print(b.count(), b.values('email').distinct().count(), b.filter(confirmed_at__isnull=False).count(),"
            " petition_count(b.first().petition))",
        ],
        cwd=ROOT,
        env=os.environ | ENVIRONMENT,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--signatures", type=int, default=300)
    options = parser.parse_args()
    prepare()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "cms.wsgi", "-w", "4", "-b", f"127.0.0.1:{PORT}"],
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
            "bare page": "/bare/",
            "home page": "/",
            "call form": "/call-for-scrutiny/",
            "petition page": "/petitions/ccs-2026-0001/",
        }
        results = {
            name: measure(path, seconds=options.seconds, clients=options.clients)
            for name, path in pages.items()
        }
        bare = results["bare page"]["per_second"]
        print(f"{'page':<15} {'req/s':>8} {'vs bare':>8} {'p50 ms':>8} {'p95 ms':>8}")
        for name, result in results.items():
            print(
                f"{name:<15} {result['per_second']:8.1f} {result['per_second'] / bare:8.2f} "
                f"{result['p50_ms']:8.1f} {result['p95_ms']:8.1f}"
            )
        signing = sign_and_confirm(options.signatures, options.clients)
        for stage, result in signing.items():
            print(
                f"{stage:<15} {result['per_second']:8.1f}/s p50 {result['p50_ms']:.1f} ms "
                f"p95 {result['p95_ms']:.1f} ms ({result['requests']} requests)"
            )
        print("rows (signatures, distinct emails, confirmed, counted):", count_rows())
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
