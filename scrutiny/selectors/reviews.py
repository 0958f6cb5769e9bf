"""Reads about running reviews: progress through the steps, and the admin's list of reviews."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import ReviewParticipant, ReviewStepProgress, ScrutinyReviewPage, StepStatus


@dataclass(frozen=True)
class ReviewProgress:
    """How far a review has gone through its steps."""

    position: int | None
    total: int
    current: str = ""

    @property
    def done(self) -> bool:
        return self.total > 0 and self.position is None

    @property
    def label(self) -> str:
        if self.total == 0:
            return _("no steps")
        if self.position is None:
            return ngettext("all %(total)s step done", "all %(total)s steps done", self.total) % {
                "total": self.total
            }
        return _("step %(position)s of %(total)s") % {
            "position": self.position,
            "total": self.total,
        }


def review_progress(review: ScrutinyReviewPage) -> ReviewProgress:
    """The first unfinished step's position out of all the review's steps.

    Uses the review's prefetched steps when there are some, so a listing costs no extra query.
    """
    steps = sorted(review.steps.all(), key=lambda step: step.position)
    for step in steps:
        if step.status not in (StepStatus.DONE, StepStatus.SKIPPED):
            return ReviewProgress(position=step.position, total=len(steps), current=step.step.name)
    return ReviewProgress(position=None, total=len(steps))


def reviews_for_admin(*, year: int | None = None):
    """Every review with its year, service, steps and participants, newest year first."""
    reviews = (
        ScrutinyReviewPage.objects.select_related("business_area")
        .prefetch_related(
            Prefetch("steps", queryset=ReviewStepProgress.objects.select_related("step")),
            Prefetch(
                "participants",
                queryset=ReviewParticipant.objects.select_related("member__user"),
            ),
        )
        .order_by("-path")
    )
    years = {}
    from ..models import ProgrammeYearPage

    for year_page in ProgrammeYearPage.objects.all():
        years[year_page.path] = year_page.financial_year
    rows = []
    for review in reviews:
        financial_year = years.get(review.path[: -ScrutinyReviewPage.steplen])
        if year is not None and financial_year != year:
            continue
        rows.append({"review": review, "year": financial_year, "progress": review_progress(review)})
    rows.sort(key=lambda row: (-(row["year"] or 0), row["review"].title))
    return rows
