"""A head of operations answers the recommendations they are named on, in a real browser.

Dana has an admin account (Communications, for the website) but no scrutiny group, and the
service names her account as its head of operations. The reminder emails link her to her
review's action plan; there she records the response and adds an action, which she owns unless
she chooses someone else, and the plan shows both. An appeal panel member whose email is hers
is turned away.
"""

import pytest
from django.urls import reverse

from scrutiny import roles
from scrutiny.models import ActionItem, RecommendationResponse
from tests.browser.conftest import screenshot
from tests.browser.test_admin_journey import sign_in
from tests.conftest import make_home_page, make_user
from tests.scrutiny.action_plan_builders import make_reported_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_named_head_of_operations_responds_and_plans_an_action(browser, live_server):
    review = make_reported_review(make_home_page(), recommendations=1)
    dana = make_user("dana", group=roles.COMMUNICATIONS, first_name="Dana", last_name="Price")
    review.business_area.head_of_operations = dana  # the service's head of operations
    review.business_area.save()
    forger = make_user("alex", group=roles.APPEAL_PANEL)
    forger.email = dana.email  # an address is not who someone is
    forger.save()

    page = sign_in(browser, live_server, "alex")
    page.goto(live_server.url + reverse("scrutiny_actions:review", args=[review.pk]))
    assert not page.get_by_role("heading", name="Recommendation 1").is_visible()
    page.context.close()

    page = sign_in(browser, live_server, "dana")
    page.goto(live_server.url + reverse("scrutiny_actions:review", args=[review.pk]))
    assert page.get_by_role("heading", name="Recommendation 1").is_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Record the response").click()
    page.get_by_label("Accepted", exact=True).check()
    page.get_by_label("Reasons").fill("We will fit extractor fans in every flat.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the response").click()
    assert page.get_by_text("by Dana Price on").is_visible()  # back on the plan, her response

    with page.expect_navigation():
        page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Action").fill("Fit extractor fans")
    owner = page.get_by_label("Owner")
    assert owner.locator("option:checked").inner_text() == "Dana Price (dana@example.org)"
    page.get_by_label("Due date").fill("2027-03-31")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the action").click()
    assert page.get_by_text("Fit extractor fans").first.is_visible()
    screenshot(page, "head-of-operations-action-plan")
    page.context.close()

    response = RecommendationResponse.objects.get()
    assert (response.decision, response.responded_by) == ("accepted", dana)
    item = ActionItem.objects.get()
    assert (item.action, item.owner) == ("Fit extractor fans", dana)
