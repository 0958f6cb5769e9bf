"""The panel's decision: each option from "awaiting panel", through Wagtail moderation."""

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
from tests.scrutiny.builders import make_call

pytestmark = pytest.mark.django_db


def make_meeting(days_ahead: int = 7, **overrides) -> PanelMeeting:
    fields = {"starts_at": timezone.now() + timedelta(days=days_ahead), "kind": MeetingKind.FORMAL}
    return PanelMeeting.objects.create(**(fields | overrides))


def awaiting_panel_call(staff, **overrides):
    call = make_call(**overrides)
    pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])
    return pipeline.call_move(call=call, transition="send_to_panel", user=staff["officer"])


DETAILS = {
    DecisionOutcome.NOT_ACCEPTED: {
        "reason": "complaints-not-completed",
        "avenues": "Finish the complaints procedure.",
    },
    DecisionOutcome.MONITORING: {},
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
    meeting = make_meeting()
    call = awaiting_panel_call(staff)
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
    decision = pipeline.call_decide(
        call=call, outcome="monitoring", user=staff["panel"], reasons="Watch it."
    )
    assert decision.appeal_deadline == decision.sent_on + timedelta(days=14)


@pytest.mark.parametrize("status_moves", [[], ["start_triage"]])
def test_no_decision_on_a_call_not_awaiting_the_panel(staff, status_moves):
    call = make_call()
    for move in status_moves:
        pipeline.call_move(call=call, transition=move, user=staff["officer"])
    with pytest.raises(pipeline.TransitionNotAllowed, match="not awaiting the panel"):
        pipeline.call_decide(call=call, outcome="accepted", user=staff["panel"], reasons="Yes.")
    assert not PanelDecision.objects.exists()


@pytest.mark.parametrize("role", ["officer", "comms", "manager", "appeal"])
def test_only_the_panel_decides(staff, role):
    call = awaiting_panel_call(staff)
    with pytest.raises(PermissionDenied):
        pipeline.call_decide(call=call, outcome="accepted", user=staff[role], reasons="Yes.")
    call.refresh_from_db()
    assert call.status == CallStatus.AWAITING_PANEL


@pytest.mark.parametrize(
    ("outcome", "details", "message"),
    [
        ("accepted", {"reasons": " "}, "reasons"),
        ("not_accepted", {"reasons": "No.", "avenues": "x"}, "reason"),
        ("not_accepted", {"reasons": "No.", "reason": "outside-remit"}, "avenues"),
        ("serious_failure", {"reasons": "Bad."}, "immediate recommendations"),
    ],
)
def test_an_incomplete_decision_is_refused_and_saves_nothing(staff, outcome, details, message):
    call = awaiting_panel_call(staff)
    with pytest.raises(pipeline.DecisionIncomplete, match=message):
        pipeline.call_decide(call=call, outcome=outcome, user=staff["panel"], **details)
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
    task.on_action(task_state, staff["panel"], "monitoring", reasons="Keep watching.", meeting="")
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
        pipeline.call_decide(
            call=call, outcome="monitoring", user=staff["panel"], reasons="Watch it."
        )
    (message,) = [m for m in mail.outbox if m.to == [call.email] and "appeal" in m.body]
    assert "/call-for-scrutiny/appeal/" in message.body
    html = message.alternatives[0][0]
    assert '/call-for-scrutiny/appeal/" style="color:#1a54a6;">Appeal online</a>' in html
    assert call.reference in message.body
