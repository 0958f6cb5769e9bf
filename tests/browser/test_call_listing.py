"""The calls list fits the work: 16 calls in short rows, readable tags, no axe violations."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from scrutiny import pipeline, roles
from scrutiny.models import CallForScrutiny, CallStatus
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD, make_business_area, make_user
from tests.scrutiny.builders import make_call

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CALLS_URL = "/admin/snippets/scrutiny/callforscrutiny/"
LONG_CONCERNS = (
    "Damp and mould in the bathroom and the back bedroom keep coming back after every repair; "
    "the contractor painted over it twice, the extractor fan has never worked, my children "
    "cough all winter and the surveyor who came in March never sent the report he promised. "
) * 3
STATUSES = [
    CallStatus.SUBMITTED,
    CallStatus.TRIAGE,
    CallStatus.GATHERING_EVIDENCE,
    CallStatus.AWAITING_PANEL,
    CallStatus.ACCEPTED,
    CallStatus.SERIOUS_FAILURE,
    CallStatus.NOT_ACCEPTED,
    CallStatus.CLOSED,
]


@pytest.fixture
def sixteen_calls(staff):
    officer = make_user(
        "olive", group=roles.OFFICERS, first_name="Olive", last_name="Okonkwo-Bradshaw"
    )
    areas = [
        make_business_area("Repairs and maintenance"),
        make_business_area("Anti-social behaviour and neighbourhood management"),
    ]
    calls = []
    for n in range(16):
        call = make_call(
            business_area=areas[n % 2], concerns=LONG_CONCERNS, support_requested=bool(n % 3)
        )
        if n % 2:
            pipeline.call_assign(call=call, officer=officer, user=staff["officer"])
        calls.append(call)
    long_ago = timezone.now() - datetime.timedelta(days=60)
    for n, call in enumerate(calls):
        status = STATUSES[n % len(STATUSES)]
        CallForScrutiny.objects.filter(pk=call.pk).update(
            status=status,
            awaiting_panel_since=long_ago if status == CallStatus.AWAITING_PANEL else None,
        )
    return calls


def test_sixteen_calls_fit_in_short_accessible_rows(browser, live_server, sixteen_calls):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/admin/")

    page.goto(live_server.url + CALLS_URL)
    table = page.locator("table.listing")
    rows = table.locator("tbody tr")
    assert rows.count() == 16
    height = table.bounding_box()["height"]
    tallest = max(rows.nth(n).bounding_box()["height"] for n in range(16))
    screenshot(page, "admin-calls-list-1280")

    assert height < 1200, f"the table is {height:.0f}px high"
    assert tallest < 80, f"the tallest row is {tallest:.0f}px high"
    assert page.locator(".scrutiny-tag--critical", has_text="Serious failure").count() == 2
    assert page.get_by_text("Change history").count() == 0  # inside the closed row menus
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    first = sixteen_calls[-1]
    page.get_by_role("button", name=f"More options for '{first}'").click()
    expect(page.get_by_role("link", name="Change history")).to_be_visible()
    context.close()
