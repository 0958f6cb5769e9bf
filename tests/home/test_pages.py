"""The host site's pages render accessibly, with the configured names and the FAQ blocks."""

import pytest
from wagtail.rich_text import RichText

from tests.conftest import make_standard_page

pytestmark = pytest.mark.django_db


def test_home_page_has_language_skip_link_and_landmarks(client, home_page):
    html = client.get("/").content.decode()
    assert '<html lang="en-GB">' in html
    assert 'href="#main-content"' in html and 'id="main-content"' in html
    assert "<header" in html and "<main" in html and "<footer" in html
    assert "Pine Court Housing" in html
    assert "<script" not in html


def test_faq_and_call_to_action_blocks_render_without_javascript(client, home_page):
    make_standard_page(
        home_page,
        show_in_menus=True,
        body=[
            (
                "faq",
                {
                    "heading": "About the panel",
                    "questions": [
                        {"question": "Who can apply?", "answer": RichText("<p>Any tenant.</p>")}
                    ],
                },
            ),
            (
                "call_to_action",
                {
                    "heading": "Raise a concern",
                    "text": "",
                    "link_text": "Start",
                    "page": None,
                    "url": "/call-for-scrutiny/",
                },
            ),
        ],
    )
    html = client.get("/how-scrutiny-works/").content.decode()
    assert "<details" in html and "<summary" in html and "Who can apply?" in html
    assert 'href="/call-for-scrutiny/"' in html
    home_html = client.get("/").content.decode()
    assert 'href="/how-scrutiny-works/"' in home_html


def test_names_come_from_the_configuration(client, home_page):
    from scrutiny.models import ScrutinySettings

    settings = ScrutinySettings.load()
    settings.organisation_name = "Citizen Homes"
    settings.panel_name = "Customer Scrutiny Panel"
    settings.save()
    html = client.get("/").content.decode()
    assert "Citizen Homes" in html and "Customer Scrutiny Panel" in html


def test_unknown_address_gets_the_friendly_404(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
