"""Agendas: a call awaiting the panel goes to the next formal meeting, moved on cancellation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from scrutiny import pipeline
from scrutiny.models import MeetingKind, MeetingStatus, PanelMeeting
from tests.scrutiny.builders import make_call

pytestmark = pytest.mark.django_db


def meeting(days: int, kind=MeetingKind.FORMAL, status=MeetingStatus.SCHEDULED):
    return PanelMeeting.objects.create(
        starts_at=timezone.now() + timedelta(days=days), kind=kind, status=status
    )


def send_to_panel(staff):
    call = make_call()
    pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])
    call = pipeline.call_move(call=call, transition="send_to_panel", user=staff["officer"])
    call.refresh_from_db()
    return call


def test_the_agenda_picks_the_next_formal_meeting_skipping_others(staff):
    meeting(-3)  # already past
    meeting(2, kind=MeetingKind.AWAY_DAY)
    meeting(4, status=MeetingStatus.CANCELLED)
    expected = meeting(10)
    meeting(40)
    assert send_to_panel(staff).agenda_meeting == expected


def test_cancelling_a_meeting_moves_its_calls_to_the_next(staff):
    first, second = meeting(5), meeting(30)
    call = send_to_panel(staff)
    assert call.agenda_meeting == first
    moved = pipeline.meeting_cancel(meeting=first, user=staff["officer"])
    call.refresh_from_db()
    first.refresh_from_db()
    assert moved == 1
    assert first.status == MeetingStatus.CANCELLED
    assert call.agenda_meeting == second
    assert call.history.first().history_user == staff["officer"]


def test_a_call_waits_without_a_meeting_until_one_is_scheduled(staff):
    call = send_to_panel(staff)
    assert call.agenda_meeting is None
    scheduled = meeting(14)
    assert pipeline.agenda_refresh(user=staff["officer"]) == 1
    call.refresh_from_db()
    assert call.agenda_meeting == scheduled


def test_only_a_scheduled_meeting_can_be_cancelled(staff):
    held = meeting(-1, status=MeetingStatus.HELD)
    with pytest.raises(pipeline.TransitionNotAllowed):
        pipeline.meeting_cancel(meeting=held, user=staff["officer"])
