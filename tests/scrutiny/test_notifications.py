"""send_email_once: one email per key, even when a task runs twice or a send fails."""

import pytest
from django.core import mail

from scrutiny.models import SentEmail
from scrutiny.notifications import send_email_once
from scrutiny.tasks import send_call_acknowledgement
from tests.scrutiny.builders import make_call

pytestmark = pytest.mark.django_db


def send(call, **overrides):
    arguments = {
        "key": f"call:{call.pk}:acknowledgement",
        "to": [call.email],
        "template": "call_acknowledgement",
        "context": {"call": call, "tracking_url": "http://testserver/track/"},
    } | overrides
    return send_email_once(**arguments)


def test_a_task_that_runs_twice_sends_one_email():
    call = make_call()
    mail.outbox.clear()

    assert send_call_acknowledgement(call.pk) is True
    assert send_call_acknowledgement(call.pk) is False

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["aisha.khan@example.org"]
    assert call.reference in mail.outbox[0].subject
    assert SentEmail.objects.filter(key=f"call:{call.pk}:acknowledgement").count() == 1


def test_a_failed_send_leaves_no_row_so_the_retry_sends(monkeypatch):
    """At least once: the row and the sending commit together, so a failure is tried again."""
    call = make_call()
    mail.outbox.clear()

    def broken_send(self, fail_silently=False):
        raise ConnectionRefusedError("the mail server is down")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.EmailMultiAlternatives.send", broken_send)
        with pytest.raises(ConnectionRefusedError):
            send(call)
    assert not SentEmail.objects.filter(key=f"call:{call.pk}:acknowledgement").exists()

    assert send(call) is True
    assert len(mail.outbox) == 1


def test_no_recipient_sends_nothing_and_records_nothing():
    call = make_call()
    mail.outbox.clear()

    assert send(call, to=["", None]) is False

    assert mail.outbox == []
    assert not SentEmail.objects.exists()
