"""Applications moving through their stages, appointment, commitments and expense claims."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from wagtail.models import ModelLogEntry

from scrutiny import pipeline, roles, selectors
from scrutiny.financial_years import financial_year_of
from scrutiny.models import ExpenseClaim, MeetingKind, MeetingStatus
from tests.scrutiny.membership_builders import (
    at,
    make_application,
    make_interviewed,
    make_meeting,
    make_member,
    receipt,
)
from tests.scrutiny.review_builders import make_programme, make_review, make_year, take_part

pytestmark = pytest.mark.django_db


def log_actions(instance) -> list[str]:
    return list(
        ModelLogEntry.objects.for_instance(instance).order_by("pk").values_list("action", flat=True)
    )


def test_an_application_moves_through_its_stages_with_history(staff):
    application = make_application()
    application = pipeline.application_move(
        application=application, stage="shortlisted", user=staff["officer"], note="Strong."
    )
    assert application.stage == "shortlisted"
    assert "Strong." in application.notes
    assert log_actions(application) == ["scrutiny.application.submit", "scrutiny.application.move"]
    latest = application.history.first()
    assert latest.stage == "shortlisted"
    assert latest.history_user == staff["officer"]


def test_an_application_cannot_skip_a_stage(staff):
    application = make_application()
    with pytest.raises(pipeline.TransitionNotAllowed):
        pipeline.application_move(
            application=application, stage="interviewed", user=staff["officer"]
        )


def test_a_declined_application_goes_nowhere(staff):
    application = make_application()
    pipeline.application_move(application=application, stage="declined", user=staff["officer"])
    with pytest.raises(pipeline.TransitionNotAllowed):
        pipeline.application_move(
            application=application, stage="shortlisted", user=staff["officer"]
        )


@pytest.mark.parametrize("role", ["panel", "comms", "manager", "appeal"])
def test_only_officers_move_applications(staff, role):
    application = make_application()
    with pytest.raises(PermissionDenied):
        pipeline.application_move(application=application, stage="shortlisted", user=staff[role])


def test_appointment_makes_one_account_in_the_panel_group(
    staff, django_capture_on_commit_callbacks
):
    application = make_interviewed(staff["officer"])
    User = get_user_model()
    before = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        member = pipeline.application_appoint(
            application=application, user=staff["officer"], role="chair"
        )
    assert User.objects.count() == before + 1
    account = member.user
    assert list(account.groups.values_list("name", flat=True)) == [roles.PANEL]
    assert account.email == "sam.okafor@example.org"
    assert not account.has_usable_password()
    assert member.role == "chair"
    assert member.payment_choice == "paid"
    application.refresh_from_db()
    assert application.stage == "appointed"
    assert application.member == member
    assert "scrutiny.application.appoint" in log_actions(application)
    [welcome] = mail.outbox
    assert welcome.to == ["sam.okafor@example.org"]
    assert "/admin/password_reset/" in welcome.body
    assert account.get_username() in welcome.body


def test_the_welcome_link_lets_the_member_set_a_password(
    client, staff, django_capture_on_commit_callbacks
):
    application = make_interviewed(staff["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        member = pipeline.application_appoint(application=application, user=staff["officer"])
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/admin/password_reset/" in line
    )
    response = client.get(link.replace("http://testserver", ""), follow=True)
    assert response.status_code == 200
    assert b"new_password1" in response.content
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "a-long-new-pass-9876", "new_password2": "a-long-new-pass-9876"},
    )
    member.user.refresh_from_db()
    assert member.user.check_password("a-long-new-pass-9876")


def test_a_second_appointment_is_refused(staff):
    application = make_interviewed(staff["officer"])
    pipeline.application_appoint(application=application, user=staff["officer"])
    User = get_user_model()
    before = User.objects.count()
    with pytest.raises(pipeline.TransitionNotAllowed):
        pipeline.application_appoint(application=application, user=staff["officer"])
    assert User.objects.count() == before


def test_only_an_interviewed_applicant_is_appointed(staff):
    application = make_application()
    with pytest.raises(pipeline.TransitionNotAllowed):
        pipeline.application_appoint(application=application, user=staff["officer"])


def test_the_panel_cannot_appoint(staff):
    application = make_interviewed(staff["officer"])
    with pytest.raises(PermissionDenied):
        pipeline.application_appoint(application=application, user=staff["panel"])


# Commitments, on a known year of meetings: the financial year runs 1 April to 31 March.


@pytest.fixture
def known_year(staff, home_page):
    """Member attendance and review participation around the 2025/26 financial year."""
    member = make_member(user=staff["panel"])
    other = make_member("other")
    user = member.user
    programme = make_programme(home_page)
    earlier, year, later = (make_year(programme, y) for y in (2024, 2025, 2026))
    take_part(make_review(earlier, slug="old-review"), member)  # 2024/25
    take_part(make_review(year, slug="repairs"), member, role="lead")
    take_part(make_review(year, slug="complaints"), member, other)
    take_part(make_review(year, slug="lettings"), other)  # not theirs
    make_review(later, slug="next-year")  # 2026/27, nobody yet
    make_meeting(at(2025, 3, 31, 18), attendees=[user])  # 2024/25
    make_meeting(at(2025, 4, 1, 10), attendees=[user])  # first day of 2025/26
    make_meeting(at(2025, 9, 10), attendees=[user, other.user])
    make_meeting(at(2025, 11, 12), attendees=[other.user])
    make_meeting(at(2025, 6, 7, 9), kind=MeetingKind.AWAY_DAY, attendees=[user])
    make_meeting(at(2025, 10, 4, 9), kind=MeetingKind.BOARD_AWAY_DAY, attendees=[user])
    make_meeting(at(2025, 7, 1), kind=MeetingKind.REVIEW_SESSION, attendees=[user])
    make_meeting(at(2025, 8, 1), kind=MeetingKind.REVIEW_SESSION, attendees=[user])
    # Sessions count as days given, not as reviews: reviews are counted by participation.
    make_meeting(at(2025, 9, 1), kind=MeetingKind.REVIEW_SESSION, attendees=[user])
    make_meeting(
        at(2026, 1, 14), attendees=[user], status=MeetingStatus.CANCELLED
    )  # cancelled: does not count
    make_meeting(at(2026, 3, 31, 18), attendees=[user])  # last day of 2025/26
    make_meeting(at(2026, 4, 1, 10), attendees=[user])  # 2026/27
    return member


def test_financial_years_turn_on_the_first_of_april():
    assert financial_year_of(date(2026, 3, 31)) == 2025
    assert financial_year_of(date(2026, 4, 1)) == 2026


def test_commitments_count_attendance_in_the_financial_year(known_year):
    commitments = selectors.member_commitments(known_year, year=2025)
    done = {item.label: (item.done, item.target, item.met) for item in commitments.items}
    assert done == {
        "Formal meetings": (3, 3, True),
        "Scrutiny reviews": (2, 3, False),
        "Away days": (1, 2, False),
        "Whole board away days": (1, 1, True),
    }
    # 3 formal and 3 review sessions at half a day, 2 away days at a full day.
    assert commitments.days.done == Decimal("5")
    assert commitments.days.target == 24
    assert [item.label for item in commitments.below_target] == ["Scrutiny reviews", "Away days"]


def test_the_years_either_side_count_only_their_own_meetings(known_year):
    before = selectors.member_commitments(known_year, year=2024)
    after = selectors.member_commitments(known_year, year=2026)
    assert before.items[0].done == 1
    assert after.items[0].done == 1
    assert selectors.member_review_count(known_year.user, 2025) == 2
    assert selectors.member_review_count(known_year.user, 2024) == 1
    assert selectors.member_review_count(known_year.user, 2026) == 0
    assert selectors.member_review_count(known_year.user, 2019) == 0


def test_the_minimums_come_from_the_settings(known_year):
    from scrutiny.models import ScrutinySettings

    config = ScrutinySettings.load()
    config.minimum_formal_meetings = 4
    config.save()
    commitments = selectors.member_commitments(known_year, year=2025)
    assert commitments.items[0].target == 4
    assert not commitments.items[0].met


def test_months_left_in_the_year():
    assert selectors.months_left_in_year(2025, today=date(2026, 1, 15)) == 3
    assert selectors.months_left_in_year(2025, today=date(2025, 4, 1)) == 12
    assert selectors.months_left_in_year(2025, today=date(2026, 4, 1)) == 0


# Expense claims.


def test_a_member_claims_expenses(staff):
    make_member(user=staff["panel"])
    claim = pipeline.expense_submit(
        user=staff["panel"],
        spent_on=date(2025, 5, 1),
        description="Bus fares to the away day",
        amount=Decimal("7.40"),
        receipt=receipt(),
    )
    assert claim.status == "submitted"
    assert claim.receipt_name == "receipt.pdf"
    assert log_actions(claim) == ["scrutiny.expense.submit"]


def test_a_claim_without_a_receipt_is_refused(staff):
    make_member(user=staff["panel"])
    with pytest.raises(pipeline.ExpenseRefused, match="Attach the receipt"):
        pipeline.expense_submit(
            user=staff["panel"],
            spent_on=date(2025, 5, 1),
            description="Taxi",
            amount=Decimal("12.00"),
            receipt=None,
        )
    assert not ExpenseClaim.objects.exists()


@pytest.mark.parametrize("amount", [Decimal("-5.00"), Decimal("0")])
def test_a_claim_of_a_negative_or_nothing_amount_is_refused(staff, amount):
    make_member(user=staff["panel"])
    with pytest.raises(pipeline.ExpenseRefused, match="more than £0"):
        pipeline.expense_submit(
            user=staff["panel"],
            spent_on=date(2025, 5, 1),
            description="Taxi",
            amount=amount,
            receipt=receipt(),
        )
    assert not ExpenseClaim.objects.exists()


def test_someone_who_is_not_a_member_cannot_claim(staff):
    with pytest.raises(PermissionDenied):
        pipeline.expense_submit(
            user=staff["officer"],
            spent_on=date(2025, 5, 1),
            description="Taxi",
            amount=Decimal("3"),
            receipt=receipt(),
        )


def make_claim(user, amount="10.00", spent_on=date(2025, 5, 1)) -> ExpenseClaim:
    return pipeline.expense_submit(
        user=user,
        spent_on=spent_on,
        description="Train to the board away day",
        amount=Decimal(amount),
        receipt=receipt(),
    )


def test_an_officer_approves_a_claim(staff):
    make_member(user=staff["panel"])
    claim = pipeline.expense_decide(
        claim=make_claim(staff["panel"]), user=staff["officer"], approve=True
    )
    assert claim.status == "approved"
    assert claim.decided_by == staff["officer"]
    assert log_actions(claim)[-1] == "scrutiny.expense.approve"
    with pytest.raises(pipeline.ExpenseRefused):
        pipeline.expense_decide(claim=claim, user=staff["officer"], approve=False, reason="No")


def test_a_rejection_needs_a_reason(staff):
    make_member(user=staff["panel"])
    claim = make_claim(staff["panel"])
    with pytest.raises(pipeline.ExpenseRefused, match="reason"):
        pipeline.expense_decide(claim=claim, user=staff["officer"], approve=False)
    claim = pipeline.expense_decide(
        claim=claim, user=staff["officer"], approve=False, reason="No receipt date."
    )
    assert claim.status == "rejected"
    assert claim.rejection_reason == "No receipt date."


def test_a_member_cannot_approve_claims(staff):
    make_member(user=staff["panel"])
    with pytest.raises(PermissionDenied):
        pipeline.expense_decide(claim=make_claim(staff["panel"]), user=staff["panel"], approve=True)


def test_payments_and_approved_expenses_per_member_in_a_year(staff):
    make_member(user=staff["panel"], payment_choice="paid")
    make_member("volunteer", payment_choice="voluntary")
    approved = make_claim(staff["panel"], "10.00")
    pipeline.expense_decide(claim=approved, user=staff["officer"], approve=True)
    make_claim(staff["panel"], "99.00")  # waiting: not counted
    last_year = make_claim(staff["panel"], "5.00", spent_on=date(2025, 3, 31))
    pipeline.expense_decide(claim=last_year, user=staff["officer"], approve=True)
    rows = {row["username"]: row for row in selectors.payments_and_expenses(2025)}
    assert rows["panel"]["payment"] == Decimal("2500.00")
    assert rows["panel"]["expenses"] == Decimal("10.00")
    assert rows["panel"]["total"] == Decimal("2510.00")
    assert rows["volunteer"]["payment"] == Decimal("0.00")
