"""What the system says to whom: emails rendered from templates, each sent at most once."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connections, transaction
from django.template.loader import render_to_string
from django_q.brokers import get_broker
from django_q.brokers.orm import ORM
from django_q.conf import Conf
from django_q.tasks import async_task

from .models import ScrutinySettings, SentEmail


def queue_task(func: str, *args) -> None:
    """Queue a django-q2 task that runs only if the surrounding transaction commits.

    With the ORM broker in the same database (the default), the task's row is written inside
    that transaction: the records and the task that follows them commit together, in one commit
    instead of two. Any other broker (Redis) is handed the task once the transaction has
    committed, so a worker never looks for a record that is not there yet.
    """
    if Conf.ORM and not Conf.SYNC and connections[Conf.ORM].in_atomic_block:
        broker = get_broker()
        if isinstance(broker, ORM):
            async_task(func, *args, broker=broker)
            return
    transaction.on_commit(lambda: async_task(func, *args))


def absolute_url(path: str) -> str:
    """A full address for a link in an email."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_email_once(*, key: str, to: list[str], template: str, context: dict) -> bool:
    """Send an email unless one with this key was sent before; True if it was sent now.

    The row that marks it sent is written in the same transaction as the sending, so a failure
    to send leaves no row and a retry sends again, and a second run finds the row and stops (a
    run at the same time waits on the row's unique key, then stops).

    The guarantee is at least once, and exactly once except in one narrow window: if the worker
    dies after the mail server has taken the message but before the transaction commits, the
    row is lost, django-q2 runs the task again after Q_CLUSTER["retry"] seconds, and the email
    goes twice. Writing the row first and sending after the commit would close that window but
    lose the email instead when the worker dies between the two; for acknowledgements and
    signature links a rare duplicate is the lesser harm. benchmarks/worker_restart.py checks it.
    """
    recipients = [address for address in to if address]
    if not recipients:
        return False
    context = {"config": ScrutinySettings.load(), **context}
    subject = render_to_string(f"scrutiny/email/{template}_subject.txt", context).strip()
    text = render_to_string(f"scrutiny/email/{template}.txt", context)
    html = render_to_string(f"scrutiny/email/{template}.html", context)
    try:
        with transaction.atomic():
            SentEmail.objects.create(key=key, to=", ".join(recipients), subject=subject[:255])
            message = EmailMultiAlternatives(subject, text, to=recipients)
            message.attach_alternative(html, "text/html")
            message.send()
    except IntegrityError:
        return False
    return True


def workflow_task_recipients(task_state, *, exclude: set[int]):
    """Who is asked to act on a workflow task: active members of the task's groups with an
    email address who keep Wagtail's "submitted" notifications on, except the people in
    `exclude` (whoever sent the record into the workflow, or moved it on to this task)."""
    from django.contrib.auth import get_user_model
    from wagtail.users.models import UserProfile

    task = task_state.task.specific
    groups = getattr(task, "groups", None)
    if groups is None:
        return []
    members = (
        get_user_model()
        .objects.filter(groups__in=groups.all(), is_active=True)
        .exclude(email="")
        .exclude(pk__in=exclude)
        .distinct()
        .order_by("pk")
    )
    return [user for user in members if UserProfile.get_for_user(user).submitted_notifications]
