"""The yearly outcomes report: figures on a known data set, the admin screen, its CSV, the
public page with frozen figures, and the task that drafts it."""

import csv
import datetime
import io
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from scrutiny import pipeline, tasks
from scrutiny.financial_years import financial_year_of
from scrutiny.models import (
    ActionItem,
    Appeal,
    CallForScrutiny,
    CallStatus,
    OutcomesReportPage,
    PanelDecision,
    ProgrammeIndexPage,
    ProgrammeYearPage,
    Recommendation,
    RecommendationResponse,
    ScrutinyReviewPage,
)
from scrutiny.outcomes import (
    Outcomes,
    YearNotStarted,
    last_closed_financial_year,
    outcomes_for_year,
)
from tests.conftest import PASSWORD, admin_refusal, make_business_area, make_head_of_operations
from tests.scrutiny.appeal_builders import decided_call, eligible_members, submit_appeal
from tests.scrutiny.builders import make_call

pytestmark = pytest.mark.django_db

D = datetime.date


def at(year, month, day, hour=12, minute=0):
    """A moment in the site's time zone (Europe/London)."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def call_at(moment):
    call = make_call()
    CallForScrutiny.objects.filter(pk=call.pk).update(submitted_at=moment)
    return call


def decide(call, outcome, moment):
    return PanelDecision.objects.create(
        call=call,
        outcome=outcome,
        reasons="The panel's reasons.",
        decided_at=moment,
        sent_on=timezone.localdate(moment),
    )


def appeal(decision, received, *, reference, decided=None, outcome=""):
    return Appeal.objects.create(
        reference=reference,
        decision=decision,
        call=decision.call,
        grounds="The resident's grounds.",
        received_at=received,
        decided_at=decided,
        outcome=outcome,
        status="decided" if decided else "received",
    )


def recommend(review, text, *, response=None):
    recommendation = Recommendation.objects.create(
        page=review, recommendation=text, evidence="What the panel found."
    )
    if response:
        RecommendationResponse.objects.create(
            recommendation=recommendation, decision=response, reasons="Our reasons."
        )
    return recommendation


def act(*, due, status="not_started", completed=None, recommendation=None, decision=None):
    return ActionItem.objects.create(
        recommendation=recommendation,
        decision=decision,
        action="Do the thing.",
        owner=make_head_of_operations(),
        due_on=due,
        status=status,
        completed_on=completed,
    )


@pytest.fixture
def programme(home_page):
    return home_page.add_child(
        instance=ProgrammeIndexPage(title="Programme of scrutiny", slug="scrutiny-programme")
    )


def review_in(year_page, title, status):
    return year_page.add_child(
        instance=ScrutinyReviewPage(
            title=title, slug=title.lower().replace(" ", "-"), business_area=area(), status=status
        )
    )


def area():
    from scrutiny.models import BusinessArea

    return BusinessArea.objects.first() or make_business_area()


@pytest.fixture
def known_data(programme):
    """Calls, decisions, appeals, reviews and actions across 2024/25, 2025/26 and 2026/27.

    The financial year starts in April (the default). Comments give the year each counts in.
    """
    c00 = call_at(at(2024, 5, 1))  # 2024/25
    c0 = call_at(at(2025, 3, 31, 23, 59))  # 2024/25: the last minute of the year
    c1 = call_at(at(2025, 4, 1, 0, 5))  # 2025/26: its first minutes
    c2 = call_at(at(2025, 6, 10))
    c3 = call_at(at(2025, 9, 1))
    c4 = call_at(at(2026, 1, 15))
    call_at(at(2026, 3, 31, 23, 30))  # 2025/26, never decided
    call_at(at(2026, 4, 1, 0, 10))  # 2026/27

    decide(c00, "accepted", at(2024, 6, 1))  # 2024/25, 31 days
    d0 = decide(c0, "not_accepted", at(2025, 4, 10))  # 2025/26, 10 days
    d1 = decide(c1, "monitoring", at(2025, 4, 21))  # 20 days
    d2 = decide(c2, "not_accepted", at(2025, 7, 10))  # 30 days
    decide(c2, "accepted", at(2025, 8, 15))  # a second decision: counted, not timed
    d3 = decide(c3, "serious_failure", at(2025, 9, 5))  # 4 days
    decide(c4, "accepted", at(2026, 4, 1, 0, 30))  # 2026/27

    appeal(d0, at(2025, 4, 20), reference="A-1", decided=at(2025, 5, 1), outcome="dismissed")
    appeal(d2, at(2025, 7, 20), reference="A-2", decided=at(2025, 8, 1), outcome="upheld")
    appeal(d1, at(2026, 4, 5), reference="A-3")  # 2026/27

    year_page = programme.add_child(
        instance=ProgrammeYearPage(title="Programme 2025/26", slug="2025-26", financial_year=2025)
    )
    reported = review_in(year_page, "Review of repairs", "reported")
    completed = review_in(year_page, "Review of complaints", "completed")
    running = review_in(year_page, "Review of lettings", "in_review")
    review_in(year_page, "Review of estates", "scheduled")

    rec1 = recommend(reported, "One", response="accepted")
    act(recommendation=rec1, due=D(2026, 1, 1), status="done", completed=D(2025, 12, 1))
    rec2 = recommend(reported, "Two", response="partly_accepted")
    act(recommendation=rec2, due=D(2026, 1, 1), status="done", completed=D(2026, 1, 10))
    act(recommendation=rec2, due=D(2026, 2, 1), status="in_progress")  # overdue at year end
    recommend(reported, "Three", response="not_accepted")
    rec4 = recommend(reported, "Four")  # no response yet, but its actions are done
    act(recommendation=rec4, due=D(2025, 11, 1), status="cancelled")
    # Done after the year ended: implemented now, overdue at the year's end.
    act(recommendation=rec4, due=D(2026, 3, 1), status="done", completed=D(2026, 5, 1))
    rec5 = recommend(completed, "Five", response="accepted")
    act(recommendation=rec5, due=D(2026, 3, 1), status="done")
    rec6 = recommend(running, "Six", response="accepted")  # its report is not published
    act(recommendation=rec6, due=D(2026, 3, 31), status="not_started")  # due on the last day
    act(recommendation=rec6, due=D(2026, 3, 1), status="done", completed=D(2026, 3, 15))
    act(decision=d3, due=D(2025, 10, 1))  # serious failure's action, overdue
    return {"year_page": year_page, "programme": programme}


EXPECTED_2025 = {
    "calls_received": 5,
    "decisions": 5,
    "accepted": 1,
    "not_accepted": 2,
    "monitoring": 1,
    "serious_failure": 1,
    "appealed": 2,
    "appeals_upheld": 1,
    "median_days_to_decision": 15.0,
    "calls_timed": 4,
    "reviews_in_programme": 4,
    "reviews_completed": 2,
    "reviews_minimum": 3,
    "recommendations_made": 5,
    "recommendations_accepted": 3,
    "recommendations_implemented": 3,
    "actions_overdue": 3,
}


def figures(outcomes: Outcomes) -> dict:
    return {name: getattr(outcomes, name) for name in EXPECTED_2025}


def test_every_figure_of_a_closed_year(known_data):
    outcomes = outcomes_for_year(2025, today=D(2026, 12, 2))
    assert figures(outcomes) == EXPECTED_2025
    assert outcomes.closed
    assert (outcomes.first_day, outcomes.last_day) == (D(2025, 4, 1), D(2026, 3, 31))
    assert outcomes.overdue_as_at == D(2026, 3, 31)
    assert outcomes.year_label == "2025/26"
    assert not outcomes.minimum_met


def test_the_year_before_counts_only_its_own(known_data):
    outcomes = outcomes_for_year(2024, today=D(2026, 12, 2))
    assert figures(outcomes) == {
        **dict.fromkeys(EXPECTED_2025, 0),
        "calls_received": 2,
        "decisions": 1,
        "accepted": 1,
        "median_days_to_decision": 31.0,
        "calls_timed": 1,
        "reviews_minimum": 3,
    }
    assert outcomes.overdue_as_at == D(2025, 3, 31)


def test_the_current_year_counts_so_far_and_overdue_today(known_data):
    outcomes = outcomes_for_year(2026, today=D(2026, 4, 10))
    assert not outcomes.closed
    assert outcomes.overdue_as_at == D(2026, 4, 10)
    assert outcomes.calls_received == 1
    assert (outcomes.decisions, outcomes.accepted) == (1, 1)
    assert outcomes.appealed == 1
    # c4 arrived 15 January and was decided 1 April: 76 days.
    assert (outcomes.median_days_to_decision, outcomes.calls_timed) == (76.0, 1)
    # Past due and not done on 10 April: rec2's, rec6's (due 31 March), the serious failure's,
    # and rec4's done only on 1 May.
    assert outcomes.actions_overdue == 4


def test_a_year_not_started_is_refused():
    with pytest.raises(YearNotStarted, match="2027/28 has not started"):
        outcomes_for_year(2027, today=D(2027, 3, 31))


def test_the_start_month_comes_from_the_settings(known_data):
    from scrutiny.models import ScrutinySettings

    settings = ScrutinySettings.load()
    settings.financial_year_start_month = 1
    settings.save()
    outcomes = outcomes_for_year(2025, today=D(2026, 12, 2))
    assert (outcomes.first_day, outcomes.last_day) == (D(2025, 1, 1), D(2025, 12, 31))
    # c0 (31 March 2025) to c3 (1 September 2025); c4 arrived in 2026.
    assert outcomes.calls_received == 4


def test_the_median_of_an_odd_number_and_of_none(programme):
    assert outcomes_for_year(2025, today=D(2026, 12, 2)).median_days_to_decision is None
    for days in (3, 9, 40):
        call = call_at(at(2025, 5, 1))
        decide(call, "accepted", at(2025, 5, 1) + datetime.timedelta(days=days))
    outcomes = outcomes_for_year(2025, today=D(2026, 12, 2))
    assert (outcomes.median_days_to_decision, outcomes.median_days_label) == (9.0, "9")


def test_queries_do_not_grow_with_the_data(known_data):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            outcomes_for_year(2025, today=D(2026, 12, 2))
        return len(queries)

    count_queries()  # the first run reads what is cached afterwards (content types)
    before = count_queries()
    year_page = known_data["year_page"]
    for index in range(5):
        call = call_at(at(2025, 6, 1))
        decision = decide(call, "not_accepted", at(2025, 7, 1))
        appeal(decision, at(2025, 7, 5), reference=f"B-{index}")
        review = review_in(year_page, f"Review number {index}", "reported")
        recommendation = recommend(review, "More", response="accepted")
        act(recommendation=recommendation, due=D(2025, 8, 1))
    assert count_queries() == before
    assert before <= 12  # ten for calls, reviews and actions; two for training and time
    outcomes = outcomes_for_year(2025, today=D(2026, 12, 2))
    assert outcomes.calls_received == 10
    assert outcomes.recommendations_made == 10
    assert outcomes.actions_overdue == 8


def test_the_snapshot_round_trips():
    outcomes = Outcomes(
        year=2025,
        first_day=D(2025, 4, 1),
        last_day=D(2026, 3, 31),
        taken_on=D(2026, 4, 2),
        overdue_as_at=D(2026, 3, 31),
        closed=True,
        calls_received=7,
        median_days_to_decision=12.5,
    )
    assert Outcomes.from_json(outcomes.to_json()) == outcomes
    assert Outcomes.from_json({}) is None
    assert Outcomes.from_json({"year": 2025}) is None
    assert outcomes.median_days_label == "12.5"


# The admin screen.


def login(client, user):
    client.login(username=user.username, password=PASSWORD)


INDEX = "scrutiny_outcomes:index"


@pytest.mark.parametrize("role", ["officer", "manager", "panel"])
def test_officers_managers_and_panel_see_the_figures(client, staff, known_data, role):
    login(client, staff[role])
    response = client.get(reverse(INDEX), {"year": 2025})
    assert response.status_code == 200
    html = response.content.decode()
    outcomes = response.context["outcomes"]
    assert figures(outcomes) == figures(outcomes_for_year(2025))
    assert '<svg class="outcome-chart__svg" role="img"' in html
    assert (
        '<title id="chart-decisions-title">'
        "Decisions on calls for scrutiny, with calls accepted on appeal, 2025/26</title>"
    ) in html
    assert 'aria-labelledby="chart-decisions-title chart-decisions-desc"' in html
    assert "Accepted for review: 1; Not accepted yet: 2; Referred for monitoring: 1; " in html
    assert "<caption>Recommendations from reviews, 2025/26: the figures</caption>" in html
    assert '<tr><th scope="row">Implemented</th><td>3</td></tr>' in html
    assert "Median days from call to first decision" in html
    assert reverse("scrutiny_outcomes:csv", args=[2025]) in html


@pytest.mark.parametrize("role", ["comms", "appeal"])
def test_communications_and_the_appeal_panel_do_not(client, staff, role):
    login(client, staff[role])
    assert admin_refusal(client.get(reverse(INDEX)))
    assert admin_refusal(client.get(reverse("scrutiny_outcomes:csv", args=[2025])))
    assert admin_refusal(client.post(reverse("scrutiny_outcomes:report", args=[2025])))
    assert not OutcomesReportPage.objects.exists()


def test_the_menu_item_shows_to_those_who_may_see(client, staff):
    login(client, staff["panel"])
    assert "Outcomes report" in client.get(reverse("wagtailadmin_home")).content.decode()
    client.logout()
    login(client, staff["comms"])
    assert "Outcomes report" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_default_year_is_the_last_closed_one(client, staff):
    login(client, staff["officer"])
    response = client.get(reverse(INDEX))
    assert response.context["outcomes"].year == last_closed_financial_year()


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("abc", "Choose a financial year from the list."),
        ("2099", "2099/00 has not started yet"),
        ("1990", "There are no figures before"),
    ],
)
def test_a_bad_year_gets_a_clear_message(client, staff, year, message):
    login(client, staff["manager"])
    response = client.get(reverse(INDEX), {"year": year})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "outcomes" not in response.context


def test_the_csv_has_the_year_and_every_figure(client, staff, known_data):
    login(client, staff["manager"])
    response = client.get(reverse("scrutiny_outcomes:csv", args=[2025]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "scrutiny-outcomes-2025-26.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1] == ["Financial year", "2025/26"]
    assert rows[2] == ["First day", "2025-04-01"]
    assert rows[3] == ["Last day", "2026-03-31"]
    table = dict(row for row in rows[rows.index(["Figure", "Value"]) + 1 :])
    assert table["Calls for scrutiny received"] == "5"
    assert table["Median days from call to first decision"] == "15"
    assert table["Minimum reviews a year"] == "3 (not met)"
    assert table["Recommendations accepted (fully or partly)"] == "3"
    assert table["Actions overdue on 31 March 2026"] == "3"
    # Seventeen figures, the calls accepted on appeal, and three of training and time given.
    assert len(table) == 21


def test_the_csv_guards_against_formulas(client, staff):
    from scrutiny.models import ScrutinySettings

    settings = ScrutinySettings.load()
    settings.organisation_name = '=HYPERLINK("http://evil")'
    settings.save()
    login(client, staff["officer"])
    response = client.get(reverse("scrutiny_outcomes:csv", args=[last_closed_financial_year()]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][1] == '\'=HYPERLINK("http://evil")'


def test_the_csv_of_a_year_out_of_range_redirects_with_a_message(client, staff):
    login(client, staff["officer"])
    response = client.get(reverse("scrutiny_outcomes:csv", args=[2099]), follow=True)
    assert "There are no outcome figures for 2099/00" in response.content.decode()


# The public report page and drafting it.


def publish(page):
    page.get_latest_revision().publish()
    page.refresh_from_db()
    return page


def test_an_officer_drafts_the_report_from_the_screen(client, staff, known_data):
    login(client, staff["officer"])
    response = client.post(reverse("scrutiny_outcomes:report", args=[2025]), follow=True)
    assert "drafted with today" in response.content.decode()
    page = OutcomesReportPage.objects.get()
    assert not page.live
    assert page.financial_year == 2025
    assert page.get_parent().specific == known_data["programme"]
    assert figures(page.outcomes) == figures(outcomes_for_year(2025))
    assert page.get_latest_revision().user == staff["officer"]
    assert PageLogEntry.objects.filter(
        page=page, action="scrutiny.outcomes.draft", user=staff["officer"]
    ).exists()


def test_the_panel_may_not_draft_or_refresh(staff, known_data):
    with pytest.raises(PermissionDenied):
        pipeline.outcomes_report_draft(year=2025, user=staff["panel"])
    page, _ = pipeline.outcomes_report_draft(year=2025, user=staff["officer"])
    with pytest.raises(PermissionDenied):
        pipeline.outcomes_report_refresh(page=page, user=staff["manager"])


def test_the_current_year_is_not_drafted(staff, programme):
    with pytest.raises(pipeline.TransitionNotAllowed, match="not over yet"):
        pipeline.outcomes_report_draft(year=2026, user=staff["officer"], today=D(2026, 12, 2))
    assert not OutcomesReportPage.objects.exists()


def test_a_draft_is_refreshed_and_a_published_report_is_not(staff, known_data):
    page, created = pipeline.outcomes_report_draft(year=2025, user=staff["officer"])
    assert created and page.outcomes.calls_received == 5
    call_at(at(2025, 10, 1))
    page = pipeline.outcomes_report_refresh(page=page, user=staff["officer"])
    assert page.outcomes.calls_received == 6
    assert page.get_latest_revision_as_object().outcomes.calls_received == 6
    assert PageLogEntry.objects.filter(page=page, action="scrutiny.outcomes.refresh").exists()

    publish(page)
    call_at(at(2025, 10, 2))
    with pytest.raises(pipeline.TransitionNotAllowed, match="is published"):
        pipeline.outcomes_report_refresh(page=page, user=staff["officer"])
    page.refresh_from_db()
    assert page.outcomes.calls_received == 6


def test_the_public_page_shows_the_frozen_figures(client, staff, known_data):
    page, _ = pipeline.outcomes_report_draft(year=2025, user=staff["officer"])
    publish(page)
    for _ in range(3):
        call_at(at(2025, 10, 1))  # later data does not change the published report

    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Scrutiny outcomes 2025/26</h1>" in html
    assert '<tr><th scope="row">Calls for scrutiny received</th><td>5</td></tr>' in html
    assert (
        '<tr><th scope="row">Median days from call to first decision</th><td>15</td></tr>' in html
    )
    assert '<tr><th scope="row">Reviews completed (report published)</th><td>2</td></tr>' in html
    assert '<tr><th scope="row">Minimum reviews a year</th><td>3 (not met)</td></tr>' in html
    assert '<title id="chart-recommendations-title">Recommendations from reviews, 2025/26' in html
    assert '<tr><th scope="row">Made</th><td>5</td></tr>' in html

    index = client.get(known_data["programme"].url).content.decode()
    assert f'<a href="{page.url}">Scrutiny outcomes 2025/26</a>' in index


def test_a_draft_report_is_not_listed_or_public(client, staff, known_data):
    page, _ = pipeline.outcomes_report_draft(year=2025, user=staff["officer"])
    assert "Scrutiny outcomes" not in client.get(known_data["programme"].url).content.decode()
    assert client.get("/scrutiny-programme/outcomes-2025-26/").status_code == 404
    assert page.url_path.endswith("/outcomes-2025-26/")


def test_the_task_drafts_once_and_tells_officers_and_communications(
    staff, known_data, django_capture_on_commit_callbacks
):
    year = last_closed_financial_year()
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.draft_outcomes_report()
    page = OutcomesReportPage.objects.get()
    assert first == page.pk
    assert page.financial_year == year and not page.live
    assert PageLogEntry.objects.filter(
        page=page, action="scrutiny.outcomes.draft", user=None
    ).exists()
    sent = [message for message in mail.outbox if "outcomes report" in message.subject]
    assert len(sent) == 1
    assert set(sent[0].to) == {staff["officer"].email, staff["comms"].email}

    publish(page)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.draft_outcomes_report() is None
    assert OutcomesReportPage.objects.count() == 1
    assert len([m for m in mail.outbox if "outcomes report" in m.subject]) == 1
    assert OutcomesReportPage.objects.get().figures == page.figures


def test_the_task_waits_for_a_programme_page(db):
    assert tasks.draft_outcomes_report() is None
    assert not OutcomesReportPage.objects.exists()


def test_the_schedule_exists(db):
    from django_q.models import Schedule

    assert Schedule.objects.filter(func="scrutiny.tasks.draft_outcomes_report").exists()


def test_communications_edit_the_report_page_and_staff_find_the_figures(client, staff, known_data):
    page, _ = pipeline.outcomes_report_draft(year=2025, user=staff["officer"])
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    login(client, staff["comms"])
    response = client.get(edit_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="introduction"' in html
    assert 'name="financial_year"' not in html  # shown, not editable
    assert "Outcome figures" not in html
    client.logout()
    login(client, staff["admin"])
    html = client.get(edit_url).content.decode()
    assert reverse(INDEX) + "?year=2025" in html


def test_the_page_type_is_not_added_by_hand(programme):
    assert not OutcomesReportPage.is_creatable
    assert OutcomesReportPage in ProgrammeIndexPage.allowed_subpage_models()


# The outcomes report as a tagged, accessible PDF (issue 19).


def test_the_published_outcomes_report_has_a_tagged_pdf_with_every_section(
    client, staff, known_data
):
    from io import BytesIO

    from pypdf import PdfReader

    from tests.scrutiny.pdfs import pdf_structure

    page, _ = pipeline.outcomes_report_draft(year=2025, user=staff["officer"])
    assert client.get("/scrutiny-programme/outcomes-2025-26/pdf/").status_code == 404
    publish(page)
    response = client.get(page.url + "pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    catalog, metadata, types = pdf_structure(response.content)
    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert metadata.title == "Scrutiny outcomes 2025/26"
    assert types.count("/H1") == 1
    assert types.count("/H2") == len(page.outcomes.sections()) + 2
    assert "/Table" in types and "/TH" in types
    reader = PdfReader(BytesIO(response.content))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    html = client.get(page.url).content.decode()
    for heading, rows in page.outcomes.sections():
        assert heading in text and heading in html
        for label, value in rows:
            assert f"{label} {value}" in text
    assert "How the figures are counted" in text
    assert "Calls for scrutiny received 5" in text
    assert re.search(r"\(PDF, \d+ (KB|bytes)\)", html)
    assert f'href="{page.url}pdf/"' in html


def test_an_appeal_that_ends_in_acceptance_counts_as_an_accepted_call(staff):
    """The seed: the panel reports the outcomes scrutiny achieved; an appeal that accepts a
    call is a call accepted, though the panel itself never decided to accept it."""
    call, _ = decided_call(staff)
    appealed = submit_appeal(call)
    pipeline.appeal_convene(appeal=appealed, members=eligible_members(4), user=staff["officer"])
    appealed.refresh_from_db()
    pipeline.appeal_decide(
        appeal=appealed,
        outcome="upheld",
        direction="accept",
        reasons="The evidence is strong enough.",
        user=staff["officer"],
    )
    call.refresh_from_db()
    assert call.status == CallStatus.ACCEPTED
    today = timezone.localdate()
    outcomes = outcomes_for_year(financial_year_of(today), today=today)
    assert outcomes.accepted == 1
    assert outcomes.accepted_on_appeal == 1
    assert outcomes.appeals_upheld == 1
    assert ("Of which accepted on appeal", "1") in outcomes.rows()
    assert outcomes.decisions == 1  # the panel's own decision, which was not to accept


def test_an_upheld_appeal_returning_the_call_is_not_an_acceptance(staff):
    call, _ = decided_call(staff)
    appealed = submit_appeal(call)
    pipeline.appeal_convene(appeal=appealed, members=eligible_members(4), user=staff["officer"])
    appealed.refresh_from_db()
    pipeline.appeal_decide(
        appeal=appealed,
        outcome="upheld",
        direction="return_to_panel",
        reasons="The panel should look again.",
        user=staff["officer"],
    )
    today = timezone.localdate()
    outcomes = outcomes_for_year(financial_year_of(today), today=today)
    assert (outcomes.accepted, outcomes.accepted_on_appeal, outcomes.appeals_upheld) == (0, 0, 1)
