"""Running a review: steps made on scheduling, step updates and progress, participants, admin."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from scrutiny import pipeline, selectors
from scrutiny.financial_years import current_financial_year
from scrutiny.models import (
    CallStatus,
    ReviewParticipant,
    ReviewStatus,
    ReviewStep,
    ReviewStepProgress,
    Score,
    ScrutinyReviewPage,
    StepStatus,
)
from tests.conftest import PASSWORD, make_business_area
from tests.scrutiny.builders import make_accepted_call, make_measure
from tests.scrutiny.membership_builders import make_member
from tests.scrutiny.review_builders import make_programme, make_review, make_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled(staff, home_page):
    """A review scheduled through the programme, answering an accepted call."""
    make_programme(home_page)
    area = make_business_area()
    call = make_accepted_call(staff, business_area=area)
    year = current_financial_year()
    make_measure(area, financial_year=year, performance_percent=Decimal("70"))
    pipeline.scores_refresh(year=year, user=staff["panel"])
    score = Score.objects.get(financial_year=year, call=call)
    review = pipeline.programme_schedule(score=score, user=staff["panel"])
    return review, call


def log_actions(review) -> list[str]:
    return list(
        PageLogEntry.objects.filter(page=review, action__startswith="scrutiny.review")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_scheduling_gives_the_review_the_active_steps_in_order(scheduled):
    review, _ = scheduled
    steps = list(review.steps.select_related("step"))
    expected = list(ReviewStep.objects.filter(active=True).order_by("sort_order"))
    assert len(steps) == 10
    assert [s.position for s in steps] == list(range(1, 11))
    assert [s.step for s in steps] == expected
    assert {s.status for s in steps} == {StepStatus.NOT_STARTED}
    assert selectors.review_progress(review).label == "step 1 of 10"


def test_inactive_steps_are_left_out_of_reviews_scheduled_afterwards(staff, home_page):
    ReviewStep.objects.filter(name="Mystery shopping").update(active=False)
    year_page = make_year(make_programme(home_page), 2026)
    review = make_review(year_page)
    names = list(review.steps.values_list("step__name", flat=True))
    assert len(names) == 9 and "Mystery shopping" not in names
    assert list(review.steps.values_list("position", flat=True)) == list(range(1, 10))


def test_starting_a_step_starts_the_review_and_moves_its_call(scheduled, staff):
    review, call = scheduled
    first = review.steps.get(position=1)
    pipeline.review_step_update(step=first, user=staff["officer"], status=StepStatus.IN_PROGRESS)

    first.refresh_from_db()
    assert first.status == StepStatus.IN_PROGRESS
    assert first.started_on == timezone.localdate()
    assert first.history.first().history_user == staff["officer"]
    review.refresh_from_db()
    assert review.status == ReviewStatus.IN_REVIEW
    call.refresh_from_db()
    assert call.status == CallStatus.IN_REVIEW
    assert call.history.first().history_user == staff["officer"]
    assert log_actions(review) == ["scrutiny.review.step", "scrutiny.review.status"]
    # The page's report is untouched: no new revision for running the review.
    assert review.revisions.count() == 1


def test_progress_reads_the_first_unfinished_step(scheduled, staff):
    review, _ = scheduled
    today = timezone.localdate()
    for step in review.steps.filter(position__lte=5):
        pipeline.review_step_update(
            step=step,
            user=staff["panel"],
            status=StepStatus.DONE if step.position != 3 else StepStatus.SKIPPED,
            started_on=today - timedelta(days=10),
            completed_on=today - timedelta(days=2),
            notes="The survey last year covered this." if step.position == 3 else "",
        )
    progress = selectors.review_progress(ScrutinyReviewPage.objects.get(pk=review.pk))
    assert progress.label == "step 6 of 10"
    assert progress.current == "Shadowing"
    for step in review.steps.filter(position__gt=5):
        pipeline.review_step_update(step=step, user=staff["panel"], status=StepStatus.DONE)
    review = ScrutinyReviewPage.objects.get(pk=review.pk)
    assert selectors.review_progress(review).label == "all 10 steps done"


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"status": StepStatus.NOT_STARTED, "completed_on": date(2026, 1, 2)}, "has not started"),
        (
            {
                "status": StepStatus.DONE,
                "started_on": date(2026, 1, 5),
                "completed_on": date(2026, 1, 2),
            },
            "before it started",
        ),
        (
            {"status": StepStatus.IN_PROGRESS, "completed_on": date(2026, 1, 2)},
            "is not finished",
        ),
        ({"status": "halfway"}, "Choose the step's status"),
        (
            {"status": StepStatus.IN_PROGRESS, "started_on": date.today() + timedelta(days=3)},
            "cannot be in the future",
        ),
    ],
)
def test_impossible_step_updates_are_refused_and_change_nothing(scheduled, staff, fields, message):
    review, _ = scheduled
    step = review.steps.get(position=2)
    with pytest.raises(pipeline.ReviewRefused, match=message):
        pipeline.review_step_update(step=step, user=staff["officer"], **fields)
    step.refresh_from_db()
    assert step.status == StepStatus.NOT_STARTED and step.started_on is None
    review.refresh_from_db()
    assert review.status == ReviewStatus.SCHEDULED


def test_only_officers_and_panel_members_update_steps(scheduled, staff):
    review, _ = scheduled
    step = review.steps.get(position=1)
    for role in ("manager", "comms", "appeal"):
        with pytest.raises(PermissionDenied):
            pipeline.review_step_update(step=step, user=staff[role], status=StepStatus.DONE)
    step.refresh_from_db()
    assert step.status == StepStatus.NOT_STARTED


def test_serving_members_join_and_leave_with_history(scheduled, staff):
    review, _ = scheduled
    member = make_member("ruth")
    participant = pipeline.review_participant_add(
        review=review, member=member, role="lead", user=staff["panel"]
    )
    assert participant.role == "lead"
    assert participant.history.first().history_user == staff["panel"]
    with pytest.raises(pipeline.ReviewRefused, match="already takes part"):
        pipeline.review_participant_add(review=review, member=member, user=staff["panel"])

    pipeline.review_participant_remove(participant=participant, user=staff["officer"])
    assert not ReviewParticipant.objects.filter(review=review).exists()
    removed = ReviewParticipant.history.filter(review_id=review.pk).first()
    assert removed.history_type == "-" and removed.history_user == staff["officer"]
    assert log_actions(review) == [
        "scrutiny.review.participant_add",
        "scrutiny.review.participant_remove",
    ]


def test_a_member_who_has_left_or_not_started_cannot_take_part(scheduled, staff):
    review, _ = scheduled
    left = make_member("left", ended_on=timezone.localdate() - timedelta(days=1))
    future = make_member("future", started_on=timezone.localdate() + timedelta(days=7))
    for member in (left, future):
        with pytest.raises(pipeline.ReviewRefused, match="not serving"):
            pipeline.review_participant_add(review=review, member=member, user=staff["officer"])
    with pytest.raises(PermissionDenied):
        pipeline.review_participant_add(
            review=review, member=make_member("ok"), user=staff["manager"]
        )
    assert not review.participants.exists()


# The admin screens.


def test_the_reviews_listing_shows_year_service_status_progress_and_members(
    scheduled, staff, client
):
    review, _ = scheduled
    pipeline.review_participant_add(
        review=review, member=make_member("ruth", user=None), user=staff["panel"]
    )
    client.login(username="manager", password=PASSWORD)
    response = client.get(reverse("scrutiny_reviews:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert review.title in page
    assert "Repairs and maintenance" in page
    assert 'scrutiny-tag--new">Scheduled<' in page
    assert "Step 1 of 10" in page
    assert "ruth" in page
    assert reverse("scrutiny_reviews:run", args=[review.pk]) in page


def test_those_without_reviews_cannot_see_the_screens(scheduled, client):
    review, _ = scheduled
    for username in ("comms", "appeal"):
        client.login(username=username, password=PASSWORD)
        for url in (
            reverse("scrutiny_reviews:index"),
            reverse("scrutiny_reviews:run", args=[review.pk]),
        ):
            response = client.get(url)
            assert response.status_code in (302, 403), (username, url)
            assert review.title not in response.content.decode()


def test_a_panel_member_updates_a_step_from_the_run_screen(scheduled, staff, client):
    review, _ = scheduled
    step = review.steps.get(position=1)
    client.login(username="panel", password=PASSWORD)
    url = reverse("scrutiny_reviews:run", args=[review.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Save step 1" in response.content.decode()

    response = client.post(
        url,
        {
            "action": "step",
            "step": step.pk,
            f"step-{step.pk}-status": "done",
            f"step-{step.pk}-started_on": "2026-01-05",
            f"step-{step.pk}-completed_on": "2026-01-02",
            f"step-{step.pk}-notes": "Agreed with the head of service.",
        },
    )
    assert response.status_code == 200
    assert "cannot finish (2 January 2026) before it started (5 January 2026)" in (
        response.content.decode()
    )
    step.refresh_from_db()
    assert step.status == StepStatus.NOT_STARTED

    response = client.post(
        url,
        {
            "action": "step",
            "step": step.pk,
            f"step-{step.pk}-status": "done",
            f"step-{step.pk}-started_on": "2026-01-02",
            f"step-{step.pk}-completed_on": "2026-01-05",
            f"step-{step.pk}-notes": "Agreed with the head of service.",
        },
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.status == StepStatus.DONE and step.notes == "Agreed with the head of service."
    page = client.get(url).content.decode()
    assert "Step 2 of 10" in page
    assert "Agreed with the head of service." in page  # in the steps and the history


def test_adding_a_participant_from_the_screen_with_errors(scheduled, staff, client):
    review, _ = scheduled
    member = make_member("ruth")
    client.login(username="officer", password=PASSWORD)
    url = reverse("scrutiny_reviews:run", args=[review.pk])
    response = client.post(url, {"action": "add_participant", "participant-role": "member"})
    assert response.status_code == 200
    assert "Choose the panel member who is taking part." in response.content.decode()
    response = client.post(
        url,
        {
            "action": "add_participant",
            "participant-member": member.pk,
            "participant-role": "lead",
        },
    )
    assert response.status_code == 302
    assert review.participants.get().member == member
    participant = review.participants.get()
    response = client.post(url, {"action": "remove_participant", "participant": participant.pk})
    assert response.status_code == 302
    assert not review.participants.exists()


def test_managers_see_the_run_screen_without_forms_and_cannot_post(scheduled, client):
    review, _ = scheduled
    client.login(username="manager", password=PASSWORD)
    url = reverse("scrutiny_reviews:run", args=[review.pk])
    page = client.get(url).content.decode()
    assert "Step 1 of 10" in page and "Save step 1" not in page
    step = review.steps.get(position=1)
    response = client.post(
        url, {"action": "step", "step": step.pk, f"step-{step.pk}-status": "done"}
    )
    assert response.status_code in (302, 403)
    step.refresh_from_db()
    assert step.status == StepStatus.NOT_STARTED


def test_the_page_listing_and_header_offer_run_the_review(scheduled, client):
    review, _ = scheduled
    run_url = reverse("scrutiny_reviews:run", args=[review.pk])
    # The explorer is for those who hold page permissions and see reviews: superusers.
    client.login(username="admin", password=PASSWORD)
    listing = client.get(reverse("wagtailadmin_explore", args=[review.get_parent().pk]))
    assert listing.status_code == 200
    assert run_url in listing.content.decode()
    client.login(username="panel", password=PASSWORD)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[review.pk]))
    assert edit.status_code == 200
    assert run_url in edit.content.decode()


def test_a_review_added_in_the_page_tree_gets_its_steps(staff, home_page, client):
    year_page = make_year(make_programme(home_page), 2026)
    area = make_business_area()
    # Communications add pages; officers and panel members schedule reviews instead.
    client.login(username="comms", password=PASSWORD)
    response = client.post(
        reverse(
            "wagtailadmin_pages:add",
            args=["scrutiny", "scrutinyreviewpage", year_page.pk],
        ),
        {
            "title": "Review of lettings",
            "slug": "review-of-lettings",
            "business_area": area.pk,
            "methods-count": "0",
            "recommendations-TOTAL_FORMS": "0",
            "recommendations-INITIAL_FORMS": "0",
            "recommendations-MIN_NUM_FORMS": "0",
            "recommendations-MAX_NUM_FORMS": "1000",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    review = ScrutinyReviewPage.objects.get(slug="review-of-lettings")
    assert not review.live
    assert ReviewStepProgress.objects.filter(review=review).count() == 10


def test_officers_keep_the_review_steps_in_the_admin(staff, client):
    client.login(username="officer", password=PASSWORD)
    response = client.get(reverse(ReviewStep.snippet_viewset.get_url_name("list")))
    assert response.status_code == 200
    assert "Benchmarking against other housing associations" in response.content.decode()
    client.login(username="comms", password=PASSWORD)
    response = client.get(reverse(ReviewStep.snippet_viewset.get_url_name("list")))
    assert response.status_code in (302, 403)
