"""The system checks name what a host site lacks for the plugin, and the line that adds it."""

import copy
from unittest import mock

from django.conf import settings
from django.core.checks import Error, run_checks
from django.test import override_settings

from scrutiny import checks


def scrutiny_errors() -> list[Error]:
    return [message for message in run_checks() if message.id.startswith("scrutiny.")]


def only_error() -> Error:
    errors = scrutiny_errors()
    assert len(errors) == 1, [error.id for error in errors]
    return errors[0]


def settings_without(name: str, key: str) -> dict:
    value = copy.deepcopy(getattr(settings, name))
    del value[key]
    return value


def test_the_demo_site_lacks_nothing():
    assert scrutiny_errors() == []


def test_a_missing_app_is_named():
    # Overriding INSTALLED_APPS would rebuild the app registry; the check reads only the setting.
    apps = [app for app in settings.INSTALLED_APPS if app != "wagtail_modeladmin"]
    with mock.patch.object(settings, "INSTALLED_APPS", apps):
        (error,) = checks.check_installed_apps(None)
    assert error.id == "scrutiny.E001"
    assert "wagtail_modeladmin" in error.msg
    assert 'Add "wagtail_modeladmin" to INSTALLED_APPS.' in error.hint
    assert "docs/install.md" in error.hint


def test_the_private_storage_is_named():
    with override_settings(STORAGES=settings_without("STORAGES", "scrutiny_private")):
        error = only_error()
    assert error.id == "scrutiny.E002"
    assert 'STORAGES has no "scrutiny_private" storage' in error.msg
    assert 'STORAGES["scrutiny_private"]' in error.hint
    assert "outside MEDIA_ROOT" in error.hint


def test_the_fragments_cache_is_named():
    with override_settings(CACHES=settings_without("CACHES", "fragments")):
        error = only_error()
    assert error.id == "scrutiny.E003"
    assert 'CACHES has no "fragments" cache' in error.msg
    assert 'CACHES["fragments"]' in error.hint


def test_a_site_without_django_templates_is_told_to_add_them():
    with override_settings(TEMPLATES=[]):
        errors = [error for error in scrutiny_errors() if error.id == "scrutiny.E004"]
    assert len(errors) == 1
    assert "DjangoTemplates" in errors[0].hint


def test_a_missing_base_template_is_named():
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = []
    with override_settings(TEMPLATES=templates):
        error = only_error()
    assert error.id == "scrutiny.E005"
    assert 'No template "base.html" is found' in error.msg
    assert 'blocks "title" and "content"' in error.hint


def test_the_settings_context_processor_is_named():
    templates = copy.deepcopy(settings.TEMPLATES)
    processor = "wagtail.contrib.settings.context_processors.settings"
    templates[0]["OPTIONS"]["context_processors"].remove(processor)
    with override_settings(TEMPLATES=templates):
        error = only_error()
    assert error.id == "scrutiny.E006"
    assert f'Add "{processor}"' in error.hint


def test_the_history_middleware_is_named():
    middleware = [
        name
        for name in settings.MIDDLEWARE
        if name != "simple_history.middleware.HistoryRequestMiddleware"
    ]
    with override_settings(MIDDLEWARE=middleware):
        error = only_error()
    assert error.id == "scrutiny.E007"
    assert "would not say who made a change" in error.msg
    assert 'Add "simple_history.middleware.HistoryRequestMiddleware"' in error.hint


def test_the_base_url_for_emails_is_named():
    with override_settings(WAGTAILADMIN_BASE_URL=""):
        error = only_error()
    assert error.id == "scrutiny.E008"
    assert "WAGTAILADMIN_BASE_URL is not set" in error.msg


def test_a_task_queue_without_a_broker_is_named():
    with override_settings(Q_CLUSTER={"name": "scrutiny", "timeout": 60, "retry": 120}):
        error = only_error()
    assert error.id == "scrutiny.E009"
    assert "Redis server on localhost" in error.msg
    assert '"orm": "default"' in error.hint
