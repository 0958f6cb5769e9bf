"""Reads for the public register of calls: calls that reached the panel and that their
residents said may be listed, with the panel's latest decision, never who sent them."""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..financial_years import financial_year_bounds, financial_year_of
from ..models import BusinessArea, CallForScrutiny, DecisionOutcome, PanelDecision

# The decisions as the register says them, in the past tense.
OUTCOME_WORDS = {
    DecisionOutcome.ACCEPTED: _("Accepted for review"),
    DecisionOutcome.SERIOUS_FAILURE: _("Serious failure: recommendations made straight away"),
    DecisionOutcome.MONITORING: _("Referred for monitoring"),
    DecisionOutcome.NOT_ACCEPTED: _("Not accepted yet"),
}


@dataclass(frozen=True)
class RegisterEntry:
    """One row of the register: only what may be public."""

    reference: str
    service: str
    received: datetime.date
    decided: datetime.date
    outcome: str
    outcome_label: str
    reasons: str


def _latest(field: str):
    return Subquery(
        PanelDecision.objects.filter(call=OuterRef("pk"))
        .order_by("-decided_at", "-pk")
        .values(field)[:1]
    )


def register_calls(*, year: int | None = None, area: BusinessArea | None = None, outcome: str = ""):
    """Listed calls with a decision, newest first, filtered by the financial year they were
    received in, their service and the outcome of the panel's latest decision on them: rows
    of only what may be public, for `register_entry` (page them first)."""
    calls = CallForScrutiny.objects.filter(may_be_listed=True, decisions__isnull=False).distinct()
    if year is not None:
        first, last = financial_year_bounds(year)
        start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
        end = timezone.make_aware(datetime.datetime.combine(last, datetime.time.max))
        calls = calls.filter(submitted_at__range=(start, end))
    if area is not None:
        calls = calls.filter(business_area=area)
    calls = calls.annotate(
        latest_outcome=_latest("outcome"),
        latest_reasons=_latest("reasons"),
        latest_decided_at=_latest("decided_at"),
    )
    if outcome:
        calls = calls.filter(latest_outcome=outcome)
    return calls.order_by("-submitted_at", "-pk").values(
        "reference",
        "business_area__name",
        "submitted_at",
        "latest_outcome",
        "latest_reasons",
        "latest_decided_at",
    )


def register_entry(row: dict) -> RegisterEntry:
    """One row of `register_calls` as the register shows it."""
    return RegisterEntry(
        reference=row["reference"],
        service=row["business_area__name"],
        received=timezone.localdate(row["submitted_at"]),
        decided=timezone.localdate(row["latest_decided_at"]),
        outcome=row["latest_outcome"],
        outcome_label=str(OUTCOME_WORDS.get(row["latest_outcome"], row["latest_outcome"])),
        reasons=row["latest_reasons"],
    )


def register_years() -> list[int]:
    """The financial years in which a listed call was received, latest first."""
    days = CallForScrutiny.objects.filter(may_be_listed=True, decisions__isnull=False).values_list(
        "submitted_at", flat=True
    )
    return sorted({financial_year_of(timezone.localdate(moment)) for moment in days}, reverse=True)
