"""Development settings: debug on, emails written to the console, the demo password set."""

import contextlib

from .base import *  # noqa: F403
from .base import env

DEBUG = True
SECRET_KEY = env("SECRET_KEY", "django-insecure-development-only-key-for-the-scrutiny-demo")  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
SCRUTINY_DEMO_PASSWORD = "scrutiny-demo"  # noqa: S105

with contextlib.suppress(ImportError):
    from .local import *  # noqa: F403
