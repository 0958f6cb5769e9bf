"""Each role signs in and reaches its first task from the dashboard in one click.

Screenshots of every role's dashboard at 1280px and 800px go to test-artifacts/screenshots/.
"""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from wagtail.models import Page

from scrutiny.models import ActionItem
from tests.browser.conftest import screenshot
from tests.browser.test_admin_journey import sign_in
from tests.scrutiny.action_plan_builders import make_reported_review, respond_and_plan
from tests.scrutiny.appeal_builders import decided_call, make_meeting, submit_appeal
from tests.scrutiny.builders import backdate_arrival, make_awaiting_call, make_call
from tests.scrutiny.membership_builders import make_application

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (1280, 800)


@pytest.fixture
def work(staff):
    """Something waiting for each role."""
    from tests.conftest import make_home_page

    home = make_home_page()
    make_meeting(days_ahead=7)
    awaiting = make_awaiting_call(staff)
    backdate_arrival(awaiting, days=9)
    new = make_call(support_requested=True, support_contact="Phone me after six.")
    make_application()
    decided, _ = decided_call(staff)
    appeal = submit_appeal(decided)
    appeal.panel.add(staff["appeal"])
    review = make_reported_review(home)
    first = review.recommendations.order_by("sort_order").first()
    respond_and_plan(first, staff["manager"], due_in=-2)
    ActionItem.objects.update(owner=staff["manager"])
    Page.objects.filter(pk=review.pk).update(
        first_published_at=timezone.now() - datetime.timedelta(days=12)
    )
    return {"new": new, "awaiting": awaiting, "appeal": appeal, "review": review}


def first_task(page):
    return page.locator("#your-work ul.scrutiny-work__items a").first


@pytest.mark.parametrize(
    "role, first_url",
    [
        ("officer", "/callforscrutiny/inspect/{new.pk}/"),
        ("panel", "/callforscrutiny/inspect/{awaiting.pk}/"),
        ("appeal", "/appeal/inspect/{appeal.pk}/"),
        ("manager", "/scrutiny/action-plans/review/{review.pk}/"),
    ],
)
def test_each_role_reaches_its_first_task_in_one_click(
    browser, live_server, staff, work, role, first_url
):
    page = sign_in(browser, live_server, role)
    assert page.get_by_role("heading", name="Your work").is_visible()
    assert page.get_by_text("Search all pages").count() == 0
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"dashboard-{role}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})
    results = Axe().run(page, context={"include": [["#your-work"]]})
    assert results.violations_count == 0, results.generate_report()
    first_task(page).click()
    page.wait_for_url("**" + first_url.format(**work))


def test_communications_see_pages_waiting_and_keep_the_page_search(browser, live_server, staff):
    from tests.conftest import make_home_page

    make_home_page()
    page = sign_in(browser, live_server, "comms")
    assert page.get_by_text("No page is waiting for you.").is_visible()
    assert page.get_by_placeholder("Search all pages…").is_visible()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"dashboard-comms-{width}")


def test_the_officers_menu_fits_a_900px_screen(browser, live_server, staff):
    page = sign_in(browser, live_server, "officer")
    for name in ["Work", "The panel", "Reports", "Settings"]:
        box = page.get_by_role("button", name=name, exact=True).bounding_box()
        assert box is not None and box["y"] + box["height"] <= 900, name
    help_box = page.get_by_role("button", name="Help").first.bounding_box()
    assert help_box["y"] + help_box["height"] <= 900
    page.get_by_role("button", name="Work", exact=True).click()
    calls = page.get_by_role("link", name="Calls for scrutiny", exact=True)
    assert calls.is_visible()
    box = page.get_by_role("link", name="Personal data").bounding_box()
    assert box["y"] + box["height"] <= 900
    screenshot(page, "menu-officer-work-1280")
