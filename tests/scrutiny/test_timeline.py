"""Issue 18: one timeline per record, the History area found by reference, first history rows."""

import pytest
from django.urls import reverse, reverse_lazy

from scrutiny import pipeline, timeline
from scrutiny.models import ScoringCriterion
from tests.conftest import PASSWORD, admin_refusal
from tests.scrutiny.builders import decide, make_call
from tests.scrutiny.test_scoring import matrix_edit_post

pytestmark = pytest.mark.django_db

INDEX = "scrutiny_history:index"


def call_inspect(call) -> str:
    return reverse("wagtailsnippets_scrutiny_callforscrutiny:inspect", args=(call.pk,))


def named(user, first: str, last: str):
    user.first_name, user.last_name = first, last
    user.save()
    return user


def decided_call(staff):
    """A call triaged, assigned and sent on by Olu Ade, on which Priya Shah's panel decided."""
    officer = named(staff["officer"], "Olu", "Ade")
    named(staff["panel"], "Priya", "Shah")
    call = make_call()
    pipeline.call_move(call=call, transition="start_triage", user=officer)
    pipeline.call_assign(call=call, officer=officer, user=officer)
    call = pipeline.call_move(call=call, transition="send_to_panel", user=officer)
    decide(call, outcome="accepted", user=staff["panel"])
    call.refresh_from_db()
    return call


def said(entries):
    return [
        (entry.who, entry.action, [(c.label, c.old, c.new) for c in entry.changes])
        for entry in entries
    ]


def test_a_calls_page_shows_one_timeline_each_change_once_by_name_in_plain_words(client, staff):
    call = decided_call(staff)
    client.login(username="manager", password=PASSWORD)
    response = client.get(call_inspect(call))
    assert response.status_code == 200
    shown = said(response.context["timeline"])
    assert shown == [
        ("Priya Shah", "Panel decision recorded", [("Status", "Awaiting panel", "Accepted")]),
        ("Olu Ade", "Moved to a new stage", [("Status", "Triage", "Awaiting panel")]),
        ("Olu Ade", "Assigned to Olu Ade", [("Assigned officer", "—", "Olu Ade")]),
        ("Olu Ade", "Moved to a new stage", [("Status", "Submitted", "Triage")]),
        ("The resident, on the public form", "Submitted by the resident", []),
    ]
    page = response.content.decode()
    # One history on the page, no Wagtail bookkeeping, no usernames.
    assert 'id="call-log"' not in page
    for bookkeeping in ("Published", "Workflow started", "a new Wagtail revision only"):
        assert bookkeeping not in page
    assert "Assigned to an officer: officer" not in page
    assert page.count("Panel decision recorded") == 1


def test_one_entry_per_status_change(staff):
    call = decided_call(staff)
    entries = timeline.record_timeline(call, user=staff["manager"])
    status_changes = [c for e in entries for c in e.changes if c.label == "Status"]
    assert len(status_changes) == 3
    assert len({(e.when, e.action) for e in entries}) == len(entries)


def test_the_timeline_hides_residents_details_from_the_panel(client, staff):
    call = make_call()
    call.email = "new.address@example.org"
    call._history_user = named(staff["officer"], "Olu", "Ade")
    call.save()
    client.login(username="panel", password=PASSWORD)
    response = client.get(call_inspect(call))
    assert said(response.context["timeline"])[0] == (
        "Olu Ade",
        "Changed",
        [("Email", "hidden", "hidden")],
    )
    assert "new.address" not in response.content.decode()


def test_the_history_area_shows_a_records_timeline(client, staff):
    call = decided_call(staff)
    client.login(username="manager", password=PASSWORD)
    response = client.get(reverse("scrutiny_history:record", args=("call", call.pk)))
    assert response.status_code == 200
    actions = [entry.action for entry in response.context["entries"]]
    assert actions == [
        "Panel decision recorded",
        "Moved to a new stage",
        "Assigned to Olu Ade",
        "Moved to a new stage",
        "Submitted by the resident",
    ]
    assert "Published" not in response.content.decode()


def test_the_history_area_finds_a_call_by_its_reference(client, staff):
    call = decided_call(staff)
    make_call()
    client.login(username="manager", password=PASSWORD)
    response = client.get(reverse(INDEX), {"record": call.reference.lower()})
    assert response.status_code == 200
    assert not response.context["form"].errors
    entries = response.context["entries"]
    assert {entry.record_title for entry in entries} == {call.reference}
    assert entries[0].action == "Panel decision recorded"
    assert call.reference in response.content.decode()


def test_the_history_area_finds_an_appeal_by_its_reference(client, staff):
    from tests.scrutiny.appeal_builders import decided_call as not_accepted_call
    from tests.scrutiny.appeal_builders import submit_appeal

    call, _decision = not_accepted_call(staff)
    appeal = submit_appeal(call)
    client.login(username="officer", password=PASSWORD)
    response = client.get(reverse(INDEX), {"record": appeal.reference})
    assert response.status_code == 200
    assert {entry.record_title for entry in response.context["entries"]} == {appeal.reference}


def test_a_reference_that_matches_nothing_is_said_plainly(client, staff):
    make_call()
    client.login(username="manager", password=PASSWORD)
    response = client.get(reverse(INDEX), {"record": "CCS-2026-9999"})
    assert response.status_code == 200
    assert "No record has the reference “CCS-2026-9999”." in response.content.decode()
    assert "A record number is a whole number" not in response.content.decode()


def test_records_made_by_data_migrations_have_a_first_history_row(staff):
    for criterion in ScoringCriterion.objects.all():
        first = criterion.history.order_by("history_date", "history_id").first()
        assert first is not None and first.history_type == "+"


def test_a_superusers_change_of_a_scoring_weight_appears_in_the_history_area(client, staff):
    named(staff["admin"], "Ada", "Admin")
    criterion = ScoringCriterion.objects.get(name="Performance against target")
    old_weight = f"{criterion.weight.normalize():f}"
    client.login(username="admin", password=PASSWORD)
    response = client.post(
        reverse("wagtailsnippets_scrutiny_scoringcriterion:edit", args=[criterion.pk]),
        matrix_edit_post(criterion, weight="5"),
    )
    assert response.status_code == 302

    client.login(username="manager", password=PASSWORD)
    response = client.get(reverse("scrutiny_history:record", args=("criterion", criterion.pk)))
    said_by_ada = said(e for e in response.context["entries"] if e.who == "Ada Admin")
    assert ("Ada Admin", "Changed", [("Weight", old_weight, "5")]) in said_by_ada
    listing = client.get(reverse(INDEX), {"kind": "criterion"})
    assert any(
        entry.who == "Ada Admin" and any(c.label == "Weight" for c in entry.changes)
        for entry in listing.context["entries"]
    )


@pytest.mark.parametrize("username", ["officer", "panel", "manager", "admin"])
def test_the_calls_workflow_history_opens_for_those_who_may_see_the_call(client, staff, username):
    call = decided_call(staff)
    client.login(username=username, password=PASSWORD)
    name = "wagtailsnippets_scrutiny_callforscrutiny:workflow_history"
    response = client.get(reverse(name, args=(call.pk,)))
    assert response.status_code == 200
    state = call.workflow_states.first()
    detail = client.get(reverse(f"{name}_detail", args=(call.pk, state.pk)))
    assert detail.status_code == 200


@pytest.mark.parametrize("username", ["comms", "appeal"])
def test_the_calls_workflow_history_is_refused_as_the_admin_refuses(client, staff, username):
    call = decided_call(staff)
    client.login(username=username, password=PASSWORD)
    name = "wagtailsnippets_scrutiny_callforscrutiny:workflow_history"
    response = client.get(reverse(name, args=(call.pk,)))
    assert admin_refusal(response)
    followed = client.get(reverse(name, args=(call.pk,)), follow=True)
    assert "Sorry, you do not have permission to access this area." in followed.content.decode()


@pytest.mark.parametrize(
    "address",
    [
        reverse_lazy("scrutiny_history:index"),
        reverse_lazy("scrutiny_outcomes:index"),
        reverse_lazy("scrutiny_programme:index"),
        reverse_lazy("scrutiny_reviews:index"),
    ],
)
def test_refusals_in_the_admins_own_screens_are_admin_pages(client, staff, address):
    client.login(username="appeal", password=PASSWORD)
    response = client.get(address)
    assert admin_refusal(response), response.status_code
    page = client.get(address, follow=True).content.decode()
    assert "Sorry, you do not have permission to access this area." in page
