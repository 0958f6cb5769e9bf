"""The public pages in a real browser: readable at 320px and 1280px, usable by keyboard."""

import re

import pytest
from wagtail.rich_text import RichText

from tests.browser.conftest import WIDTHS, screenshot
from tests.conftest import make_home_page, make_standard_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def site_pages(db):
    home = make_home_page(introduction=RichText("<p>Residents check our services.</p>"))
    make_standard_page(
        home,
        show_in_menus=True,
        body=[
            (
                "faq",
                {
                    "heading": "The panel",
                    "questions": [
                        {"question": "What does the panel do?", "answer": RichText("<p>Tests.</p>")}
                    ],
                },
            )
        ],
    )
    return {"home": "/", "how-scrutiny-works": "/how-scrutiny-works/"}


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_pages_fit_the_screen(live_server, page, site_pages, width_name):
    page.set_viewport_size({"width": WIDTHS[width_name], "height": 800})
    for name, path in site_pages.items():
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == "en-GB"
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways at {WIDTHS[width_name]}px"
        screenshot(page, f"{name}-{WIDTHS[width_name]}")


def test_skip_link_is_first_and_moves_focus_to_main(live_server, page, site_pages):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_faq_opens_with_the_keyboard_without_javascript(browser, live_server, site_pages):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/how-scrutiny-works/")
    answer = page.get_by_text("Tests.")
    assert not answer.is_visible()
    page.get_by_text("What does the panel do?").focus()
    page.keyboard.press("Enter")
    assert answer.is_visible()
    context.close()


def test_every_other_public_page_fits_both_widths_and_passes_axe(
    live_server, page, whole_site, programme
):
    """Screenshots (and axe) for the pages the journeys do not reach: join the panel with its
    error and ineligible answers, the programme and a year of it, a petition's confirmation
    step, and the page-not-found page."""
    from scrutiny import pipeline
    from tests.browser.conftest import follow, screenshots_at_both_widths
    from tests.browser.test_accessibility import assert_accessible

    base = live_server.url

    def check(name: str) -> None:
        screenshots_at_both_widths(page, name)
        assert_accessible(page, name)

    page.goto(base + "/")
    assert page.get_by_role("heading", name="What you can do").is_visible()
    assert page.get_by_role("link", name="Start your call").is_visible()
    check("home-tasks")

    page.goto(base + "/join-the-panel/")
    assert page.get_by_role("heading", name="What members commit to").is_visible()
    check("join-check")
    follow(page, page.get_by_role("button", name="Check if you can apply"))
    assert page.title().startswith("Error: ")
    assert page.locator(".error-summary").get_by_role("link").count() == 4
    check("join-check-errors")
    page.get_by_label("None of these").check()
    follow(page, page.get_by_role("button", name="Check if you can apply"))
    assert "/join-the-panel/" in page.url
    assert page.get_by_text("scrutiny@example.org").first.is_visible()
    check("join-ineligible")
    page.goto(base + "/join-the-panel/")
    page.get_by_label("Tenant").check()
    for question in ["legal action", "court order", "legal dispute"]:
        page.get_by_role("group", name=re.compile(question)).get_by_label("No").check()
    follow(page, page.get_by_role("button", name="Check if you can apply"))
    assert page.get_by_text("You can apply").is_visible()
    check("join-form")
    follow(page, page.get_by_role("button", name="Send your application"))
    assert page.title().startswith("Error: ")
    assert page.locator(".error-summary").get_by_role("link").count() >= 4
    check("join-form-errors")

    page.goto(base + "/scrutiny-programme/")
    year_page = programme["year_page"]
    follow(page, page.get_by_role("link", name=year_page.title))
    assert page.url == base + year_page.url
    assert page.get_by_text(programme["call"].reference).is_visible()
    check("programme-year")
    page.goto(base + "/scrutiny-programme/")
    check("programme")

    signature = pipeline.petition_sign(
        petition=whole_site["petition"],
        name="Sam Signer",
        email="sam@example.org",
        postcode="PC1 1AA",
    )
    page.goto(f"{base}/petitions/confirm/{signature.token}/")
    assert page.get_by_role("button", name="Confirm my signature").is_visible()
    check("petition-confirm")

    response = page.goto(base + "/no-such-page/")
    assert response.status == 404
    check("not-found")
