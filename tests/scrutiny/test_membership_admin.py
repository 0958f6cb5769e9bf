"""Applications, members and expense claims in the admin, checked through real requests."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from scrutiny import pipeline, roles
from scrutiny.models import ExpenseClaim, PanelApplication
from tests.conftest import PASSWORD, admin_refusal
from tests.scrutiny.membership_builders import (
    at,
    make_application,
    make_meeting,
    make_member,
    receipt,
)

pytestmark = pytest.mark.django_db


def url(model: str, name: str, *args) -> str:
    return reverse(f"wagtailsnippets_scrutiny_{model}:{name}", args=args)


def login(client, user) -> None:
    assert client.login(username=user.username, password=PASSWORD)


def text(response) -> str:
    return response.content.decode()


def test_an_officer_lists_and_opens_applications(client, staff):
    application = make_application()
    login(client, staff["officer"])
    listing = client.get(url("panelapplication", "list"))
    assert listing.status_code == 200
    assert "Sam Okafor" in text(listing)
    page = client.get(url("panelapplication", "inspect", application.pk))
    assert page.status_code == 200
    assert "I want repairs done right first time." in text(page)
    assert ">Shortlist<" in text(page)


@pytest.mark.parametrize("role", ["comms", "manager", "appeal"])
def test_comms_managers_and_the_appeal_panel_cannot_see_applications(client, staff, role):
    application = make_application()
    login(client, staff[role])
    for response in [
        client.get(url("panelapplication", "list")),
        client.get(url("panelapplication", "inspect", application.pk)),
    ]:
        assert response.status_code in {302, 403}
        assert "Sam Okafor" not in text(response)
    response = client.post(url("panelapplication", "move", application.pk), {"stage": "declined"})
    # Wagtail answers a refused admin action with a redirect to the dashboard.
    assert response.status_code in {302, 403}
    assert response.get("Location") != url("panelapplication", "inspect", application.pk)
    application.refresh_from_db()
    assert application.stage == "received"


def test_the_panel_cannot_see_applications_either(client, staff):
    application = make_application()
    login(client, staff["panel"])
    response = client.get(url("panelapplication", "inspect", application.pk))
    assert response.status_code in {302, 403}


def test_an_officer_moves_and_appoints_through_the_admin(client, staff):
    application = make_application()
    login(client, staff["officer"])
    for stage in ["shortlisted", "interviewed"]:
        client.post(url("panelapplication", "move", application.pk), {"stage": stage, "note": "ok"})
    application.refresh_from_db()
    assert application.stage == "interviewed"
    response = client.post(
        url("panelapplication", "appoint", application.pk),
        {"role": "member", "started_on": "2026-01-05"},
    )
    application.refresh_from_db()
    assert application.stage == "appointed"
    assert response["Location"] == url("panelmember", "inspect", application.member.pk)
    again = client.post(
        url("panelapplication", "appoint", application.pk),
        {"role": "member", "started_on": "2026-01-05"},
        follow=True,
    )
    assert "application was already appointed by" in text(again)
    assert get_user_model().objects.filter(email="sam.okafor@example.org").count() == 1


def test_an_officer_sees_a_members_commitments(client, staff):
    member = make_member(user=staff["panel"])
    make_meeting(at(2025, 9, 10), attendees=[member.user])
    login(client, staff["officer"])
    response = client.get(url("panelmember", "inspect", member.pk) + "?year=2025")
    page = text(response)
    assert response.status_code == 200
    assert "Commitments, financial year 2025/26" in page
    assert "Formal meetings" in page
    assert "Below target" in page


def test_the_dashboard_lists_members_below_target(client, staff):
    member = make_member(user=staff["panel"])
    login(client, staff["officer"])
    page = text(client.get(reverse("wagtailadmin_home")))
    assert "Panel members below their commitments" in page
    assert str(member) in page
    assert "left" in page


def test_the_dashboard_panel_is_not_shown_to_the_panel(client, staff):
    make_member(user=staff["panel"])
    login(client, staff["panel"])
    assert "Panel members below their commitments" not in text(
        client.get(reverse("wagtailadmin_home"))
    )


# Expense claims.


def claim_for(user, description="Bus to the away day") -> ExpenseClaim:
    return pipeline.expense_submit(
        user=user,
        spent_on=date(2026, 5, 1),
        description=description,
        amount=Decimal("7.40"),
        receipt=receipt(),
    )


def test_a_member_submits_a_claim_in_the_admin(client, staff):
    make_member(user=staff["panel"])
    login(client, staff["panel"])
    assert client.get(url("expenseclaim", "add")).status_code == 200
    response = client.post(
        url("expenseclaim", "add"),
        {
            "spent_on": "2026-05-01",
            "description": "Childcare during the formal meeting",
            "amount": "20.00",
            "receipt": receipt(),
        },
    )
    claim = ExpenseClaim.objects.get()
    assert response["Location"] == url("expenseclaim", "inspect", claim.pk)
    assert claim.member.user == staff["panel"]


def test_a_claim_without_a_receipt_is_refused_with_a_message(client, staff):
    make_member(user=staff["panel"])
    login(client, staff["panel"])
    response = client.post(
        url("expenseclaim", "add"),
        {"spent_on": "2026-05-01", "description": "Taxi", "amount": "20.00"},
    )
    assert response.status_code == 200
    assert "Attach the receipt" in text(response)
    assert not ExpenseClaim.objects.exists()


def test_a_negative_claim_is_refused_with_a_message(client, staff):
    make_member(user=staff["panel"])
    login(client, staff["panel"])
    response = client.post(
        url("expenseclaim", "add"),
        {
            "spent_on": "2026-05-01",
            "description": "Taxi",
            "amount": "-20.00",
            "receipt": receipt(),
        },
    )
    assert "The amount must be more than £0" in text(response)
    assert not ExpenseClaim.objects.exists()


def test_a_member_sees_only_their_own_claims(client, staff):
    make_member(user=staff["panel"])
    other = make_member("other")
    mine = claim_for(staff["panel"], "My bus fare")
    theirs = claim_for(other.user, "Their taxi fare")
    login(client, staff["panel"])
    listing = text(client.get(url("expenseclaim", "list")))
    assert "My bus fare" in listing
    assert "Their taxi fare" not in listing
    assert client.get(url("expenseclaim", "inspect", mine.pk)).status_code == 200
    assert client.get(url("expenseclaim", "inspect", theirs.pk)).status_code == 404
    assert client.get(url("expenseclaim", "history", theirs.pk)).status_code == 404
    assert client.get(url("expenseclaim", "receipt", mine.pk)).status_code == 200
    assert client.get(url("expenseclaim", "receipt", theirs.pk)).status_code == 403


def test_a_member_cannot_approve_their_claim(client, staff):
    make_member(user=staff["panel"])
    claim = claim_for(staff["panel"])
    login(client, staff["panel"])
    response = client.post(url("expenseclaim", "decide", claim.pk), {"decision": "approve"})
    assert admin_refusal(response)
    claim.refresh_from_db()
    assert claim.status == "submitted"


def test_an_officer_approves_and_rejects_claims(client, staff):
    make_member(user=staff["panel"])
    first, second = claim_for(staff["panel"], "One"), claim_for(staff["panel"], "Two")
    login(client, staff["officer"])
    listing = text(client.get(url("expenseclaim", "list")))
    assert "One" in listing and "Two" in listing
    client.post(url("expenseclaim", "decide", first.pk), {"decision": "approve"})
    response = client.post(
        url("expenseclaim", "decide", second.pk), {"decision": "reject"}, follow=True
    )
    assert "Give the reason for rejecting the claim." in text(response)
    client.post(
        url("expenseclaim", "decide", second.pk), {"decision": "reject", "reason": "Duplicate"}
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("approved", "rejected")
    assert second.rejection_reason == "Duplicate"


def test_the_yearly_csv_is_for_officers(client, staff):
    make_member(user=staff["panel"])
    claim = claim_for(staff["panel"])
    pipeline.expense_decide(claim=claim, user=staff["officer"], approve=True)
    login(client, staff["officer"])
    response = client.get(url("expenseclaim", "payments_csv", 2026))
    assert response.status_code == 200
    lines = text(response).splitlines()
    assert lines[0] == "Member,Username,Payment choice,Payment,Expenses,Total"
    assert "panel,panel,Paid,2500.00,7.40,2507.40" in lines
    login(client, staff["panel"])
    assert client.get(url("expenseclaim", "payments_csv", 2026)).status_code == 403


@pytest.mark.parametrize("role", ["comms", "manager", "appeal"])
def test_other_staff_see_no_claims(client, staff, role):
    make_member(user=staff["panel"])
    claim = claim_for(staff["panel"])
    login(client, staff[role])
    assert client.get(url("expenseclaim", "list")).status_code in {302, 403}
    assert client.get(url("expenseclaim", "receipt", claim.pk)).status_code == 403


def test_the_groups_hold_the_membership_permissions(db):
    from django.contrib.auth.models import Group

    officers = Group.objects.get(name=roles.OFFICERS)
    panel = Group.objects.get(name=roles.PANEL)
    assert officers.permissions.filter(codename="change_panelapplication").exists()
    assert officers.permissions.filter(codename="change_expenseclaim").exists()
    assert panel.permissions.filter(codename="add_expenseclaim").exists()
    assert not panel.permissions.filter(codename="view_panelapplication").exists()
    assert not PanelApplication.objects.exists()
