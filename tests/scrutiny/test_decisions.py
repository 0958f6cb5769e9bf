"""The panel's decision: each option from "awaiting panel", through Wagtail moderation."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import ModelLogEntry, WorkflowState

from scrutiny import pipeline
from scrutiny.models import (
    CallStatus,
    DecisionOutcome,
    MeetingKind,
    PanelDecision,
    PanelMeeting,
    ScrutinySettings,
)
from tests.scrutiny.builders import (
    MONITORING,
    backdate_arrival,
    decide,
    held_meeting_for,
    make_awaiting_call,
    make_call,
)

pytestmark = pytest.mark.django_db


def make_meeting(days_ahead: int = 7, **overrides) -> PanelMeeting:
    fields = {"starts_at": timezone.now() + timedelta(days=days_ahead), "kind": MeetingKind.FORMAL}
    return PanelMeeting.objects.create(**(fields | overrides))


awaiting_panel_call = make_awaiting_call


DETAILS = {
    DecisionOutcome.NOT_ACCEPTED: {
        "reason": "complaints-not-completed",
        "avenues": "Finish the complaints procedure.",
    },
    DecisionOutcome.MONITORING: MONITORING,
    DecisionOutcome.ACCEPTED: {},
    DecisionOutcome.SERIOUS_FAILURE: {"immediate_recommendations": "Fix the doors this week."},
}
EXPECTED_STATUS = {
    DecisionOutcome.NOT_ACCEPTED: CallStatus.NOT_ACCEPTED,
    DecisionOutcome.MONITORING: CallStatus.MONITORING,
    DecisionOutcome.ACCEPTED: CallStatus.ACCEPTED,
    DecisionOutcome.SERIOUS_FAILURE: CallStatus.SERIOUS_FAILURE,
}


def test_sending_to_the_panel_starts_the_moderation_workflow_and_sets_the_agenda(staff):
    meeting = make_meeting()
    call = awaiting_panel_call(staff)
    call.refresh_from_db()
    assert call.agenda_meeting == meeting
    assert call.workflow_in_progress
    assert call.current_workflow_task.name == "Panel decision"


@pytest.mark.parametrize("outcome", list(DecisionOutcome))
def test_each_decision_ends_in_its_state_history_log_and_email(
    staff, outcome, django_capture_on_commit_callbacks
):
    call = awaiting_panel_call(staff)
    meeting = held_meeting_for(call)
    with django_capture_on_commit_callbacks(execute=True):
        decision = pipeline.call_decide(
            call=call,
            outcome=outcome,
            user=staff["panel"],
            reasons="Strong evidence of repeated failure.",
            meeting=str(meeting.pk),
            **DETAILS[outcome],
        )
    call.refresh_from_db()
    assert call.status == EXPECTED_STATUS[outcome]
    assert decision.meeting == meeting
    assert call.history.first().status == call.status
    assert call.history.first().history_user == staff["panel"]
    assert ModelLogEntry.objects.filter(
        object_id=str(call.pk), action="scrutiny.call.decide", user=staff["panel"]
    ).exists()
    state = WorkflowState.objects.for_instance(call).get()
    assert state.status == WorkflowState.STATUS_APPROVED
    to_resident = [m for m in mail.outbox if m.to == [call.email]]
    assert len(to_resident) == 1
    body = to_resident[0].body
    if outcome == DecisionOutcome.ACCEPTED:
        assert decision.appeal_deadline is None
        assert "appeal" not in body.lower()
    else:
        assert decision.appeal_deadline == decision.sent_on + timedelta(days=28)
        assert decision.appeal_deadline.strftime("%-d %B %Y") in body
    if outcome == DecisionOutcome.SERIOUS_FAILURE:
        to_head = [m for m in mail.outbox if "dana.price@example.org" in m.to]
        assert len(to_head) == 1
        assert "Fix the doors this week." in to_head[0].body


def test_the_appeal_date_follows_the_configured_window(staff):
    settings = ScrutinySettings.load()
    settings.appeal_window_days = 14
    settings.save()
    call = awaiting_panel_call(staff)
    decision = decide(call, outcome="monitoring", user=staff["panel"], reasons="Watch it.")
    assert decision.appeal_deadline == decision.sent_on + timedelta(days=14)


@pytest.mark.parametrize("status_moves", [[], ["start_triage"]])
def test_no_decision_on_a_call_not_awaiting_the_panel(staff, status_moves):
    call = make_call()
    for move in status_moves:
        pipeline.call_move(call=call, transition=move, user=staff["officer"])
    with pytest.raises(pipeline.TransitionNotAllowed, match="not awaiting the panel"):
        decide(call, outcome="accepted", user=staff["panel"], reasons="Yes.")
    assert not PanelDecision.objects.exists()


@pytest.mark.parametrize("role", ["officer", "comms", "manager", "appeal"])
def test_only_the_panel_decides(staff, role):
    call = awaiting_panel_call(staff)
    with pytest.raises(PermissionDenied):
        decide(call, outcome="accepted", user=staff[role], reasons="Yes.")
    call.refresh_from_db()
    assert call.status == CallStatus.AWAITING_PANEL


@pytest.mark.parametrize(
    ("outcome", "details", "message"),
    [
        ("accepted", {"reasons": " "}, "reasons"),
        ("not_accepted", {"reasons": "No.", "avenues": "x"}, "reason"),
        ("not_accepted", {"reasons": "No.", "reason": "outside-remit"}, "avenues"),
        ("serious_failure", {"reasons": "Bad."}, "immediate recommendations"),
        ("monitoring", {"reasons": "Watch it."}, "what the panel will watch"),
        (
            "monitoring",
            {"reasons": "Watch it.", "watching": "Repairs.", "review_on": "2020-01-01"},
            "after today",
        ),
    ],
)
def test_an_incomplete_decision_is_refused_and_saves_nothing(staff, outcome, details, message):
    call = awaiting_panel_call(staff)
    with pytest.raises(pipeline.DecisionIncomplete, match=message):
        pipeline.call_decide(
            call=call,
            outcome=outcome,
            user=staff["panel"],
            meeting=held_meeting_for(call),
            **details,
        )
    call.refresh_from_db()
    assert call.status == CallStatus.AWAITING_PANEL
    assert not PanelDecision.objects.exists()


def test_the_moderation_action_takes_the_decision(staff):
    call = awaiting_panel_call(staff)
    task_state = call.current_workflow_task_state
    task = task_state.task.specific
    actions = [name for name, _, _ in task.get_actions(call, staff["panel"])]
    assert actions == [o.value for o in DecisionOutcome]
    assert task.get_actions(call, staff["officer"]) == []
    meeting = held_meeting_for(call)
    task.on_action(
        task_state,
        staff["panel"],
        "monitoring",
        reasons="Keep watching.",
        meeting=str(meeting.pk),
        **MONITORING,
    )
    call.refresh_from_db()
    assert call.status == CallStatus.MONITORING


def test_returning_a_call_to_triage_cancels_its_moderation(staff):
    call = awaiting_panel_call(staff)
    pipeline.call_move(call=call, transition="return_to_triage", user=staff["officer"])
    call.refresh_from_db()
    assert not call.workflow_in_progress
    assert call.agenda_meeting is None


def test_the_decision_email_links_to_the_online_appeal_form(
    staff, django_capture_on_commit_callbacks
):
    from tests.scrutiny.test_call_form import make_call_page

    make_call_page()
    call = awaiting_panel_call(staff)
    with django_capture_on_commit_callbacks(execute=True):
        decide(call, outcome="monitoring", user=staff["panel"], reasons="Watch it.")
    (message,) = [m for m in mail.outbox if m.to == [call.email] and "appeal" in m.body]
    assert "/call-for-scrutiny/appeal/" in message.body
    html = message.alternatives[0][0]
    # The link carries the call's access code (as an opaque token): the form opens filled in.
    assert re.search(
        r'/call-for-scrutiny/appeal/[\w-]+/" style="color:#1a54a6;">Appeal online</a>', html
    )
    assert call.reference in message.body


# The seed: "Any Community Call for Scrutiny will be considered at the next scheduled meeting";
# a decision is the panel's at a meeting that has taken place, after the call reached it.


def test_a_decision_names_a_meeting_that_has_taken_place(staff):
    call = awaiting_panel_call(staff)
    with pytest.raises(pipeline.TransitionNotAllowed, match="Choose the meeting"):
        pipeline.call_decide(call=call, outcome="accepted", user=staff["panel"], reasons="Yes.")
    assert not PanelDecision.objects.exists()


@pytest.mark.parametrize(
    ("meeting_fields", "message"),
    [
        ({"starts_at_days": 3}, "has not taken place yet"),
        ({"starts_at_days": -1, "status": "cancelled"}, "was cancelled"),
        ({"starts_at_days": -1, "kind": MeetingKind.AWAY_DAY}, "not a formal meeting"),
        ({"starts_at_days": -5}, "before .* reached the panel"),
    ],
)
def test_a_decision_at_a_meeting_that_cannot_have_decided_is_refused(
    staff, meeting_fields, message
):
    call = awaiting_panel_call(staff)
    backdate_arrival(call, days=2)
    days = meeting_fields.pop("starts_at_days")
    meeting = make_meeting(days_ahead=days, **meeting_fields)
    with pytest.raises(pipeline.TransitionNotAllowed, match=message):
        pipeline.call_decide(
            call=call, outcome="accepted", user=staff["panel"], reasons="Yes.", meeting=meeting
        )
    call.refresh_from_db()
    assert call.status == CallStatus.AWAITING_PANEL
    assert not PanelDecision.objects.exists()
    assert call.workflow_in_progress


def test_the_form_offers_only_meetings_held_since_the_call_reached_the_panel(staff):
    from scrutiny.models.workflows import DecisionForm

    before = make_meeting(days_ahead=-10)
    on_agenda = make_meeting(days_ahead=5)
    call = awaiting_panel_call(staff)
    assert call.agenda_meeting == on_agenda
    backdate_arrival(call, days=7)
    later = make_meeting(days_ahead=-1)
    # The agenda meeting took place three days ago; a second, later meeting yesterday.
    PanelMeeting.objects.filter(pk=on_agenda.pk).update(starts_at=timezone.now() - timedelta(3))
    future = make_meeting(days_ahead=20)
    cancelled = make_meeting(days_ahead=-2, status="cancelled")

    form = DecisionForm(call=call)
    offered = [int(value) for value, _ in form.fields["meeting"].choices if value]
    assert offered == [later.pk, on_agenda.pk]
    assert before.pk not in offered and future.pk not in offered
    assert cancelled.pk not in offered
    # The default is the latest held meeting at which the call was on the agenda.
    assert form.initial["meeting"] == str(on_agenda.pk)
    refused = DecisionForm({"meeting": str(future.pk), "reasons": "Yes."}, call=call)
    assert not refused.is_valid()
    assert "Choose one of the meetings listed" in str(refused.errors["meeting"])


def test_the_form_says_when_no_meeting_has_taken_place_yet(staff):
    from scrutiny.models.workflows import DecisionForm

    make_meeting(days_ahead=5)
    call = awaiting_panel_call(staff)
    form = DecisionForm(call=call)
    assert [value for value, _ in form.fields["meeting"].choices if value] == []
    assert "No formal meeting has taken place since this call reached the panel" in (
        form.fields["meeting"].help_text
    )


def test_a_second_decision_on_the_same_call_names_who_decided_first(staff):
    from tests.conftest import make_user

    call = awaiting_panel_call(staff)
    meeting = held_meeting_for(call)
    ruth = make_user("ruth", group="Panel members", first_name="Ruth", last_name="Adeyemi")
    decide(call, outcome="accepted", user=ruth, meeting=meeting)
    with pytest.raises(pipeline.TransitionNotAllowed, match="already decided by Ruth Adeyemi at"):
        decide(
            call,
            outcome="not_accepted",
            user=staff["panel"],
            meeting=meeting,
            **DETAILS[DecisionOutcome.NOT_ACCEPTED],
        )
    assert PanelDecision.objects.count() == 1
    call.refresh_from_db()
    assert call.status == CallStatus.ACCEPTED


def test_a_monitoring_decision_starts_a_watch_with_the_review_date(staff):
    call = awaiting_panel_call(staff)
    decision = decide(call, outcome="monitoring", user=staff["panel"])
    watch = decision.monitoring
    assert watch.status == "watching"
    assert watch.watching == MONITORING["watching"]
    assert watch.review_on == decision.sent_on + timedelta(days=90)
