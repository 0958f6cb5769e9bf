"""Production settings: everything secret or site-specific comes from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import MIDDLEWARE, STORAGES, env, env_list

REQUIRED_ENVIRONMENT = {
    "SECRET_KEY": "a long random string",
    "ALLOWED_HOSTS": "the site's host names, comma-separated",
    "DATABASE_URL": "the PostgreSQL address, postgres://user:password@host:5432/name",
    "WAGTAILADMIN_BASE_URL": "the site's address as used in emails, https://...",
    "DEFAULT_FROM_EMAIL": "the address emails are sent from",
    "EMAIL_HOST": "the SMTP server",
}
_missing = [name for name in REQUIRED_ENVIRONMENT if env(name) is None]
if _missing:
    raise ImproperlyConfigured(
        "\n".join(
            f"Production needs the environment variable {name} ({REQUIRED_ENVIRONMENT[name]})."
            for name in _missing
        )
    )

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT", "true").lower() == "true"
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Only a local benchmark over plain HTTP turns these off.
SESSION_COOKIE_SECURE = env("SECURE_COOKIES", "true").lower() == "true"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

MIDDLEWARE = [
    MIDDLEWARE[0],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],
]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "scrutiny_private": STORAGES["scrutiny_private"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}
