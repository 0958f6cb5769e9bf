"""Reads about panel membership: financial years, members' commitments, who is below target."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..financial_years import financial_year_bounds, financial_year_label, financial_year_of
from ..models import (
    ExpenseClaim,
    ExpenseStatus,
    MeetingKind,
    MeetingStatus,
    PanelMeeting,
    PanelMember,
    PlaceStatus,
    ScrutinySettings,
    TimeEntry,
    TimeStatus,
    TrainingPlace,
)

# Days each kind of meeting counts towards the yearly commitment. A formal meeting or a review
# session is half a day; an away day or the whole board away day is a full day.
DAYS_PER_MEETING = {
    MeetingKind.FORMAL: Decimal("0.5"),
    MeetingKind.REVIEW_SESSION: Decimal("0.5"),
    MeetingKind.AWAY_DAY: Decimal("1"),
    MeetingKind.BOARD_AWAY_DAY: Decimal("1"),
}


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def attended_meetings(user, year: int):
    """Meetings held (not cancelled) in a financial year that the user attended."""
    first, last = financial_year_bounds(year)
    return PanelMeeting.objects.filter(
        attendees=user, starts_at__gte=_aware(first), starts_at__lt=_aware(last + timedelta(days=1))
    ).exclude(status=MeetingStatus.CANCELLED)


def member_review_count(user, year: int) -> int:
    """Scrutiny reviews the user takes part in from a financial year's programme.

    A review belongs to the year of the programme page it sits under (ProgrammeYearPage's
    financial_year), which is the year it was scheduled for, whatever its dates; a member
    counts once per review they are a ReviewParticipant of, lead or member, whether the
    review is still running or reported.
    """
    from ..models import ProgrammeYearPage, ReviewParticipant

    year_page = ProgrammeYearPage.objects.filter(financial_year=year).first()
    if year_page is None:
        return 0
    return (
        ReviewParticipant.objects.filter(member__user=user, review__path__startswith=year_page.path)
        .values("review")
        .distinct()
        .count()
    )


@dataclass
class Commitment:
    """One commitment: what it is, how many done, how many expected."""

    label: str
    done: int | Decimal
    target: int | Decimal

    @property
    def met(self) -> bool:
        return self.done >= self.target


@dataclass
class MemberCommitments:
    """A member's year: each commitment against its minimum, and days given against the total."""

    member: PanelMember
    year: int
    items: list[Commitment]
    days: Commitment
    months_left: int
    meeting_days: Decimal = Decimal(0)
    training_hours: Decimal = Decimal(0)
    logged_hours: Decimal = Decimal(0)

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)

    @property
    def below_target(self) -> list[Commitment]:
        return [item for item in self.items if not item.met]


def months_left_in_year(year: int, *, today: date | None = None) -> int:
    """Whole and part months left in a financial year from today (0 once it has ended)."""
    today = today or timezone.localdate()
    _first, last = financial_year_bounds(year)
    if today > last:
        return 0
    return (last.year - today.year) * 12 + last.month - today.month + 1


def training_hours(member: PanelMember, year: int) -> Decimal:
    """Hours of training sessions in a financial year that the member attended."""
    first, last = financial_year_bounds(year)
    return TrainingPlace.objects.filter(
        member=member,
        status=PlaceStatus.ATTENDED,
        session__held_on__gte=first,
        session__held_on__lte=last,
    ).aggregate(hours=Sum("session__hours"))["hours"] or Decimal(0)


def logged_hours(member: PanelMember, year: int) -> Decimal:
    """Hours the member logged on scrutiny work in a financial year (withdrawn time not)."""
    first, last = financial_year_bounds(year)
    return TimeEntry.objects.filter(
        member=member, status=TimeStatus.LOGGED, worked_on__gte=first, worked_on__lte=last
    ).aggregate(hours=Sum("hours"))["hours"] or Decimal(0)


def member_commitments(member: PanelMember, *, year: int | None = None) -> MemberCommitments:
    """A member's commitments in a financial year against the settings: meetings attended,
    and days given, which are meeting days plus training attended and time logged."""
    config = ScrutinySettings.load()
    year = year if year is not None else financial_year_of(timezone.localdate())
    counts = dict.fromkeys(MeetingKind.values, 0)
    for kind in attended_meetings(member.user, year).values_list("kind", flat=True):
        counts[kind] += 1
    items = [
        Commitment(
            _("Formal meetings"), counts[MeetingKind.FORMAL], config.minimum_formal_meetings
        ),
        Commitment(
            _("Scrutiny reviews"),
            member_review_count(member.user, year),
            config.minimum_member_reviews,
        ),
        Commitment(_("Away days"), counts[MeetingKind.AWAY_DAY], config.away_days),
        Commitment(
            _("Whole board away days"), counts[MeetingKind.BOARD_AWAY_DAY], config.board_away_days
        ),
    ]
    meeting_days = sum(
        (DAYS_PER_MEETING[kind] * count for kind, count in counts.items()), Decimal(0)
    )
    trained, logged = training_hours(member, year), logged_hours(member, year)
    days = (meeting_days + (trained + logged) / config.hours_per_day).quantize(Decimal("0.1"))
    return MemberCommitments(
        member=member,
        year=year,
        items=items,
        days=Commitment(_("Days given"), days, config.commitment_days_per_year),
        months_left=months_left_in_year(year),
        meeting_days=meeting_days,
        training_hours=trained,
        logged_hours=logged,
    )


def members_serving(*, on: date | None = None):
    """Members whose service has started and not ended."""
    on = on or timezone.localdate()
    return (
        PanelMember.objects.filter(started_on__lte=on)
        .exclude(ended_on__lt=on)
        .select_related("user")
    )


def members_below_target(*, year: int | None = None) -> list[MemberCommitments]:
    """Serving members with a commitment not yet met this financial year."""
    found = []
    for member in members_serving():
        commitments = member_commitments(member, year=year)
        if commitments.below_target:
            found.append(commitments)
    return found


@dataclass
class DaysFlag:
    """A member whose days so far are far from their share of the year's days to date."""

    commitments: MemberCommitments
    expected: Decimal

    @property
    def below(self) -> bool:
        return self.commitments.days.done < self.expected


def members_far_from_days(*, today: date | None = None) -> list[DaysFlag]:
    """Serving members whose days given this year are further than the configured percentage
    below or above the share of the yearly days that the part of the year gone so far is."""
    today = today or timezone.localdate()
    config = ScrutinySettings.load()
    year = financial_year_of(today)
    first, last = financial_year_bounds(year)
    year_days = Decimal((last - first).days + 1)
    margin = Decimal(config.commitment_flag_percent) / 100
    flags = []
    for member in members_serving(on=today):
        # A member who joined in the year is expected to give days from their start only.
        start = max(first, member.started_on)
        served = Decimal((today - start).days + 1) / year_days
        expected = (config.commitment_days_per_year * served).quantize(Decimal("0.1"))
        commitments = member_commitments(member, year=year)
        done = commitments.days.done
        if done < expected * (1 - margin) or done > expected * (1 + margin):
            flags.append(DaysFlag(commitments, expected))
    return flags


def time_visible_to(user):
    """Every member's logged time for officers; a member's own for a member."""
    entries = TimeEntry.objects.select_related("member__user", "review", "logged_by")
    if not user.is_active:
        return entries.none()
    if permissions.may_log_time_for_others(user):
        return entries
    return entries.filter(member__user=user)


def places_visible_to(user):
    """Every place on training for officers; a member's own places for a member."""
    places = TrainingPlace.objects.select_related("member__user", "session")
    if not user.is_active:
        return places.none()
    if permissions.may_manage_places(user):
        return places
    return places.filter(member__user=user)


def payments_and_expenses(year: int) -> list[dict]:
    """Each member's payment and approved expenses in a financial year, for the yearly CSV."""
    config = ScrutinySettings.load()
    first, last = financial_year_bounds(year)
    rows = []
    for member in PanelMember.objects.select_related("user").order_by("pk"):
        if member.started_on > last or (member.ended_on and member.ended_on < first):
            continue
        expenses = ExpenseClaim.objects.filter(
            member=member,
            status=ExpenseStatus.APPROVED,
            spent_on__range=(first, last),
        ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
        payment = config.member_payment if member.is_paid else Decimal("0.00")
        rows.append(
            {
                "member": str(member),
                "username": member.user.get_username(),
                "payment_choice": member.get_payment_choice_display(),
                "payment": payment,
                "expenses": expenses,
                "total": payment + expenses,
            }
        )
    return rows


def claims_visible_to(user):
    """Every claim for officers (who decide claims); a member's own claims for anyone else."""
    claims = ExpenseClaim.objects.select_related("member__user", "decided_by")
    if not user.is_active:
        return claims.none()
    if permissions.may_decide_expenses(user):
        return claims
    return claims.filter(member__user=user)
