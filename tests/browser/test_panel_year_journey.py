"""The panel's year in a real browser: an officer records a topic the Customer Assurance
Committee referred and sees it ranked beside the calls; a panel member writes the panel's
effectiveness review and records that the panel agreed it at its meeting."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from scrutiny import roles
from scrutiny.financial_years import current_financial_year
from scrutiny.models import (
    EffectivenessReview,
    EffectivenessStatus,
    MeetingKind,
    MeetingStatus,
    PanelMeeting,
    ReferredTopic,
    ScrutinySettings,
)
from tests.browser.conftest import screenshot
from tests.browser.test_admin_journey import sign_in
from tests.conftest import make_business_area, make_user
from tests.scrutiny.builders import make_measure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CAC = "Customer Assurance Committee"


@pytest.fixture
def year_of_the_panel(db):
    config = ScrutinySettings.load()
    config.oversight_body = CAC
    config.save()
    area = make_business_area("Repairs and maintenance")
    make_measure(area, financial_year=current_financial_year(), satisfaction_percent=Decimal("64"))
    meeting = PanelMeeting.objects.create(
        title="Formal panel meeting",
        kind=MeetingKind.FORMAL,
        status=MeetingStatus.HELD,
        starts_at=timezone.now() - timedelta(days=2),
    )
    return {
        "officer": make_user("olive", group=roles.OFFICERS, first_name="Olive", last_name="Osei"),
        "panel": make_user("pat", group=roles.PANEL, first_name="Pat", last_name="Nguyen"),
        "area": area,
        "meeting": meeting,
    }


def test_an_officer_records_a_cac_referral_and_the_panel_agrees_its_review(
    live_server, browser, year_of_the_panel
):
    # The officer records the referral on the committee's behalf.
    page = sign_in(browser, live_server, "olive")
    page.goto(live_server.url + "/admin/snippets/scrutiny/referredtopic/add/")
    assert page.locator("#header-title").inner_text().strip() == f"Record a topic referred by {CAC}"
    page.get_by_label("Topic").fill("Satisfaction with repairs is falling")
    page.get_by_label("Service").select_option(label="Repairs and maintenance")
    page.get_by_label("What prompted it").fill("Satisfaction fell from 78% to 64% in two quarters.")
    page.locator("#id_body_meeting").fill("Quarterly meeting")
    referred_on = timezone.localdate() - timedelta(days=6)
    page.get_by_label("Date of the meeting").fill(referred_on.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Record the referral").click()
    assert page.get_by_text("is recorded").is_visible()
    topic = ReferredTopic.objects.get()
    assert topic.referred_by == CAC
    assert topic.recorded_by.username == "olive"

    # It is scored with the matrix and ranked, with its source.
    page.goto(live_server.url + "/admin/scrutiny/programme/")
    with page.expect_navigation():
        page.get_by_role("button", name="Score everything not yet scheduled").click()
    ranking = page.locator(".scrutiny-ranking")
    assert ranking.get_by_text("Satisfaction with repairs is falling").is_visible()
    assert ranking.get_by_text(f"Referred by {CAC}, Quarterly meeting").is_visible()
    screenshot(page, "panel-year-ranking")

    # The officer prepares this year's effectiveness review.
    page.goto(live_server.url + "/admin/snippets/scrutiny/effectivenessreview/add/")
    with page.expect_navigation():
        page.get_by_role("button", name="Prepare the review").click()
    review = EffectivenessReview.objects.get()
    page.context.close()

    # A panel member writes the assessment and records the agreement at the meeting.
    page = sign_in(browser, live_server, "pat")
    page.goto(f"{live_server.url}/admin/snippets/scrutiny/effectivenessreview/inspect/{review.pk}/")
    page.get_by_label("What worked").fill("Residents' calls reached the panel within a month.")
    page.get_by_label("What did not work").fill("Two action plans slipped past their dates.")
    page.get_by_label("What changes next year").fill("We check every action plan each quarter.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the assessment").click()
    assert page.get_by_text("The panel's assessment is saved.").is_visible()
    meeting = year_of_the_panel["meeting"]
    page.get_by_role("combobox", name="Meeting").select_option(value=str(meeting.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="Record the agreement").click()
    assert page.get_by_text("part of the year's outcomes report").is_visible()
    review.refresh_from_db()
    assert review.status == EffectivenessStatus.AGREED
    assert review.meeting == year_of_the_panel["meeting"]
    assert review.history.first().history_user.username == "pat"
    screenshot(page, "panel-year-effectiveness-agreed")
