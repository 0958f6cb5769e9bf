"""Test settings: fast hashing, in-memory email, tasks run synchronously."""

from .base import *  # noqa: F403
from .base import Q_CLUSTER, env

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # noqa: F405
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
# Tests read the search and reference indexes straight after a save: Wagtail's own work runs at
# once, as django-tasks does by itself (tests/scrutiny/test_task_backend.py tests the queue).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SCRUTINY_DEMO_PASSWORD = "scrutiny-demo"  # noqa: S105
SCRUTINY_PRIVATE_ROOT = BASE_DIR / ".pytest-private"  # noqa: F405
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://testserver")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "scrutiny_private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
