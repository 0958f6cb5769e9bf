"""The panel's year beyond calls: topics the oversight body refers, and the yearly review of the
panel's effectiveness. Every change of state is a move of the process engine."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..financial_years import financial_year_label
from ..models import (
    OPEN_ACTION_STATUSES,
    ActionItem,
    ActionStatus,
    BusinessArea,
    EffectivenessReview,
    EffectivenessStatus,
    PanelMeeting,
    ReferredTopic,
    ScrutinyReviewPage,
    ScrutinySettings,
)
from ..models.handlers import provides
from ..outcomes import YearNotStarted, outcomes_for_year
from . import machine
from .machine import TransitionNotAllowed

# --- Referred topics ---------------------------------------------------------------------------


@transaction.atomic
def referral_record(
    *,
    user,
    title: str,
    business_area: BusinessArea,
    evidence: str,
    body_meeting: str,
    referred_on: datetime.date,
) -> ReferredTopic:
    """Record a topic the oversight body referred, on its behalf, with the meeting that did."""
    topic = ReferredTopic(
        title=title.strip(),
        business_area=business_area,
        evidence=evidence.strip(),
        body_meeting=body_meeting.strip(),
        referred_on=referred_on,
        referred_by=ScrutinySettings.load().oversight_body,
        recorded_by=user,
        recorded_at=timezone.now(),
    )
    topic.full_clean()
    return machine.apply(topic, "refer", user=user, data={"body": topic.referred_by})


@transaction.atomic
def referral_withdraw(*, topic: ReferredTopic, reason: str, user) -> ReferredTopic:
    """The body withdrew a topic before it was scheduled; it leaves the ranking."""
    from ..models import Score

    topic = machine.apply(
        topic,
        "withdraw",
        user=user,
        reason=reason,
        changes={"withdrawn_reason": reason.strip()},
        data={"reason": reason.strip()},
    )
    Score.objects.filter(referral=topic, scheduled=False).delete()
    return topic


# --- The effectiveness review ------------------------------------------------------------------


def action_plan_progress(year: int, *, today: datetime.date | None = None) -> list[dict]:
    """Each review in the year's programme with how far its action plan has come."""
    today = today or timezone.localdate()
    reviews = (
        ScrutinyReviewPage.objects.filter(scores__financial_year=year).distinct().order_by("path")
    )
    counts = {
        row["recommendation__page"]: row
        for row in ActionItem.objects.filter(recommendation__page__in=reviews)
        .values("recommendation__page")
        .annotate(
            total=Count("pk", filter=~Q(status=ActionStatus.CANCELLED)),
            done=Count("pk", filter=Q(status=ActionStatus.DONE)),
            overdue=Count("pk", filter=Q(status__in=OPEN_ACTION_STATUSES, due_on__lt=today)),
        )
    }
    return [
        {
            "review": review.title,
            "status": review.get_status_display(),
            "actions": counts.get(review.pk, {}).get("total", 0),
            "done": counts.get(review.pk, {}).get("done", 0),
            "overdue": counts.get(review.pk, {}).get("overdue", 0),
        }
        for review in reviews
    ]


def _figures(year: int) -> dict:
    try:
        outcomes = outcomes_for_year(year)
    except YearNotStarted as error:
        raise TransitionNotAllowed(
            _("%(year)s has not begun, so there is nothing to review yet.")
            % {"year": financial_year_label(year)}
        ) from error
    return {"outcomes": outcomes.to_json(), "reviews": action_plan_progress(year)}


@transaction.atomic
def effectiveness_prepare(*, year: int, user) -> EffectivenessReview:
    """Start the year's effectiveness review from its outcome figures and action plans."""
    if not permissions.may_prepare_effectiveness(user):
        raise PermissionDenied(_("Only scrutiny officers prepare the effectiveness review."))
    if EffectivenessReview.objects.filter(financial_year=year).exists():
        raise TransitionNotAllowed(
            _("The effectiveness review of %(year)s is already prepared.")
            % {"year": financial_year_label(year)}
        )
    review = EffectivenessReview(
        financial_year=year, figures=_figures(year), figures_taken_at=timezone.now()
    )
    return machine.apply(review, "prepare", user=user)


def _draft(review: EffectivenessReview) -> EffectivenessReview:
    locked = EffectivenessReview.objects.select_for_update().get(pk=review.pk)
    if locked.status != EffectivenessStatus.DRAFT:
        raise TransitionNotAllowed(
            _("%(review)s is %(status)s: reopen it to change it.")
            % {"review": locked, "status": locked.get_status_display().lower()}
        )
    return locked


@transaction.atomic
def effectiveness_refresh(*, review: EffectivenessReview, user) -> EffectivenessReview:
    """Take the figures again while the review is a draft."""
    if not permissions.may_write_effectiveness(user):
        raise PermissionDenied(_("Only panel members and scrutiny officers change the review."))
    review = _draft(review)
    review.figures, review.figures_taken_at = _figures(review.financial_year), timezone.now()
    review._history_user = user
    review.save(update_fields=["figures", "figures_taken_at"])
    return review


@transaction.atomic
def effectiveness_write(
    *, review: EffectivenessReview, user, what_worked: str, what_did_not: str, changes: str
) -> EffectivenessReview:
    """The panel's own assessment, written while the review is a draft."""
    if not permissions.may_write_effectiveness(user):
        raise PermissionDenied(_("Only panel members and scrutiny officers change the review."))
    review = _draft(review)
    review.what_worked = what_worked.strip()
    review.what_did_not = what_did_not.strip()
    review.changes_next_year = changes.strip()
    review._history_user = user
    review.save(update_fields=["what_worked", "what_did_not", "changes_next_year"])
    return review


@transaction.atomic
def effectiveness_agree(
    *, review: EffectivenessReview, meeting: PanelMeeting | None, user
) -> EffectivenessReview:
    """The panel agreed its review at a formal meeting that has taken place."""
    return machine.apply(
        review,
        "agree",
        user=user,
        meeting=meeting,
        changes={"meeting": meeting},
        data={"meeting": meeting.pk if meeting else None},
    )


@transaction.atomic
def effectiveness_reopen(*, review: EffectivenessReview, reason: str, user):
    """Back to a draft before the body has acknowledged it; the meeting is cleared."""
    return machine.apply(
        review,
        "reopen",
        user=user,
        reason=reason,
        changes={"meeting": None},
        data={"reason": reason.strip()},
    )


@transaction.atomic
def effectiveness_acknowledge(
    *,
    review: EffectivenessReview,
    acknowledged_on: datetime.date | None,
    note: str = "",
    user,
) -> EffectivenessReview:
    """Record that the oversight body acknowledged the agreed review, and what it said."""
    return machine.apply(
        review,
        "acknowledge",
        user=user,
        acknowledged_on=acknowledged_on,
        changes={"acknowledged_on": acknowledged_on, "acknowledgement": note.strip()},
        data={"on": acknowledged_on.isoformat() if acknowledged_on else None},
    )


@provides("effectiveness_review_published")  # asked by OutcomesReportPage
def published_effectiveness_review(year: int) -> EffectivenessReview | None:
    """The year's review as the outcomes report shows it: once the panel has agreed it."""
    return (
        EffectivenessReview.objects.filter(financial_year=year)
        .exclude(status=EffectivenessStatus.DRAFT)
        .select_related("meeting")
        .first()
    )
