"""Panel meetings in the admin: the listing, the agenda, printing it, cancelling and scheduling."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from scrutiny import pipeline
from scrutiny.models import (
    MeetingKind,
    MeetingStatus,
    NotAcceptedReason,
    PanelMeeting,
    ScrutinySettings,
)
from tests.conftest import PASSWORD
from tests.scrutiny.builders import decide, held_meeting_for, make_call

pytestmark = pytest.mark.django_db

NAMESPACE = "wagtailsnippets_scrutiny_panelmeeting"


def url(name: str, *args) -> str:
    return reverse(f"{NAMESPACE}:{name}", args=args)


def login(client, user) -> None:
    assert client.login(username=user.username, password=PASSWORD)


def text(response) -> str:
    return response.content.decode()


def meeting(days: int, **fields) -> PanelMeeting:
    return PanelMeeting.objects.create(starts_at=timezone.now() + timedelta(days=days), **fields)


def awaiting_panel(staff, **overrides):
    """A call sent to the panel by an officer, as the pipeline does it."""
    call = make_call(**overrides)
    pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])
    pipeline.call_move(call=call, transition="send_to_panel", user=staff["officer"])
    call.refresh_from_db()
    return call


@pytest.fixture
def agenda(staff):
    """A formal meeting next week with one call on its agenda, and another meeting after it."""
    first = meeting(
        7, place="Community room, Pine Court", agenda_notes="Apologies\n\nAny other business"
    )
    second = meeting(35, title="Spring meeting")
    call = awaiting_panel(
        staff,
        name="Aisha Khan",
        email="aisha.khan@example.org",
        phone="07700 900123",
        postcode="LS1 1AA",
        households_affected=40,
    )
    assert call.agenda_meeting == first
    return first, second, call


def test_an_officer_sees_the_meetings_with_the_number_of_calls(client, staff, agenda):
    first, second, _ = agenda
    login(client, staff["officer"])
    response = client.get(url("list"))
    assert response.status_code == 200
    body = text(response)
    assert "Spring meeting" in body
    assert "Community room, Pine Court" in body
    assert "Calls on the agenda" in body
    rows = {row.pk: row.agenda_count for row in response.context["object_list"]}
    assert rows == {first.pk: 1, second.pk: 0}


def test_the_list_filters_by_kind_and_status(client, staff, agenda):
    meeting(3, kind=MeetingKind.AWAY_DAY, title="Away day at the lake")
    login(client, staff["officer"])
    response = client.get(url("list"), {"kind": MeetingKind.AWAY_DAY})
    assert [m.title for m in response.context["object_list"]] == ["Away day at the lake"]
    response = client.get(url("list"), {"status": MeetingStatus.CANCELLED})
    assert list(response.context["object_list"]) == []


def test_the_agenda_shows_the_call_but_not_the_resident(client, staff, agenda):
    first, _, call = agenda
    login(client, staff["officer"])
    response = client.get(url("inspect", first.pk))
    assert response.status_code == 200
    body = text(response)
    assert call.reference in body
    assert "Damp and mould" in body
    assert "Any other business" in body
    for private in ["Aisha Khan", "aisha.khan@example.org", "07700 900123", "LS1 1AA"]:
        assert private not in body
    assert "Cancel meeting" in body and "Mark as held" in body


def test_the_printed_agenda_names_the_panel_but_not_the_resident(client, staff, agenda):
    first, _, call = agenda
    config = ScrutinySettings.load()
    config.panel_name = "Residents' Scrutiny Panel"
    config.save()
    login(client, staff["panel"])
    response = client.get(url("agenda", first.pk))
    assert response.status_code == 200
    body = text(response)
    assert "Residents&#x27; Scrutiny Panel" in body
    assert config.organisation_name in body
    assert call.reference in body
    assert "Community room, Pine Court" in body
    assert "@media print" in body
    for private in ["Aisha Khan", "aisha.khan@example.org", "07700 900123", "LS1 1AA"]:
        assert private not in body


def test_staff_outside_the_process_cannot_print_an_agenda(client, staff, agenda):
    login(client, staff["comms"])
    assert client.get(url("agenda", agenda[0].pk)).status_code == 403


def test_cancelling_moves_the_calls_to_the_next_meeting(client, staff, agenda):
    first, second, call = agenda
    login(client, staff["officer"])
    response = client.post(url("cancel", first.pk), follow=True)
    assert response.status_code == 200
    first.refresh_from_db()
    call.refresh_from_db()
    assert first.status == MeetingStatus.CANCELLED
    assert call.agenda_meeting == second
    assert f"1 call moved to {second}" in text(response)


def test_the_actions_refuse_a_get(client, staff, agenda):
    first = agenda[0]
    login(client, staff["officer"])
    assert client.get(url("cancel", first.pk)).status_code == 405
    assert client.get(url("held", first.pk)).status_code == 405
    first.refresh_from_db()
    assert first.status == MeetingStatus.SCHEDULED


def test_a_panel_member_sees_the_meeting_but_cannot_cancel_it(client, staff, agenda):
    first, _, call = agenda
    login(client, staff["panel"])
    response = client.get(url("inspect", first.pk))
    assert response.status_code == 200
    assert call.reference in text(response)
    assert "Cancel meeting" not in text(response)
    response = client.post(url("cancel", first.pk), follow=True)
    assert response.status_code == 200
    assert "Only scrutiny officers may cancel meetings." in text(response)
    first.refresh_from_db()
    call.refresh_from_db()
    assert first.status == MeetingStatus.SCHEDULED
    assert call.agenda_meeting == first


def test_cancelling_twice_is_a_message_not_an_error(client, staff, agenda):
    first = agenda[0]
    pipeline.meeting_cancel(meeting=first, user=staff["officer"])
    login(client, staff["officer"])
    response = client.post(url("cancel", first.pk), follow=True)
    assert response.status_code == 200
    assert "was already cancelled by" in text(response)


def test_an_officer_marks_a_meeting_held_once_it_has_started(client, staff, agenda):
    first = agenda[0]
    login(client, staff["officer"])
    response = client.post(url("held", first.pk), follow=True)
    assert "once it has started" in text(response)
    first.refresh_from_db()
    assert first.status == MeetingStatus.SCHEDULED
    PanelMeeting.objects.filter(pk=first.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    response = client.post(url("held", first.pk), follow=True)
    assert "is recorded as held" in text(response)
    first.refresh_from_db()
    assert first.status == MeetingStatus.HELD


def test_scheduling_a_meeting_in_the_admin_puts_a_waiting_call_on_its_agenda(client, staff):
    call = awaiting_panel(staff)
    assert call.agenda_meeting is None
    login(client, staff["officer"])
    starts = timezone.localtime(timezone.now() + timedelta(days=10))
    response = client.post(
        url("add"),
        {
            "title": "Summer meeting",
            "kind": MeetingKind.FORMAL,
            "starts_at": starts.strftime("%Y-%m-%d %H:%M"),
            "place": "Town hall",
            "online_link": "",
            "agenda_notes": "",
            "minutes": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    created = PanelMeeting.objects.get(title="Summer meeting")
    assert created.status == MeetingStatus.SCHEDULED
    call.refresh_from_db()
    assert call.agenda_meeting == created
    assert "now on the next formal meeting" in text(response)


def test_editing_a_meeting_keeps_its_status_and_refreshes_the_agenda(client, staff, agenda):
    first, second, call = agenda
    pipeline.meeting_cancel(meeting=first, user=staff["officer"])
    login(client, staff["officer"])
    earlier = timezone.localtime(timezone.now() + timedelta(days=20))
    response = client.post(
        url("edit", second.pk),
        {
            "title": "Spring meeting, brought forward",
            "kind": MeetingKind.FORMAL,
            "starts_at": earlier.strftime("%Y-%m-%d %H:%M"),
            "place": "",
            "online_link": "",
            "agenda_notes": "",
            "minutes": "",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == MeetingStatus.CANCELLED
    assert second.status == MeetingStatus.SCHEDULED
    assert second.title == "Spring meeting, brought forward"


def test_a_meeting_that_decided_keeps_its_time_and_kind(client, staff):
    call = awaiting_panel(staff)
    held = held_meeting_for(call, title="Autumn meeting")
    decide(call, outcome="accepted", user=staff["panel"], meeting=held)
    login(client, staff["officer"])
    later = timezone.localtime(timezone.now() + timedelta(days=3))
    fields = {
        "title": "Autumn meeting",
        "kind": MeetingKind.AWAY_DAY,
        "starts_at": later.strftime("%Y-%m-%d %H:%M"),
        "place": "",
        "online_link": "",
        "agenda_notes": "",
        "minutes": "The panel accepted one call.",
    }
    response = client.post(url("edit", held.pk), fields)
    assert response.status_code == 200
    assert "its date and time stay as they are on the record" in text(response)
    assert "so it stays formal" in text(response)
    stored = PanelMeeting.objects.get(pk=held.pk)
    assert (stored.starts_at, stored.kind, stored.minutes) == (held.starts_at, held.kind, "")

    # The minutes may still be written.
    fields |= {
        "kind": MeetingKind.FORMAL,
        "starts_at": timezone.localtime(held.starts_at).strftime("%Y-%m-%d %H:%M"),
    }
    assert client.post(url("edit", held.pk), fields).status_code == 302
    assert PanelMeeting.objects.get(pk=held.pk).minutes == "The panel accepted one call."


def test_the_reasons_are_listed_in_their_order(client, staff):
    NotAcceptedReason.objects.create(code="later", label="Second reason", sort_order=2)
    NotAcceptedReason.objects.create(code="first", label="First reason", sort_order=1)
    login(client, staff["officer"])
    response = client.get(reverse("wagtailsnippets_scrutiny_notacceptedreason:list"))
    assert response.status_code == 200
    body = text(response)
    assert body.index("First reason") < body.index("Second reason")
