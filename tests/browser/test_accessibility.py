"""axe-core finds no violations on any public page, in its plain, error and result states."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from wagtail.rich_text import RichText

from scrutiny import pipeline
from scrutiny.models import CallForScrutinyPage, JoinThePanelPage, PetitionIndexPage
from tests.browser.conftest import WIDTHS
from tests.conftest import make_home_page, make_standard_page
from tests.scrutiny.builders import decide, make_awaiting_call, make_call

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()


@pytest.fixture
def public_site(staff):
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
    home.add_child(
        instance=CallForScrutinyPage(
            title="Raise a Community Call for Scrutiny",
            slug="call-for-scrutiny",
            show_in_menus=True,
            privacy_notice=RichText("<p>We use your details only for your call.</p>"),
        )
    )
    home.add_child(
        instance=PetitionIndexPage(
            title="Petitions",
            slug="petitions",
            show_in_menus=True,
            privacy_notice=RichText("<p>We use your details only for this petition.</p>"),
        )
    )
    home.add_child(
        instance=JoinThePanelPage(
            title="Join the panel",
            slug="join-the-panel",
            show_in_menus=True,
            privacy_notice=RichText("<p>We use your details only for your application.</p>"),
        )
    )
    call = make_call(households_affected=100)
    pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])
    petition = pipeline.petition_open(
        call=call, user=staff["officer"], title="Fix our doors", summary="The doors are broken."
    )
    listed = make_awaiting_call(staff, may_be_listed=True)
    decide(listed, outcome="accepted", user=staff["panel"], reasons="Repairs keep failing.")
    return {"call": call, "petition": petition}


def assert_accessible(page, label: str) -> None:
    results = AXE.run(page)
    assert results.violations_count == 0, f"{label}:\n{results.generate_report()}"


def submit_empty(page) -> None:
    """Send the form as it stands and wait for the answer page."""
    with page.expect_navigation():
        page.locator(
            "form[method=post] button[type=submit], form[method=post] input[type=submit]"
        ).last.click()


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_every_public_page_and_state_has_no_axe_violations(
    live_server, page, public_site, width_name
):
    page.set_viewport_size({"width": WIDTHS[width_name], "height": 900})
    base = live_server.url
    call, petition = public_site["call"], public_site["petition"]
    plain = [
        "/",
        "/how-scrutiny-works/",
        "/call-for-scrutiny/",
        "/call-for-scrutiny/track/",
        "/call-for-scrutiny/appeal/",
        "/call-for-scrutiny/register/",
        "/call-for-scrutiny/register/?year=1999",
        "/join-the-panel/",
        "/petitions/",
        f"/petitions/{petition.slug}/",
        f"/petitions/{petition.slug}/signed/",
        "/no-such-page/",
    ]
    for path in plain:
        page.goto(base + path)
        assert_accessible(page, path)

    for path in [
        "/call-for-scrutiny/",
        "/call-for-scrutiny/track/",
        f"/petitions/{petition.slug}/",
    ]:
        page.goto(base + path)
        submit_empty(page)
        assert page.locator(".error-summary").count() == 1, path
        assert_accessible(page, path + " with errors")

    page.goto(base + "/call-for-scrutiny/track/")
    page.fill("input[name=reference]", call.reference)
    page.fill("input[name=access_code]", call.access_code)
    submit_empty(page)
    assert call.reference in page.content()
    assert_accessible(page, "tracking result")

    page.goto(base + "/call-for-scrutiny/track/")
    page.fill("input[name=reference]", call.reference)
    page.fill("input[name=email_or_postcode]", call.email)
    submit_empty(page)
    assert call.reference in page.content()
    assert_accessible(page, "tracking result, stage only")

    signature = pipeline.petition_sign(
        petition=petition, name="Sam Signer", email="sam@example.org", postcode="L20 3AB"
    )
    page.goto(f"{base}/petitions/confirm/{signature.token}/")
    assert_accessible(page, "confirm signature")
    submit_empty(page)
    assert_accessible(page, "signature confirmed")
