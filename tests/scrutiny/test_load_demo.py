"""load_demo: either seed organisation, refusing to overwrite content unless asked, and the
demo's dates moved to the day it is loaded."""

import datetime
import re
from contextlib import contextmanager
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry, Page, Site

from home.models import HomePage, StandardPage
from scrutiny import permissions, pipeline, selectors
from scrutiny.demo import DemoFixture, demo_dump, demo_load, fixture_read
from scrutiny.demo_dates import DemoMove, demo_move_between, demo_records_move
from scrutiny.financial_years import current_financial_year, financial_year_of
from scrutiny.models import (
    ActionItem,
    Appeal,
    BusinessArea,
    CallForScrutiny,
    CallStatus,
    OutcomesReportPage,
    PanelApplication,
    PanelDecision,
    PanelMeeting,
    Petition,
    PetitionStatus,
    ProgrammeYearPage,
    ReferenceCounter,
    Score,
    ScrutinyReviewPage,
    ScrutinySettings,
)
from scrutiny.models.decisions import CALL_STATUS_FOR_OUTCOME
from scrutiny.outcomes import Outcomes, last_closed_financial_year
from tests.conftest import make_business_area

pytestmark = pytest.mark.django_db

PROFILES = {
    "pine-court": ("Pine Court Housing", "Customer Empowerment Panel", "EMT and Board"),
    "citizen": ("Citizen Homes", "Customer Scrutiny Panel", "Customer Assurance Committee"),
}


@pytest.mark.parametrize("profile", list(PROFILES))
def test_each_profile_loads_its_names_pages_areas_and_accounts(profile):
    call_command("load_demo", profile=profile)
    settings = ScrutinySettings.load()
    expected = PROFILES[profile]
    assert (settings.organisation_name, settings.panel_name, settings.oversight_body) == expected
    home = Site.objects.get(is_default_site=True).root_page.specific
    assert isinstance(home, HomePage)
    how = StandardPage.objects.get(slug="how-scrutiny-works")
    assert how.live and how.show_in_menus
    assert BusinessArea.objects.count() >= 6
    # Each head of operations is an account that can sign in (Communications, no scrutiny group).
    for area in BusinessArea.objects.select_related("head_of_operations"):
        assert permissions.may_be_named(area.head_of_operations)
        assert list(area.head_of_operations.groups.values_list("name", flat=True)) == [
            "Communications"
        ]
    for username, group in [
        ("comms", "Communications"),
        ("officer", "Scrutiny officers"),
        ("panel", "Panel members"),
        ("appeal", "Appeal panel"),
        ("manager", "Managers"),
    ]:
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert user.check_password("scrutiny-demo")
    assert User.objects.get(username="admin").is_superuser
    # Fixtures leave the petitions' running counts at nought; loading counts them.
    petitions = list(Petition.objects.all())
    assert petitions and any(petition.people_counted for petition in petitions)
    for petition in petitions:
        assert petition.people_counted == pipeline.petition_count(petition)


def test_the_demo_pages_are_served(client):
    call_command("load_demo")
    for path in ["/", "/how-scrutiny-works/"]:
        response = client.get(path)
        assert response.status_code == 200
    assert "What does the panel do?" in client.get("/how-scrutiny-works/").content.decode()


@pytest.mark.parametrize("profile", list(PROFILES))
def test_each_decided_call_reads_as_decided_at_its_meeting(profile):
    """A decision's history row carries the evening of the meeting that took it, not the day the
    demo was written, and a call's history never goes back to an earlier stage after it."""
    call_command("load_demo", profile=profile)
    decisions = PanelDecision.objects.select_related("call", "meeting")
    assert decisions
    for decision in decisions:
        call = decision.call
        status = CALL_STATUS_FOR_OUTCOME[decision.outcome]
        rows = list(call.history.order_by("history_date", "history_id"))
        first_decided = next(row for row in rows if row.status == status)
        assert decision.meeting.starts_at <= first_decided.history_date, call
        assert first_decided.history_date <= decision.decided_at, call
        before = [row.status for row in rows if row.history_date < first_decided.history_date]
        assert status not in before
        assert before[-1] == CallStatus.AWAITING_PANEL, (call, before)


def test_an_unknown_profile_is_refused_in_one_line():
    with pytest.raises(CommandError, match="Unknown profile 'nowhere'. Choose one of"):
        call_command("load_demo", profile="nowhere")
    assert not BusinessArea.objects.exists()


def test_existing_content_is_kept_without_reset():
    make_business_area("Our own area")
    with pytest.raises(CommandError, match="already has content"):
        call_command("load_demo")
    assert list(BusinessArea.objects.values_list("name", flat=True)) == ["Our own area"]
    assert list(User.objects.values_list("username", flat=True)) == ["dana.price"]  # its head


def test_if_empty_keeps_existing_content_and_succeeds():
    make_business_area("Our own area")
    call_command("load_demo", if_empty=True)
    assert list(BusinessArea.objects.values_list("name", flat=True)) == ["Our own area"]


def test_reset_replaces_the_content():
    call_command("load_demo", profile="citizen")
    call_command("load_demo", profile="pine-court", reset=True)
    assert ScrutinySettings.load().organisation_name == "Pine Court Housing"
    assert Page.objects.filter(depth=2).count() == 1
    assert User.objects.filter(username="admin").count() == 1


def test_without_a_demo_password_nothing_is_loaded(settings):
    settings.SCRUTINY_DEMO_PASSWORD = None
    with pytest.raises(CommandError, match="development only"):
        call_command("load_demo")
    assert not BusinessArea.objects.exists()


# The demo's dates: a fixture says the day it was written, and loading moves it to today.

MOVE = DemoMove(days=200, years=1, start_month=4, reference_prefixes=("APL", "CCS"))
PROSE_DATE = re.compile(r"\d{1,2} [A-Z][a-z]+ \d{4}")


@pytest.mark.parametrize(
    ("written", "moved"),
    [
        ("Formal meeting, 5 December 2026", "Formal meeting, 23 June 2027"),
        ("Saturday 5 December 2026, 18:00", "Wednesday 23 June 2027, 18:00"),
        ("Sat, 5 Dec 2026", "Wed, 23 Jun 2027"),
        (
            "[2 December 2026 02:05, Olu Officer] Shortlisted",
            "[20 June 2027 02:05, Olu Officer] Shortlisted",
        ),
        ("April 2026 to March 2027", "April 2027 to March 2028"),
        ("Programme of scrutiny 2026/27", "Programme of scrutiny 2027/28"),
        (
            "/home/scrutiny-programme/outcomes-2025-26/",
            "/home/scrutiny-programme/outcomes-2026-27/",
        ),
        ("from 2026-2027", "from 2027-2028"),
        ("CCS-2026-0007: Lettings", "CCS-2027-0007: Lettings"),
        ("ccs-2026-0001", "ccs-2027-0001"),
        ("CCS-2026-2027", "CCS-2027-2027"),
        ("APL-2026-0001: appeal on CCS-2026-0003", "APL-2027-0001: appeal on CCS-2027-0003"),
        ("2026-12-02", "2027-06-20"),
        ("2026-12-02T02:05:23.348Z", "2027-06-20T01:05:23.348Z"),
        ("2026-12-05T18:00:00+00:00", "2027-06-23T17:00:00+00:00"),
        # Not dates, years or references this demo issues: left alone.
        ("CMP-1095, XYZ-2026-0001", "CMP-1095, XYZ-2026-0001"),
        ("expense-receipts/2026/12/receipt.pdf", "expense-receipts/2026/12/receipt.pdf"),
        (
            "12 to 40 Mill Lane, 0151 000 0400, 2026-12",
            "12 to 40 Mill Lane, 0151 000 0400, 2026-12",
        ),
        ("31 February 2026", "31 February 2026"),
    ],
)
def test_text_moves_dates_by_days_and_years_and_references_by_years(written, moved):
    assert MOVE.text(written) == moved


def test_a_snapshot_keeps_the_edges_of_the_financial_year_it_names():
    figures = {"year": 2025, "first_day": "2025-04-01", "last_day": "2026-03-31"}
    figures |= {"taken_on": "2026-12-02", "earlier_year": False, "reviews_minimum": 3}
    assert MOVE.json(figures) == {
        "year": 2026,
        "first_day": "2026-04-01",
        "last_day": "2027-03-31",
        "taken_on": "2027-06-20",
        "earlier_year": False,
        "reviews_minimum": 3,
    }


@pytest.mark.parametrize(
    ("today", "days", "years"),
    [
        (datetime.date(2026, 12, 2), 0, 0),
        (datetime.date(2027, 3, 31), 119, 0),
        (datetime.date(2027, 4, 1), 120, 1),
        (datetime.date(2027, 12, 2), 365, 1),
        (datetime.date(2026, 3, 31), -246, -1),
    ],
)
def test_financial_years_move_by_whole_financial_years(today, days, years):
    move = demo_move_between(written_on=datetime.date(2026, 12, 2), today=today, start_month=4)
    assert (move.days, move.years) == (days, years)


@pytest.mark.parametrize("utc_hour", [0, 1])
def test_a_moment_in_the_hour_the_clocks_go_back_keeps_its_place(utc_hour):
    """01:20 in London on 25 October 2026 happens twice (00:20 and 01:20 UTC): each stays
    itself when the demo is loaded on the day it was written, and keeps its wall time when
    moved."""
    moment = datetime.datetime(2026, 10, 25, utc_hour, 20, tzinfo=datetime.UTC)
    same_day = DemoMove(days=0, years=0, start_month=4)
    assert same_day.moment(moment) == moment
    week_later = DemoMove(days=7, years=0, start_month=4).moment(moment)
    assert timezone.localtime(week_later).strftime("%H:%M") == "01:20"


@pytest.mark.parametrize("profile", list(PROFILES))
def test_each_fixture_says_when_it_was_written_and_is_unchanged_on_that_day(profile):
    fixture = fixture_read(profile)
    assert isinstance(fixture.written_on, datetime.date)
    assert fixture.written_on <= datetime.date.today()
    moved = demo_records_move(
        records=fixture.records, written_on=fixture.written_on, today=fixture.written_on
    )
    assert moved == fixture.records


@contextmanager
def clock_at(day: datetime.date):
    """Make timezone.now(), and so every selector, read noon on a day."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def test_dump_records_the_day_it_ran_beside_the_records(settings, tmp_path):
    demo_load(profile="citizen")
    settings.BASE_DIR = tmp_path
    (tmp_path / "fixtures").mkdir()
    with clock_at(datetime.date(2027, 5, 1)):
        path = demo_dump(profile="citizen")
    assert path.read_text().startswith('{"written_on": "2027-05-01", "records": [\n')
    fixture = fixture_read("citizen")
    assert fixture.written_on == datetime.date(2027, 5, 1)
    users = [record for record in fixture.records if record["model"] == "auth.user"]
    assert users and all(user["fields"]["password"] == "!" for user in users)


def days_from(day: datetime.date, moment: datetime.datetime) -> tuple[int, datetime.time]:
    """How many days after a day a moment falls, and at what local time."""
    local = timezone.localtime(moment)
    return (local.date() - day).days, local.time()


def object_label(entry: ModelLogEntry) -> str | None:
    """How a logged object names itself now (a log label is that name when it was logged)."""
    found = entry.content_type.model_class().objects.filter(pk=entry.object_id).first()
    return None if found is None else str(found)


def demo_shape(today: datetime.date, fixture: DemoFixture) -> dict:
    """What an officer would notice about the loaded demo, measured from a day."""
    year = current_financial_year()
    logged = [r["pk"] for r in fixture.records if r["model"] == "wagtailcore.modellogentry"]
    return {
        "meetings": sorted(
            (meeting.pk, meeting.kind, meeting.status, days_from(today, meeting.starts_at))
            for meeting in PanelMeeting.objects.all()
        ),
        "calls": sorted(
            (
                call.pk,
                call.reference.rsplit("-", 1)[1],
                call.status,
                selectors.call_is_overdue(call),
                days_from(today, call.submitted_at),
            )
            for call in CallForScrutiny.objects.all()
        ),
        "petitions": sorted(
            (
                petition.pk,
                petition.status,
                (petition.closes_on - today).days,
                petition.people_counted,
            )
            for petition in Petition.objects.all()
        ),
        "actions": sorted(
            (item.pk, item.status, (item.due_on - today).days, item.overdue)
            for item in ActionItem.objects.all()
        ),
        "programme years": sorted(
            (page.pk, page.financial_year - year) for page in ProgrammeYearPage.objects.all()
        ),
        "outcomes years": sorted(
            (page.pk, page.financial_year - year) for page in OutcomesReportPage.objects.all()
        ),
        "scores": sorted(
            (score.pk, score.financial_year - year, score.review_id)
            for score in Score.objects.all()
        ),
        "log labels that name their object as it reads now": sorted(
            entry.pk
            for entry in ModelLogEntry.objects.filter(pk__in=logged)
            if entry.label == object_label(entry)
        ),
    }


def prose_dates(text: str) -> list[datetime.date]:
    """The dates written as "2 December 2026" in a text."""
    return [
        datetime.datetime.strptime(found, "%d %B %Y").date() for found in PROSE_DATE.findall(text)
    ]


def assert_the_demo_reads_true_today(fixture: DemoFixture, today: datetime.date, client):
    """Meetings ahead, open petitions, this year's programme, prose and references moved."""
    days = (today - fixture.written_on).days
    year = current_financial_year()
    years = year - financial_year_of(fixture.written_on)
    assert PanelMeeting.objects.upcoming_formal().exists()
    waiting = CallForScrutiny.objects.filter(status=CallStatus.AWAITING_PANEL)
    assert waiting and all(call.workflow_in_progress for call in waiting)
    open_petitions = Petition.objects.filter(status=PetitionStatus.OPEN, closes_on__gte=today)
    assert open_petitions.exists()
    for petition in Petition.objects.all():
        assert petition.people_counted == pipeline.petition_count(petition)
        assert petition.slug == petition.call.reference.lower()
    programme = ProgrammeYearPage.objects.get(financial_year=year)
    assert ScrutinyReviewPage.objects.child_of(programme).exists()
    assert Score.objects.filter(financial_year=year, scheduled=True).exists()
    assert programme.slug == f"{year}-{(year + 1) % 100:02d}"
    report = OutcomesReportPage.objects.get()
    outcomes = Outcomes.from_json(report.figures)
    assert report.financial_year == outcomes.year == last_closed_financial_year(today)
    assert outcomes.first_day == datetime.date(outcomes.year, 4, 1)
    assert outcomes.last_day == datetime.date(outcomes.year + 1, 3, 31)

    # Prose dates move by the days, references by the financial years.
    written = {(record["model"], record["pk"]): record["fields"] for record in fixture.records}
    for model, field in [(ActionItem, "progress_notes"), (PanelApplication, "notes")]:
        for obj in model.objects.all():
            before = prose_dates(written[(model._meta.label_lower, obj.pk)][field])
            moved = [day + datetime.timedelta(days=days) for day in before]
            assert prose_dates(getattr(obj, field)) == moved
    references = set(CallForScrutiny.objects.values_list("reference", flat=True))
    references |= set(Appeal.objects.values_list("reference", flat=True))
    for call in CallForScrutiny.objects.all():
        before = written[("scrutiny.callforscrutiny", call.pk)]["reference"]
        prefix, number_year, number = before.split("-")
        assert call.reference == f"{prefix}-{int(number_year) + years}-{number}"
    for entry in ModelLogEntry.objects.all():
        for reference in re.findall(r"[A-Z]{3}-\d{4}-\d{4}", entry.label + str(entry.data)):
            assert reference in references
    counters = {(counter.prefix, counter.year) for counter in ReferenceCounter.objects.all()}
    issued = {(reference[:3], int(reference[4:8])) for reference in references}
    assert counters == issued
    new = pipeline.issue_reference(prefix="CCS", year=timezone.now().year)
    assert new not in references

    # The page tree is sound and its pages are served where their URLs say.
    assert not any(Page.find_problems())
    for page in Page.objects.live().filter(depth__gt=1):
        assert client.get(page.url).status_code == 200, page.url
    for petition in open_petitions:
        assert client.get(selectors.petition_urls(petition)["detail"]).status_code == 200


@pytest.mark.parametrize("profile", list(PROFILES))
def test_the_demo_keeps_its_shape_a_year_and_200_days_after_it_was_written(profile, client):
    fixture = fixture_read(profile)
    written = fixture.written_on
    with clock_at(written):
        demo_load(profile=profile, today=written)
        shape = demo_shape(written, fixture)
        assert PanelMeeting.objects.upcoming_formal().exists()
    assert shape["calls"] and shape["petitions"] and shape["scores"]
    for days in (365, 200):
        today = written + datetime.timedelta(days=days)
        with clock_at(today):
            demo_load(profile=profile, reset=True, today=today)
            assert demo_shape(today, fixture) == shape
            assert_the_demo_reads_true_today(fixture, today, client)
