"""Production settings read the environment and explain what is missing without a traceback."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENVIRONMENT = {
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "scrutiny.example.org",
    "DATABASE_URL": "sqlite:////tmp/scrutiny-deploy-check.sqlite3",
    "WAGTAILADMIN_BASE_URL": "https://scrutiny.example.org",
    "DEFAULT_FROM_EMAIL": "scrutiny@example.org",
    "EMAIL_HOST": "smtp.example.org",
}


def manage(*args: str, extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in PRODUCTION_ENVIRONMENT
        and key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment |= {"DJANGO_SETTINGS_MODULE": "cms.settings.production"} | extra_env
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_the_environment_set():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", extra_env=PRODUCTION_ENVIRONMENT
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_each_missing_variable_gets_one_line_and_a_non_zero_exit():
    partial = {"SECRET_KEY": PRODUCTION_ENVIRONMENT["SECRET_KEY"], "DATABASE_URL": "sqlite://"}
    result = manage("check", extra_env=partial)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 4
    for name in ["ALLOWED_HOSTS", "WAGTAILADMIN_BASE_URL", "DEFAULT_FROM_EMAIL", "EMAIL_HOST"]:
        assert sum(name in line for line in lines) == 1
