"""Running a review: its steps, the members taking part, and where its report has got to.

The review page's content goes through revisions and the report approval workflow; these
operations change the records beside it (steps, participants) and the review's status, so
none of them makes a new revision of the report.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import permissions
from ..models import (
    CallForScrutiny,
    PanelMember,
    ParticipantRole,
    ReferralStatus,
    ReferredTopic,
    ReviewParticipant,
    ReviewStatus,
    ReviewStep,
    ReviewStepProgress,
    ScrutinyReviewPage,
    StepStatus,
)
from . import machine
from .machine import TransitionNotAllowed

# The engine's one refusal, named for what is refused here.
ReviewRefused = TransitionNotAllowed


def review_steps_create(*, review: ScrutinyReviewPage) -> list[ReviewStepProgress]:
    """Give a review a row for each active step, positions 1..n; one that has them keeps them."""
    if review.steps.exists():
        return list(review.steps.all())
    steps = ReviewStep.objects.filter(active=True).order_by("sort_order", "pk")
    return [
        ReviewStepProgress.objects.create(review=review, step=step, position=position)
        for position, step in enumerate(steps, start=1)
    ]


def _move_calls(review: ScrutinyReviewPage, move: str, user) -> None:
    """Move the calls a review answers along with it, where they can make that move."""
    sources = machine.CALL.move(move).sources
    calls = CallForScrutiny.objects.filter(reviews=review, status__in=sources).order_by("pk")
    for call in calls:
        machine.apply(call, move, user=user, data={"review": review.pk})


def review_start(*, review: ScrutinyReviewPage, user) -> bool:
    """Move a scheduled review to in review, and its scheduled calls with it."""
    status = ScrutinyReviewPage.objects.select_for_update(of=("self",)).values_list(
        "status", flat=True
    )
    if status.get(pk=review.pk) != ReviewStatus.SCHEDULED:
        return False
    machine.apply(review, "start", user=user)
    _move_calls(review, "start_review", user)
    return True


@transaction.atomic
def review_step_update(
    *,
    step: ReviewStepProgress,
    user,
    status: str,
    started_on: date | None = None,
    completed_on: date | None = None,
    notes: str = "",
) -> ReviewStepProgress:
    """Record where a review is with one step; starting a step starts a scheduled review."""
    if not permissions.may_run_reviews(user):
        raise PermissionDenied(
            _("Only scrutiny officers and panel members may update review steps.")
        )
    if status not in StepStatus.values:
        raise ReviewRefused(_("Choose the step's status."))
    step = machine.STEP.lock(step)
    today = timezone.localdate()
    if status == StepStatus.NOT_STARTED:
        if completed_on:
            raise ReviewRefused(
                _("A step that has not started cannot have a date it was finished.")
            )
    elif status == StepStatus.IN_PROGRESS:
        started_on = started_on or step.started_on or today
        if completed_on:
            raise ReviewRefused(
                _("A step in progress is not finished: clear the date finished, or mark it done.")
            )
    elif status == StepStatus.DONE:
        started_on = started_on or step.started_on or today
        completed_on = completed_on or step.completed_on or today
    if started_on and completed_on and completed_on < started_on:
        raise ReviewRefused(
            _("The step cannot finish (%(finished)s) before it started (%(started)s).")
            % {
                "finished": date_format(completed_on, "j F Y"),
                "started": date_format(started_on, "j F Y"),
            }
        )
    if started_on and started_on > today:
        raise ReviewRefused(_("The date started cannot be in the future."))
    if completed_on and completed_on > today:
        raise ReviewRefused(_("The date finished cannot be in the future."))
    changes = {"started_on": started_on, "completed_on": completed_on, "notes": notes.strip()}
    if status == step.status and all(getattr(step, k) == v for k, v in changes.items()):
        return step
    step = machine.apply(
        step,
        "note" if status == step.status else f"mark_{status}",
        user=user,
        reason=changes["notes"],
        changes=changes,
        data={"step": step.step.name, "position": step.position},
    )
    if status != StepStatus.NOT_STARTED:
        review_start(review=step.review, user=user)
    return step


def serving_members(today: date | None = None):
    """Panel members serving today, whose account is active."""
    today = today or timezone.localdate()
    return (
        PanelMember.objects.filter(started_on__lte=today, user__is_active=True)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .select_related("user")
    )


@transaction.atomic
def review_participant_add(
    *, review: ScrutinyReviewPage, member: PanelMember, user, role: str = ParticipantRole.MEMBER
) -> ReviewParticipant:
    """Add a serving panel member to a review, as its lead or as a member."""
    if not permissions.may_add_participants(user):
        raise PermissionDenied(_("Only scrutiny officers and panel members may add participants."))
    if role not in ParticipantRole.values:
        raise ReviewRefused(_("Choose the member's role in the review."))
    if not serving_members().filter(pk=member.pk).exists():
        raise ReviewRefused(
            _("%(member)s is not serving on the panel, so cannot take part.") % {"member": member}
        )
    if ReviewParticipant.objects.filter(review=review, member=member).exists():
        raise ReviewRefused(_("%(member)s already takes part in this review.") % {"member": member})
    participant = ReviewParticipant(review=review, member=member, role=role)
    participant._history_user = user
    participant.save()
    log(
        instance=review,
        action="scrutiny.review.participant_add",
        user=user,
        data={"member": str(member), "member_id": member.pk, "role": role},
    )
    return participant


@transaction.atomic
def review_participant_remove(*, participant: ReviewParticipant, user) -> None:
    """Take a member off a review; the history keeps that they took part."""
    if not permissions.may_remove_participants(user):
        raise PermissionDenied(
            _("Only scrutiny officers and panel members may remove participants.")
        )
    review = ScrutinyReviewPage.objects.get(pk=participant.review_id)
    member = participant.member
    participant._history_user = user
    participant.delete()
    log(
        instance=review,
        action="scrutiny.review.participant_remove",
        user=user,
        data={"member": str(member), "member_id": member.pk},
    )


def _follow_workflow(review: ScrutinyReviewPage, move: str, user) -> bool:
    """The report's workflow moved on: the review follows where the move applies to it.

    A published report that is corrected goes through sign-off again while the review stays
    reported; only a review still being run goes into approval, comes back, or reports.
    """
    status = ScrutinyReviewPage.objects.select_for_update(of=("self",)).values_list(
        "status", flat=True
    )
    if status.get(pk=review.pk) not in machine.REVIEW.move(move).sources:
        return False
    machine.apply(review, move, user=user)
    return True


@transaction.atomic
def review_report_submitted(*, review: ScrutinyReviewPage, user) -> bool:
    """The report went into the approval workflow: the review's report is in approval."""
    return _follow_workflow(review, "submit_report", user)


@transaction.atomic
def review_report_returned(*, review: ScrutinyReviewPage, user) -> bool:
    """The report came back for changes, or its workflow was cancelled: back in review."""
    return _follow_workflow(review, "return_report", user)


@transaction.atomic
def review_report_published(*, review: ScrutinyReviewPage, user) -> bool:
    """The signed-off report is live: the review and its calls are reported."""
    if not review.live:
        raise TransitionNotAllowed(_("“%(review)s” is not published.") % {"review": review.title})
    if not _follow_workflow(review, "publish_report", user):
        return False
    _move_calls(review, "report", user)
    for topic in ReferredTopic.objects.filter(review=review, status=ReferralStatus.SCHEDULED):
        machine.apply(topic, "report", user=user, data={"review": review.pk})
    return True
