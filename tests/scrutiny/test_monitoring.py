"""Monitoring is a real path: what the panel watches, a review date, officers reminded when it
is due, and an outcome (improved and closed, escalated for a new decision, or extended), each
told to the resident."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from scrutiny import pipeline, tasks
from scrutiny.models import CallClosure, CallStatus, Monitoring, MonitoringStatus
from scrutiny.pipeline import TransitionNotAllowed
from tests.scrutiny.appeal_builders import decided_call, eligible_members, submit_appeal
from tests.scrutiny.builders import decide, make_awaiting_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def watch(staff) -> Monitoring:
    call = make_awaiting_call(staff, email="resident@example.org")
    decision = decide(call, outcome="monitoring", user=staff["panel"])
    mail.outbox.clear()
    return decision.monitoring


def told(address="resident@example.org"):
    return [message for message in mail.outbox if message.to == [address]]


def test_the_review_date_defaults_to_the_configured_days(staff, settings):
    from scrutiny.models import ScrutinySettings

    config = ScrutinySettings.load()
    config.monitoring_review_days = 30
    config.save()
    call = make_awaiting_call(staff)
    decision = decide(call, outcome="monitoring", user=staff["panel"])
    assert decision.monitoring.review_on == timezone.localdate() + datetime.timedelta(days=30)


def test_officers_are_reminded_once_when_the_review_is_due(watch, staff):
    assert tasks.send_monitoring_reminders() == 0
    Monitoring.objects.filter(pk=watch.pk).update(review_on=timezone.localdate())
    assert tasks.send_monitoring_reminders() == 1
    assert tasks.send_monitoring_reminders() == 0
    (reminder,) = told("officer@example.org")
    assert watch.call.reference in reminder.subject
    assert watch.watching in reminder.body


def test_improved_closes_the_call_and_tells_the_resident(
    watch, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.monitoring_conclude(
            monitoring=watch,
            outcome="improved",
            findings="Repairs are now on time.",
            user=staff["officer"],
        )
    watch.refresh_from_db()
    call = watch.call
    call.refresh_from_db()
    assert watch.status == MonitoringStatus.IMPROVED
    assert (call.status, call.closure) == (CallStatus.CLOSED, CallClosure.IMPROVED)
    (letter,) = told()
    assert "Repairs are now on time." in letter.body
    assert "closed" in letter.subject


def test_escalated_returns_the_call_to_the_panel_for_a_new_decision(
    watch, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.monitoring_conclude(
            monitoring=watch,
            outcome="escalate",
            findings="Still late.",
            user=staff["officer"],
        )
    call = watch.call
    call.refresh_from_db()
    assert call.status == CallStatus.AWAITING_PANEL
    assert call.workflow_in_progress
    (letter,) = told()
    assert "decide again" in letter.subject


def test_extended_keeps_watching_to_a_later_date(watch, staff, django_capture_on_commit_callbacks):
    later = timezone.localdate() + datetime.timedelta(days=200)
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.monitoring_conclude(
            monitoring=watch,
            outcome="extend",
            findings="Better, not there yet.",
            review_on=later.isoformat(),
            user=staff["officer"],
        )
    watch.refresh_from_db()
    assert (watch.status, watch.review_on) == (MonitoringStatus.WATCHING, later)
    assert watch.call.status == CallStatus.MONITORING
    (letter,) = told()
    assert later.strftime("%-d %B %Y") in letter.body


@pytest.mark.parametrize(
    ("outcome", "findings", "review_on", "message"),
    [
        ("improved", "", None, "Say what the panel found"),
        ("extend", "Better.", "2001-01-01", "after today"),
        ("extend", "Better.", "soon", "as a date"),
        ("vanish", "Better.", None, "Choose what happens next"),
    ],
)
def test_an_outcome_without_what_it_needs_is_refused(
    watch, staff, outcome, findings, review_on, message
):
    with pytest.raises(TransitionNotAllowed, match=message):
        pipeline.monitoring_conclude(
            monitoring=watch,
            outcome=outcome,
            findings=findings,
            review_on=review_on,
            user=staff["officer"],
        )
    watch.refresh_from_db()
    assert watch.status == MonitoringStatus.WATCHING


@pytest.mark.parametrize("role", ["panel", "manager", "comms"])
def test_officers_record_the_outcome(watch, staff, role):
    with pytest.raises(PermissionDenied):
        pipeline.monitoring_conclude(
            monitoring=watch, outcome="improved", findings="Fine.", user=staff[role]
        )


def test_an_outcome_waits_for_an_appeal_against_the_decision(staff):
    call, decision = decided_call(
        staff, outcome_details={"outcome": "monitoring", "watching": "Repairs."}
    )
    submit_appeal(call)
    with pytest.raises(TransitionNotAllowed, match="has an appeal waiting"):
        pipeline.monitoring_conclude(
            monitoring=decision.monitoring,
            outcome="improved",
            findings="Fine.",
            user=staff["officer"],
        )


def test_an_upheld_appeal_ends_the_watch(staff):
    call, decision = decided_call(
        staff, outcome_details={"outcome": "monitoring", "watching": "Repairs."}
    )
    appeal = submit_appeal(call)
    pipeline.appeal_convene(appeal=appeal, members=eligible_members(4), user=staff["officer"])
    pipeline.appeal_decide(
        appeal=appeal,
        outcome="upheld",
        direction="accept",
        reasons="Monitoring was not enough.",
        user=staff["officer"],
    )
    decision.monitoring.refresh_from_db()
    assert decision.monitoring.status == MonitoringStatus.ENDED_BY_APPEAL
    call.refresh_from_db()
    assert call.status == CallStatus.ACCEPTED
