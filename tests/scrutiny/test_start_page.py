"""Issue 19: "A start page: the home page lists the resident's tasks (raise a call, sign a
petition, track a call, appeal, join the panel) with start buttons; tracking and appeals in the
navigation; plain English throughout"."""

import re

import pytest

from tests.scrutiny.test_call_form import make_call_page
from tests.scrutiny.test_petition_pages import make_petition_page

pytestmark = pytest.mark.django_db

TASKS = [
    ("Raise a Community Call for Scrutiny", "Start your call", "/call-for-scrutiny/"),
    ("Sign a petition", "See the petitions", "/petitions/"),
    ("Track your call", "Track your call", "/call-for-scrutiny/track/"),
    ("Appeal against the panel's decision", "Start your appeal", "/call-for-scrutiny/appeal/"),
    ("Join the panel", "Check if you can apply", "/join-the-panel/"),
]


def whole_site():
    """The call form, the petitions and the application to join, under one home page."""
    from wagtail.rich_text import RichText

    from scrutiny.models import JoinThePanelPage, PetitionIndexPage

    home = make_call_page().get_parent()
    home.add_child(
        instance=PetitionIndexPage(
            title="Petitions", slug="petitions", privacy_notice=RichText("<p>Kept 24 months.</p>")
        )
    )
    home.add_child(
        instance=JoinThePanelPage(
            title="Join the panel",
            slug="join-the-panel",
            privacy_notice=RichText("<p>Kept 12 months.</p>"),
        )
    )


def test_the_home_page_starts_each_of_a_residents_tasks(client):
    whole_site()
    html = client.get("/").content.decode()
    assert '<h2 id="tasks-heading">What you can do</h2>' in html
    for title, button, url in TASKS:
        assert f'<h3 class="tasks__title">{title.replace(chr(39), "&#x27;")}</h3>' in html, title
        assert f'<a href="{url}" class="button button--start">{button}</a>' in html, button
        assert client.get(url).status_code == 200, url


def test_a_task_whose_page_is_not_published_is_left_out(client):
    make_petition_page()
    html = client.get("/").content.decode()
    assert "See the petitions" in html
    assert "Start your call" not in html and "Check if you can apply" not in html


def test_tracking_and_appeals_are_in_the_navigation_of_every_page(client):
    make_call_page()
    for path in ["/", "/call-for-scrutiny/"]:
        nav = re.search(r'<nav class="site-nav".*?</nav>', client.get(path).content.decode(), re.S)
        assert nav, path
        assert '<a href="/call-for-scrutiny/track/">Track your call</a>' in nav.group(0)
        assert '<a href="/call-for-scrutiny/appeal/">Appeal a decision</a>' in nav.group(0)


def test_the_call_form_asks_in_plain_english(client):
    make_call_page()
    html = client.get("/call-for-scrutiny/").content.decode()
    assert "Do you rent or own your home?" in html
    assert "tenure" not in re.sub(r"<[^>]+>", " ", html).lower()


def test_the_links_are_found_once_a_request(client, django_assert_max_num_queries):
    """The navigation and the home page's tasks share one look-up of the live pages."""
    from django.test import RequestFactory

    from scrutiny.templatetags.scrutiny_tags import resident_links

    whole_site()
    request = RequestFactory().get("/")
    first = resident_links(request)
    with django_assert_max_num_queries(0):
        assert resident_links(request) == first
