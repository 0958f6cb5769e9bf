"""Appeals in the pipeline: the window, one appeal per decision, the panel's rules, the decision."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import ModelLogEntry

from scrutiny import pipeline, roles
from scrutiny.models import (
    Appeal,
    AppealStatus,
    CallStatus,
    InvolvementGroup,
    ScrutinySettings,
)
from tests.conftest import make_user
from tests.scrutiny.appeal_builders import (
    decided_call,
    eligible_members,
    make_group,
    make_meeting,
    submit_appeal,
)
from tests.scrutiny.builders import decide

pytestmark = pytest.mark.django_db


def sent_days_ago(decision, days: int, *, window: int | None = None):
    """Move a decision back in time: sent `days` ago, with the deadline the window gives."""
    window = window or ScrutinySettings.load().appeal_window_days
    decision.sent_on = timezone.localdate() - timedelta(days=days)
    decision.appeal_deadline = decision.sent_on + timedelta(days=window)
    decision.save(update_fields=["sent_on", "appeal_deadline"])


def test_the_deadline_is_the_day_sent_plus_the_window(staff):
    _, decision = decided_call(staff)
    assert decision.appeal_deadline == decision.sent_on + timedelta(days=28)


def test_day_28_is_accepted(staff):
    call, decision = decided_call(staff)
    sent_days_ago(decision, 28)
    appeal = submit_appeal(call)
    assert appeal.decision == decision
    assert appeal.status == AppealStatus.RECEIVED
    assert appeal.reference.startswith(f"APL-{timezone.now().year}-")


def test_day_29_is_refused_with_the_last_date_and_whom_to_contact(staff):
    config = ScrutinySettings.load()
    config.contact_address = "Pine Court Housing\n1 Larch Row\nPinetown PC1 1AA"
    config.save()
    call, decision = decided_call(staff)
    sent_days_ago(decision, 29)
    with pytest.raises(pipeline.AppealRefused) as refused:
        submit_appeal(call)
    message = str(refused.value)
    assert decision.appeal_deadline.strftime("%A %-d %B %Y") in message
    assert "Customer Empowerment Manager" in message
    assert "scrutiny@example.org" in message
    assert "1 Larch Row" in message
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(("days", "accepted"), [(14, True), (15, False)])
def test_a_window_of_14_days(staff, days, accepted):
    config = ScrutinySettings.load()
    config.appeal_window_days = 14
    config.save()
    call, decision = decided_call(staff)
    assert decision.appeal_deadline == decision.sent_on + timedelta(days=14)
    sent_days_ago(decision, days, window=14)
    if accepted:
        assert submit_appeal(call).pk
    else:
        with pytest.raises(pipeline.AppealRefused, match="The last day to appeal"):
            submit_appeal(call)


def test_an_accepted_call_cannot_be_appealed(staff):
    call, _ = decided_call(staff, outcome_details={"outcome": "accepted"})
    with pytest.raises(pipeline.AppealRefused, match="no decision to appeal"):
        submit_appeal(call)
    assert not Appeal.objects.exists()


def test_a_call_without_a_decision_cannot_be_appealed(staff):
    from tests.scrutiny.builders import make_call

    call = make_call(postcode="PC1 1AA")
    with pytest.raises(pipeline.AppealRefused, match="not decided"):
        submit_appeal(call)


def test_a_second_appeal_on_the_same_decision_is_refused(staff):
    call, _ = decided_call(staff)
    submit_appeal(call)
    with pytest.raises(pipeline.AppealRefused, match="already been appealed"):
        submit_appeal(call, grounds="And another thing.")
    assert Appeal.objects.count() == 1


def test_a_wrong_code_or_unknown_reference_gets_the_same_neutral_answer(staff):
    call, _ = decided_call(staff)
    with pytest.raises(pipeline.AppealNotFound) as wrong_code:
        submit_appeal(call, access_code="ABCDE-FGHJK")
    with pytest.raises(pipeline.AppealNotFound) as unknown:
        submit_appeal(call, reference="CCS-1999-0001")
    assert str(wrong_code.value) == str(unknown.value)
    assert not Appeal.objects.exists()


def test_the_email_or_postcode_alone_cannot_appeal(staff):
    call, _ = decided_call(staff)
    for not_a_secret in ["PC1 1AA", "pc11aa", call.email]:
        with pytest.raises(pipeline.AppealNotFound):
            submit_appeal(call, access_code=not_a_secret)
    assert not Appeal.objects.exists()


def test_the_code_may_be_typed_in_lower_case_with_spaces_or_a_dash(staff):
    call, _ = decided_call(staff)
    typed = f" {call.access_code[:5].lower()} - {call.access_code[5:].lower()} "
    assert submit_appeal(call, access_code=typed).pk


def test_submission_sends_the_acknowledgement_and_tells_the_officers(
    staff, django_capture_on_commit_callbacks
):
    call, _ = decided_call(staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appeal = submit_appeal(call)
    subjects = {message.subject: message.to for message in mail.outbox}
    assert subjects[f"We have received your appeal {appeal.reference}"] == [call.email]
    assert subjects[f"New appeal {appeal.reference} on {call.reference}"] == [
        staff["officer"].email
    ]
    assert ModelLogEntry.objects.get(action="scrutiny.appeal.submit").object_id == str(appeal.pk)
    assert ModelLogEntry.objects.get(action="scrutiny.call.appealed").object_id == str(call.pk)


# The appeal panel.


@pytest.fixture
def appeal(staff):
    call, _ = decided_call(staff)
    return submit_appeal(call)


@pytest.mark.parametrize(("size", "message"), [(3, "at least 4"), (7, "at most 6")])
def test_panels_of_3_and_7_are_refused(staff, appeal, size, message):
    members = eligible_members(size)
    reasons = pipeline.appeal_panel_check(appeal=appeal, members=members)
    assert len(reasons) == 1 and message in reasons[0]
    with pytest.raises(pipeline.AppealPanelRefused):
        pipeline.appeal_convene(appeal=appeal, members=members, user=staff["officer"])
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.RECEIVED
    assert not appeal.panel.exists()


@pytest.mark.parametrize("size", [4, 6])
def test_panels_of_4_and_6_are_convened(staff, appeal, size):
    members = eligible_members(size)
    pipeline.appeal_convene(appeal=appeal, members=members, user=staff["officer"])
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PANEL_CONVENED
    assert set(appeal.panel.all()) == set(members)
    assert appeal.history.first().history_user == staff["officer"]
    assert {row.user for row in appeal.history.first().panel.all()} == set(members)
    entry = ModelLogEntry.objects.get(action="scrutiny.appeal.convene")
    assert entry.user_id == staff["officer"].pk


def test_a_scrutiny_panel_member_is_refused_by_name(staff, appeal):
    sam = make_user("sam", group=roles.PANEL, first_name="Sam", last_name="Shah")
    members = [*eligible_members(3), sam]
    assert pipeline.appeal_panel_check(appeal=appeal, members=members) == [
        "Sam Shah sits on the scrutiny panel."
    ]


def test_a_member_of_a_group_serving_the_calls_service_is_refused(staff, appeal):
    area = appeal.call.business_area
    make_group("Estate inspectors", "ivy", areas=[area], first_name="Ivy", last_name="Ng")
    ivy = InvolvementGroup.objects.get(name="Estate inspectors").members.get()
    reasons = pipeline.appeal_panel_check(appeal=appeal, members=[*eligible_members(3), ivy])
    assert reasons == [f"Ivy Ng is in Estate inspectors, which serves {area.name}."]


def test_a_group_serving_another_service_does_not_exclude(staff, appeal):
    from tests.conftest import make_business_area

    other = make_business_area("Estate services")
    group = make_group("Estate inspectors", "ivy", areas=[other])
    members = [*eligible_members(3), group.members.get()]
    assert pipeline.appeal_panel_check(appeal=appeal, members=members) == []


def test_whoever_recorded_the_decision_is_refused(staff, appeal):
    decider = appeal.decision.decided_by
    decider.first_name, decider.last_name = "Pat", "Lee"
    decider.save()
    # Taken out of the panel since, so only the decision itself excludes them.
    decider.groups.clear()
    reasons = pipeline.appeal_panel_check(appeal=appeal, members=[*eligible_members(3), decider])
    assert reasons == ["Pat Lee recorded the panel's decision under appeal."]


def test_attendees_of_the_deciding_meeting_are_refused(staff):
    meeting = make_meeting()
    call, decision = decided_call(staff, meeting=meeting)
    appeal = submit_appeal(call)
    former = make_user("former", first_name="Robin", last_name="Hale")
    meeting.attendees.add(former)
    reasons = pipeline.appeal_panel_check(appeal=appeal, members=[*eligible_members(3), former])
    assert reasons == ["Robin Hale attended the meeting at which the panel decided this call."]


def test_every_problem_is_named_at_once(staff, appeal):
    sam = make_user("sam", group=roles.PANEL, first_name="Sam", last_name="Shah")
    with pytest.raises(pipeline.AppealPanelRefused) as refused:
        pipeline.appeal_convene(
            appeal=appeal, members=[*eligible_members(2), sam], user=staff["officer"]
        )
    assert refused.value.reasons == [
        "An appeal panel needs at least 4 members; 3 were chosen.",
        "Sam Shah sits on the scrutiny panel.",
    ]


def test_suggestions_are_the_eligible_involvement_group_members(staff, appeal):
    readers = eligible_members(4)
    area = appeal.call.business_area
    make_group("Estate inspectors", "ivy", areas=[area])
    both = make_user("both", group=roles.PANEL)
    InvolvementGroup.objects.get(name="Estate inspectors").members.add(both)
    assert pipeline.appeal_panel_candidates(appeal=appeal) == readers


@pytest.mark.parametrize("role", ["panel", "appeal", "manager", "comms"])
def test_only_officers_convene(staff, appeal, role):
    with pytest.raises(PermissionDenied):
        pipeline.appeal_convene(appeal=appeal, members=eligible_members(4), user=staff[role])


# The decision.


@pytest.fixture
def convened(staff, appeal):
    pipeline.appeal_convene(appeal=appeal, members=eligible_members(4), user=staff["officer"])
    appeal.refresh_from_db()
    return appeal


def test_no_decision_before_the_panel_is_convened(staff, appeal):
    with pytest.raises(pipeline.AppealRefused, match="once its panel is convened"):
        pipeline.appeal_decide(
            appeal=appeal, outcome="dismissed", reasons="No.", user=staff["officer"]
        )


def test_dismissed_is_final_and_told_to_the_resident(
    staff, convened, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appeal = pipeline.appeal_decide(
            appeal=convened,
            outcome="dismissed",
            reasons="The panel followed its terms of reference.",
            user=staff["officer"],
        )
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.DECIDED
    assert appeal.decided_by == staff["officer"]
    assert appeal.direction == ""
    call = appeal.call
    call.refresh_from_db()
    assert call.status == CallStatus.NOT_ACCEPTED
    [message] = mail.outbox
    assert message.to == [call.email]
    assert "dismissed" in message.body and "final" in message.body
    assert appeal.history.first().history_user == staff["officer"]
    assert ModelLogEntry.objects.filter(action="scrutiny.appeal.decide").count() == 1
    with pytest.raises(pipeline.AppealRefused, match="already been appealed"):
        submit_appeal(call)
    with pytest.raises(pipeline.AppealRefused):
        pipeline.appeal_decide(
            appeal=appeal,
            outcome="upheld",
            direction="accept",
            reasons="Changed our minds.",
            user=staff["officer"],
        )


def test_upheld_returns_the_call_to_the_panel_and_its_workflow(staff, convened):
    meeting = make_meeting(days_ahead=10)
    pipeline.appeal_decide(
        appeal=convened,
        outcome="upheld",
        direction="return_to_panel",
        reasons="The panel did not see the Ombudsman's letter.",
        user=staff["officer"],
    )
    call = convened.call
    call.refresh_from_db()
    assert call.status == CallStatus.AWAITING_PANEL
    assert call.agenda_meeting == meeting
    assert call.workflow_in_progress
    assert call.history.first().history_user == staff["officer"]
    entry = ModelLogEntry.objects.get(action="scrutiny.call.appeal_decided")
    assert entry.user_id == staff["officer"].pk
    assert entry.data["to"] == CallStatus.AWAITING_PANEL


def test_an_upheld_then_new_decision_may_be_appealed(staff, convened):
    pipeline.appeal_decide(
        appeal=convened,
        outcome="upheld",
        direction="return_to_panel",
        reasons="Look again.",
        user=staff["officer"],
    )
    call = convened.call
    call.refresh_from_db()
    decide(call, outcome="monitoring", user=staff["panel"], reasons="We will monitor this instead.")
    second = submit_appeal(call, grounds="Monitoring is not enough.")
    assert second.decision != convened.decision


def test_upheld_may_accept_the_call(staff, convened):
    pipeline.appeal_decide(
        appeal=convened,
        outcome="upheld",
        direction="accept",
        reasons="The evidence is strong enough.",
        user=staff["officer"],
    )
    convened.call.refresh_from_db()
    assert convened.call.status == CallStatus.ACCEPTED


def test_upheld_needs_a_direction_and_reasons_are_needed(staff, convened):
    with pytest.raises(pipeline.AppealRefused, match="returns to the panel or is accepted"):
        pipeline.appeal_decide(
            appeal=convened, outcome="upheld", reasons="Yes.", user=staff["officer"]
        )
    with pytest.raises(pipeline.AppealRefused, match="reasons"):
        pipeline.appeal_decide(
            appeal=convened, outcome="dismissed", reasons="  ", user=staff["officer"]
        )
    convened.refresh_from_db()
    assert convened.status == AppealStatus.PANEL_CONVENED


@pytest.mark.parametrize("role", ["panel", "appeal", "manager"])
def test_only_officers_record_the_decision(staff, convened, role):
    with pytest.raises(PermissionDenied):
        pipeline.appeal_decide(
            appeal=convened, outcome="dismissed", reasons="No.", user=staff[role]
        )
