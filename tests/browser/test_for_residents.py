"""An officer enters a call a resident gave by phone, and an appeal that came by post, in a real
browser (issue 19, assisted digital): from the calls list and the call's own page, the same
questions as the website, how and when it reached us, and the access code shown once."""

import datetime

import pytest
from django.utils import timezone

from scrutiny.models import Appeal, CallForScrutiny
from tests.browser.conftest import follow, screenshot
from tests.browser.test_admin_journey import sign_in
from tests.conftest import make_business_area, make_user
from tests.scrutiny.appeal_builders import decided_call
from tests.scrutiny.test_call_form import make_call_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_enters_a_phoned_call_and_a_posted_appeal(browser, live_server, staff):
    make_call_page()
    make_business_area("Repairs and maintenance")
    make_user("olive", group="Scrutiny officers", first_name="Olive", last_name="Officer")
    page = sign_in(browser, live_server, "olive")
    page.goto(live_server.url + "/admin/snippets/scrutiny/callforscrutiny/")
    follow(page, page.get_by_role("link", name="Enter a call for a resident"))
    screenshot(page, "admin-call-for-resident")

    page.get_by_label("By phone").check()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("The day it reached us").fill(yesterday.isoformat())
    page.get_by_label("The resident's name").fill("Dev Patel")
    page.get_by_label("Phone number").fill("07700 900123")
    page.get_by_label("Postcode").fill("L21 9GH")
    page.get_by_label("I rent it from you (tenant)").check()
    page.get_by_label("Which service is your call about?").select_option(
        label="Repairs and maintenance"
    )
    page.get_by_label("What are your concerns about this service?").fill("Leaks go unrepaired.")
    page.get_by_label("What have you already done to sort this out?").fill("Phoned twice.")
    page.get_by_label("I have not made a complaint").check()
    page.get_by_label("What service failures have you experienced?").fill("No visit.")
    page.locator("#id_others_affected_1").check()
    page.locator("#id_support_requested_1").check()
    page.get_by_label("The resident has been told how their details are used").check()
    follow(page, page.get_by_role("button", name="Enter the call"))

    call = CallForScrutiny.objects.get()
    assert page.get_by_text(f"{call.reference} is entered, received by phone").is_visible()
    code = f"{call.access_code[:5]}-{call.access_code[5:]}"
    assert page.get_by_text(code, exact=True).is_visible()
    screenshot(page, "admin-call-for-resident-entered")
    assert call.recorded_by.username == "olive"
    assert timezone.localdate(call.submitted_at) == yesterday

    # A letter of appeal against another call's decision, typed in the day after it came.
    appealed, decision = decided_call(staff)
    decision.sent_on = timezone.localdate() - datetime.timedelta(days=5)
    decision.appeal_deadline = decision.sent_on + datetime.timedelta(days=28)
    decision.save()
    page.goto(live_server.url + f"/admin/snippets/scrutiny/callforscrutiny/inspect/{appealed.pk}/")
    follow(page, page.get_by_role("link", name="Record an appeal for the resident"))
    assert page.get_by_label("Call reference").input_value() == appealed.reference
    page.get_by_label("By post").check()
    page.get_by_label("The day it reached us").fill(yesterday.isoformat())
    page.get_by_label("The resident's grounds for appeal").fill("The panel missed my letter.")
    follow(page, page.get_by_role("button", name="Record the appeal"))
    screenshot(page, "admin-appeal-for-resident")
    appeal = Appeal.objects.get()
    recorded = f"Appeal {appeal.reference} on {appealed.reference} is recorded as received by post"
    assert page.get_by_text(recorded).is_visible()
    assert page.get_by_text("by post, recorded by Olive Officer").is_visible()
    page.context.close()
