"""A resident appeals against the panel's decision in a real browser, after one mistake; a
neighbour with the reference and postcode cannot."""

import re

import pytest
from django.core import mail

from scrutiny.models import Appeal
from tests.browser.conftest import follow, screenshots_at_both_widths

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPEAL_URL = "/call-for-scrutiny/appeal/"


def test_a_resident_appeals_corrects_a_mistake_and_reads_the_acknowledgement(
    live_server, page, whole_site
):
    call = whole_site["appealable"]
    page.goto(live_server.url + APPEAL_URL)
    assert page.title().startswith("Appeal against the panel's decision")
    screenshots_at_both_widths(page, "appeal-form")

    page.get_by_label("Your call reference").fill(call.reference)
    page.get_by_label("Access code", exact=True).fill(call.access_code.lower())
    follow(page, page.get_by_role("button", name="Send your appeal"))

    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert page.title().startswith("Error: ")
    error = page.locator("#id_grounds-error").text_content()
    assert error == "Error: Tell us why you are appealing"
    assert page.input_value("#id_reference") == call.reference
    assert not Appeal.objects.exists()
    screenshots_at_both_widths(page, "appeal-form-errors")

    summary.get_by_role("link", name="Tell us why you are appealing").click()
    assert page.evaluate("document.activeElement.id") == "id_grounds"
    page.keyboard.type("The panel did not see the Ombudsman's letter of 3 March.")
    follow(page, page.get_by_role("button", name="Send your appeal"))

    assert page.url == live_server.url + APPEAL_URL + "sent/"
    assert page.get_by_role("heading", level=1).inner_text() == "Appeal sent"
    reference = page.locator(".panel-confirmation__reference").inner_text()
    assert re.fullmatch(r"APL-\d{4}-\d{4}", reference)
    appeal = Appeal.objects.get()
    assert appeal.reference == reference
    assert appeal.call == call
    assert appeal.grounds == "The panel did not see the Ombudsman's letter of 3 March."
    assert page.get_by_text(f"We have sent a confirmation email to {call.email}.").is_visible()
    screenshots_at_both_widths(page, "appeal-confirmation")

    acknowledgement = next(m for m in mail.outbox if m.to == [call.email])
    assert acknowledgement.subject == f"We have received your appeal {reference}"
    assert f"Dear {call.name}," in acknowledgement.body
    assert f"your call {call.reference}" in acknowledgement.body
    assert f"Your appeal reference is {reference}." in acknowledgement.body
    assert "/call-for-scrutiny/track/" in acknowledgement.body
    assert f"{call.access_code[:5]}-{call.access_code[5:]}" in acknowledgement.body
    assert any(m.to != [call.email] and reference in m.subject + m.body for m in mail.outbox), (
        "the officers are told of the appeal"
    )

    follow(page, page.get_by_role("link", name="Track your call and appeal"))
    page.get_by_label("Your call reference").fill(call.reference)
    page.get_by_label("Access code", exact=True).fill(call.access_code)
    follow(page, page.get_by_role("button", name="Find your call"))
    assert reference in page.locator("main").inner_text()
    screenshots_at_both_widths(page, "call-tracking-appeal")


def test_a_neighbour_with_the_reference_and_postcode_sees_the_bare_stage_and_cannot_appeal(
    live_server, page, whole_site
):
    call = whole_site["appealable"]
    page.goto(live_server.url + "/call-for-scrutiny/track/")
    page.get_by_label("Your call reference").fill(call.reference)
    page.get_by_label("No access code?").fill("PC1 1AA")
    follow(page, page.get_by_role("button", name="Find your call"))
    main = page.locator("main").inner_text()
    assert "Decided" in main
    assert "reasons" not in main.replace("its reasons", "")
    assert call.decisions.get().reasons not in main
    assert page.get_by_role("link", name="appeal in writing").count() == 0

    page.goto(live_server.url + APPEAL_URL)
    page.get_by_label("Your call reference").fill(call.reference)
    page.get_by_label("Access code", exact=True).fill("PC1 1AA")
    page.get_by_label("Why are you appealing").fill("Using up their appeal.")
    follow(page, page.get_by_role("button", name="Send your appeal"))
    assert "We could not find a call with that reference and access code" in page.content()
    assert not Appeal.objects.exists()
