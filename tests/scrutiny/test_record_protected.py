"""Nothing on the record is destroyed: its pages are never deleted, and what it points at stays."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.db.models import ProtectedError
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page

from scrutiny import pipeline
from scrutiny.models import (
    ActionItem,
    BusinessArea,
    CallForScrutiny,
    OutcomesReportPage,
    PanelDecision,
    PanelMeeting,
    ProgrammeIndexPage,
    ProgrammeYearPage,
    Recommendation,
    RecommendationResponse,
    ReviewParticipant,
    ReviewStepProgress,
    ScrutinyReviewPage,
)
from scrutiny.outcomes import last_closed_financial_year
from scrutiny.pipeline.action_plans import ActionRefused
from scrutiny.selectors.records import page_deletion_refusal
from tests.conftest import make_business_area, make_home_page, make_standard_page
from tests.scrutiny.action_plan_builders import make_reported_review, respond_and_plan
from tests.scrutiny.appeal_builders import decided_call, make_meeting
from tests.scrutiny.builders import make_call
from tests.scrutiny.membership_builders import make_member
from tests.scrutiny.review_builders import make_programme, make_year, take_part

pytestmark = pytest.mark.django_db

GROUPS = ["comms", "officer", "panel", "appeal", "manager"]
PAGES = ["home", "index", "year", "review", "outcomes"]


@dataclass
class Record:
    """A programme with a reported review that is being acted on, and an outcomes report."""

    home: Page
    index: ProgrammeIndexPage
    year: ProgrammeYearPage
    review: ScrutinyReviewPage
    outcomes: OutcomesReportPage
    calls: list[CallForScrutiny]

    def page(self, name: str) -> Page:
        return getattr(self, name)

    def counts(self) -> dict[str, int]:
        """How much of the record there is: none of it may go."""
        return {
            "pages": Page.objects.filter(pk__in=[self.page(name).pk for name in PAGES]).count(),
            "recommendations": Recommendation.objects.count(),
            "responses": RecommendationResponse.objects.count(),
            "actions": ActionItem.objects.count(),
            "steps": ReviewStepProgress.objects.count(),
            "participants": ReviewParticipant.objects.count(),
        }


@pytest.fixture
def record(staff) -> Record:
    home = make_home_page()
    index = make_programme(home)
    year = make_year(index, 2026)
    area = make_business_area()
    calls = [make_call(business_area=area), make_call(business_area=area, email="b@example.org")]
    review = make_reported_review(
        home, recommendations=3, calls=calls, title="Review of repairs", business_area=area
    )
    pipeline.review_steps_create(review=review)
    take_part(review, make_member("reviewer"), role="lead")
    first, second, _ = review.recommendations.order_by("sort_order", "pk")
    respond_and_plan(first, staff["manager"], actions=3)
    respond_and_plan(second, staff["manager"], actions=2)
    outcomes, _ = pipeline.outcomes_report_draft(year=last_closed_financial_year(), user=None)
    outcomes.get_latest_revision().publish()
    return Record(
        home=home,
        index=index,
        year=year,
        review=review,
        outcomes=OutcomesReportPage.objects.get(pk=outcomes.pk),
        calls=calls,
    )


def delete_url(page) -> str:
    return reverse("wagtailadmin_pages:delete", args=[page.pk])


def bulk_delete_url(*pages) -> str:
    ids = "&".join(f"id={page.pk}" for page in pages)
    return reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"]) + "?" + ids


def errors(response) -> list[str]:
    """The error messages of this response (fresh() drops those left by earlier ones)."""
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def fresh(client):
    """The client, without the messages earlier responses left unread."""
    client.cookies.pop("messages", None)
    return client


def expected_refusal(record: Record, name: str) -> str:
    """What a superuser is told, written out from the record as the fixture built it."""
    first, second = (call.reference for call in sorted(record.calls, key=lambda c: c.reference))
    year = record.outcomes.financial_year_label
    return {
        "home": "“Resident scrutiny” cannot be deleted: it holds pages of the scrutiny record: "
        "1 programme of scrutiny, 1 year's programme, 1 review and 1 outcomes report. "
        "Move those pages elsewhere first, or unpublish it instead.",
        "index": "“Programme of scrutiny” cannot be deleted: it holds 1 year's programme, "
        "1 review and 1 outcomes report. Unpublish it instead.",
        "year": "“Programme of scrutiny 2026-27” cannot be deleted: it holds 1 review. "
        "Unpublish it instead.",
        "review": "“Review of repairs” cannot be deleted: it holds 3 recommendations, "
        f"2 responses and 5 action-plan items, and answers {first} and {second}. "
        "Unpublish it instead.",
        "outcomes": f"“Scrutiny outcomes {year}” cannot be deleted: it is the outcomes report for "
        f"{year}. Unpublish it instead.",
    }[name]


# What each group is offered.


@pytest.mark.parametrize("user", GROUPS)
def test_no_group_is_offered_delete_on_a_page_of_the_record(client, staff, record, user):
    for name in PAGES:
        perms = record.page(name).permissions_for_user(staff[user])
        assert not perms.can_delete(), (user, name)
    client.force_login(staff[user])
    for parent in (record.home, record.index, record.year):
        response = client.get(reverse("wagtailadmin_explore", args=[parent.pk]))
        body = response.content.decode()
        for name in PAGES:
            assert delete_url(record.page(name)) not in body, (user, parent, name)
    for name in PAGES:
        body = client.get(reverse("wagtailadmin_pages:edit", args=[record.page(name).pk]))
        assert delete_url(record.page(name)) not in body.content.decode(), (user, name)


def test_no_group_may_delete_a_page_with_pages_below_it(record):
    # Without "bulk_delete", Wagtail offers Delete on pages without children only, so no group
    # is offered Delete on the home page above the programme either.
    assert not GroupPagePermission.objects.filter(permission__codename="bulk_delete").exists()


def test_communications_may_still_move_a_review_they_may_not_delete(staff, record):
    perms = record.review.permissions_for_user(staff["comms"])
    assert perms.can_move()
    assert not perms.can_delete()


def test_a_superuser_is_offered_delete_so_as_to_be_told_why_not(client, staff, record):
    client.force_login(staff["admin"])
    body = client.get(reverse("wagtailadmin_explore", args=[record.year.pk])).content.decode()
    assert delete_url(record.review) in body


# The delete view and the bulk delete.


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_delete_view_leaves_the_record_in_place(client, staff, record, name, method):
    before = record.counts()
    page = record.page(name)
    for user in GROUPS:
        client.force_login(staff[user])
        response = getattr(fresh(client), method)(delete_url(page))
        assert response.status_code in {302, 403}, user
        assert record.counts() == before, user

    client.force_login(staff["admin"])
    response = getattr(fresh(client), method)(delete_url(page))
    assert response.status_code == 302
    assert errors(response) == [expected_refusal(record, name)]
    assert record.counts() == before


@pytest.mark.parametrize("user", [*GROUPS, "admin"])
def test_the_bulk_delete_leaves_the_record_in_place(client, staff, record, user):
    before = record.counts()
    pages = [record.page(name) for name in PAGES if name != "home"]
    client.force_login(staff[user])
    client.get(bulk_delete_url(*pages))
    response = fresh(client).post(bulk_delete_url(*pages), {"include_descendants": "on"})
    assert response.status_code in {200, 302, 403}
    assert record.counts() == before
    if user == "admin":
        assert sorted(errors(response)) == sorted(
            expected_refusal(record, name) for name in ["index", "year", "review", "outcomes"]
        )


def test_the_bulk_delete_refuses_the_home_page_too(client, staff, record):
    before = record.counts()
    client.force_login(staff["admin"])
    response = client.post(bulk_delete_url(record.home), {"include_descendants": "on"})
    assert errors(response) == [expected_refusal(record, "home")]
    assert record.counts() == before


def test_a_review_with_nothing_yet_on_it_still_cannot_be_deleted(client, staff, record):
    review = make_reported_review(record.home, recommendations=0, title="Review of lettings")
    client.force_login(staff["admin"])
    response = client.post(delete_url(review))
    assert errors(response) == [
        "“Review of lettings” cannot be deleted: it is a review in the programme of scrutiny. "
        "Unpublish it instead."
    ]
    assert ScrutinyReviewPage.objects.filter(pk=review.pk).exists()


def test_an_empty_draft_year_still_cannot_be_deleted(staff, record):
    year = make_year(record.index, 2027)
    year.unpublish()
    assert page_deletion_refusal(year) == (
        "“Programme of scrutiny 2027-28” cannot be deleted: it is part of the scrutiny record. "
        "As a draft, it is not on the website."
    )


# Pages that are not on the record.


def test_a_content_page_is_still_deleted_by_communications(client, staff, record):
    page = make_standard_page(record.home)
    client.force_login(staff["comms"])
    assert (
        delete_url(page)
        in client.get(reverse("wagtailadmin_explore", args=[record.home.pk])).content.decode()
    )
    response = client.post(delete_url(page))
    assert response.status_code == 302
    assert errors(response) == []
    assert not Page.objects.filter(pk=page.pk).exists()


def test_a_content_page_is_still_deleted_in_bulk_by_a_superuser(client, staff, record):
    page = make_standard_page(record.home)
    client.force_login(staff["admin"])
    response = client.post(bulk_delete_url(page), {"include_descendants": "on"})
    assert response.status_code == 302
    assert errors(response) == []
    assert not Page.objects.filter(pk=page.pk).exists()
    assert page_deletion_refusal(record.home) is not None


# Snippets that the record points at.


def test_a_referenced_business_area_is_refused_with_what_refers_to_it(client, staff, record):
    area = BusinessArea.objects.get(name="Repairs and maintenance")
    url = reverse("wagtailsnippets_scrutiny_businessarea:delete", args=[area.pk])
    client.force_login(staff["admin"])
    for send in (client.get, client.post):
        fresh(client)
        response = send(url)
        assert response.status_code == 302
        [message] = errors(response)
        assert message.startswith("“Repairs and maintenance” cannot be deleted: it is referred to")
        assert "2 calls for scrutiny" in message
        assert message.endswith("Untick “Active” to retire it instead.")
    assert BusinessArea.objects.filter(pk=area.pk).exists()


def test_a_meeting_with_decisions_is_refused_in_the_view_and_in_bulk(client, staff):
    meeting = make_meeting()
    call, decision = decided_call(staff, meeting=meeting)
    assert decision.meeting == meeting
    client.force_login(staff["admin"])
    single = reverse("wagtailsnippets_scrutiny_panelmeeting:delete", args=[meeting.pk])
    bulk = (
        reverse("wagtail_bulk_action", args=["scrutiny", "panelmeeting", "delete"])
        + f"?id={meeting.pk}"
    )
    for method, url in [("get", single), ("post", single), ("get", bulk), ("post", bulk)]:
        response = getattr(fresh(client), method)(url)
        assert response.status_code == 302
        [message] = errors(response)
        assert message.startswith(f"“{meeting}” cannot be deleted: it is referred to by ")
        assert "1 panel decision" in message
    assert PanelMeeting.objects.filter(pk=meeting.pk).exists()
    assert PanelDecision.objects.filter(pk=decision.pk).exists()


def test_a_snippet_nothing_refers_to_is_still_deleted_by_a_superuser(client, staff):
    meeting = make_meeting()
    client.force_login(staff["admin"])
    response = client.post(
        reverse("wagtailsnippets_scrutiny_panelmeeting:delete", args=[meeting.pk])
    )
    assert response.status_code == 302
    assert errors(response) == []
    assert not PanelMeeting.objects.filter(pk=meeting.pk).exists()


def test_a_panel_member_s_account_is_refused_in_the_view_and_in_bulk(client, staff):
    member = make_member("reviewer")
    client.force_login(staff["admin"])
    single = reverse("wagtailusers_users:delete", args=[member.user.pk])
    bulk = reverse("wagtail_bulk_action", args=["auth", "user", "delete"]) + f"?id={member.user.pk}"
    for method, url in [("get", single), ("post", single), ("post", bulk)]:
        response = getattr(fresh(client), method)(url)
        assert response.status_code == 302
        assert errors(response) == [
            "“reviewer” cannot be deleted: it is referred to by 1 panel member on the record. "
            "Make the account inactive instead."
        ]
    assert User.objects.filter(pk=member.user.pk).exists()


# The database keeps the record whatever reaches it.


def test_the_database_refuses_to_delete_what_the_record_points_at(record, staff):
    call, _ = decided_call(staff)
    for target in (record.review, call, record.calls[0].business_area):
        with pytest.raises(ProtectedError):
            target.delete()
    recommendation = record.review.recommendations.first()
    with pytest.raises(ProtectedError):
        recommendation.delete()
    assert record.counts()["recommendations"] == 3


def test_a_recommendation_the_draft_leaves_out_is_not_answered_so_the_draft_still_publishes(
    record, staff
):
    review = record.review
    third = review.recommendations.order_by("sort_order", "pk").last()
    draft = review.get_latest_revision_as_object()
    draft.recommendations = [rec for rec in draft.recommendations.all() if rec.pk != third.pk]
    revision = draft.save_revision(user=staff["panel"])

    with pytest.raises(ActionRefused, match="takes this recommendation out of the report"):
        respond_and_plan(third, staff["manager"])
    assert not RecommendationResponse.objects.filter(recommendation=third).exists()

    revision.publish()
    assert not Recommendation.objects.filter(pk=third.pk).exists()
    assert record.counts()["responses"] == 2
