"""The scoring matrix: bands, weights, the community call bonus, re-scoring and who may score.

The default matrix (migration 0002, documented in docs/programme.md) is used where a test says so.
Band rule: lower <= value < upper.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import ModelLogEntry

from scrutiny import pipeline
from scrutiny.financial_years import (
    current_financial_year,
    financial_year_bounds,
    financial_year_label,
    financial_year_of,
)
from scrutiny.models import Score, ScoringBand, ScoringCriterion, ScrutinySettings
from tests.conftest import PASSWORD, admin_refusal, make_business_area
from tests.scrutiny.builders import make_accepted_call, make_measure

pytestmark = pytest.mark.django_db

YEAR = 2026


def login(client, user) -> None:
    assert client.login(username=user.username, password=PASSWORD)


def only_criterion(measure_field: str, bands, weight="1") -> ScoringCriterion:
    """Replace the matrix with one criterion and its bands."""
    ScoringCriterion.objects.all().delete()
    criterion = ScoringCriterion.objects.create(
        name="Only", measure_field=measure_field, weight=Decimal(weight)
    )
    for order, (lower, upper, points) in enumerate(bands):
        ScoringBand.objects.create(
            criterion=criterion,
            sort_order=order,
            lower=None if lower is None else Decimal(lower),
            upper=None if upper is None else Decimal(upper),
            points=points,
        )
    return criterion


@pytest.mark.parametrize(
    ("value", "points"),
    [("79.99", 3), ("80", 2), ("94.99", 2), ("95", 1), ("99.99", 1), ("100", 0), ("250", 0)],
)
def test_a_value_on_a_boundary_falls_in_the_band_that_starts_there(value, points):
    only_criterion(
        "performance_percent", [(None, 80, 3), (80, 95, 2), (95, 100, 1), (100, None, 0)]
    )
    area = make_business_area()
    make_measure(area, financial_year=YEAR, performance_percent=Decimal(value))
    breakdown = pipeline.score_breakdown(business_area=area, year=YEAR)
    assert breakdown["criteria"][0]["band_points"] == points
    assert breakdown["total"] == str(points)


def test_a_value_in_no_band_and_a_missing_figure_score_nothing_and_say_so():
    only_criterion("satisfaction_percent", [(50, 60, 4)])
    area = make_business_area()
    breakdown = pipeline.score_breakdown(business_area=area, year=YEAR)
    assert breakdown["criteria"][0]["band"] == "no figure"
    assert breakdown["measure"] is None
    make_measure(area, financial_year=YEAR, satisfaction_percent=Decimal("90"))
    breakdown = pipeline.score_breakdown(business_area=area, year=YEAR)
    assert breakdown["criteria"][0]["band"] == "no band"
    assert breakdown["total"] == "0"


def test_the_default_matrix_weights_and_bonus_give_the_documented_totals(staff):
    """docs/programme.md's example: 80% of target, 59% satisfied, 50 per 1,000, critical."""
    area = make_business_area()
    make_measure(
        area,
        financial_year=YEAR,
        performance_percent=Decimal("80"),
        satisfaction_percent=Decimal("59"),
        complaints_per_1000_homes=Decimal("50"),
        business_critical=True,
    )
    breakdown = pipeline.score_breakdown(business_area=area, year=YEAR)
    points = {row["criterion"]: row["points"] for row in breakdown["criteria"]}
    assert points == {
        "Performance against target": "6",  # 80 is in [80, 95): 2 points x 3
        "Customer satisfaction": "9",  # 59 is in [.., 60): 3 points x 3
        "Complaints per 1,000 homes": "6",  # 50 is in [50, ..): 3 points x 2
        "Business critical": "6",  # yes = 1 is in [1, ..): 3 points x 2
    }
    assert breakdown["bonus"] == "0"
    assert breakdown["total"] == "27"

    call = make_accepted_call(staff, business_area=area)
    with_call = pipeline.score_breakdown(business_area=area, year=YEAR, call=call)
    assert with_call["bonus"] == "10"
    assert with_call["total"] == "37"

    config = ScrutinySettings.load()
    config.community_call_bonus = 4
    config.save()
    assert pipeline.score_breakdown(business_area=area, year=YEAR, call=call)["total"] == "31"


def test_a_score_reads_the_full_year_then_the_latest_quarter_then_an_earlier_year():
    area = make_business_area()
    make_measure(area, financial_year=YEAR - 1, period="year", satisfaction_percent=50)
    assert pipeline.score_breakdown(business_area=area, year=YEAR)["measure"] == {
        "year": "2025/26",
        "period": "Full year",
        "tsm_code": "",
        "earlier_year": True,
    }
    make_measure(area, financial_year=YEAR, period="q1", satisfaction_percent=60)
    make_measure(area, financial_year=YEAR, period="q2", satisfaction_percent=70, tsm_code="TP01")
    measure = pipeline.score_breakdown(business_area=area, year=YEAR)["measure"]
    assert (measure["period"], measure["tsm_code"]) == ("Quarter 2", "TP01")
    make_measure(area, financial_year=YEAR, period="year", satisfaction_percent=65)
    assert pipeline.score_breakdown(business_area=area, year=YEAR)["measure"]["period"] == (
        "Full year"
    )


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2027, 3, 31), "2026/27"),
        (date(2027, 4, 1), "2027/28"),
        (date(2026, 4, 1), "2026/27"),
        (date(2026, 12, 31), "2026/27"),
        (date(2027, 1, 1), "2026/27"),
    ],
)
def test_the_financial_year_runs_from_1_april_to_31_march(day, label):
    assert financial_year_label(financial_year_of(day)) == label


def test_the_financial_year_start_month_is_configurable():
    config = ScrutinySettings.load()
    config.financial_year_start_month = 1
    config.save()
    assert financial_year_label(financial_year_of(date(2027, 3, 31))) == "2027/28"
    assert financial_year_bounds(2027) == (date(2027, 1, 1), date(2027, 12, 31))


def test_the_year_bounds_end_on_31_march():
    assert financial_year_bounds(2026) == (date(2026, 4, 1), date(2027, 3, 31))


def test_scores_go_into_the_year_asked_for_with_accepted_calls(staff):
    area = make_business_area()
    make_business_area("Lettings")
    call = make_accepted_call(staff, business_area=area)
    assert pipeline.scores_refresh(year=YEAR, user=staff["panel"]) == 3
    scores = Score.objects.filter(financial_year=YEAR)
    assert scores.count() == 3
    assert scores.get(call=call).breakdown["bonus"] == "10"
    assert not Score.objects.exclude(financial_year=YEAR).exists()
    assert scores.get(call=call).history.first().history_user == staff["panel"]


@pytest.mark.parametrize("role", ["comms", "manager", "appeal"])
def test_only_officers_and_the_panel_score(staff, role):
    make_business_area()
    with pytest.raises(PermissionDenied):
        pipeline.scores_refresh(year=YEAR, user=staff[role])
    assert not Score.objects.exists()


def matrix_edit_post(criterion: ScoringCriterion, *, weight: str) -> dict:
    bands = list(criterion.bands.all())
    data = {
        "name": criterion.name,
        "measure_field": criterion.measure_field,
        "weight": weight,
        "explanation": criterion.explanation,
        "active": "on",
        "bands-TOTAL_FORMS": str(len(bands)),
        "bands-INITIAL_FORMS": str(len(bands)),
        "bands-MIN_NUM_FORMS": "0",
        "bands-MAX_NUM_FORMS": "1000",
    }
    for i, band in enumerate(bands):
        data |= {
            f"bands-{i}-id": str(band.pk),
            f"bands-{i}-ORDER": str(i + 1),
            f"bands-{i}-DELETE": "",
            f"bands-{i}-lower": "" if band.lower is None else str(band.lower),
            f"bands-{i}-upper": "" if band.upper is None else str(band.upper),
            f"bands-{i}-points": str(band.points),
        }
    return data


def test_changing_the_matrix_in_the_admin_rescores_only_unscheduled_items(client, staff, home_page):
    from scrutiny.models import ProgrammeIndexPage

    home_page.add_child(instance=ProgrammeIndexPage(title="Programme", slug="scrutiny-programme"))
    repairs = make_business_area()
    lettings = make_business_area("Lettings")
    for area in (repairs, lettings):
        make_measure(area, financial_year=YEAR, performance_percent=Decimal("70"))
    year = current_financial_year()
    if year != YEAR:
        for area in (repairs, lettings):
            make_measure(area, financial_year=year, performance_percent=Decimal("70"))
    pipeline.scores_refresh(year=year, user=staff["panel"])
    scheduled = Score.objects.get(financial_year=year, business_area=repairs)
    pipeline.programme_schedule(score=scheduled, user=staff["panel"])
    before = Score.objects.get(financial_year=year, business_area=lettings).total
    assert before == scheduled.total == Decimal("9")  # below 80: 3 points x 3

    criterion = ScoringCriterion.objects.get(name="Performance against target")
    login(client, staff["officer"])
    response = client.post(
        reverse("wagtailsnippets_scrutiny_scoringcriterion:edit", args=[criterion.pk]),
        matrix_edit_post(criterion, weight="5"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    assert Score.objects.get(financial_year=year, business_area=lettings).total == Decimal("15")
    scheduled.refresh_from_db()
    assert scheduled.total == Decimal("9")
    assert scheduled.breakdown["criteria"][0]["weight"] == "3"
    rescore = ModelLogEntry.objects.filter(action="scrutiny.matrix.rescore").get()
    assert rescore.user == staff["officer"]
    assert rescore.object_id == str(criterion.pk)
    assert criterion.revisions.latest("created_at").user == staff["officer"]
    assert criterion.revisions.latest("created_at").content["weight"] in {"5", "5.00"}
    assert len(criterion.revisions.latest("created_at").content["bands"]) == 4
    assert criterion.history.first().history_user == staff["officer"]


def test_changing_the_bonus_in_the_settings_rescores_calls(client, staff):
    area = make_business_area()
    call = make_accepted_call(staff, business_area=area)
    year = current_financial_year()
    pipeline.scores_refresh(year=year, user=staff["panel"])
    config = ScrutinySettings.load()
    config.community_call_bonus = 7
    config.save()
    pipeline.matrix_rescore(instance=config, user=staff["admin"], change="settings saved")
    assert Score.objects.get(call=call).breakdown["bonus"] == "7"


PROGRAMME = "scrutiny_programme:index"


def reaches(client, user, url: str) -> bool:
    client.login(username=user.username, password=PASSWORD)
    response = client.get(url, follow=True)
    client.logout()
    return response.status_code == 200 and response.request["PATH_INFO"].startswith(url)


# (ranking, measures list, measures import, matrix list, matrix edit)
EXPECTED = {
    "officer": (True, True, True, True, True),
    "panel": (True, True, False, True, False),
    "manager": (True, True, False, True, False),
    "comms": (False, False, False, False, False),
    "appeal": (False, False, False, False, False),
    "admin": (True, True, True, True, True),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_scoring_screens_per_role(client, staff, role):
    criterion = ScoringCriterion.objects.first()
    urls = [
        reverse(PROGRAMME),
        reverse("wagtailsnippets_scrutiny_measure:list"),
        reverse("wagtailsnippets_scrutiny_measure:import"),
        reverse("wagtailsnippets_scrutiny_scoringcriterion:list"),
        reverse("wagtailsnippets_scrutiny_scoringcriterion:edit", args=[criterion.pk]),
    ]
    assert tuple(reaches(client, staff[role], url) for url in urls) == EXPECTED[role]


@pytest.mark.parametrize(
    ("role", "scores"), [("officer", True), ("panel", True), ("manager", False)]
)
def test_scoring_through_the_ranking_screen(client, staff, role, scores):
    make_business_area()
    login(client, staff[role])
    year = current_financial_year()
    response = client.post(reverse("scrutiny_programme:rescore", args=[year]), follow=True)
    assert response.status_code == 200
    assert Score.objects.exists() == scores


@pytest.mark.parametrize("role", ["comms", "appeal"])
def test_others_cannot_score_through_the_ranking_screen(client, staff, role):
    make_business_area()
    login(client, staff[role])
    year = current_financial_year()
    response = client.post(reverse("scrutiny_programme:rescore", args=[year]))
    assert admin_refusal(response)
    assert not Score.objects.exists()


def test_the_ranking_shows_each_breakdown(client, staff):
    area = make_business_area()
    year = current_financial_year()
    make_measure(area, financial_year=year, performance_percent=Decimal("80"), tsm_code="TP02")
    pipeline.scores_refresh(year=year, user=staff["panel"])
    login(client, staff["manager"])
    html = client.get(reverse(PROGRAMME)).content.decode()
    assert "Repairs and maintenance" in html
    assert "from 80 up to 95" in html
    assert "TSM TP02" in html
    assert "Community Call for Scrutiny bonus" in html
    assert ">Schedule<" not in html  # managers view only


@pytest.mark.parametrize(
    ("today", "label"), [(date(2027, 3, 31), "2026/27"), (date(2027, 4, 1), "2027/28")]
)
def test_the_ranking_opens_on_the_year_today_falls_in(client, staff, monkeypatch, today, label):
    monkeypatch.setattr("scrutiny.financial_years.timezone.localdate", lambda: today)
    area = make_business_area()
    make_measure(area, financial_year=current_financial_year(), satisfaction_percent=50)
    login(client, staff["panel"])
    client.post(reverse("scrutiny_programme:rescore", args=[current_financial_year()]))
    html = client.get(reverse(PROGRAMME)).content.decode()
    assert f"Ranking and programme {label}" in html
    assert Score.objects.get().financial_year_label == label
