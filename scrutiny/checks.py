"""System checks that name what a host site must provide for the plugin, and how to provide it.

docs/install.md gives the same settings as code to copy; each message here points there.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.template import TemplateDoesNotExist, engines
from django.template.backends.django import DjangoTemplates

DOC = "See docs/install.md in the scrutiny repository."

# The apps whose models, template tags or migrations the plugin uses, beside Wagtail's defaults.
REQUIRED_APPS = [
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail_modeladmin",
    "simple_history",
    "django_q",
    "axes",
]

SETTINGS_CONTEXT_PROCESSOR = "wagtail.contrib.settings.context_processors.settings"
HISTORY_MIDDLEWARE = "simple_history.middleware.HistoryRequestMiddleware"


def _error(msg: str, hint: str, number: int) -> Error:
    return Error(msg, hint=f"{hint} {DOC}", id=f"scrutiny.E{number:03d}")


@register()
def check_installed_apps(app_configs, **kwargs):
    """The apps the plugin needs are in INSTALLED_APPS."""
    missing = [app for app in REQUIRED_APPS if app not in settings.INSTALLED_APPS]
    if not missing:
        return []
    return [
        _error(
            "The scrutiny plugin needs these apps, which INSTALLED_APPS lacks: "
            + ", ".join(missing)
            + ".",
            "Add " + ", ".join(f'"{app}"' for app in missing) + " to INSTALLED_APPS.",
            1,
        )
    ]


@register()
def check_private_storage(app_configs, **kwargs):
    """Residents' evidence has a storage of its own that no web server serves."""
    if "scrutiny_private" in getattr(settings, "STORAGES", {}):
        return []
    return [
        _error(
            'STORAGES has no "scrutiny_private" storage, where residents\' evidence and '
            "receipts are kept.",
            'Add STORAGES["scrutiny_private"] = {"BACKEND": '
            '"django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": '
            'BASE_DIR / "private-uploads", "base_url": None}}, a folder outside MEDIA_ROOT '
            "that no web server serves.",
            2,
        )
    ]


@register(Tags.caches)
def check_fragments_cache(app_configs, **kwargs):
    """The public forms' rendered questions have a cache of their own."""
    if "fragments" in getattr(settings, "CACHES", {}):
        return []
    return [
        _error(
            'CACHES has no "fragments" cache, where the public forms keep their rendered '
            "questions.",
            'Add CACHES["fragments"] = {"BACKEND": '
            '"django.core.cache.backends.locmem.LocMemCache", "LOCATION": '
            '"scrutiny-fragments"}.',
            3,
        )
    ]


def _django_engines() -> list[DjangoTemplates]:
    return [engine for engine in engines.all() if isinstance(engine, DjangoTemplates)]


@register(Tags.templates)
def check_templates(app_configs, **kwargs):
    """A Django template engine finds the host's base.html and offers Wagtail's settings."""
    django_engines = _django_engines()
    if not django_engines:
        return [
            _error(
                "No Django template engine is configured; the plugin's pages are Django templates.",
                'Add a "django.template.backends.django.DjangoTemplates" entry with '
                '"APP_DIRS": True to TEMPLATES.',
                4,
            )
        ]
    errors = []
    engine = django_engines[0]
    try:
        engine.engine.find_template("base.html")
    except TemplateDoesNotExist:
        errors.append(
            _error(
                'No template "base.html" is found: the plugin\'s public pages extend '
                '"scrutiny/base.html", which extends the host site\'s "base.html".',
                'Create templates/base.html with the blocks "title" and "content" (the site '
                "`wagtail start` makes has one), or override scrutiny/base.html.",
                5,
            )
        )
    if SETTINGS_CONTEXT_PROCESSOR not in engine.engine.context_processors:
        errors.append(
            _error(
                "The template context processor for Wagtail's settings is missing: the "
                "plugin's pages show the organisation's name and contact details from them.",
                f'Add "{SETTINGS_CONTEXT_PROCESSOR}" to TEMPLATES[0]["OPTIONS"]'
                '["context_processors"].',
                6,
            )
        )
    return errors


@register()
def check_history_middleware(app_configs, **kwargs):
    """History rows name the person who made each change."""
    if HISTORY_MIDDLEWARE in settings.MIDDLEWARE:
        return []
    return [
        _error(
            "MIDDLEWARE lacks django-simple-history's middleware, so the record would not "
            "say who made a change.",
            f'Add "{HISTORY_MIDDLEWARE}" to MIDDLEWARE, after AuthenticationMiddleware.',
            7,
        )
    ]


@register()
def check_base_url(app_configs, **kwargs):
    """Emails link back to the site, so the site knows its own address."""
    if getattr(settings, "WAGTAILADMIN_BASE_URL", ""):
        return []
    return [
        _error(
            "WAGTAILADMIN_BASE_URL is not set: the emails to residents and staff link to the "
            "site by it.",
            'Set WAGTAILADMIN_BASE_URL to the site\'s address, e.g. "https://www.example.org".',
            8,
        )
    ]


@register()
def check_task_queue(app_configs, **kwargs):
    """Emails and reminders go through django-q2, which needs to be told where its queue is."""
    cluster = getattr(settings, "Q_CLUSTER", None)
    if cluster and ("orm" in cluster or "redis" in cluster or cluster.get("sync")):
        return []
    return [
        _error(
            "Q_CLUSTER does not say where django-q2 keeps its queue, so sending an email "
            "would try a Redis server on localhost.",
            'Set Q_CLUSTER = {"name": "scrutiny", "orm": "default", "timeout": 60, '
            '"retry": 120} and run `manage.py qcluster` beside the web server (or "redis": '
            'a Redis URL instead of "orm").',
            9,
        )
    ]
