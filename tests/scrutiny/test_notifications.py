"""send_email_once: one email per key, even when a task runs twice or a send fails."""

import pytest
from django.core import mail

from scrutiny.models import MessageState, SentEmail
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


def test_a_failed_send_is_recorded_as_failed_and_the_retry_sends(monkeypatch):
    """At least once: a failure is written down as failed and raised, so it is tried again."""
    call = make_call()
    mail.outbox.clear()

    def broken_send(self, fail_silently=False):
        raise ConnectionRefusedError("the mail server is down")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.EmailMultiAlternatives.send", broken_send)
        with pytest.raises(ConnectionRefusedError):
            send(call)
    row = SentEmail.objects.get(key=f"call:{call.pk}:acknowledgement")
    assert row.state == MessageState.FAILED and row.failed_at is not None

    assert send(call) is True
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.state == MessageState.SENT
    assert send(call) is False
    assert len(mail.outbox) == 1


def test_no_recipient_sends_nothing_and_records_nothing():
    call = make_call()
    mail.outbox.clear()

    assert send(call, to=["", None]) is False

    assert mail.outbox == []
    assert not SentEmail.objects.exists()


# The product's own emails for its workflows: the panel's decision on a call, the sign-off of
# a report. Wagtail's moderation emails still serve every other workflow.


@pytest.fixture
def agenda_meeting(db):
    from datetime import datetime

    from django.utils import timezone

    from scrutiny.models import MeetingKind, PanelMeeting

    starts_at = timezone.make_aware(datetime(2030, 3, 5, 18, 30))
    return PanelMeeting.objects.create(starts_at=starts_at, kind=MeetingKind.FORMAL)


def wagtail_moderation_emails():
    return [m for m in mail.outbox if "moderation stage" in m.subject + m.body]


def test_a_call_sent_to_the_panel_emails_each_panel_member_once(
    staff, agenda_meeting, django_capture_on_commit_callbacks
):
    from scrutiny import roles
    from tests.conftest import make_user
    from tests.scrutiny.builders import make_awaiting_call

    ruth = make_user("ruth", group=roles.PANEL, first_name="Ruth")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call = make_awaiting_call(staff)

    invitations = [m for m in mail.outbox if "awaits the" in m.subject]
    assert sorted(m.to[0] for m in invitations) == ["panel@example.org", "ruth@example.org"]
    assert wagtail_moderation_emails() == []
    for message in invitations:
        assert message.to in (["panel@example.org"], ["ruth@example.org"])  # one person each
        assert call.reference in message.subject and "5 March 2030" in message.subject
        link = f"http://testserver/admin/snippets/scrutiny/callforscrutiny/inspect/{call.pk}/"
        assert link in message.body
        assert "Tuesday 5 March 2030 at 18:30" in message.body
        [(html, mimetype)] = message.alternatives
        assert mimetype == "text/html"
        assert f'href="{link}"' in html and "Tuesday 5 March 2030 at 18:30" in html
    assert "Dear Ruth," in next(m.body for m in invitations if m.to == [ruth.email])
    state = call.current_workflow_task_state
    assert SentEmail.objects.filter(key__startswith=f"workflow-task:{state.pk}:").count() == 2


def test_the_panel_invitation_is_not_sent_twice_by_a_worker_restart(
    staff, agenda_meeting, django_capture_on_commit_callbacks
):
    from scrutiny.tasks import send_workflow_task_submitted
    from tests.scrutiny.builders import make_awaiting_call

    with django_capture_on_commit_callbacks(execute=True):
        call = make_awaiting_call(staff)
    assert len(mail.outbox) >= 1
    mail.outbox.clear()

    # The worker runs the same job again, as after a restart.
    state = call.current_workflow_task_state
    assert send_workflow_task_submitted(state.pk, staff["officer"].pk) == 0

    assert mail.outbox == []


def test_a_member_who_turned_submitted_notifications_off_is_not_emailed(
    staff, agenda_meeting, django_capture_on_commit_callbacks
):
    from wagtail.users.models import UserProfile

    from tests.scrutiny.builders import make_awaiting_call

    profile = UserProfile.get_for_user(staff["panel"])
    profile.submitted_notifications = False
    profile.save()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        make_awaiting_call(staff)

    assert [m for m in mail.outbox if "awaits the" in m.subject] == []
    assert wagtail_moderation_emails() == []


def test_a_decided_call_tells_the_officer_who_put_it_in_the_products_email_not_wagtails(
    staff, agenda_meeting, django_capture_on_commit_callbacks
):
    from tests.scrutiny.builders import decide, make_awaiting_call

    call = make_awaiting_call(staff)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        decide(call, outcome="accepted", user=staff["panel"], reasons="Repairs keep failing.")

    assert wagtail_moderation_emails() == []
    [told] = [m for m in mail.outbox if m.to == [staff["officer"].email]]
    assert told.subject == f"The panel has decided on {call.reference}"
    link = f"http://testserver/admin/snippets/scrutiny/callforscrutiny/inspect/{call.pk}/"
    assert link in told.body and "Repairs keep failing." in told.body
    [(html, mimetype)] = told.alternatives
    assert mimetype == "text/html" and f'href="{link}"' in html


def test_another_pages_moderation_still_sends_wagtails_own_email(
    staff, home_page, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    from scrutiny import roles
    from tests.conftest import make_standard_page

    task = GroupApprovalTask.objects.create(name="Communications check")
    task.groups.set(Group.objects.filter(name=roles.COMMUNICATIONS))
    workflow = Workflow.objects.create(name="Content approval")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=home_page)
    page = make_standard_page(home_page)
    page.save_revision(user=staff["officer"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.start(page, staff["officer"])

    sent = wagtail_moderation_emails()
    assert {address for m in sent for address in m.to} >= {staff["comms"].email}
    assert all('"Communications check"' in m.body for m in sent)
    assert not SentEmail.objects.filter(key__startswith="workflow-task:").exists()


def test_a_subject_is_plain_text_so_an_ampersand_or_apostrophe_is_kept_as_typed():
    """A subject line is not HTML: a petition called `Damp & mould in "Tom's" block` keeps its
    characters, and so does the printed letter that uses the subject as its heading."""
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    title = 'Damp & mould in "Tom\'s" block'
    subject = render_to_string(
        "scrutiny/email/petition_closed_subject.txt",
        {"petition": SimpleNamespace(title=title)},
    )
    assert subject.strip() == f'The petition "{title}" has closed'
