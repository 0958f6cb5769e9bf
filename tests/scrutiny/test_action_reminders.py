"""The daily reminders to owners of actions: once per item per stage, restarted by a new due
date, never for finished actions, with serious-failure actions in the same monitoring."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_q.models import Schedule

from scrutiny import pipeline, tasks
from scrutiny.models import ActionItem, Recommendation, ScrutinySettings, SentEmail
from tests.scrutiny.action_plan_builders import make_reported_review
from tests.scrutiny.builders import decide, make_call

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def plan(staff, home_page):
    review = make_reported_review(home_page, recommendations=1, title="Review of damp and mould")
    rec = Recommendation.objects.get(page=review)
    pipeline.recommendation_respond(
        recommendation=rec, decision="accepted", reasons="Agreed.", user=staff["manager"]
    )
    return review, rec


def add(rec, staff, *, due: int, action="Fit extractor fans in 40 homes"):
    return pipeline.action_add(
        recommendation=rec, action=action, due_on=days(due), user=staff["manager"]
    )


def test_the_stages(staff):
    today = timezone.localdate()

    def stage(offset):
        return pipeline.action_reminder_stage(
            due_on=today + datetime.timedelta(days=offset),
            today=today,
            reminder_days=14,
            overdue_days=7,
        )

    assert stage(15) is None
    assert stage(14) == "due_soon"
    assert stage(0) == "due_soon"
    assert stage(-1) == "overdue"
    assert stage(-6) == "overdue"
    assert stage(-7) == "still_overdue"
    assert stage(-100) == "still_overdue"


def test_the_schedule_runs_daily():
    schedule = Schedule.objects.get(func="scrutiny.tasks.send_action_reminders")
    assert schedule.schedule_type == Schedule.DAILY
    assert schedule.repeats == -1


def test_due_soon_is_sent_once_and_a_second_run_sends_nothing(staff, plan):
    review, rec = plan
    add(rec, staff, due=10)
    add(rec, staff, due=30, action="Train the surveyors")  # outside the 14 days
    mail.outbox.clear()

    assert tasks.send_action_reminders() == 1
    assert tasks.send_action_reminders() == 0

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dana.price@example.org"]
    assert message.subject.startswith(f"Action due on {days(10):%-d %B %Y}")
    assert "Fit extractor fans in 40 homes" in message.subject
    body = message.body
    assert "Dear Dana Price" in body
    assert "due in 10 days" in body
    assert "Review: Review of damp and mould" in body
    assert "Recommendation: Recommendation 1: fix the ventilation first." in body
    assert f"http://testserver/admin/scrutiny/action-plans/review/{review.pk}/" in body
    html = message.alternatives[0][0]
    assert "Review of damp and mould" in html and f"/action-plans/review/{review.pk}/" in html


def test_overdue_then_still_overdue_each_once(staff, plan):
    _review, rec = plan
    item = add(rec, staff, due=-1)
    officer = staff["officer"]
    mail.outbox.clear()

    assert tasks.send_action_reminders() == 1
    assert mail.outbox[0].subject.startswith("Action overdue since")
    assert mail.outbox[0].to == ["dana.price@example.org"]
    assert "was due on" in mail.outbox[0].body

    # Seven days after the due date: "still overdue", to the owner and the officers.
    ActionItem.objects.filter(pk=item.pk).update(due_on=days(-7))
    SentEmail.objects.filter(key__startswith=f"action:{item.pk}:overdue:").update(
        key=f"action:{item.pk}:overdue:{days(-7).isoformat()}"
    )
    assert tasks.send_action_reminders() == 1
    assert tasks.send_action_reminders() == 0
    still = mail.outbox[1]
    assert still.subject.startswith("Action still overdue, 7 days after")
    assert still.to == ["dana.price@example.org", officer.email]
    assert "The scrutiny officers have been told." in still.body


def test_moving_the_due_date_starts_the_stages_again(staff, plan):
    _review, rec = plan
    item = add(rec, staff, due=5)
    tasks.send_action_reminders()
    mail.outbox.clear()

    pipeline.action_change(
        item=item,
        action=item.action,
        owner=item.owner,
        due_on=days(12),
        user=staff["officer"],
    )
    assert tasks.send_action_reminders() == 1
    assert tasks.send_action_reminders() == 0
    assert f"{days(12):%-d %B %Y}" in mail.outbox[0].subject


@pytest.mark.parametrize("status", ["done", "cancelled"])
def test_finished_actions_get_no_reminders(staff, plan, status):
    _review, rec = plan
    item = add(rec, staff, due=-3)
    pipeline.action_progress(item=item, status=status, note="Finished with.", user=staff["officer"])
    mail.outbox.clear()
    assert tasks.send_action_reminders() == 0
    assert mail.outbox == []


def test_a_serious_failure_action_is_reminded_too(staff, home_page):
    call = make_call()
    pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])
    pipeline.call_move(call=call, transition="send_to_panel", user=staff["officer"])
    decision = decide(
        call,
        outcome="serious_failure",
        user=staff["panel"],
        reasons="No heating.",
        immediate_recommendations="Restore heating within 48 hours.",
    )
    pipeline.action_add(
        decision=decision, action="Restore heating", due_on=days(2), user=staff["officer"]
    )
    mail.outbox.clear()
    assert tasks.send_action_reminders() == 1
    message = mail.outbox[0]
    assert message.to == ["dana.price@example.org"]
    assert call.reference in message.body
    assert "Restore heating within 48 hours." in message.body
    assert f"/admin/scrutiny/action-plans/decision/{decision.pk}/" in message.body


def test_the_reminder_window_comes_from_the_settings(staff, plan):
    _review, rec = plan
    config = ScrutinySettings.load()
    config.action_reminder_days = 3
    config.save()
    add(rec, staff, due=5)
    mail.outbox.clear()
    assert tasks.send_action_reminders() == 0
