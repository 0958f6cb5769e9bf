"""Stop the django-q2 worker during a load of call submissions, start it again: one email each.

Usage (from the project root, with PostgreSQL on 127.0.0.1:5432):
    .venv/bin/python benchmarks/worker_restart.py [--calls 300] [--clients 4]

It prepares a scratch database with the demo (benchmarks/load.py's `prepare`), serves it with
gunicorn and runs `manage.py qcluster` beside it, both with production settings, the ORM broker
(or Redis when REDIS_URL is set) and the file-based email backend writing into a fresh folder.
It sends `--calls` call submissions from `--clients` threads. A third of the way through it kills
the whole qcluster process group with SIGKILL and leaves it down, so a backlog builds; two thirds
of the way through it starts the cluster, lets it send a few acknowledgements from the backlog,
kills it again in the middle of that work (reporting how many tasks it had taken and not
finished), and starts it for good. Then it waits for the queue to drain (a task taken by a killed worker comes back after Q_CLUSTER["retry"]
seconds) and checks that each call has exactly one acknowledgement: one SentEmail row for its key
and one message to its address in the email folder. Prints a summary; exits 1 on any loss or
duplicate. Only loopback traffic; every wait is bounded.
"""

import argparse
import contextlib
import email
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402  (benchmarks/load.py: environment, prepare, summary)

DATABASE = "scrutiny_worker_restart"
PORT = 8097
BASE = f"http://127.0.0.1:{PORT}"
FORM = "/call-for-scrutiny/"
RECIPIENT = "worker-restart-{n}@example.org"
ACKNOWLEDGEMENT_SUBJECT = "We have received your Community Call for Scrutiny"
OPTION = re.compile(r'<option value="(\d+)"')


def configure(email_folder: Path) -> dict:
    """Point load.py's helpers at this run's own database, port and email folder."""
    load.DATABASE = DATABASE
    load.PORT, load.BASE = PORT, BASE
    load.ENVIRONMENT |= {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "WAGTAILADMIN_BASE_URL": BASE,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(email_folder),
    }
    return os.environ | load.ENVIRONMENT


def start_worker(env: dict) -> subprocess.Popen:
    """`manage.py qcluster` in a process group of its own, so a kill takes all its processes."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=load.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def kill_worker(worker: subprocess.Popen) -> None:
    """SIGKILL the cluster and every process it started, as a crash or an OOM kill would."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)


def stop_worker(worker: subprocess.Popen) -> None:
    """Stop the cluster politely at the end of the run, then make sure nothing is left."""
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            kill_worker(worker)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGKILL)


def answers(n: int, business_area: str, csrf: str) -> dict:
    return {
        "csrfmiddlewaretoken": csrf,
        "name": f"Worker Restart {n}",
        "email": RECIPIENT.format(n=n),
        "phone": "",
        "address": f"{n} Pine Court",
        "postcode": "PC1 1AA",
        "tenure": "tenant",
        "business_area": business_area,
        "concerns": "Repairs take months.",
        "actions_taken": "I phoned the repairs line three times.",
        "complaint_stage": "not_made",
        "service_failures": "Missed appointments.",
        "others_affected": "no",
        "support_requested": "no",
        "privacy_agreed": "on",
        "website": "",
    }


def submit(n: int) -> float:
    """Send one call through the public form; the seconds the POST took."""
    session = requests.Session()
    html = session.get(BASE + FORM, timeout=30).text
    csrf = load.CSRF.search(html).group(1)
    business_area = OPTION.search(html).group(1)
    started = time.perf_counter()
    response = session.post(
        BASE + FORM,
        data=answers(n, business_area, csrf),
        headers={"Referer": BASE + FORM},
        timeout=30,
        allow_redirects=False,
    )
    assert response.status_code == 302, (response.status_code, response.text[:500])
    return time.perf_counter() - started


def database():
    return psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{DATABASE}", autocommit=True)


def counts() -> dict:
    """Calls from this run, their acknowledgement rows, and tasks still queued."""
    with database() as connection:
        calls = connection.execute(
            "SELECT id FROM scrutiny_callforscrutiny WHERE email LIKE 'worker-restart-%%'"
        ).fetchall()
        keys = [f"call:{pk}:acknowledgement" for (pk,) in calls]
        sent = connection.execute(
            "SELECT count(*) FROM scrutiny_sentemail WHERE key = ANY(%s)", [keys]
        ).fetchone()[0]
        queued = connection.execute("SELECT count(*) FROM django_q_ormq").fetchone()[0]
        failed = connection.execute(
            "SELECT count(*) FROM django_q_task WHERE success = false"
        ).fetchone()[0]
        # Tasks that finished twice: the result was saved but the queue never heard it was done.
        retried = connection.execute(
            "SELECT count(*) FROM django_q_task WHERE attempt_count > 1"
        ).fetchone()[0]
    return {
        "calls": len(calls),
        "rows": sent,
        "queued": queued,
        "failed_tasks": failed,
        "retried_tasks": retried,
    }


def in_flight() -> int:
    """Queued tasks a cluster has taken (locked until the retry time) and not acknowledged."""
    with database() as connection:
        return connection.execute(
            "SELECT count(*) FROM django_q_ormq WHERE lock > now()"
        ).fetchone()[0]


def emails_per_recipient(folder: Path) -> Counter:
    """How many acknowledgement messages the file backend wrote to each resident."""
    received: Counter = Counter()
    for path in folder.glob("*.log"):
        for chunk in path.read_text(errors="replace").split("\n" + "-" * 79 + "\n"):
            if not chunk.strip():
                continue
            message = email.message_from_string(chunk)
            to = message["To"] or ""
            subject = message["Subject"] or ""
            if to.startswith("worker-restart-") and subject.startswith(ACKNOWLEDGEMENT_SUBJECT):
                received[to] += 1
    return received


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--drain-timeout", type=float, default=600)
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="scrutiny-worker-restart-"))
    env = configure(folder)
    broker = "Redis" if os.environ.get("REDIS_URL") else "ORM (PostgreSQL)"
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()}, {os.cpu_count()} CPUs")
    print(f"broker: {broker}; email folder: {folder}")
    load.prepare()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cms.wsgi",
            "-w",
            str(options.web_workers),
            "-b",
            f"127.0.0.1:{PORT}",
        ],
        cwd=load.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = start_worker(env)
    try:
        for _ in range(150):
            try:
                requests.get(BASE + FORM, timeout=5).raise_for_status()
                break
            except requests.RequestException:
                time.sleep(0.2)
        done = Counter()
        lock = threading.Lock()

        def submit_counted(n: int) -> float:
            elapsed = submit(n)
            with lock:
                done["sent"] += 1
            return elapsed

        def wait_for(fraction: float) -> None:
            while done["sent"] < fraction * options.calls and not all(f.done() for f in futures):
                time.sleep(0.02)

        started = time.perf_counter()
        with ThreadPoolExecutor(options.clients) as pool:
            futures = [pool.submit(submit_counted, n) for n in range(options.calls)]
            wait_for(1 / 3)
            kill_worker(worker)
            print(f"killed the qcluster (SIGKILL) after {done['sent']} calls; left down")
            wait_for(2 / 3)
            before = counts()["rows"]
            worker = start_worker(env)
            print(f"started it after {done['sent']} calls, {before} acknowledgements sent")
            give_up = time.perf_counter() + 120
            while counts()["rows"] < before + 3 and time.perf_counter() < give_up:
                time.sleep(0.05)
            kill_worker(worker)
            taken = in_flight()
            print(
                f"killed it again (SIGKILL) in the middle of the backlog, "
                f"{counts()['rows']} acknowledgements sent, {taken} tasks taken and not finished"
            )
            time.sleep(2)
            worker = start_worker(env)
            print(f"started it for good after {done['sent']} calls")
            latencies = [future.result() for future in futures]
        load_result = load.summary(latencies, time.perf_counter() - started)
        print(
            f"submitted {load_result['requests']} calls at {load_result['per_second']:.1f}/s, "
            f"p50 {load_result['p50_ms']:.0f} ms, p95 {load_result['p95_ms']:.0f} ms"
        )

        deadline = time.perf_counter() + options.drain_timeout
        while time.perf_counter() < deadline:
            now = counts()
            if now["queued"] == 0 and now["rows"] >= now["calls"]:
                break
            time.sleep(3)
        drained = time.perf_counter() - started
        final = counts()
        received = emails_per_recipient(folder)
    finally:
        stop_worker(worker)
        server.terminate()
        server.wait(timeout=30)

    expected = {RECIPIENT.format(n=n) for n in range(options.calls)}
    missing = sorted(expected - set(received))
    duplicated = sorted(address for address, count in received.items() if count > 1)
    print(
        f"after {drained:.0f} s: {final['calls']} calls, {final['rows']} acknowledgement rows, "
        f"{sum(received.values())} acknowledgement emails to {len(received)} residents, "
        f"{final['queued']} tasks queued, {final['failed_tasks']} failed tasks, "
        f"{final['retried_tasks']} tasks finished twice"
    )
    print(f"missing: {len(missing)} {missing[:5]}; duplicated: {len(duplicated)} {duplicated[:5]}")
    ok = (
        final["calls"] == options.calls
        and final["rows"] == options.calls
        and not missing
        and not duplicated
        and set(received) == expected
    )
    print("EXACTLY ONCE: OK" if ok else "EXACTLY ONCE: FAILED")
    if ok:
        shutil.rmtree(folder)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
