"""The panel takes its decision in the admin: on the call's page, or through Wagtail moderation."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from scrutiny import pipeline
from scrutiny.models import CallStatus, MeetingKind, PanelDecision, PanelMeeting
from tests.conftest import PASSWORD
from tests.scrutiny.builders import backdate_arrival, make_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(db):
    return PanelMeeting.objects.create(
        starts_at=timezone.now() + timedelta(days=5), kind=MeetingKind.FORMAL
    )


@pytest.fixture
def waiting_call(staff, meeting):
    call = make_call()
    pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])
    return pipeline.call_move(call=call, transition="send_to_panel", user=staff["officer"])


@pytest.fixture
def held(waiting_call, meeting):
    """The agenda meeting has taken place since the call reached the panel."""
    backdate_arrival(waiting_call, days=3)
    PanelMeeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(days=1))
    meeting.refresh_from_db()
    return meeting


def decide_url(call, outcome):
    return reverse("wagtailsnippets_scrutiny_callforscrutiny:decide", args=[call.pk, outcome])


def inspect_url(call):
    return reverse("wagtailsnippets_scrutiny_callforscrutiny:inspect", args=[call.pk])


def choice_url(call):
    return reverse("wagtailsnippets_scrutiny_callforscrutiny:decide_choice", args=[call.pk])


def decision_form_html(page: str) -> str:
    """The decision form on a call's page, from its opening tag to its end."""
    start = page.index('id="call-decision"')
    return page[page.rindex("<form", 0, start) : page.index("</form>", start)]


def test_a_panel_member_chooses_a_decision_then_records_it(client, staff, waiting_call, held):
    meeting = held
    client.login(username="panel", password=PASSWORD)
    page = client.get(inspect_url(waiting_call)).content.decode()
    assert "On the agenda of" in page
    form = decision_form_html(page)
    assert f'action="{choice_url(waiting_call)}"' in form
    chosen = client.get(choice_url(waiting_call), {"outcome": "serious_failure"})
    assert chosen.status_code == 302
    assert chosen["Location"] == decide_url(waiting_call, "serious_failure")
    form = client.get(decide_url(waiting_call, "serious_failure"))
    html = form.content.decode()
    assert form.status_code == 200 and "Immediate recommendations" in html
    assert f'<option value="{meeting.pk}" selected>' in html
    response = client.post(
        decide_url(waiting_call, "serious_failure"),
        {
            "meeting": str(meeting.pk),
            "reasons": "Doors broken for months.",
            "immediate_recommendations": "Repair the doors within a week.",
        },
    )
    assert response.status_code == 302
    waiting_call.refresh_from_db()
    assert waiting_call.status == CallStatus.SERIOUS_FAILURE
    page = client.get(inspect_url(waiting_call)).content.decode()
    assert "Repair the doors within a week." in page


def test_the_calls_content_comes_before_the_decisions(client, staff, meeting):
    call = make_call(
        others_affected=True,
        others_affected_why="The whole of Larch Court has the same damp.",
        evidence=[SimpleUploadedFile("mould photo.txt", b"evidence bytes", "text/plain")],
    )
    pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])
    pipeline.call_move(call=call, transition="send_to_panel", user=staff["officer"])
    client.login(username="panel", password=PASSWORD)
    page = client.get(inspect_url(call)).content.decode()
    decisions = page.index('id="call-decision"')
    for content in [
        "Damp and mould in the bathroom keeps coming back after repairs.",  # concerns
        "Reported it to the repairs line three times.",  # what was tried
        "Contractors painted over the mould instead of fixing ventilation.",  # failures
        "The whole of Larch Court has the same damp.",  # who else is affected
        'id="call-petition-section"',
        "mould photo.txt",  # evidence
    ]:
        assert page.index(content) < decisions, f"{content!r} comes after the decisions"


def test_the_four_decisions_are_equal_choices_with_one_button(client, staff, waiting_call):
    client.login(username="panel", password=PASSWORD)
    form = decision_form_html(client.get(inspect_url(waiting_call)).content.decode())
    radios = re.findall(r'<input type="radio" name="outcome" value="(\w+)"[^>]*>', form)
    assert radios == ["not_accepted", "monitoring", "accepted", "serious_failure"]
    for value, label in [
        ("not_accepted", "Not accepted yet"),
        ("monitoring", "Refer for monitoring"),
        ("accepted", "Accept"),
        ("serious_failure", "Serious failure"),
    ]:
        assert f'<label for="id_outcome_{value}">{label}</label>' in form
    assert "checked" not in form, "no decision is chosen in advance"
    wrappers = re.findall(r'<div class="(scrutiny-decision__choice(?: [^"]*)?)"', form)
    assert wrappers == ["scrutiny-decision__choice"] * 4, "each choice is styled alike"
    buttons = re.findall(r"<(?:button|a)\b[^>]*>.*?</(?:button|a)>", form, re.S)
    assert len(buttons) == 1 and "Continue" in buttons[0]


def test_continuing_without_a_choice_says_so(client, staff, waiting_call):
    client.login(username="panel", password=PASSWORD)
    response = client.get(choice_url(waiting_call), follow=True)
    assert response.redirect_chain[-1][0] == inspect_url(waiting_call) + "#call-decision"
    assert "Choose one of the panel&#x27;s four decisions" in response.content.decode()
    assert not PanelDecision.objects.exists()


def test_the_labels_say_who_reads_what(client, staff, waiting_call, held):
    client.login(username="panel", password=PASSWORD)
    page_html = client.get(decide_url(waiting_call, "not_accepted")).content.decode()
    dialog_html = client.get(
        workflow_action_url(waiting_call, "not_accepted"),
        headers={"x-requested-with": "XMLHttpRequest"},
    ).json()["html"]
    for html in (page_html, dialog_html):
        assert "Reasons the resident will read" in html
        assert "word for word" in html
        assert "Category for reporting" in html
        assert "The panel&#x27;s reasons" not in html and "The panel's reasons" not in html


def test_missing_reasons_are_shown_on_the_form_and_nothing_is_saved(client, staff, waiting_call):
    client.login(username="panel", password=PASSWORD)
    response = client.post(decide_url(waiting_call, "not_accepted"), {"reasons": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Give the panel&#x27;s reasons." in html or "Give the panel's reasons." in html
    assert "Choose a category." in html
    assert not PanelDecision.objects.exists()


@pytest.mark.parametrize("role", ["officer", "manager"])
def test_others_cannot_decide(client, staff, waiting_call, role):
    client.login(username=role, password=PASSWORD)
    assert (
        decide_url(waiting_call, "accepted")
        not in client.get(inspect_url(waiting_call)).content.decode()
    )
    response = client.post(decide_url(waiting_call, "accepted"), {"reasons": "Yes"})
    assert response.status_code in {302, 403}
    waiting_call.refresh_from_db()
    assert waiting_call.status == CallStatus.AWAITING_PANEL


def test_no_decision_form_for_a_call_not_awaiting_the_panel(client, staff):
    call = make_call()
    client.login(username="panel", password=PASSWORD)
    response = client.get(decide_url(call, "accepted"), follow=True)
    html = response.content.decode()
    assert f"{call.reference} is submitted, not awaiting the panel" in html
    assert not PanelDecision.objects.exists()


def workflow_action_url(call, outcome):
    return reverse(
        "wagtailsnippets_scrutiny_callforscrutiny:workflow_action",
        args=[call.pk, outcome, call.current_workflow_task_state.pk],
    )


def test_the_wagtail_moderation_action_records_the_decision(client, staff, waiting_call, held):
    url = workflow_action_url(waiting_call, "monitoring")
    client.login(username="panel", password=PASSWORD)
    response = client.post(
        url,
        {
            "meeting": str(held.pk),
            "reasons": "We will watch this.",
            "watching": "Repairs on time.",
            "review_on": (timezone.localdate() + timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == inspect_url(waiting_call)
    waiting_call.refresh_from_db()
    assert waiting_call.status == CallStatus.MONITORING
    page = client.get(inspect_url(waiting_call)).content.decode()
    assert (
        f"Decision recorded on {waiting_call.reference} (Repairs and maintenance): "
        f"referred for monitoring, at {held}." in page
    )


def test_the_call_page_confirms_the_call_and_the_decision(client, staff, waiting_call, held):
    client.login(username="panel", password=PASSWORD)
    response = client.post(
        decide_url(waiting_call, "accepted"),
        {"meeting": str(held.pk), "reasons": "A pattern of failure."},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == inspect_url(waiting_call)
    assert (
        f"Decision recorded on {waiting_call.reference} (Repairs and maintenance): accepted, "
        f"at {held}. The resident is emailed the decision" in response.content.decode()
    )


def test_the_dialog_names_the_call_it_decides(client, staff, waiting_call, held):
    client.login(username="panel", password=PASSWORD)
    url = workflow_action_url(waiting_call, "accepted")
    dialog = client.get(url, headers={"x-requested-with": "XMLHttpRequest"}).json()["html"]
    heading = dialog[dialog.index("<h1") : dialog.index("</h1>")]
    assert "Accept" in heading
    assert f"{waiting_call.reference}: Repairs and maintenance" in heading
    assert dialog.index("Damp and mould in the bathroom") < dialog.index("<form")


def test_the_moderation_dialog_offers_only_held_meetings(client, staff, waiting_call, held):
    future = PanelMeeting.objects.create(
        starts_at=timezone.now() + timedelta(days=30), kind=MeetingKind.FORMAL
    )
    client.login(username="panel", password=PASSWORD)
    url = workflow_action_url(waiting_call, "accepted")
    dialog = client.get(url, headers={"x-requested-with": "XMLHttpRequest"}).json()["html"]
    assert f'value="{held.pk}" selected' in dialog
    assert f'value="{future.pk}"' not in dialog
    refused = client.post(
        url,
        {"meeting": str(future.pk), "reasons": "Yes."},
        headers={"x-requested-with": "XMLHttpRequest"},
    ).json()
    assert refused["step"] == "action"
    assert "Choose one of the meetings listed" in refused["html"]
    assert not PanelDecision.objects.exists()


def test_a_decision_sent_twice_is_a_message_naming_who_decided(client, staff, waiting_call, held):
    url = workflow_action_url(waiting_call, "accepted")
    client.login(username="panel", password=PASSWORD)
    answers = {"meeting": str(held.pk), "reasons": "A pattern of failure."}
    first = client.post(url, answers, headers={"x-requested-with": "XMLHttpRequest"})
    assert first.json()["step"] == "success"
    second = client.post(decide_url(waiting_call, "not_accepted"), answers, follow=True)
    assert second.status_code == 200
    assert "was already decided by panel at" in second.content.decode()
    # The dialog sent again: the same message on the call's page, never an error.
    stale = client.post(url, answers, headers={"x-requested-with": "XMLHttpRequest"})
    assert stale.json() == {"step": "success", "redirect": inspect_url(waiting_call)}
    page = client.get(inspect_url(waiting_call)).content.decode()
    assert "was already decided by panel at" in page
    assert PanelDecision.objects.count() == 1


def test_a_future_meeting_is_refused_on_the_call_page(client, staff, waiting_call, meeting):
    client.login(username="panel", password=PASSWORD)
    response = client.post(
        decide_url(waiting_call, "accepted"), {"meeting": str(meeting.pk), "reasons": "Yes."}
    )
    assert response.status_code == 200
    assert "Choose one of the meetings listed" in response.content.decode()
    assert not PanelDecision.objects.exists()


def test_the_dashboard_shows_calls_awaiting_the_panel_members_review(client, staff, waiting_call):
    client.login(username="panel", password=PASSWORD)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert waiting_call.reference in html


def test_overdue_calls_are_flagged_in_the_list_and_on_the_dashboard(client, staff, waiting_call):
    type(waiting_call).objects.filter(pk=waiting_call.pk).update(
        awaiting_panel_since=timezone.now() - timedelta(days=90)
    )
    client.login(username="officer", password=PASSWORD)
    listing = client.get(reverse("wagtailsnippets_scrutiny_callforscrutiny:list")).content.decode()
    assert "Overdue" in listing
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Calls overdue for a panel decision" in dashboard
    filtered = client.get(
        reverse("wagtailsnippets_scrutiny_callforscrutiny:list") + "?overdue=true"
    ).content.decode()
    assert waiting_call.reference in filtered
