"""The programme: scheduling scored items as draft review pages, the public pages, the minimum."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import ModelLogEntry

from scrutiny import pipeline
from scrutiny.financial_years import current_financial_year
from scrutiny.models import (
    CallStatus,
    ProgrammeIndexPage,
    ProgrammeYearPage,
    Score,
    ScrutinyReviewPage,
    ScrutinySettings,
)
from tests.conftest import PASSWORD, make_business_area
from tests.scrutiny.builders import make_accepted_call, make_call, make_measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(home_page):
    index = home_page.add_child(
        instance=ProgrammeIndexPage(title="Programme of scrutiny", slug="scrutiny-programme")
    )
    return index


def scored(staff, *areas):
    year = current_financial_year()
    for area in areas:
        make_measure(area, financial_year=year, performance_percent=Decimal("70"))
    pipeline.scores_refresh(year=year, user=staff["panel"])
    return year


def test_scheduling_an_accepted_call_makes_a_draft_review_and_moves_the_call(staff, programme):
    area = make_business_area()
    call = make_accepted_call(staff, business_area=area)
    year = scored(staff, area)
    score = Score.objects.get(financial_year=year, call=call)

    review = pipeline.programme_schedule(score=score, user=staff["panel"])

    assert not review.live
    assert review.business_area == area
    assert list(review.calls.all()) == [call]
    year_page = ProgrammeYearPage.objects.get(financial_year=year)
    assert review.get_parent().specific == year_page
    assert year_page.get_parent().specific == programme
    call.refresh_from_db()
    assert call.status == CallStatus.SCHEDULED
    assert call.history.first().history_user == staff["panel"]
    assert ModelLogEntry.objects.filter(
        object_id=str(call.pk), action="scrutiny.call.schedule", user=staff["panel"]
    ).exists()
    score.refresh_from_db()
    assert score.scheduled and score.review.pk == review.pk
    assert score.history.first().history_user == staff["panel"]
    assert review.get_latest_revision().user == staff["panel"]
    log = ReviewLog.for_page(review)
    assert log.user == staff["panel"]
    assert log.data["call"] == call.reference


class ReviewLog:
    @staticmethod
    def for_page(page):
        from wagtail.models import PageLogEntry

        return PageLogEntry.objects.get(page=page, action="scrutiny.programme.schedule")


def test_an_area_and_its_call_share_one_review(staff, programme):
    area = make_business_area()
    call = make_accepted_call(staff, business_area=area)
    year = scored(staff, area)
    first = pipeline.programme_schedule(
        score=Score.objects.get(financial_year=year, business_area=area, call=None),
        user=staff["officer"],
    )
    second = pipeline.programme_schedule(
        score=Score.objects.get(financial_year=year, call=call), user=staff["officer"]
    )
    assert first.pk == second.pk
    assert list(ScrutinyReviewPage.objects.get(pk=first.pk).calls.all()) == [call]


def test_nothing_is_scheduled_twice(staff, programme):
    area = make_business_area()
    year = scored(staff, area)
    score = Score.objects.get(financial_year=year)
    pipeline.programme_schedule(score=score, user=staff["panel"])
    with pytest.raises(pipeline.TransitionNotAllowed, match="already in the programme"):
        pipeline.programme_schedule(score=score, user=staff["panel"])
    assert ScrutinyReviewPage.objects.count() == 1


def test_a_call_no_longer_accepted_is_not_scheduled(staff, programme):
    area = make_business_area()
    call = make_accepted_call(staff, business_area=area)
    year = scored(staff, area)
    score = Score.objects.get(financial_year=year, call=call)
    type(call).objects.filter(pk=call.pk).update(status=CallStatus.CLOSED)
    with pytest.raises(pipeline.TransitionNotAllowed, match="not accepted"):
        pipeline.programme_schedule(score=score, user=staff["panel"])
    assert not ScrutinyReviewPage.objects.exists()
    with pytest.raises(pipeline.TransitionNotAllowed, match="not accepted"):
        pipeline.call_schedule(call=make_call(), review=None, user=staff["panel"])


def test_scheduling_needs_a_programme_page(staff, home_page):
    area = make_business_area()
    year = scored(staff, area)
    with pytest.raises(pipeline.TransitionNotAllowed, match="no programme page"):
        pipeline.programme_schedule(
            score=Score.objects.get(financial_year=year), user=staff["panel"]
        )
    assert not Score.objects.filter(scheduled=True).exists()


@pytest.mark.parametrize("role", ["manager", "comms", "appeal"])
def test_only_officers_and_the_panel_schedule(staff, programme, role):
    area = make_business_area()
    year = scored(staff, area)
    with pytest.raises(PermissionDenied):
        pipeline.programme_schedule(score=Score.objects.get(financial_year=year), user=staff[role])
    assert not ScrutinyReviewPage.objects.exists()


@pytest.mark.parametrize(
    ("role", "status", "scheduled"),
    [
        ("officer", 302, True),
        ("panel", 302, True),
        ("manager", 302, False),
        ("comms", 302, False),
        ("appeal", 302, False),
    ],
)
def test_scheduling_through_the_ranking_screen(client, staff, programme, role, status, scheduled):
    area = make_business_area()
    year = scored(staff, area)
    score = Score.objects.get(financial_year=year)
    assert client.login(username=role, password=PASSWORD)
    response = client.post(reverse("scrutiny_programme:schedule", args=[score.pk]))
    assert response.status_code == status
    score.refresh_from_db()
    assert score.scheduled == scheduled


def test_the_ranking_and_the_dashboard_warn_below_the_minimum(client, staff, programme):
    areas = [make_business_area(name) for name in ("Repairs", "Lettings", "Estates")]
    year = scored(staff, *areas)
    assert ScrutinySettings.load().minimum_reviews_per_year == 3
    assert client.login(username="panel", password=PASSWORD)
    html = client.get(reverse("scrutiny_programme:index")).content.decode()
    assert "at least 3 are needed each year" in html
    assert (
        "The programme needs more reviews"
        in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    for score in Score.objects.filter(financial_year=year):
        pipeline.programme_schedule(score=score, user=staff["panel"])
    html = client.get(reverse("scrutiny_programme:index")).content.decode()
    assert "are needed each year" not in html
    assert (
        "The programme needs more reviews"
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_the_public_year_page_lists_reviews_and_which_came_from_residents(client, staff, programme):
    repairs = make_business_area()
    lettings = make_business_area("Lettings")
    call = make_accepted_call(staff, business_area=repairs)
    year = scored(staff, repairs, lettings)
    pipeline.programme_schedule(
        score=Score.objects.get(financial_year=year, call=call), user=staff["panel"]
    )
    pipeline.programme_schedule(
        score=Score.objects.get(financial_year=year, business_area=lettings), user=staff["panel"]
    )
    year_page = ProgrammeYearPage.objects.get(financial_year=year)
    year_page.save_revision().publish()
    response = client.get(year_page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Review of Repairs and maintenance" in html
    assert f"Yes: Community Call for Scrutiny {call.reference}" in html
    assert "Review of Lettings" in html
    assert "No: chosen by the panel" in html
    assert call.name not in html and call.email not in html
    index_html = client.get(programme.url).content.decode()
    assert year_page.title in index_html


def test_the_programme_is_at_its_demo_address(client, programme):
    assert programme.url == "/scrutiny-programme/"
    assert client.get("/scrutiny-programme/").status_code == 200
