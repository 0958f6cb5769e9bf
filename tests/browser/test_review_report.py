"""The published report and the "Run the review" screen in a real browser, at 320px and 1280px."""

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from wagtail.rich_text import RichText

from scrutiny import pipeline
from scrutiny.models import Recommendation, ReviewStatus, ScrutinyReviewPage, StepStatus
from scrutiny.models.programme import report_workflow
from tests.browser.conftest import WIDTHS, screenshot
from tests.conftest import PASSWORD, make_business_area, make_home_page, make_user
from tests.scrutiny.membership_builders import make_member
from tests.scrutiny.review_builders import finish_steps, make_programme, make_review, make_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published_report(db):
    from scrutiny import roles

    panel = make_user("panel", group=roles.PANEL, first_name="Pat", last_name="Panel")
    manager = make_user("manager", group=roles.MANAGERS)
    year_page = make_year(make_programme(make_home_page()), 2026)
    review = make_review(
        year_page,
        title="Review of repairs and maintenance",
        business_area=make_business_area(),
        status=ReviewStatus.IN_REVIEW,
        starts_on=timezone.localdate() - timedelta(days=120),
        ends_on=timezone.localdate() - timedelta(days=10),
        summary=RichText("<p>Repairs are done well but residents are not kept informed.</p>"),
        scope=RichText("<p>Responsive repairs, from report to completion.</p>"),
        working_well=RichText("<ul><li>Polite, tidy operatives.</li></ul>"),
        below_standard=RichText("<ul><li>No updates when a repair is delayed.</li></ul>"),
        methods=[
            (
                "survey",
                {
                    "who": "Residents who had a repair in the last six months",
                    "when": timezone.localdate() - timedelta(days=40),
                    "what": "A ten-question survey by text and post.",
                    "findings": RichText("<p>61% were not told of a delay.</p>"),
                    "responses": 143,
                    "evidence": [],
                },
            )
        ],
    )
    for order, (text, evidence) in enumerate(
        [
            (
                "Tell residents within two working days when a repair is delayed, and why.",
                "61% of survey respondents were not told about a delay.",
            ),
            (
                "Check with the resident before closing a repair.",
                "9 of 20 closed jobs sampled had no contact at closure.",
            ),
            ("Publish repair times by estate every quarter.", "No figures are published."),
        ]
    ):
        review.recommendations.add(
            Recommendation(recommendation=text, evidence=evidence, sort_order=order)
        )
    review.save()
    review.save_revision(user=panel)
    finish_steps(review, panel)
    state = report_workflow().start(review, panel)
    for approver in (panel, manager):
        task_state = state.current_task_state
        task_state.task.specific.on_action(task_state, approver, "approve", comment="")
        state.refresh_from_db()
    review = ScrutinyReviewPage.objects.get(pk=review.pk)
    assert review.live
    member = make_member(user=panel)
    pipeline.review_participant_add(review=review, member=member, role="lead", user=panel)
    # A second review of the year, still being run: five of its ten steps done.
    running = make_review(
        year_page,
        title="Review of lettings",
        slug="review-of-lettings",
        business_area=make_business_area("Lettings"),
        status=ReviewStatus.IN_REVIEW,
    )
    for step in running.steps.filter(position__lte=5):
        pipeline.review_step_update(step=step, user=panel, status=StepStatus.DONE)
    pipeline.review_participant_add(review=running, member=member, role="lead", user=panel)
    review.running = running
    return review


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_the_report_fits_the_screen(live_server, page, published_report, width_name):
    width = WIDTHS[width_name]
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + published_report.url)
    assert page.locator("h1").inner_text() == "Review of repairs and maintenance"
    assert page.get_by_role("region", name="Recommendations").is_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the report scrolls sideways at {width}px"
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    link = page.get_by_role("link", name=re.compile(r"^Download the report \(PDF, \d+ KB\)$"))
    assert link.is_visible()
    download = page.request.get(live_server.url + link.get_attribute("href"))
    assert download.headers["content-type"] == "application/pdf"
    assert download.body().startswith(b"%PDF")
    screenshot(page, f"review-report-{width}")


def test_the_report_prints_without_the_site_frame(live_server, page, published_report):
    page.goto(live_server.url + published_report.url)
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    link = page.locator("a[href$='pdf/']", has_text=re.compile(r"^Download the report \(PDF, "))
    assert link.count() == 1
    assert not link.is_visible()
    border = page.evaluate(
        "getComputedStyle(document.querySelector('.report-table td')).borderTopStyle"
    )
    assert border == "solid"


def test_run_the_review_screen(live_server, page, published_report):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "panel")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    running = published_report.running
    page.goto(live_server.url + f"/admin/scrutiny/reviews/{running.pk}/")
    screenshot(page, "review-run-before-1280")
    assert (
        page.locator("#review-summary-content, #review-summary")
        .first.get_by_text("Step 6 of 10")
        .is_visible()
    )
    page.get_by_text("Update step 6").click()
    page.select_option(f"#id_step-{running.steps.get(position=6).pk}-status", "in_progress")
    page.get_by_role("button", name="Save step 6").click()
    page.wait_for_url("**/#step-*")
    assert "Step 6, Shadowing, updated." in page.locator(".messages").inner_text()
    assert running.steps.get(position=6).status == "in_progress"
    screenshot(page, "review-run-1280")
