"""The public application to join the panel: eligibility, errors, protection, confirmation."""

import pytest
from django.core import mail
from wagtail.rich_text import RichText

from scrutiny import roles
from scrutiny.models import (
    EqualityMonitoring,
    IneligibleApplicationCount,
    JoinThePanelPage,
    PanelApplication,
    ScrutinySettings,
)
from tests.conftest import make_home_page, make_user

pytestmark = pytest.mark.django_db

FORM_URL = "/join-the-panel/"
CONFIRMATION_URL = "/join-the-panel/confirmation/"


def make_join_page(**overrides) -> JoinThePanelPage:
    """A home page with the live join-the-panel page at /join-the-panel/ under it."""
    home = make_home_page()
    fields = {
        "title": "Join the panel",
        "slug": "join-the-panel",
        "privacy_notice": RichText("<p>We keep applications for 12 months.</p>"),
    } | overrides
    return home.add_child(instance=JoinThePanelPage(**fields))


def valid_answers(**overrides) -> dict:
    """A complete, eligible application."""
    return {
        "tenure": "tenant",
        "legal_action": "no",
        "money_order": "no",
        "legal_dispute": "no",
        "name": "Sam Okafor",
        "email": "sam.okafor@example.org",
        "phone": "",
        "postcode": "pc1 1aa",
        "why_join": "I want repairs to be done right first time.",
        "skills": ["analysis", "it"],
        "skills_more": "I chair my residents' association.",
        "availability": "Weekday evenings",
        "payment_choice": "voluntary",
        "adjustments": "",
        "age_band": "",
        "gender": "",
        "ethnicity": "",
        "disability": "",
        "privacy_agreed": "on",
        "website": "",
    } | overrides


@pytest.fixture
def join_page(db) -> JoinThePanelPage:
    return make_join_page()


def text(response) -> str:
    return response.content.decode()


def test_the_page_shows_commitments_and_payment_from_the_settings(client, join_page):
    config = ScrutinySettings.load()
    config.minimum_formal_meetings = 4
    config.member_payment = "3000.00"
    config.save()
    page = text(client.get(FORM_URL))
    assert "at least 4 formal meetings a year" in page
    assert "at least 3 scrutiny reviews a year" in page
    assert "2 away days a year" in page
    assert "1 whole board away day a year" in page
    assert "about 24 days a year" in page
    assert "£3,000 a year" in page
    assert "volunteer without payment" in page


@pytest.mark.parametrize(
    ("question", "answer", "said"),
    [
        ("tenure", "other", "not a tenant, leaseholder or shared owner"),
        ("legal_action", "yes", "started legal action against you or someone in your household"),
        ("money_order", "yes", "court order to recover money"),
        ("legal_dispute", "yes", "legal dispute with us"),
    ],
)
def test_each_exclusion_is_told_kindly_and_nothing_personal_is_kept(
    client, join_page, question, answer, said, django_capture_on_commit_callbacks
):
    answers = valid_answers(**{question: answer, "age_band": "25 to 34"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FORM_URL, answers)
    assert response.status_code == 200
    page = text(response)
    assert "We cannot accept your application" in page
    assert said in page
    assert "If you think this is wrong" in page
    assert ScrutinySettings.load().contact_email in page
    assert not PanelApplication.objects.exists()
    assert not PanelApplication.history.exists()
    assert not EqualityMonitoring.objects.exists()
    assert mail.outbox == []
    assert IneligibleApplicationCount.objects.get().count == 1


def test_an_exclusion_is_told_even_when_other_answers_are_missing(client, join_page):
    response = client.post(FORM_URL, {"tenure": "tenant", "legal_dispute": "yes"})
    assert "We cannot accept your application" in text(response)
    assert not PanelApplication.objects.exists()


def test_an_eligible_application_is_stored_and_acknowledged(
    client, join_page, django_capture_on_commit_callbacks
):
    make_user("officer", group=roles.OFFICERS)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FORM_URL, valid_answers())
    assert response.status_code == 302
    assert response["Location"] == CONFIRMATION_URL
    application = PanelApplication.objects.get()
    assert application.name == "Sam Okafor"
    assert application.postcode == "PC1 1AA"
    assert application.skills == ["analysis", "it"]
    assert application.payment_choice == "voluntary"
    assert application.stage == "received"
    assert not IneligibleApplicationCount.objects.exists()
    by_recipient = {tuple(message.to): message for message in mail.outbox}
    assert len(mail.outbox) == 2
    assert "We have received your application" in by_recipient[("sam.okafor@example.org",)].subject
    officer_email = by_recipient[("officer@example.org",)]
    assert "/admin/snippets/scrutiny/panelapplication/inspect/" in officer_email.body
    assert "Sam Okafor" not in officer_email.subject
    confirmation = text(client.get(CONFIRMATION_URL))
    assert "Application sent" in confirmation
    assert "sam.okafor@example.org" in confirmation


def test_equality_answers_are_kept_apart_with_only_the_year(client, join_page):
    client.post(FORM_URL, valid_answers(age_band="45 to 54", ethnicity="Black British"))
    monitoring = EqualityMonitoring.objects.get()
    assert monitoring.age_band == "45 to 54"
    assert monitoring.ethnicity == "Black British"
    names = {field.name for field in EqualityMonitoring._meta.get_fields()}
    assert names == {"id", "financial_year", "age_band", "gender", "ethnicity", "disability"}


def test_no_equality_answers_store_no_monitoring_row(client, join_page):
    client.post(FORM_URL, valid_answers())
    assert PanelApplication.objects.count() == 1
    assert not EqualityMonitoring.objects.exists()


def test_missing_answers_are_listed_at_the_top_and_nothing_is_kept(client, join_page):
    response = client.post(FORM_URL, {"website": ""})
    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Select whether you are a tenant, leaseholder or shared owner" in page
    assert "Select yes if we have started legal action" in page
    assert 'href="#id_tenure_0"' in page
    assert "Enter your full name" in page
    assert "Tell us why you want to join the panel" in page
    assert "Select whether you would like to be paid or to volunteer" in page
    assert "Confirm that you agree to the privacy notice" in page
    assert page.count("<title>Error:") == 1
    assert not PanelApplication.objects.exists()
    assert not IneligibleApplicationCount.objects.exists()


def test_the_honeypot_keeps_nothing(client, join_page):
    response = client.post(FORM_URL, valid_answers(website="http://spam.example"))
    assert response.status_code == 400
    assert not PanelApplication.objects.exists()


def test_too_many_applications_from_one_address_are_refused(client, join_page):
    config = ScrutinySettings.load()
    config.form_submissions_per_hour = 2
    config.save()
    for _ in range(2):
        client.post(FORM_URL, valid_answers(name=""))
    response = client.post(FORM_URL, valid_answers())
    assert response.status_code == 429
    assert not PanelApplication.objects.exists()


def test_the_confirmation_is_only_for_the_browser_that_applied(client, join_page):
    response = client.get(CONFIRMATION_URL)
    assert response.status_code == 302
    assert response["Location"] == FORM_URL


# "Check if you can apply" comes before the application (issue 19).

CHECK = {"step": "check", "tenure": "tenant", "legal_action": "no", "money_order": "no"}


def test_the_page_asks_only_whether_you_can_apply_first(client, join_page):
    page = text(client.get(FORM_URL))
    assert "Check if you can apply" in page
    assert 'name="tenure"' in page
    assert "Full name" not in page
    assert "Send your application" not in page


def test_an_eligible_check_shows_the_application_with_the_answers_carried(client, join_page):
    from scrutiny.models import FormAttempts

    page = text(client.post(FORM_URL, CHECK | {"legal_dispute": "no"}))
    assert "You can apply" in page
    assert "Full name" in page
    assert '<input type="hidden" name="tenure" value="tenant">' in page
    assert '<input type="hidden" name="legal_dispute" value="no">' in page
    assert not FormAttempts.objects.exists()  # checking costs no attempt
    # Sending the application from there works as it always has.
    response = client.post(FORM_URL, valid_answers())
    assert response.status_code == 302
    assert PanelApplication.objects.count() == 1


def test_a_check_that_rules_you_out_says_why_and_keeps_only_a_count(client, join_page):
    page = text(client.post(FORM_URL, CHECK | {"legal_dispute": "yes"}))
    assert "You told us you are in a legal dispute with us." in page
    assert "Full name" not in page
    assert IneligibleApplicationCount.objects.get().count == 1
    assert not PanelApplication.objects.exists()


def test_a_check_with_an_unanswered_question_says_which(client, join_page):
    page = text(client.post(FORM_URL, {"step": "check", "tenure": "tenant"}))
    assert "There is a problem" in page
    assert "Select yes if we have a court order to recover money from you" in page
    assert "Full name" not in page
    assert not IneligibleApplicationCount.objects.exists()


def test_an_application_missing_its_eligibility_answers_asks_them_again(client, join_page):
    answers = valid_answers()
    del answers["legal_dispute"]
    page = text(client.post(FORM_URL, answers))
    assert "Select yes if you are in a legal dispute with us" in page
    assert "Can you apply?" in page
    assert not PanelApplication.objects.exists()
