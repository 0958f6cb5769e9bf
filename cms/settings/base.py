"""Settings shared by every environment; the environment supplies secrets and addresses."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """Read one environment variable, treating an empty value as unset."""
    value = os.environ.get(name, "")
    return value if value != "" else default


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable as a list."""
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


INSTALLED_APPS = [
    "home",
    "scrutiny",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail_modeladmin",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "simple_history",
    "django_q",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# Each process keeps its connection for a minute (checked before reuse) rather than opening one
# per request. Server-side cursors are off: `.iterator()` and every choice list of a form would
# otherwise take three extra round trips (DECLARE, FETCH, CLOSE) on PostgreSQL, and the setting
# also keeps the project safe behind a transaction-pooling PgBouncer.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "collected-static"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
# Residents' evidence lives outside MEDIA_ROOT so no web server ever serves it directly.
SCRUTINY_PRIVATE_ROOT = Path(env("SCRUTINY_PRIVATE_ROOT", str(BASE_DIR / "private-uploads")))

# The public forms' hourly limits count an IPv6 visitor by the network of this many leading bits
# (a home or phone is given a whole /64); an IPv4 visitor by their address.
SCRUTINY_RATELIMIT_IPV6_PREFIX = int(env("SCRUTINY_RATELIMIT_IPV6_PREFIX", "64"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "scrutiny_private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": SCRUTINY_PRIVATE_ROOT, "base_url": None},
    },
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Scrutiny"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_I18N_ENABLED = False
# Staff emails are where residents' details and officers' notifications go, so an address is
# changed by a superuser in Users, who can check it; nobody changes their own. Identity never
# rests on an address: the record names accounts (docs/permissions.md, "People on the record").
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    # Each process keeps its own: what must be shared (the public forms' hourly counts) is in
    # tables of its own, so `migrate` alone gives a working site and no cache table is needed.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "scrutiny-default",
        }
    }
# Rendered questions of the public forms, kept in each process: the key is a digest of what they
# render from (GovukForm.fingerprint), so nothing has to clear it and no request waits on a server.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "scrutiny-fragments",
}

# django-q2: the ORM broker by default so nothing else has to run; Redis when REDIS_URL is set.
Q_CLUSTER = {
    "name": "scrutiny",
    "workers": int(env("Q_WORKERS", "2")),
    "timeout": 60,
    "retry": 120,
    "max_attempts": 5,
    "queue_limit": 50,
    "catch_up": False,
    "label": "Background tasks",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# Wagtail's own background work (search and reference index updates) goes to django-q2 too,
# rather than running inside each request (scrutiny/task_backend.py).
TASKS = {"default": {"BACKEND": "scrutiny.task_backend.DjangoQ2Backend"}}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env("EMAIL_USE_TLS", "false").lower() == "true"
# Read only by the file-based email backend, as benchmarks/worker_restart.py uses it.
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "sent-emails"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "scrutiny@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGIN_URL = "wagtailadmin_login"

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failed sign-ins within the cool-off,
# the account is locked out, and so is the address they came from (an IPv6 address by its
# network, as the public forms count it), until AXES_COOLOFF_TIME has passed since the last one.
# A superuser unlocks under Settings > Sign-in lock-outs, or `manage.py axes_reset_username`.
AUTHENTICATION_BACKENDS = [
    "scrutiny.lockouts.SignInThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "scrutiny.lockouts.client_network"
AXES_LOCKOUT_CALLABLE = "scrutiny.lockouts.lockout_response"
# A try while locked out does not start the wait again, so the message's wait is true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Failed sign-ins are kept only until their cool-off ends; successful ones are not logged.
AXES_DISABLE_ACCESS_LOG = True
# There is no Django admin here: lock-outs are listed in Wagtail's Settings menu.
AXES_ENABLE_ADMIN = False

# The demo password is set only by the development settings; load_demo refuses without it.
SCRUTINY_DEMO_PASSWORD = None
