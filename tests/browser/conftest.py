"""Playwright with Debian's chromium against pytest-django's live server.

Where no chromium is installed the browser tests skip, saying so; CI installs it.
"""

import os
import shutil
from pathlib import Path

import pytest

from scrutiny.financial_years import current_financial_year

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WIDTHS = {"mobile": 320, "desktop": 1280}

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("No chromium at /usr/bin/chromium: install Debian's chromium to run these.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot where the README says people can look at them."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def follow(page, target) -> None:
    """Click a link or a submit button and wait for the page it leads to.

    A click does not wait for the navigation it starts, and a form that posts back to its own
    address gives ``wait_for_url`` nothing to wait for, so a check made straight after the click
    can read the page that is going away (on a busy machine it often does)."""
    with page.expect_navigation():
        target.click()


@pytest.fixture(autouse=True)
def _migrated_data(migrated_data):
    """Every browser test is transactional: put back what the data migrations made."""


def screenshots_at_both_widths(page, name: str) -> None:
    """Save the page at each width, checking it never scrolls sideways."""
    for width in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": 900})
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways at {width}px"
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})


@pytest.fixture
def whole_site(staff):
    """Every public page, as a resident would find them, and the records they act on.

    A home page and "How scrutiny works"; the call form (with its track/ and appeal/ routes);
    petitions with one open petition; join the panel; the programme with a published year
    page listing one review; a call the panel has not accepted, still open to appeal.
    """
    from django.core import mail
    from django.core.cache import cache
    from wagtail.rich_text import RichText

    from scrutiny import pipeline
    from scrutiny.models import (
        CallForScrutinyPage,
        JoinThePanelPage,
        PetitionIndexPage,
        ProgrammeIndexPage,
    )
    from tests.conftest import make_business_area, make_home_page, make_standard_page
    from tests.scrutiny.appeal_builders import decided_call
    from tests.scrutiny.builders import make_call

    cache.clear()
    home = make_home_page(introduction=RichText("<p>Residents check our services.</p>"))
    faq = {
        "heading": "The panel",
        "questions": [{"question": "What does the panel do?", "answer": RichText("<p>Tests.</p>")}],
    }
    make_standard_page(home, show_in_menus=True, body=[("faq", faq)])
    privacy = RichText("<p>We use your details only for this, and keep them for 24 months.</p>")
    for page in [
        CallForScrutinyPage(
            title="Raise a Community Call for Scrutiny",
            slug="call-for-scrutiny",
            show_in_menus=True,
            privacy_notice=privacy,
        ),
        PetitionIndexPage(
            title="Petitions", slug="petitions", show_in_menus=True, privacy_notice=privacy
        ),
        JoinThePanelPage(
            title="Join the panel",
            slug="join-the-panel",
            show_in_menus=True,
            introduction=RichText("<p>Help residents hold us to account.</p>"),
            skills_text=RichText("<p>Curiosity, fairness and time to read.</p>"),
            privacy_notice=privacy,
        ),
        ProgrammeIndexPage(
            title="Programme of scrutiny",
            slug="scrutiny-programme",
            show_in_menus=True,
            introduction=RichText("<p>The services the panel reviews each year.</p>"),
        ),
    ]:
        home.add_child(instance=page)

    area = make_business_area("Repairs and maintenance")
    appealable, _decision = decided_call(staff, business_area=area, households_affected=30)
    tracked = make_call(business_area=area, postcode="PC2 2BB", households_affected=60)
    pipeline.call_move(call=tracked, transition="start_triage", user=staff["officer"])
    petition = pipeline.petition_open(
        call=tracked,
        user=staff["officer"],
        title="Fix the lifts at Larch Court",
        summary="The lifts have been broken for months.",
    )
    mail.outbox.clear()
    yield {
        "appealable": appealable,
        "tracked": tracked,
        "petition": petition,
    }
    cache.clear()


@pytest.fixture
def programme(whole_site, staff):
    """This year's programme page, published, with a review scheduled for an accepted call."""
    from decimal import Decimal

    from scrutiny import pipeline
    from scrutiny.models import Score
    from tests.conftest import make_business_area, make_head_of_operations
    from tests.scrutiny.builders import make_accepted_call, make_measure

    head = make_head_of_operations("lettings", "Lee", "Hart")
    lettings = make_business_area("Lettings", head_of_operations=head)
    accepted = make_accepted_call(staff, business_area=lettings)
    year = current_financial_year()
    make_measure(lettings, financial_year=year, performance_percent=Decimal("70"))
    pipeline.scores_refresh(year=year, user=staff["panel"])
    review = pipeline.programme_schedule(
        score=Score.objects.get(financial_year=year, call=accepted), user=staff["panel"]
    )
    year_page = review.get_parent().specific
    year_page.save_revision(user=staff["comms"]).publish()
    return {"year_page": year_page, "review": review, "call": accepted}
