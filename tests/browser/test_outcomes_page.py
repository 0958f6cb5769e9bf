"""The published outcomes report in a real browser: no axe violations, fits 320px and 1280px."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from scrutiny.models import OutcomesReportPage, ProgrammeIndexPage
from scrutiny.outcomes import Outcomes
from tests.browser.conftest import WIDTHS, screenshot
from tests.conftest import make_home_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def report_path():
    home = make_home_page()
    index = home.add_child(
        instance=ProgrammeIndexPage(title="Programme of scrutiny", slug="scrutiny-programme")
    )
    figures = Outcomes(
        year=2025,
        first_day=datetime.date(2025, 4, 1),
        last_day=datetime.date(2026, 3, 31),
        taken_on=datetime.date(2026, 4, 2),
        overdue_as_at=datetime.date(2026, 3, 31),
        closed=True,
        calls_received=9,
        decisions=6,
        accepted=3,
        not_accepted=2,
        serious_failure=1,
        median_days_to_decision=21.5,
        calls_timed=6,
        reviews_completed=3,
        reviews_in_programme=3,
        reviews_minimum=3,
        recommendations_made=12,
        recommendations_accepted=10,
        recommendations_implemented=4,
        actions_overdue=2,
    )
    report = index.add_child(
        instance=OutcomesReportPage(
            title="Scrutiny outcomes 2025/26",
            slug="outcomes-2025-26",
            financial_year=2025,
            figures=figures.to_json(),
        )
    )
    return report.url


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_the_outcomes_report_is_accessible_and_fits(live_server, page, report_path, width_name):
    page.set_viewport_size({"width": WIDTHS[width_name], "height": 900})
    for path in (report_path, "/scrutiny-programme/"):
        page.goto(live_server.url + path)
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways at {WIDTHS[width_name]}px"
    page.goto(live_server.url + report_path)
    assert page.locator("svg[role=img] title").count() == 2
    assert page.locator(".outcome-chart__table").count() == 2
    link = page.get_by_role("link", name=re.compile(r"^Download the report \(PDF, \d+ KB\)$"))
    assert link.is_visible()
    download = page.request.get(live_server.url + link.get_attribute("href"))
    assert download.body().startswith(b"%PDF")
    screenshot(page, f"outcomes-report-{WIDTHS[width_name]}")
