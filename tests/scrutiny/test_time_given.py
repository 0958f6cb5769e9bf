"""Training and time given, from the Citizen FAQ (seeds/000_140bd629c6e9f028.txt):

"You will also be given opportunities to develop your skills and knowledge through training."
"Around 24 days per year ... includes attending meetings and events ... plus time to undertake
scrutiny activities such as customer and staff interviews, reviewing detailed performance
information, training and other activities."
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from scrutiny import pipeline, selectors
from scrutiny.financial_years import financial_year_bounds, financial_year_of
from scrutiny.models import ScrutinySettings, TimeEntry, TrainingSession
from scrutiny.outcomes import outcomes_for_year
from tests.conftest import PASSWORD
from tests.scrutiny.membership_builders import make_member

pytestmark = pytest.mark.django_db


def url(model: str, name: str, *args) -> str:
    return reverse(f"wagtailsnippets_scrutiny_{model}:{name}", args=args)


def today() -> date:
    return timezone.localdate()


def session(days_from_today: int = -7, hours: str = "7", **fields) -> TrainingSession:
    return TrainingSession.objects.create(
        title=fields.pop("title", "Scrutiny skills"),
        held_on=today() + timedelta(days=days_from_today),
        provider="TPAS",
        hours=Decimal(hours),
        cost=Decimal("120"),
        **fields,
    )


def attended(member, officer, held: TrainingSession):
    """A place offered, booked before the day and marked attended after it."""
    (place,) = pipeline.training_offer(session=held, members=[member], user=officer)
    day = held.held_on
    with _on(day - timedelta(days=1)):
        place = pipeline.training_place_move(place=place, move="book", user=member.user)
    with _on(day):
        return pipeline.training_place_move(place=place, move="attend", user=officer)


class _on:
    """Let the process see a given day as today."""

    def __init__(self, day: date):
        from unittest import mock

        moment = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))
        self.patch = mock.patch("django.utils.timezone.now", return_value=moment.replace(hour=12))

    def __enter__(self):
        self.patch.start()

    def __exit__(self, *exc):
        self.patch.stop()


def days(member) -> Decimal:
    return selectors.member_commitments(member, year=financial_year_of(today())).days.done


def test_training_attended_adds_its_hours_to_the_members_days(staff):
    member = make_member()
    before = days(member)
    attended(member, staff["officer"], session(days_from_today=0, hours="7"))
    # Seven hours is one day at the default seven hours a day.
    assert days(member) == before + 1


def test_training_booked_but_missed_adds_nothing(staff):
    member = make_member()
    held = session(days_from_today=0)
    (place,) = pipeline.training_offer(session=held, members=[member], user=staff["officer"])
    pipeline.training_place_move(place=place, move="book", user=member.user)
    pipeline.training_place_move(place=place, move="miss", user=staff["officer"])
    assert days(member) == 0


def test_a_members_logged_interview_time_counts_towards_the_24_days(staff):
    member = make_member()
    config = ScrutinySettings.load()
    assert config.commitment_days_per_year == 24
    entry = pipeline.time_log(
        user=member.user,
        activity="interviews",
        worked_on=today(),
        hours=Decimal("3.5"),
        note="Interviewed three tenants about repairs",
    )
    commitments = selectors.member_commitments(member, year=financial_year_of(today()))
    assert commitments.days.done == Decimal("0.5")
    assert commitments.days.target == 24
    pipeline.time_withdraw(entry=entry, user=member.user)
    assert days(member) == 0


def test_the_hours_in_a_day_are_configuration(staff):
    config = ScrutinySettings.load()
    config.hours_per_day = Decimal("5")
    config.save()
    member = make_member()
    pipeline.time_log(user=member.user, activity="evidence", worked_on=today(), hours=Decimal("5"))
    assert days(member) == 1


def test_attendance_is_recorded_only_after_the_session_and_booking_only_before(staff):
    member = make_member()
    coming = session(days_from_today=10)
    (place,) = pipeline.training_offer(session=coming, members=[member], user=staff["officer"])
    place = pipeline.training_place_move(place=place, move="book", user=member.user)
    with pytest.raises(pipeline.TransitionNotAllowed, match="once it has taken place"):
        pipeline.training_place_move(place=place, move="attend", user=staff["officer"])
    past = session(days_from_today=-3, title="Reading accounts")
    (late,) = pipeline.training_offer(session=past, members=[member], user=staff["officer"])
    with pytest.raises(pipeline.TransitionNotAllowed, match="already taken place"):
        pipeline.training_place_move(place=late, move="book", user=member.user)


def test_a_member_books_only_their_own_place_and_logs_only_their_own_time(staff):
    member, other = make_member(), make_member("other")
    held = session(days_from_today=5)
    places = pipeline.training_offer(session=held, members=[member, other], user=staff["officer"])
    theirs = next(place for place in places if place.member == other)
    with pytest.raises(PermissionDenied):
        pipeline.training_place_move(place=theirs, move="book", user=member.user)
    with pytest.raises(PermissionDenied):
        pipeline.time_log(
            user=member.user, member=other, activity="other", worked_on=today(), hours=Decimal(1)
        )
    # An officer logs time for a member who asks, and is named as who logged it.
    entry = pipeline.time_log(
        user=staff["officer"], member=other, activity="site_visit", worked_on=today(), hours=2
    )
    assert entry.logged_by == staff["officer"]
    assert days(other) == Decimal("0.3")


def test_offering_twice_keeps_the_first_place(staff):
    member = make_member()
    held = session(days_from_today=5)
    assert len(pipeline.training_offer(session=held, members=[member], user=staff["officer"])) == 1
    assert pipeline.training_offer(session=held, members=[member], user=staff["officer"]) == []


def test_time_cannot_be_logged_for_a_day_to_come(staff):
    member = make_member()
    with pytest.raises(pipeline.TransitionNotAllowed, match="future"):
        pipeline.time_log(
            user=member.user,
            activity="interviews",
            worked_on=today() + timedelta(days=1),
            hours=Decimal(2),
        )
    assert not TimeEntry.objects.exists()


def test_the_dashboard_flags_members_far_below_or_above_their_share(client, staff):
    first, last = financial_year_bounds(financial_year_of(today()))
    halfway = first + (last - first) / 2
    busy, idle, steady = make_member("busy"), make_member("idle"), make_member("steady")
    with _on(halfway):
        # Halfway through the year the share is about 12 of 24 days.
        for _ in range(20):  # twenty days: far above the twelve
            pipeline.time_log(
                user=busy.user, activity="evidence", worked_on=halfway, hours=Decimal(7)
            )
        for _ in range(12):
            pipeline.time_log(
                user=steady.user, activity="interviews", worked_on=halfway, hours=Decimal(7)
            )
        flags = {flag.commitments.member: flag for flag in selectors.members_far_from_days()}
    assert set(flags) == {busy, idle}
    assert flags[idle].below and not flags[busy].below
    assert flags[idle].expected == pytest.approx(Decimal(12), abs=Decimal("0.2"))


def test_the_officers_dashboard_lists_the_flagged_members(client, staff):
    make_member("idle")
    assert client.login(username="officer", password=PASSWORD)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "far from the yearly days" in page
    assert "Far below" in page


def test_the_yearly_outcomes_count_training_hours(staff):
    member = make_member()
    attended(member, staff["officer"], session(days_from_today=0, hours="6"))
    pipeline.time_log(user=member.user, activity="interviews", worked_on=today(), hours=2)
    outcomes = outcomes_for_year(financial_year_of(today()), today=today())
    assert outcomes.training_sessions == 1
    assert outcomes.training_hours == 6
    assert outcomes.logged_hours == 2
    assert ("Hours of training attended by members", "6") in outcomes.rows()


def test_a_member_logs_time_in_the_admin_and_sees_only_their_own(client, staff):
    member, other = make_member(), make_member("other")
    theirs = pipeline.time_log(user=other.user, activity="other", worked_on=today(), hours=1)
    assert client.login(username="member", password=PASSWORD)
    response = client.post(
        url("timeentry", "add"),
        {"activity": "interviews", "worked_on": today().isoformat(), "hours": "2.5", "note": "x"},
    )
    entry = TimeEntry.objects.get(member=member)
    assert response.status_code == 302
    assert response["Location"] == url("timeentry", "inspect", entry.pk)
    listing = client.get(url("timeentry", "list")).content.decode()
    assert "2.5 hours" in listing and "1.0 hours" not in listing
    assert client.get(url("timeentry", "inspect", theirs.pk)).status_code == 404
    assert client.post(url("timeentry", "withdraw", theirs.pk)).status_code == 404


@pytest.mark.parametrize(
    ("hours", "message"),
    [("", "Enter the hours"), ("0", "at least half an hour"), ("30", "at most 12 hours")],
)
def test_bad_hours_get_a_message_and_nothing_is_saved(client, staff, hours, message):
    make_member()
    assert client.login(username="member", password=PASSWORD)
    response = client.post(
        url("timeentry", "add"),
        {"activity": "interviews", "worked_on": today().isoformat(), "hours": hours},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TimeEntry.objects.exists()


def test_an_officer_offers_places_and_a_member_books_in_the_admin(client, staff):
    member = make_member()
    held = session(days_from_today=14)
    assert client.login(username="officer", password=PASSWORD)
    client.post(url("trainingsession", "offer", held.pk), {"members": [member.pk]})
    place = held.places.get()
    assert place.status == "offered"
    client.logout()
    assert client.login(username="member", password=PASSWORD)
    page = client.get(url("trainingsession", "inspect", held.pk)).content.decode()
    assert ">Book<" in page or ">Book<span" in page
    client.post(url("trainingsession", "place", place.pk), {"move": "book"})
    place.refresh_from_db()
    assert place.status == "booked"
    # The member's record shows the session.
    client.logout()
    assert client.login(username="officer", password=PASSWORD)
    record = client.get(url("panelmember", "inspect", member.pk)).content.decode()
    assert "Scrutiny skills" in record and "Booked" in record
