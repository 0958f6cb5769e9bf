"""The dashboard's "Your work": each role's sections, their links, dates and empty states."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from scrutiny.models import ActionItem, CallForScrutiny
from tests.conftest import PASSWORD
from tests.scrutiny.action_plan_builders import make_reported_review, respond_and_plan
from tests.scrutiny.appeal_builders import decided_call, make_meeting, submit_appeal
from tests.scrutiny.builders import backdate_arrival, make_awaiting_call, make_call

pytestmark = pytest.mark.django_db

HOME = "wagtailadmin_home"

# What each role's "Your work" holds when there is no work, in the words of issue 18.
EMPTY = {
    "officer": [
        "No new calls to triage.",
        "No resident is waiting for help.",
        "No petition is at its target or closing within a week.",
        "No appeal is waiting for a panel.",
        "No new applications to join the panel.",
        "No expense claims to check.",
        "No action is overdue.",
        "No monitoring review is due.",
    ],
    "panel": [
        "No formal meeting is scheduled.",
        "No review is in progress.",
        "No report is waiting for your sign-off.",
    ],
    "appeal": ["No appeal is waiting for you."],
    "manager": [
        "No recommendation is waiting for an answer.",
        "You own no open actions.",
        "No report is waiting for your approval.",
    ],
    "comms": ["No page is waiting for you."],
}


def dashboard(client, user) -> str:
    client.login(username=user.username, password=PASSWORD)
    response = client.get(reverse(HOME))
    assert response.status_code == 200
    return response.content.decode()


def when(moment) -> str:
    return f"{timezone.localdate(moment):%-d %B %Y}"


@pytest.mark.parametrize("role", list(EMPTY))
def test_each_role_sees_its_own_sections_and_says_when_they_are_empty(client, staff, role):
    html = dashboard(client, staff[role])
    assert "Your work" in html
    for sentence in EMPTY[role]:
        assert sentence in html
    for other, sentences in EMPTY.items():
        if other != role:
            mine = set(EMPTY[role])
            for sentence in set(sentences) - mine:
                assert sentence not in html, f"{role} sees {other}'s {sentence!r}"


def test_a_superuser_sees_every_role_under_its_own_heading(client, staff):
    html = dashboard(client, staff["admin"])
    for heading in ["Scrutiny officer", "Panel member", "Manager", "Communications"]:
        assert f'<h3 class="scrutiny-work__role">{heading}</h3>' in html
    assert "No appeal is waiting for you." not in html


@pytest.mark.parametrize("role", ["officer", "panel", "appeal", "manager"])
def test_page_search_and_page_summary_only_for_those_who_use_pages(client, staff, home_page, role):
    html = dashboard(client, staff[role])
    assert "Search all pages" not in html
    assert reverse("wagtailadmin_explore", args=[home_page.pk]) not in html


def test_communications_keep_the_page_search_and_summary(client, staff, home_page):
    html = dashboard(client, staff["comms"])
    assert "Search all pages" in html
    assert "Pages" in html and reverse("wagtailadmin_explore", args=[home_page.pk]) in html


def test_a_new_call_waits_since_it_arrived_not_since_its_last_save(client, staff):
    call = make_call()
    arrived = timezone.now() - datetime.timedelta(days=40)
    CallForScrutiny.objects.filter(pk=call.pk).update(status_changed_at=arrived)
    url = reverse("wagtailsnippets_scrutiny_callforscrutiny:inspect", args=[call.pk])
    html = dashboard(client, staff["officer"])
    assert f'<a href="{url}">{call.reference}: Repairs and maintenance</a>' in html
    assert f"new since {when(arrived)}" in html
    assert "No new calls to triage." not in html
    assert "minutes ago" not in html


def test_a_call_asking_for_help_is_listed_until_support_is_given(client, staff):
    call = make_call(support_requested=True, support_contact="Phone me after six.")
    html = dashboard(client, staff["officer"])
    assert "No resident is waiting for help." not in html
    assert f"asked on {when(call.submitted_at)}" in html


def test_the_panel_sees_the_next_meetings_calls_in_agenda_order(client, staff):
    meeting = make_meeting(days_ahead=7)
    later = make_awaiting_call(staff)
    earlier = make_awaiting_call(staff)
    backdate_arrival(later, days=3)
    backdate_arrival(earlier, days=12)
    html = dashboard(client, staff["panel"])
    meeting_day = f"{timezone.localtime(meeting.starts_at):%-d %B %Y}"
    assert f"Calls for the next meeting, {meeting_day}" in html
    assert html.index(earlier.reference) < html.index(later.reference)
    assert f"with the panel since {when(earlier.awaiting_panel_since)}" in html
    # The panel sees calls redacted: never the resident's name.
    assert earlier.name not in html
    assert "New calls to triage" not in html


def test_an_appeal_panel_member_sees_the_appeals_they_sit_on_only(client, staff):
    call, _ = decided_call(staff)
    appeal = submit_appeal(call)
    other_call, _ = decided_call(staff)
    other = submit_appeal(other_call)
    appeal.panel.add(staff["appeal"])
    html = dashboard(client, staff["appeal"])
    url = reverse("wagtailsnippets_scrutiny_appeal:inspect", args=[appeal.pk])
    assert f'<a href="{url}">{appeal.reference}: appeal on {call.reference}</a>' in html
    assert other.reference not in html
    assert f"received {when(appeal.received_at)}" in html


def test_officers_see_appeals_to_convene(client, staff):
    call, _ = decided_call(staff)
    appeal = submit_appeal(call)
    html = dashboard(client, staff["officer"])
    assert appeal.reference in html
    assert "No appeal is waiting for a panel." not in html


def test_managers_see_recommendations_to_answer_and_the_actions_they_own(client, staff, home_page):
    review = make_reported_review(home_page)
    first, second = review.recommendations.order_by("sort_order")
    respond_and_plan(first, staff["manager"], due_in=-3)
    ActionItem.objects.update(owner=staff["manager"])
    published = timezone.now() - datetime.timedelta(days=20)
    Page.objects.filter(pk=review.pk).update(first_published_at=published)
    html = dashboard(client, staff["manager"])
    plan = reverse("scrutiny_actions:review", args=[review.pk])
    assert f'<a href="{plan}">{second.recommendation}</a>' in html
    assert first.recommendation not in html.split("Actions you own")[0]
    assert f"published {when(published)}" in html
    overdue_day = timezone.localdate() - datetime.timedelta(days=3)
    assert f"overdue since {overdue_day:%-d %B %Y}" in html
    assert "You own no open actions." not in html


def test_a_head_of_operations_sees_only_their_own_recommendations(client, staff, home_page):
    review = make_reported_review(home_page)
    head = review.business_area.head_of_operations
    html = dashboard(client, head)
    assert "Recommendations to answer" in html
    assert review.recommendations.first().recommendation in html
    assert "No new calls to triage." not in html
