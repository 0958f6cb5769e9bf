"""Every call can end: closed before the panel with a reason and a letter, or when its process
is over (not accepted and the time to appeal passed; a serious failure put right)."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import ModelLogEntry

from scrutiny import pipeline, tasks
from scrutiny.models import CallClosure, CallForScrutiny, CallStatus, PetitionStatus
from scrutiny.pipeline import TransitionNotAllowed
from tests.scrutiny.appeal_builders import decided_call, submit_appeal
from tests.scrutiny.builders import decide, make_awaiting_call, make_call

pytestmark = pytest.mark.django_db

S = CallStatus
# From the issue: "withdrawn by the resident, duplicate of another (linked), out of scope before
# the panel": the first two until the panel decides, the last only before the call reaches it.
BEFORE_THE_PANEL = [S.SUBMITTED, S.TRIAGE, S.GATHERING_EVIDENCE]
ENDINGS = {
    CallClosure.WITHDRAWN: [*BEFORE_THE_PANEL, S.AWAITING_PANEL],
    CallClosure.DUPLICATE: [*BEFORE_THE_PANEL, S.AWAITING_PANEL],
    CallClosure.OUT_OF_SCOPE: BEFORE_THE_PANEL,
}
ACTIONS = {
    CallClosure.WITHDRAWN: "scrutiny.call.withdraw",
    CallClosure.DUPLICATE: "scrutiny.call.duplicate",
    CallClosure.OUT_OF_SCOPE: "scrutiny.call.out_of_scope",
}
ROUTES = {
    S.SUBMITTED: [],
    S.TRIAGE: ["start_triage"],
    S.GATHERING_EVIDENCE: ["start_triage", "gather_evidence"],
    S.AWAITING_PANEL: ["start_triage", "send_to_panel"],
}


def call_in(status, staff, **fields):
    call = make_call(**fields)
    for move in ROUTES[status]:
        pipeline.call_move(call=call, transition=move, user=staff["officer"])
    return CallForScrutiny.objects.get(pk=call.pk)


CASES = [(closure, status) for closure, statuses in ENDINGS.items() for status in statuses]


@pytest.mark.parametrize(("closure", "status"), CASES)
def test_a_call_closes_before_the_panel_with_a_reason_and_a_letter(
    staff, closure, status, django_capture_on_commit_callbacks
):
    original = make_call(email="first@example.org")
    call = call_in(status, staff, email="resident@example.org")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        pipeline.call_close(
            call=call,
            closure=closure,
            reason="The resident phoned to say the lift is fixed.",
            duplicate_of=original,
            user=staff["officer"],
        )

    call.refresh_from_db()
    assert call.status == S.CLOSED
    assert call.closure == closure
    assert call.closure_reason == "The resident phoned to say the lift is fixed."
    assert call.duplicate_of == (original if closure == CallClosure.DUPLICATE else None)
    assert not call.workflow_in_progress
    assert call.agenda_meeting is None
    (letter,) = [m for m in mail.outbox if m.to == ["resident@example.org"]]
    assert call.reference in letter.subject
    assert "The resident phoned to say the lift is fixed." in letter.body
    if closure == CallClosure.DUPLICATE:
        assert original.reference in letter.body
    entry = ModelLogEntry.objects.filter(object_id=str(call.pk), action=ACTIONS[closure]).get()
    assert entry.user == staff["officer"]
    assert (entry.data["from"], entry.data["to"]) == (status, S.CLOSED)


@pytest.mark.parametrize("closure", list(ENDINGS))
def test_a_reason_is_needed(staff, closure):
    call = call_in(S.TRIAGE, staff)
    with pytest.raises(TransitionNotAllowed, match="Say why"):
        pipeline.call_close(
            call=call, closure=closure, reason=" ", duplicate_of=make_call(), user=staff["officer"]
        )
    call.refresh_from_db()
    assert call.status == S.TRIAGE


def test_a_duplicate_names_another_call_that_carries_it_on(staff):
    first = call_in(S.TRIAGE, staff)
    second = call_in(S.TRIAGE, staff)
    third = call_in(S.TRIAGE, staff)
    for other, message in [(None, "Give the reference"), (second, "duplicate of itself")]:
        with pytest.raises(TransitionNotAllowed, match=message):
            pipeline.call_close(
                call=second,
                closure="duplicate",
                reason="Same lift.",
                duplicate_of=other,
                user=staff["officer"],
            )
    pipeline.call_close(
        call=second,
        closure="duplicate",
        reason="Same lift.",
        duplicate_of=first,
        user=staff["officer"],
    )
    with pytest.raises(TransitionNotAllowed, match="is itself a duplicate"):
        pipeline.call_close(
            call=third,
            closure="duplicate",
            reason="Same lift.",
            duplicate_of=second,
            user=staff["officer"],
        )


def test_out_of_scope_is_decided_before_the_panel_not_after(staff):
    call = call_in(S.AWAITING_PANEL, staff)
    with pytest.raises(TransitionNotAllowed, match="only the panel can decide"):
        pipeline.call_close(
            call=call, closure="out_of_scope", reason="A planning matter.", user=staff["officer"]
        )


@pytest.mark.parametrize("role", ["panel", "manager", "comms", "appeal"])
def test_only_officers_close_calls(staff, role):
    call = call_in(S.TRIAGE, staff)
    with pytest.raises(PermissionDenied):
        pipeline.call_close(call=call, closure="withdrawn", reason="Asked.", user=staff[role])


def test_a_decided_call_cannot_be_withdrawn(staff):
    call = make_awaiting_call(staff)
    decide(call, outcome="accepted", user=staff["panel"])
    with pytest.raises(TransitionNotAllowed):
        pipeline.call_close(call=call, closure="withdrawn", reason="Asked.", user=staff["officer"])


def test_closing_a_call_closes_its_open_petition(staff):
    call = call_in(S.TRIAGE, staff)
    petition = pipeline.petition_open(
        call=call, user=staff["officer"], title="Fix the lift", summary="The lift is broken."
    )
    pipeline.call_close(call=call, closure="withdrawn", reason="Fixed.", user=staff["officer"])
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.CLOSED


def test_a_call_not_accepted_closes_once_the_time_to_appeal_has_passed(staff, settings):
    call, decision = decided_call(staff)
    assert tasks.close_finished_calls() == 0
    call.refresh_from_db()
    assert call.status == S.NOT_ACCEPTED

    type(decision).objects.filter(pk=decision.pk).update(
        appeal_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert tasks.close_finished_calls() == 1
    call.refresh_from_db()
    assert (call.status, call.closure) == (S.CLOSED, CallClosure.NOT_ACCEPTED)
    assert tasks.close_finished_calls() == 0


def test_a_call_with_an_appeal_waiting_stays_open(staff):
    call, decision = decided_call(staff)
    submit_appeal(call)
    type(decision).objects.filter(pk=decision.pk).update(
        appeal_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert tasks.close_finished_calls() == 0
    with pytest.raises(TransitionNotAllowed, match="has an appeal waiting"):
        pipeline.call_close_not_accepted(call=call)


def test_a_serious_failure_closes_when_its_actions_are_done(staff):
    call = make_awaiting_call(staff)
    decision = decide(
        call,
        outcome="serious_failure",
        user=staff["panel"],
        immediate_recommendations="Restore heating within 48 hours.",
    )
    first = pipeline.action_add(
        decision=decision,
        action="Restore heating",
        due_on=timezone.localdate(),
        user=staff["officer"],
    )
    second = pipeline.action_add(
        decision=decision,
        action="Check every boiler",
        due_on=timezone.localdate(),
        user=staff["officer"],
    )
    pipeline.action_progress(item=first, status="done", user=staff["officer"])
    call.refresh_from_db()
    assert call.status == S.SERIOUS_FAILURE
    pipeline.action_progress(
        item=second, status="cancelled", note="Not needed.", user=staff["officer"]
    )
    call.refresh_from_db()
    assert (call.status, call.closure) == (S.CLOSED, CallClosure.RESOLVED)


def test_an_appeal_cannot_be_made_once_the_call_has_moved_on(staff):
    call, decision = decided_call(
        staff, outcome_details={"outcome": "monitoring", "watching": "Repairs."}
    )
    watch = decision.monitoring
    pipeline.monitoring_conclude(
        monitoring=watch, outcome="improved", findings="All fixed.", user=staff["officer"]
    )
    assert "can no longer be appealed" in pipeline.appeal_refusal(decision=decision)
