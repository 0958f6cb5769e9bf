"""Scoring business areas, accepted calls and referred topics with the matrix, each score with
its breakdown. Only an accepted Community Call for Scrutiny earns the call bonus: a topic the
oversight body referred is scored on the area's figures alone, and ranked beside the calls.

The band rule is in scrutiny.models.scoring: lower <= value < upper. A score reads the business
area's latest measure for the year (the full-year figures, else the latest quarter); where the
year has none yet, the latest measure of an earlier year, and the breakdown says which.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.log_actions import log

from .. import permissions
from ..financial_years import current_financial_year, financial_year_label
from ..models import (
    PERIOD_RANK,
    BusinessArea,
    CallForScrutiny,
    CallStatus,
    Measure,
    MeasureField,
    ReferralStatus,
    ReferredTopic,
    Score,
    ScoringCriterion,
    ScrutinySettings,
)


def _number(value) -> str:
    """A decimal as short text for the breakdown: 2.50 -> "2.5", 10.00 -> "10"."""
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text


def _shown(field: str, value) -> str:
    """A measure's value as the breakdown shows it: yes or no for business critical.

    The breakdown is kept with the score, so its words are in the language of whoever scored.
    """
    if field == MeasureField.BUSINESS_CRITICAL and value is not None:
        return (
            pgettext("business critical", "yes") if value else pgettext("business critical", "no")
        )
    return _number(value)


def measure_for(*, business_area: BusinessArea, year: int) -> Measure | None:
    """The measure a score for this year reads: the year's latest, else an earlier year's."""
    measures = list(
        Measure.objects.filter(business_area=business_area, financial_year__lte=year)
        .select_related("business_area")
        .order_by("-financial_year")
    )
    if not measures:
        return None
    return max(measures, key=lambda m: (m.financial_year, PERIOD_RANK.get(m.period, 0)))


def active_criteria() -> list[ScoringCriterion]:
    """The matrix as configured: active criteria in order, with their bands."""
    return list(
        ScoringCriterion.objects.filter(active=True)
        .prefetch_related("bands")
        .order_by("sort_order", "name")
    )


def score_breakdown(
    *,
    business_area: BusinessArea,
    year: int,
    call: CallForScrutiny | None = None,
    referral: ReferredTopic | None = None,
    criteria: list[ScoringCriterion] | None = None,
    bonus: int | None = None,
) -> dict:
    """Work out a score: each criterion's value, band, points and weight, the bonus, the total.

    The bonus is for an accepted call only; a referred topic and an area alone have none."""
    if criteria is None:
        criteria = active_criteria()
    if bonus is None:
        bonus = ScrutinySettings.load().community_call_bonus if call is not None else 0
    measure = measure_for(business_area=business_area, year=year)
    labels = {value: str(label) for value, label in MeasureField.choices}
    rows = []
    subtotal = Decimal("0")
    for criterion in criteria:
        value = measure.value_of(criterion.measure_field) if measure else None
        band = criterion.band_for(value)
        band_points = band.points if band else 0
        points = Decimal(band_points) * criterion.weight
        subtotal += points
        rows.append(
            {
                "criterion": criterion.name,
                "measure": str(labels.get(criterion.measure_field, criterion.measure_field)),
                "value": _shown(criterion.measure_field, value),
                "band": band.describe()
                if band
                else (_("no figure") if value is None else _("no band")),
                "band_points": band_points,
                "weight": _number(criterion.weight),
                "points": _number(points),
            }
        )
    bonus_points = Decimal(bonus if call is not None else 0)
    total = subtotal + bonus_points
    return {
        "year": financial_year_label(year),
        "business_area": business_area.name,
        "call": call.reference if call is not None else None,
        "referral": referral.source if referral is not None else None,
        "measure": (
            {
                "year": measure.financial_year_label,
                "period": measure.get_period_display(),
                "tsm_code": measure.tsm_code,
                "earlier_year": measure.financial_year != year,
            }
            if measure
            else None
        ),
        "criteria": rows,
        "subtotal": _number(subtotal),
        "bonus": _number(bonus_points),
        "total": _number(total),
    }


def _save_score(
    *, year: int, business_area, call, breakdown: dict, user, now, referral=None
) -> Score:
    subject = {"business_area": business_area, "call": call, "referral": referral}
    score = Score.objects.filter(financial_year=year, **subject).first() or Score(
        financial_year=year, **subject
    )
    score.breakdown = breakdown
    score.total = Decimal(breakdown["total"])
    score.scored_at = now
    score._history_user = user
    score.save()
    return score


def _refresh_year(*, year: int, user) -> int:
    """Re-score every unscheduled item of a year; scheduled scores are left as they were."""
    criteria = active_criteria()
    bonus = ScrutinySettings.load().community_call_bonus
    now = timezone.now()
    scheduled = Score.objects.filter(financial_year=year, scheduled=True)
    scheduled_calls = set(scheduled.filter(call__isnull=False).values_list("call", flat=True))
    scheduled_referrals = set(
        scheduled.filter(referral__isnull=False).values_list("referral", flat=True)
    )
    scheduled_areas = set(
        scheduled.filter(call__isnull=True, referral__isnull=True).values_list(
            "business_area", flat=True
        )
    )
    count = 0
    for area in BusinessArea.objects.filter(active=True):
        if area.pk in scheduled_areas:
            continue
        breakdown = score_breakdown(business_area=area, year=year, criteria=criteria, bonus=0)
        _save_score(
            year=year, business_area=area, call=None, breakdown=breakdown, user=user, now=now
        )
        count += 1
    accepted = CallForScrutiny.objects.filter(status=CallStatus.ACCEPTED).select_related(
        "business_area"
    )
    for call in accepted:
        if call.pk in scheduled_calls:
            continue
        breakdown = score_breakdown(
            business_area=call.business_area, year=year, call=call, criteria=criteria, bonus=bonus
        )
        _save_score(
            year=year,
            business_area=call.business_area,
            call=call,
            breakdown=breakdown,
            user=user,
            now=now,
        )
        count += 1
    referred = ReferredTopic.objects.filter(status=ReferralStatus.REFERRED).select_related(
        "business_area"
    )
    for topic in referred:
        if topic.pk in scheduled_referrals:
            continue
        breakdown = score_breakdown(
            business_area=topic.business_area, year=year, referral=topic, criteria=criteria
        )
        _save_score(
            year=year,
            business_area=topic.business_area,
            call=None,
            referral=topic,
            breakdown=breakdown,
            user=user,
            now=now,
        )
        count += 1
    # Calls scheduled in another year, or no longer accepted, leave this year's ranking; so do
    # topics scheduled elsewhere or withdrawn.
    unscheduled = Score.objects.filter(financial_year=year, scheduled=False)
    unscheduled.filter(call__isnull=False).exclude(call__status=CallStatus.ACCEPTED).delete()
    unscheduled.filter(referral__isnull=False).exclude(
        referral__status=ReferralStatus.REFERRED
    ).delete()
    return count


@transaction.atomic
def scores_refresh(*, year: int, user) -> int:
    """Score every business area, accepted call and referred topic of a year not yet scheduled."""
    if not permissions.may_schedule(user):
        raise PermissionDenied(_("Only scrutiny officers and panel members may score."))
    return _refresh_year(year=year, user=user)


def _years_to_rescore() -> set[int]:

    years = set(
        Score.objects.filter(scheduled=False).values_list("financial_year", flat=True).distinct()
    )
    years.add(current_financial_year())
    return years


@transaction.atomic
def matrix_rescore(*, instance, user, change: str) -> int:
    """After the matrix or the measures changed: log it and re-score what is not scheduled.

    `instance` is what changed (a criterion, a measure, the settings); the log entry on it
    says how many scores were recalculated.
    """
    count = sum(_refresh_year(year=year, user=user) for year in sorted(_years_to_rescore()))
    if instance is not None and instance.pk is not None:
        log(
            instance=instance,
            action="scrutiny.matrix.rescore",
            user=user,
            data={"change": change, "rescored": count},
        )
    return count
