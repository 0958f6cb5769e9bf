"""Appeals in the admin: officers convene and record; appeal panel members see only their own."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.timezone import localtime

from scrutiny import pipeline, roles
from scrutiny.models import AppealStatus, CallStatus
from tests.conftest import PASSWORD, make_user
from tests.scrutiny.appeal_builders import decided_call, eligible_members, submit_appeal

pytestmark = pytest.mark.django_db

GROUNDS = "The panel did not see my letters from the Ombudsman."
OTHER_GROUNDS = "Nobody from the panel visited the estate."


def url(name, *args):
    return reverse(f"wagtailsnippets_scrutiny_appeal:{name}", args=args)


@pytest.fixture
def two_appeals(staff):
    """An appeal heard by the 'appeal' user and readers, and another they do not sit on."""
    call, _ = decided_call(staff)
    pdf = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    mine = submit_appeal(call, grounds=GROUNDS, evidence=[pdf])
    readers = eligible_members(3)
    readers[0].involvement_groups.get().members.add(staff["appeal"])
    pipeline.appeal_convene(appeal=mine, members=[staff["appeal"], *readers], user=staff["officer"])
    other_call, _ = decided_call(staff, email="lee@example.org", name="Lee Grant")
    other = submit_appeal(other_call, grounds=OTHER_GROUNDS)
    pipeline.appeal_convene(
        appeal=other, members=eligible_members(4, "clerk"), user=staff["officer"]
    )
    return mine, other


def login(client, username):
    assert client.login(username=username, password=PASSWORD)


def test_the_appeal_panel_group_may_view_appeals_only(staff):
    group = Group.objects.get(name=roles.APPEAL_PANEL)
    names = set(group.permissions.values_list("codename", flat=True))
    assert names == {"access_admin", "view_appeal"}


def test_an_appeal_panel_member_lists_only_the_appeals_they_sit_on(client, staff, two_appeals):
    mine, other = two_appeals
    login(client, "appeal")
    page = client.get(url("list")).content.decode()
    assert mine.reference in page
    assert other.reference not in page


def test_an_appeal_panel_member_sees_their_appeal_without_contact_details(
    client, staff, two_appeals
):
    mine, _ = two_appeals
    login(client, "appeal")
    response = client.get(url("inspect", mine.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert GROUNDS in page
    assert mine.call.concerns in page
    assert mine.decision.reasons in page
    assert "letter.pdf" in page
    assert mine.call.email not in page
    assert mine.call.name not in page
    assert "Convene the appeal panel" not in page
    evidence = mine.evidence.get()
    download = client.get(url("evidence", mine.pk, "appeal", evidence.pk))
    assert download.status_code == 200


def test_an_appeal_panel_member_cannot_open_another_appeal_by_url(client, staff, two_appeals):
    _, other = two_appeals
    login(client, "appeal")
    for address in [
        url("inspect", other.pk),
        url("history", other.pk),
        url("history_results", other.pk),
    ]:
        response = client.get(address)
        assert response.status_code in (302, 403)
        assert OTHER_GROUNDS not in response.content.decode()
        followed = client.get(address, follow=True).content.decode()
        assert OTHER_GROUNDS not in followed
        assert other.call.reference not in followed
    response = client.get(url("evidence", other.pk, "call", 1))
    assert response.status_code == 403
    response = client.post(url("convene", other.pk), {"members": []})
    assert response.status_code in (302, 403)
    other.refresh_from_db()
    assert other.panel.count() == 4


def test_an_appeal_panel_member_cannot_act_on_their_own_appeal(client, staff, two_appeals):
    mine, _ = two_appeals
    login(client, "appeal")
    client.post(
        url("decide", mine.pk),
        {"outcome": "upheld", "direction": "accept", "reasons": "x", "confirm": "yes"},
    )
    mine.refresh_from_db()
    assert mine.status == AppealStatus.PANEL_CONVENED


@pytest.mark.parametrize("role", ["comms", "panel"])
def test_others_see_no_appeals(client, staff, two_appeals, role):
    mine, _ = two_appeals
    login(client, role)
    response = client.get(url("inspect", mine.pk), follow=True)
    assert GROUNDS not in response.content.decode()


def test_a_manager_sees_every_appeal_and_contact_details_but_no_actions(client, staff, two_appeals):
    mine, other = two_appeals
    login(client, "manager")
    page = client.get(url("list")).content.decode()
    assert mine.reference in page and other.reference in page
    assert "scrutiny-tag--" in page and " ago<" not in page
    received = localtime(mine.received_at)
    assert f"{received.day} {received:%b %Y}" in page
    page = client.get(url("inspect", mine.pk)).content.decode()
    assert mine.call.email in page
    assert "Record the appeal panel" not in page


def test_an_officer_convenes_with_each_refusal_named(client, staff):
    call, _ = decided_call(staff)
    appeal = submit_appeal(call)
    sam = make_user("sam", group=roles.PANEL, first_name="Sam", last_name="Shah")
    readers = eligible_members(4)
    login(client, "officer")
    page = client.get(url("inspect", appeal.pk)).content.decode()
    assert "Convene the appeal panel" in page
    for reader in readers:
        assert f'value="{reader.pk}"' in page
    assert f'value="{sam.pk}"' not in page
    response = client.post(
        url("convene", appeal.pk), {"members": [sam.pk, readers[0].pk]}, follow=True
    )
    page = response.content.decode()
    assert "Sam Shah sits on the scrutiny panel." in page
    assert "needs at least 4 members" in page
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.RECEIVED
    # The refused form keeps what was chosen.
    ticked = re.findall(r'<input[^>]*value="(\d+)"[^>]*checked', page)
    assert ticked == [str(readers[0].pk)]
    response = client.post(
        url("convene", appeal.pk), {"members": [r.pk for r in readers[:3]]}, follow=True
    )
    ticked = re.findall(r'<input[^>]*value="(\d+)"[^>]*checked', response.content.decode())
    assert sorted(ticked) == sorted(str(r.pk) for r in readers[:3])
    response = client.post(
        url("convene", appeal.pk), {"members": [reader.pk for reader in readers]}, follow=True
    )
    assert "is convened" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PANEL_CONVENED


def test_an_officer_records_the_decision_on_the_panels_behalf(client, staff, two_appeals):
    mine, _ = two_appeals
    login(client, "officer")
    decision = {"outcome": "upheld", "direction": "return_to_panel", "reasons": "Look again."}
    # First the confirmation, naming what will be recorded; nothing changes yet.
    response = client.post(url("decide", mine.pk), decision)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This decision is final and cannot be undone." in page
    assert "Upheld" in page and "Look again." in page
    mine.refresh_from_db()
    assert mine.status == AppealStatus.PANEL_CONVENED
    response = client.post(url("decide", mine.pk), {**decision, "confirm": "yes"}, follow=True)
    assert "upheld: final" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == AppealStatus.DECIDED
    mine.call.refresh_from_db()
    assert mine.call.status == CallStatus.AWAITING_PANEL
    page = client.get(url("inspect", mine.pk)).content.decode()
    assert "on the appeal panel&#x27;s behalf" in page or "on the appeal panel's behalf" in page
    assert "Record the appeal panel" not in page
    history = client.get(url("history", mine.pk))
    assert history.status_code == 200
    assert "Appeal decided" in history.content.decode()


def test_there_is_no_add_or_edit_in_the_admin(client, staff):
    login(client, "officer")
    assert client.get("/admin/snippets/scrutiny/appeal/add/").status_code == 404
    assert client.get("/admin/snippets/scrutiny/appeal/edit/1/").status_code == 404


def test_officers_manage_involvement_groups(client, staff):
    login(client, "officer")
    response = client.post(
        reverse("wagtailsnippets_scrutiny_involvementgroup:add"),
        {"name": "Estate inspectors", "description": "Walk the estates.", "members": []},
    )
    assert response.status_code == 302
    login(client, "appeal")
    response = client.get(reverse("wagtailsnippets_scrutiny_involvementgroup:list"))
    assert response.status_code == 302
