"""Wagtail's search and reference index updates are queued for django-q2, not done inside the
request that saved the record (issue 17: sending a call spent about half its time there)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from modelsearch.tasks import insert_or_update_object_task
from wagtail.models import ReferenceIndex
from wagtail.tasks import update_reference_index_task

from scrutiny import task_backend
from scrutiny.models import CallForScrutiny, SentEmail
from tests.conftest import make_business_area
from tests.scrutiny.builders import make_call

pytestmark = pytest.mark.django_db


def test_the_backend_queues_the_task_and_the_worker_runs_it(monkeypatch):
    queued = []
    monkeypatch.setattr(task_backend, "queue_task", lambda *args: queued.append(args))
    backend = task_backend.DjangoQ2Backend("default", {})
    call = make_call()
    ReferenceIndex.objects.all().delete()

    with CaptureQueriesContext(connection) as queries:
        result = backend.enqueue(
            update_reference_index_task, ["scrutiny", "callforscrutiny", str(call.pk)], {}
        )
    assert len(queries) == 0  # nothing indexed in the request
    assert result.status == "READY"
    ((func, path, args, kwargs),) = queued
    assert func == "scrutiny.task_backend.run"
    assert path == "wagtail.tasks.update_reference_index_task"

    task_backend.run(path, args, kwargs)  # what the worker does
    assert ReferenceIndex.objects.filter(object_id=str(call.pk)).exists()


def test_the_search_index_task_runs_in_the_worker(monkeypatch):
    from django.contrib.contenttypes.models import ContentType
    from wagtail.search.models import IndexEntry

    queued = []
    monkeypatch.setattr(task_backend, "queue_task", lambda *args: queued.append(args))
    call = make_call()
    entries = IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(CallForScrutiny), object_id=str(call.pk)
    )
    entries.delete()
    task_backend.DjangoQ2Backend("default", {}).enqueue(
        insert_or_update_object_task, ["scrutiny", "callforscrutiny", str(call.pk)], {}
    )
    assert not entries.exists()  # queued, not done
    (_, path, args, kwargs) = queued[0]
    task_backend.run(path, args, kwargs)
    assert entries.exists()


def test_the_site_settings_send_wagtails_tasks_to_django_q2():
    from cms.settings import base

    assert base.TASKS["default"]["BACKEND"] == "scrutiny.task_backend.DjangoQ2Backend"


def test_a_new_call_queues_one_task_that_runs_all_of_its_work(monkeypatch, settings):
    """Its two emails and Wagtail's two index updates: one task row in the resident's request."""
    from scrutiny import notifications

    # As in production: Wagtail's index updates queued for django-q2 (django-tasks resets its
    # backends when the setting changes).
    settings.TASKS = {"default": {"BACKEND": "scrutiny.task_backend.DjangoQ2Backend"}}

    queued = []
    monkeypatch.setattr(notifications, "async_task", lambda *args, **kw: queued.append(args))
    monkeypatch.setattr(notifications.Conf, "SYNC", False)
    area = make_business_area()
    ReferenceIndex.objects.all().delete()
    queued.clear()
    call = make_call(business_area=area)

    ((func, tasks),) = queued
    assert func == "scrutiny.notifications.run_together"
    assert [task[0] for task in tasks].count("scrutiny.task_backend.run") == 2
    assert ("scrutiny.tasks.send_call_received", [call.pk]) in [tuple(t) for t in tasks]

    notifications.run_together(tasks)  # what the worker does
    assert ReferenceIndex.objects.filter(object_id=str(call.pk)).exists()
    assert SentEmail.objects.filter(key=f"call:{call.pk}:acknowledgement").exists()


def test_tasks_run_together_each_run_and_the_first_failure_is_raised(monkeypatch):
    from scrutiny import notifications

    ran = []
    monkeypatch.setattr(
        notifications, "import_string", lambda path: lambda *args: _run(path, args, ran)
    )
    with pytest.raises(RuntimeError, match="first"):
        notifications.run_together([("first", []), ("second", [2]), ("third", [3])])
    assert ran == ["first", "second", "third"]


def _run(path, args, ran):
    ran.append(path)
    if path in {"first", "third"}:
        raise RuntimeError(path)
