"""What the system says to whom: emails rendered from templates, each sent at most once."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connections, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_q.brokers import get_broker
from django_q.brokers.orm import ORM
from django_q.conf import Conf
from django_q.tasks import async_task

from .models import MessageChannel, MessageState, ScrutinySettings, SentEmail

# While `tasks_together` is open: the tasks queued so far, to be queued as one.
_together: ContextVar[list | None] = ContextVar("scrutiny_tasks_together", default=None)


@contextmanager
def tasks_together():
    """Queue every task of the block as one django-q2 task, which runs them in order.

    For a busy public request (a new call queues its emails and Wagtail's two index updates):
    one task row to write instead of one per task. Each task must be safe to run again, as
    every task here is, because a failure of any retries them all (`run_together`)."""
    if _together.get() is not None:  # already inside one: its tasks join the outer block's
        yield
        return
    token = _together.set([])
    try:
        yield
        queued = _together.get()
    finally:
        _together.reset(token)
    if len(queued) == 1:
        queue_task(queued[0][0], *queued[0][1])
    elif queued:
        queue_task("scrutiny.notifications.run_together", queued)


def run_together(tasks: list) -> None:
    """In the worker: run tasks queued together, each even if an earlier one failed; then
    raise the first failure, so that the whole is retried."""
    failure = None
    for func, args in tasks:
        try:
            import_string(func)(*args)
        except Exception as error:  # noqa: BLE001 (the rest still run; the first is raised)
            failure = failure or error
    if failure is not None:
        raise failure


def queue_task(func: str, *args) -> None:
    """Queue a django-q2 task that runs only if the surrounding transaction commits.

    With the ORM broker in the same database (the default), the task's row is written inside
    that transaction: the records and the task that follows them commit together, in one commit
    instead of two. Any other broker (Redis) is handed the task once the transaction has
    committed, so a worker never looks for a record that is not there yet. Inside
    `tasks_together`, the task waits to be queued with the block's others.
    """
    together = _together.get()
    if together is not None:
        together.append((func, list(args)))
        return
    if Conf.ORM and not Conf.SYNC and connections[Conf.ORM].in_atomic_block:
        broker = get_broker()
        if isinstance(broker, ORM):
            async_task(func, *args, broker=broker)
            return
    transaction.on_commit(lambda: async_task(func, *args))


def absolute_url(path: str) -> str:
    """A full address for a link in an email."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_email_once(
    *,
    key: str,
    to: list[str],
    template: str,
    context: dict,
    reference: str = "",
    resident_name: str = "",
) -> bool:
    """Send an email unless one with this key was sent before; True if it was sent now.

    The row that marks it sent is written in the same transaction as the sending, so a second
    run finds the row and stops (a run at the same time waits on the row's unique key, then
    stops). A failure to send is written down as "failed" in a transaction of its own and
    raised, so django-q2 tries again and the retry sends. `resident_name` marks a message to a
    resident: it is listed in the outbox, under `reference`, the record it is about.

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
    config = ScrutinySettings.load()
    context = {"config": config, **context}
    subject = render_to_string(f"scrutiny/email/{template}_subject.txt", context).strip()
    text = render_to_string(f"scrutiny/email/{template}.txt", context)
    html = render_to_string(f"scrutiny/email/{template}.html", context)
    fields = {
        "to": ", ".join(recipients),
        "subject": subject[:255],
        "to_resident": bool(resident_name),
        "recipient_name": resident_name[:200],
        "reference": reference[:40],
        "channel": MessageChannel.EMAIL,
    }
    try:
        with transaction.atomic():
            row = SentEmail.objects.select_for_update().filter(key=key).first()
            if row is not None and row.state != MessageState.FAILED:
                return False
            if row is None:
                row = SentEmail.objects.create(key=key, state=MessageState.SENT, **fields)
            # Replies reach the scrutiny contact, never the address the mail server sends from.
            message = EmailMultiAlternatives(
                subject, text, to=recipients, reply_to=[config.contact_email]
            )
            message.attach_alternative(html, "text/html")
            message.send()
            if row.state == MessageState.FAILED:
                row.state, row.sent_at = MessageState.SENT, timezone.now()
                row.save(update_fields=["state", "sent_at"])
    except IntegrityError:
        return False
    except Exception:
        _record_failure(key, fields)
        raise
    return True


def _record_failure(key: str, fields: dict) -> None:
    """Write down that an email could not be sent (it is tried again)."""
    now = timezone.now()
    SentEmail.objects.update_or_create(
        key=key,
        defaults={**fields, "state": MessageState.FAILED, "failed_at": now},
        create_defaults={**fields, "state": MessageState.FAILED, "failed_at": now},
    )


def send_letter_once(
    *, key: str, name: str, address: str, template: str, context: dict, reference: str
) -> bool:
    """Write a letter for a resident who gave no email address, unless one with this key was
    written before; True if it was written now.

    The letter carries the words of the email's text part and waits in the outbox, "to post",
    until an officer prints it (scrutiny.letters) and marks it posted.
    """
    config = ScrutinySettings.load()
    context = {"config": config, "letter": True, **context}
    subject = render_to_string(f"scrutiny/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"scrutiny/email/{template}.txt", context).strip()
    try:
        with transaction.atomic():
            SentEmail.objects.create(
                key=key,
                subject=subject[:255],
                to_resident=True,
                recipient_name=name[:200],
                postal_address=address,
                reference=reference[:40],
                channel=MessageChannel.LETTER,
                state=MessageState.TO_POST,
                body=body,
                sender=organisation_address_block(config),
            )
    except IntegrityError:
        return False
    return True


def organisation_address_block(config) -> str:
    """The organisation's name, postal address, phone and email, as a letter heads them."""
    lines = [config.organisation_name, *config.contact_address.splitlines()]
    if config.contact_phone:
        lines.append(_("Phone: %(phone)s") % {"phone": config.contact_phone})
    lines.append(_("Email: %(email)s") % {"email": config.contact_email})
    return "\n".join(line.strip() for line in lines if line.strip())


def resident_postal_address(address: str, postcode: str) -> str:
    """A resident's address for an envelope: the lines they gave, then the postcode if missing."""
    lines = [line.strip() for line in address.splitlines() if line.strip()]
    compact = "".join(address.split()).upper()
    if postcode and "".join(postcode.split()).upper() not in compact:
        lines.append(postcode)
    return "\n".join(lines)


def send_to_resident_once(
    *, key: str, resident, template: str, context: dict, reference: str
) -> bool:
    """Tell a resident something: by email if they gave an address, by letter if not.

    `resident` is the record holding their name and contact details (a call). Nothing is sent
    to a record whose personal data was anonymised.
    """
    if getattr(resident, "anonymised_at", None):
        return False
    if resident.email:
        return send_email_once(
            key=key,
            to=[resident.email],
            template=template,
            context=context,
            reference=reference,
            resident_name=resident.name,
        )
    return send_letter_once(
        key=key,
        name=resident.name,
        address=resident_postal_address(resident.address, resident.postcode),
        template=template,
        context=context,
        reference=reference,
    )


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
