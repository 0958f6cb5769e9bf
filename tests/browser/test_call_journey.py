"""A resident raises a call in a real browser, recovers from a mistake, and tracks the call."""

import re

import pytest

from scrutiny import roles
from scrutiny.models import CallForScrutiny
from tests.browser.conftest import follow, screenshots_at_both_widths
from tests.conftest import make_business_area, make_user
from tests.scrutiny.test_call_form import make_call_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def call_form(db):
    from django.core.cache import cache

    cache.clear()
    make_call_page(
        introduction="<p>Tell the panel about a service that is letting residents down.</p>",
        guidance="<p>Have any letters or emails about the problem ready.</p>",
    )
    make_business_area()
    make_user("officer", group=roles.OFFICERS)
    yield "/call-for-scrutiny/"
    cache.clear()


def answer_everything_but_the_name(page) -> None:
    page.fill("#id_email", "jo.bloggs@example.org")
    page.fill("#id_address", "1 Larch Row\nPinetown")
    page.fill("#id_postcode", "pc1 1aa")
    page.get_by_label("I rent it from you (tenant)").check()
    page.select_option("#id_business_area", label="Repairs and maintenance")
    page.fill("#id_concerns", "Repairs take months to be done.")
    page.fill("#id_actions_taken", "I phoned the repairs line three times.")
    page.get_by_label("Stage 2 of the complaints procedure").check()
    page.check("#id_complaint_finished_1")
    page.fill("#id_service_failures", "Missed appointments and no reply to letters.")
    page.check("#id_others_affected_0")
    page.fill("#id_others_affected_why", "Everyone in the block has the same boiler.")
    page.fill("#id_households_affected", "24")
    page.check("#id_support_requested_1")
    page.get_by_label("I have read the privacy notice").check()


def test_a_resident_raises_a_call_corrects_a_mistake_and_tracks_it(live_server, page, call_form):
    page.goto(live_server.url + call_form)
    assert page.title().startswith("Raise a Community Call for Scrutiny")
    screenshots_at_both_widths(page, "call-form")

    answer_everything_but_the_name(page)
    follow(page, page.get_by_role("button", name="Send your call"))

    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert page.title().startswith("Error: ")
    assert summary.get_by_role("heading").inner_text() == "There is a problem"
    assert page.locator("#id_name-error").text_content() == "Error: Enter your name"
    assert page.input_value("#id_concerns") == "Repairs take months to be done."
    assert page.locator("#id_complaint_finished_1").is_checked()
    assert CallForScrutiny.objects.count() == 0
    screenshots_at_both_widths(page, "call-form-errors")

    summary.get_by_role("link", name="Enter your name").click()
    assert page.evaluate("document.activeElement.id") == "id_name"
    page.keyboard.type("Jo Bloggs")
    follow(page, page.get_by_role("button", name="Send your call"))

    assert page.url == live_server.url + call_form + "confirmation/"
    reference = page.locator(".panel-confirmation__reference").inner_text()
    assert re.fullmatch(r"CCS-\d{4}-\d{4}", reference)
    call = CallForScrutiny.objects.get()
    assert call.reference == reference
    assert call.name == "Jo Bloggs"
    assert page.get_by_text("Your complaint could still go further").is_visible()
    code = page.locator(".panel-confirmation__code").inner_text()
    assert code == f"{call.access_code[:5]}-{call.access_code[5:]}"
    screenshots_at_both_widths(page, "call-confirmation")

    follow(page, page.get_by_role("link", name="track it later"))
    assert page.url == live_server.url + call_form + "track/"
    screenshots_at_both_widths(page, "call-tracking-form")
    page.get_by_label("Your call reference").fill(reference)
    page.get_by_label("No access code?").fill("PC1 1AA")
    follow(page, page.get_by_role("button", name="Find your call"))
    assert (
        page.get_by_text("With an officer").is_visible()
        or page.get_by_text("Received", exact=True).is_visible()
    )
    assert page.get_by_text("We have received your call").count() == 0

    follow(page, page.get_by_role("link", name="Enter your access code"))
    page.get_by_label("Your call reference").fill(reference)
    page.get_by_label("Access code", exact=True).fill(code)
    follow(page, page.get_by_role("button", name="Find your call"))

    assert page.get_by_text("We have received your call").is_visible()
    assert reference in page.locator(".summary-list").inner_text()
    assert "Jo Bloggs" not in page.content()
    screenshots_at_both_widths(page, "call-tracking")


FOLLOW_UPS = {
    "#id_complaint_reference": ("complaint_stage", "stage_1"),
    "#id_others_affected_why": ("others_affected", "yes"),
    "#id_households_affected": ("others_affected", "yes"),
    "#id_support_contact": ("support_requested", "yes"),
}


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_follow_up_questions_show_when_their_answer_asks_for_them(
    browser, live_server, call_form, javascript
):
    """Issue 19: "follow-up questions revealed by their answer (progressive enhancement: they
    still work and validate without JavaScript)"."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(live_server.url + call_form)
    for selector in FOLLOW_UPS:
        assert page.locator(selector).is_visible() is not javascript, selector
    for selector, (name, value) in FOLLOW_UPS.items():
        page.locator(f'input[name="{name}"][value="{value}"]').check()
        assert page.locator(selector).is_visible(), selector
    page.locator('input[name="others_affected"][value="no"]').check()
    assert page.locator("#id_others_affected_why").is_visible() is not javascript
    screenshots_at_both_widths(page, "call-form-follow-ups-" + ("js" if javascript else "no-js"))

    # A follow-up left unanswered is explained on the page and stays in view.
    page.locator('input[name="others_affected"][value="yes"]').check()
    follow(page, page.get_by_role("button", name="Send your call"))
    assert page.locator("#id_others_affected_why-error").is_visible()
    assert page.locator("#id_others_affected_why").is_visible()
    assert CallForScrutiny.objects.count() == 0
    context.close()
