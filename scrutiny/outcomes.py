"""The yearly outcomes report: what came of scrutiny in one financial year, and its charts.

How each figure is counted (also in docs/outcomes.md):

- Calls received: calls submitted between the first and the last day of the year.
- Decisions (accepted, not accepted yet, referred for monitoring, serious failure): the panel's
  decisions taken in the year, by the day they were taken, whenever the call arrived. A call
  decided twice (after an upheld appeal) counts once for each decision. Accepted also counts
  the calls accepted on appeal: appeals decided in the year, upheld, with the direction to
  accept the call (the appeal panel's decision is final, so the call is accepted without a new
  panel decision); they are shown again on their own as "of which accepted on appeal".
- Appealed: appeals received in the year; upheld: appeals decided in the year and upheld.
- Median days to a decision: for each call whose first panel decision was taken in the year,
  the days from the day it arrived to the day of that first decision.
- Reviews completed: reviews in the year's programme (under its programme year page) whose
  report is published (status "Report published" or "Action plan complete"), against the
  configured minimum. A review counts for the programme year it belongs to, even when its
  report appears after the year ends; refreshing the figures picks it up.
- Recommendations made: the recommendations in those reviews' reports. Serious-failure
  decisions are counted as decisions; their immediate recommendations are free text, not
  counted here, but their action-plan items count in the overdue actions.
- Accepted: recommendations whose response is accepted or partly accepted. Implemented:
  recommendations with at least one action done and none still open (cancelled actions
  aside). Both as at the day the figures are taken.
- Actions overdue: every action-plan item (from any report or serious failure) that was open
  after its due date at the end of the year (a closed year), or today (the current year).
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import asdict, dataclass, fields

from django.db.models import Count, Exists, Min, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .financial_years import (
    current_financial_year,
    financial_year_bounds,
    financial_year_label,
    financial_year_of,
)
from .models import (
    OPEN_ACTION_STATUSES,
    ActionItem,
    ActionStatus,
    Appeal,
    AppealDirection,
    AppealOutcome,
    CallForScrutiny,
    DecisionOutcome,
    PanelDecision,
    PlaceStatus,
    ProgrammeYearPage,
    Recommendation,
    ResponseDecision,
    ReviewStatus,
    ScrutinyReviewPage,
    ScrutinySettings,
    TimeEntry,
    TimeStatus,
    TrainingSession,
)
from .models.handlers import provides

PUBLISHED_REVIEW_STATUSES = [ReviewStatus.REPORTED, ReviewStatus.COMPLETED]


class YearNotStarted(ValueError):
    """The financial year asked for has not begun, so it has no outcomes yet."""


@dataclass(frozen=True)
class Outcomes:
    """The figures of one financial year, as they stood when they were taken."""

    year: int
    first_day: datetime.date
    last_day: datetime.date
    taken_on: datetime.date
    overdue_as_at: datetime.date
    closed: bool
    calls_received: int = 0
    decisions: int = 0
    accepted: int = 0
    not_accepted: int = 0
    monitoring: int = 0
    serious_failure: int = 0
    appealed: int = 0
    appeals_upheld: int = 0
    accepted_on_appeal: int = 0
    median_days_to_decision: float | None = None
    calls_timed: int = 0
    reviews_completed: int = 0
    reviews_in_programme: int = 0
    reviews_minimum: int = 0
    recommendations_made: int = 0
    recommendations_accepted: int = 0
    recommendations_implemented: int = 0
    actions_overdue: int = 0
    training_sessions: int = 0
    training_hours: float = 0.0
    logged_hours: float = 0.0

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)

    @property
    def minimum_met(self) -> bool:
        return self.reviews_completed >= self.reviews_minimum

    @property
    def median_days_label(self) -> str:
        """The median as people read it: whole days without a decimal point, or a dash."""
        if self.median_days_to_decision is None:
            return "—"
        value = self.median_days_to_decision
        return f"{value:g}"

    def sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Every figure as (label, value), under a heading: the admin, the CSV, the public page."""
        if self.minimum_met:
            minimum = _("%(minimum)s (met)") % {"minimum": self.reviews_minimum}
        else:
            minimum = _("%(minimum)s (not met)") % {"minimum": self.reviews_minimum}
        as_at = date_format(self.overdue_as_at, "j F Y")
        return [
            (
                _("Calls for scrutiny"),
                [
                    (_("Calls for scrutiny received"), str(self.calls_received)),
                    (_("Panel decisions taken"), str(self.decisions)),
                    (_("Accepted for review"), str(self.accepted)),
                    (_("Of which accepted on appeal"), str(self.accepted_on_appeal)),
                    (pgettext("decision on a call", "Not accepted yet"), str(self.not_accepted)),
                    (_("Referred for monitoring"), str(self.monitoring)),
                    (pgettext("decision on a call", "Serious failure"), str(self.serious_failure)),
                    (_("Appeals received"), str(self.appealed)),
                    (_("Appeals upheld"), str(self.appeals_upheld)),
                    (_("Median days from call to first decision"), self.median_days_label),
                    (_("Calls in that median"), str(self.calls_timed)),
                ],
            ),
            (
                _("Reviews"),
                [
                    (_("Reviews in the programme"), str(self.reviews_in_programme)),
                    (_("Reviews completed (report published)"), str(self.reviews_completed)),
                    (_("Minimum reviews a year"), minimum),
                ],
            ),
            (
                _("Recommendations and actions"),
                [
                    (_("Recommendations made"), str(self.recommendations_made)),
                    (
                        _("Recommendations accepted (fully or partly)"),
                        str(self.recommendations_accepted),
                    ),
                    (_("Recommendations implemented"), str(self.recommendations_implemented)),
                    (_("Actions overdue on %(date)s") % {"date": as_at}, str(self.actions_overdue)),
                ],
            ),
            (
                _("Training and time given"),
                [
                    (_("Training sessions held"), str(self.training_sessions)),
                    (_("Hours of training attended by members"), f"{self.training_hours:g}"),
                    (_("Hours of scrutiny work logged by members"), f"{self.logged_hours:g}"),
                ],
            ),
        ]

    def rows(self) -> list[tuple[str, str]]:
        """Every figure as (label, value), in the order of the sections."""
        return [row for _, rows in self.sections() for row in rows]

    def to_json(self) -> dict:
        """The snapshot kept on the published report page (dates as ISO strings)."""
        data = asdict(self)
        for name in ("first_day", "last_day", "taken_on", "overdue_as_at"):
            data[name] = data[name].isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict) -> Outcomes | None:
        """The figures from a snapshot; None when there is none or it cannot be read."""
        if not data:
            return None
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        try:
            for name in ("first_day", "last_day", "taken_on", "overdue_as_at"):
                values[name] = datetime.date.fromisoformat(values[name])
            return cls(**values)
        except (KeyError, TypeError, ValueError):
            return None


# An outcomes report page's figures are read back through this (OutcomesReportPage.outcomes).
provides("outcomes_from_figures")(Outcomes.from_json)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def last_closed_financial_year(today: datetime.date | None = None) -> int:
    """The start year of the latest financial year that has ended."""
    if today is None:
        return current_financial_year() - 1

    return financial_year_of(today) - 1


def outcomes_for_year(year: int, *, today: datetime.date | None = None) -> Outcomes:
    """The outcome figures of the financial year starting in `year`, counted in the database.

    Ten queries at most, whatever the amount of data (two of them read the settings).
    Raises YearNotStarted for a year that has not begun.
    """
    today = today or timezone.localdate()
    first, last = financial_year_bounds(year)
    if first > today:
        raise YearNotStarted(
            _("%(year)s has not started yet.") % {"year": financial_year_label(year)}
        )
    closed = last < today
    start, end = _day_start(first), _day_start(last + datetime.timedelta(days=1))
    in_year = {"gte": start, "lt": end}

    calls_received = CallForScrutiny.objects.filter(
        submitted_at__gte=start, submitted_at__lt=end
    ).count()

    decisions = PanelDecision.objects.filter(
        decided_at__gte=in_year["gte"], decided_at__lt=in_year["lt"]
    ).aggregate(
        total=Count("pk"),
        **{
            outcome.value: Count("pk", filter=Q(outcome=outcome.value))
            for outcome in DecisionOutcome
        },
    )

    appeals = Appeal.objects.aggregate(
        received=Count("pk", filter=Q(received_at__gte=start, received_at__lt=end)),
        upheld=Count(
            "pk",
            filter=Q(decided_at__gte=start, decided_at__lt=end, outcome=AppealOutcome.UPHELD),
        ),
        accepted=Count(
            "pk",
            filter=Q(
                decided_at__gte=start,
                decided_at__lt=end,
                outcome=AppealOutcome.UPHELD,
                direction=AppealDirection.ACCEPT,
            ),
        ),
    )

    timings = (
        CallForScrutiny.objects.annotate(first_decided=Min("decisions__decided_at"))
        .filter(first_decided__gte=start, first_decided__lt=end)
        .values_list("submitted_at", "first_decided")
    )
    days = [
        (timezone.localdate(decided) - timezone.localdate(submitted)).days
        for submitted, decided in timings
    ]

    year_page = ProgrammeYearPage.objects.filter(financial_year=year).first()
    if year_page is not None:
        programme = ScrutinyReviewPage.objects.child_of(year_page)
        reviews = programme.aggregate(
            total=Count("pk"),
            completed=Count("pk", filter=Q(status__in=PUBLISHED_REVIEW_STATUSES)),
        )
        published = programme.filter(status__in=PUBLISHED_REVIEW_STATUSES)
        actions = ActionItem.objects.filter(recommendation=OuterRef("pk"))
        recommendations = Recommendation.objects.filter(page__in=published.values("pk")).aggregate(
            made=Count("pk"),
            accepted=Count(
                "pk",
                filter=Q(
                    response__decision__in=[
                        ResponseDecision.ACCEPTED,
                        ResponseDecision.PARTLY_ACCEPTED,
                    ]
                ),
            ),
            implemented=Count(
                "pk",
                filter=Q(Exists(actions.filter(status=ActionStatus.DONE)))
                & ~Q(Exists(actions.filter(status__in=OPEN_ACTION_STATUSES))),
            ),
        )
    else:
        reviews = {"total": 0, "completed": 0}
        recommendations = {"made": 0, "accepted": 0, "implemented": 0}

    as_at = last if closed else today
    actions_overdue = ActionItem.objects.filter(
        Q(status__in=OPEN_ACTION_STATUSES) | Q(status=ActionStatus.DONE, completed_on__gt=as_at),
        due_on__lt=as_at,
    ).count()

    training = TrainingSession.objects.filter(
        held_on__gte=first, held_on__lte=min(last, today)
    ).aggregate(
        held=Count("pk", distinct=True),
        hours=Sum("hours", filter=Q(places__status=PlaceStatus.ATTENDED)),
    )
    logged = TimeEntry.objects.filter(
        status=TimeStatus.LOGGED, worked_on__gte=first, worked_on__lte=last
    ).aggregate(hours=Sum("hours"))["hours"]

    return Outcomes(
        year=year,
        first_day=first,
        last_day=last,
        taken_on=today,
        overdue_as_at=as_at,
        closed=closed,
        calls_received=calls_received,
        decisions=decisions["total"],
        accepted=decisions[DecisionOutcome.ACCEPTED.value] + appeals["accepted"],
        not_accepted=decisions[DecisionOutcome.NOT_ACCEPTED.value],
        monitoring=decisions[DecisionOutcome.MONITORING.value],
        serious_failure=decisions[DecisionOutcome.SERIOUS_FAILURE.value],
        appealed=appeals["received"],
        appeals_upheld=appeals["upheld"],
        accepted_on_appeal=appeals["accepted"],
        median_days_to_decision=float(statistics.median(days)) if days else None,
        calls_timed=len(days),
        reviews_completed=reviews["completed"],
        reviews_in_programme=reviews["total"],
        reviews_minimum=ScrutinySettings.load().minimum_reviews_per_year,
        recommendations_made=recommendations["made"],
        recommendations_accepted=recommendations["accepted"],
        recommendations_implemented=recommendations["implemented"],
        actions_overdue=actions_overdue,
        training_sessions=training["held"],
        training_hours=float(training["hours"] or 0),
        logged_hours=float(logged or 0),
    )


# Charts: horizontal bars drawn on the server as SVG, with the same figures in a table.

CHART_WIDTH = 360
BAR_SPACE = 290
BAR_HEIGHT = 28
ROW_HEIGHT = 66
LABEL_OFFSET = 19


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    width: int
    label_y: int
    bar_y: int
    value_x: int
    value_y: int


@dataclass(frozen=True)
class BarChart:
    """A bar chart's geometry, computed here so the template only draws it."""

    slug: str
    title: str
    description: str
    label_heading: str
    value_heading: str
    bars: list[Bar]
    height: int
    width: int = CHART_WIDTH


def bar_chart(
    *, slug: str, title: str, label_heading: str, value_heading: str, bars: list[tuple[str, int]]
) -> BarChart:
    """Lay out labelled horizontal bars; the longest bar is BAR_SPACE wide."""
    largest = max((value for _, value in bars), default=0)
    laid_out = []
    for index, (label, value) in enumerate(bars):
        top = index * ROW_HEIGHT
        width = round(value / largest * BAR_SPACE) if largest else 0
        laid_out.append(
            Bar(
                label=label,
                value=value,
                width=width,
                label_y=top + LABEL_OFFSET,
                bar_y=top + LABEL_OFFSET + 8,
                value_x=width + 8,
                value_y=top + LABEL_OFFSET + 8 + 21,
            )
        )
    # Translators: the chart's figures for a screen reader, one "label: value" after another.
    figures = pgettext("between a chart's figures", "; ").join(
        pgettext("a chart's figure", "%(label)s: %(value)s") % {"label": label, "value": value}
        for label, value in bars
    )
    description = pgettext("a chart's figures", "%(figures)s.") % {"figures": figures}
    return BarChart(
        slug=slug,
        title=title,
        description=description,
        label_heading=label_heading,
        value_heading=value_heading,
        bars=laid_out,
        height=len(bars) * ROW_HEIGHT,
    )


def outcome_charts(outcomes: Outcomes) -> list[BarChart]:
    """The report's two charts: the panel's decisions, and what came of recommendations."""
    year = {"year": outcomes.year_label}
    return [
        bar_chart(
            slug="decisions",
            title=_("Decisions on calls for scrutiny, with calls accepted on appeal, %(year)s")
            % year,
            label_heading=pgettext("heading of a chart's labels", "Outcome"),
            value_heading=pgettext("heading of a chart's figures", "Decisions"),
            bars=[
                (_("Accepted for review"), outcomes.accepted),
                (pgettext("decision on a call", "Not accepted yet"), outcomes.not_accepted),
                (_("Referred for monitoring"), outcomes.monitoring),
                (pgettext("decision on a call", "Serious failure"), outcomes.serious_failure),
            ],
        ),
        bar_chart(
            slug="recommendations",
            title=_("Recommendations from reviews, %(year)s") % year,
            label_heading=pgettext("heading of a chart's labels", "Stage"),
            value_heading=pgettext("heading of a chart's figures", "Recommendations"),
            bars=[
                (pgettext("recommendations", "Made"), outcomes.recommendations_made),
                (
                    pgettext("recommendations", "Accepted (fully or partly)"),
                    outcomes.recommendations_accepted,
                ),
                (pgettext("recommendations", "Implemented"), outcomes.recommendations_implemented),
            ],
        ),
    ]
