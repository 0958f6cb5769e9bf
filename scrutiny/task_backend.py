"""Wagtail's own background work (search index and reference index updates), run by django-q2.

Wagtail 8 hands that work to django-tasks, whose only real backend runs it at once, inside the
request and inside its transaction: about half the time of sending a call went there. With
`TASKS = {"default": {"BACKEND": "scrutiny.task_backend.DjangoQ2Backend"}}` it is queued with the
product's own tasks instead (in the same commit, with the ORM broker) and a django-q2 worker
does it moments later. Where django-q2 runs synchronously (the tests), it still runs at once.
"""

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

from .notifications import queue_task


class DjangoQ2Backend(BaseTaskBackend):
    """Queue each django-tasks task as a django-q2 task."""

    supports_defer = False
    supports_async_task = False
    supports_get_result = False
    supports_priority = False

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        queue_task("scrutiny.task_backend.run", task.module_path, list(args), kwargs)
        return result


def run(task_path: str, args: list, kwargs: dict):
    """In the worker: run the task, as django-tasks' immediate backend would."""
    return import_string(task_path).call(*args, **kwargs)
