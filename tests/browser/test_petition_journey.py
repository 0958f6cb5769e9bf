"""A resident finds a petition in a real browser, recovers from a mistake, signs and confirms."""

import re

import pytest
from django.core import mail

from scrutiny.models import PetitionSignature
from tests.browser.conftest import follow, screenshots_at_both_widths
from tests.conftest import make_user
from tests.scrutiny.test_petition_pages import make_petition_page, open_petition

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def petition(db):
    from django.core.cache import cache

    from scrutiny import roles

    cache.clear()
    make_petition_page()
    petition = open_petition({"officer": make_user("officer", group=roles.OFFICERS)})
    mail.outbox.clear()
    yield petition
    cache.clear()


def test_a_resident_signs_a_petition_corrects_a_mistake_and_confirms(live_server, page, petition):
    page.goto(live_server.url + "/petitions/")
    assert page.title().startswith("Petitions")
    assert page.get_by_text("0 of 10 signatures").is_visible()
    screenshots_at_both_widths(page, "petition-list")

    follow(page, page.get_by_role("link", name=petition.title))
    assert page.url == f"{live_server.url}/petitions/{petition.slug}/"
    assert page.get_by_role("heading", level=1).inner_text() == petition.title
    progress = page.get_by_role("progressbar")
    assert progress.get_attribute("aria-valuetext") == "0 of 10 signatures"
    screenshots_at_both_widths(page, "petition")

    page.get_by_label("Full name").fill("Sam Jones")
    page.get_by_label("Postcode").fill("pc1 1aa")
    page.get_by_label("Address (optional)").fill("4 Larch Court")
    page.get_by_label("I have read the privacy notice").check()
    follow(page, page.get_by_role("button", name="Sign this petition"))

    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert page.title().startswith("Error: ")
    assert page.locator("#id_email-error").text_content() == "Error: Enter your email address"
    assert page.input_value("#id_name") == "Sam Jones"
    assert not PetitionSignature.objects.exists()
    screenshots_at_both_widths(page, "petition-errors")

    summary.get_by_role("link", name="Enter your email address").click()
    assert page.evaluate("document.activeElement.id") == "id_email"
    page.keyboard.type("sam.jones@example.org")
    follow(page, page.get_by_role("button", name="Sign this petition"))

    assert page.url == f"{live_server.url}/petitions/{petition.slug}/signed/"
    assert page.get_by_role("heading", name="Check your email").is_visible()
    screenshots_at_both_widths(page, "petition-check-your-email")

    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/petitions/confirm/[\w-]+/)", mail.outbox[0].body)
    page.goto(live_server.url + link.group(1))
    follow(page, page.get_by_role("button", name="Confirm my signature"))
    assert page.get_by_text("Your signature is confirmed and counted.").is_visible()
    assert PetitionSignature.objects.get().confirmed_at is not None
    screenshots_at_both_widths(page, "petition-confirmed")

    follow(page, page.get_by_role("link", name="Back to the petition"))
    assert page.get_by_text("1 of 10 signatures").is_visible()
    assert page.get_by_role("progressbar").get_attribute("aria-valuenow") == "10"
