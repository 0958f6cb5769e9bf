"""What follows a published report: responses, action plans, their progress and completion.

A recommendation of a published report gets a response (accepted, partly accepted, not
accepted) from its responsible head of operations or a manager; an accepted or partly accepted
one gets action-plan items, which the panel agrees. Serious-failure decisions get action items
too, and join the same monitoring. When every accepted recommendation of a review has its
actions done, the review's action plan is complete and the calls it answers are closed.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.utils import get_user_display_name
from wagtail.log_actions import log

from .. import permissions
from ..models import (
    ActionItem,
    ActionStatus,
    CallClosure,
    CallForScrutiny,
    CallStatus,
    DecisionOutcome,
    PanelDecision,
    Recommendation,
    RecommendationResponse,
    ResponseDecision,
    ReviewStatus,
    ScrutinyReviewPage,
    person_name,
)
from . import machine
from .machine import TransitionNotAllowed

# A review whose report is published, and whose recommendations may therefore be answered.
REPORT_PUBLISHED = frozenset({ReviewStatus.REPORTED, ReviewStatus.COMPLETED})

# Reminder stages, in the order an unfinished action reaches them.
DUE_SOON = "due_soon"
OVERDUE = "overdue"
STILL_OVERDUE = "still_overdue"
REMINDER_STAGES = {
    DUE_SOON: gettext_lazy("Due soon"),
    OVERDUE: gettext_lazy("Overdue"),
    STILL_OVERDUE: gettext_lazy("Still overdue"),
}


# The engine's one refusal, named for what is refused here.
ActionRefused = TransitionNotAllowed


def report_published(review: ScrutinyReviewPage) -> bool:
    """Whether a review's report is published, so its recommendations can be answered."""
    return review.live and review.status in REPORT_PUBLISHED


def action_moves_available(item: ActionItem) -> list[str]:
    """The statuses an action may move to next, in the order of the statuses."""
    allowed = {move.target for move in machine.ACTION.moves_from(item.status) if move.target}
    return [status for status in ActionStatus.values if status in allowed]


def action_reminder_stage(
    *, due_on: datetime.date, today: datetime.date, reminder_days: int, overdue_days: int
) -> str | None:
    """The reminder an unfinished action has reached today, if any.

    Due soon: from `reminder_days` before the due date up to the due date itself. Overdue:
    from the day after the due date. Still overdue: from `overdue_days` after the due date.
    Only the latest stage reached counts, so a late run never sends two at once.
    """
    late = (today - due_on).days
    if late >= overdue_days:
        return STILL_OVERDUE
    if late >= 1:
        return OVERDUE
    if -reminder_days <= late <= 0:
        return DUE_SOON
    return None


def _locked_recommendation(recommendation: Recommendation) -> Recommendation:
    recommendation = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("page__business_area")
        .get(pk=recommendation.pk)
    )
    if not report_published(recommendation.page):
        raise ActionRefused(
            _(
                "The report of “%(review)s” is not published, so its recommendations cannot be "
                "answered yet."
            )
            % {"review": recommendation.page.title}
        )
    if _left_out_of_the_draft(recommendation):
        raise ActionRefused(
            _(
                "The latest draft of “%(review)s” takes this recommendation out of the report, "
                "so it cannot be answered. Ask whoever is editing the report to put it back in "
                "the draft."
            )
            % {"review": recommendation.page.title}
        )
    return recommendation


def _left_out_of_the_draft(recommendation: Recommendation) -> bool:
    """Whether the report's latest draft, not yet published, takes the recommendation out.

    Publishing that draft deletes the recommendation, which its response and actions would
    stop (they protect it): so it is not answered while the draft leaves it out.
    """
    page = recommendation.page
    if page.latest_revision_id in (None, page.live_revision_id):
        return False
    content = page.latest_revision.content
    return recommendation.pk not in {rec.get("pk") for rec in content.get("recommendations", [])}


def _response_of(recommendation: Recommendation) -> RecommendationResponse | None:
    return (
        RecommendationResponse.objects.select_for_update()
        .filter(recommendation=recommendation)
        .first()
    )


def _mark_plan_changed(response: RecommendationResponse | None, *, user, now) -> None:
    """Flag an agreed plan as changed since the panel agreed it."""
    if response is None or response.plan_agreed_at is None:
        return
    response.plan_changed_at = now
    response._history_user = user
    response.save(update_fields=["plan_changed_at"])


@transaction.atomic
def recommendation_respond(
    *, recommendation: Recommendation, decision: str, reasons: str, user
) -> RecommendationResponse:
    """Record or change the response to a recommendation of a published report."""
    if not permissions.can_respond(user, recommendation):
        raise PermissionDenied(
            _(
                "Only the responsible head of operations or a manager may respond to a "
                "recommendation."
            )
        )
    recommendation = _locked_recommendation(recommendation)
    try:
        decision = ResponseDecision(decision)
    except ValueError as error:
        raise ActionRefused(_("Choose whether the recommendation is accepted.")) from error
    reasons = (reasons or "").strip()
    if not reasons:
        raise ActionRefused(_("Give the reasons for the response."))
    if (
        decision == ResponseDecision.NOT_ACCEPTED
        and ActionItem.objects.open().filter(recommendation=recommendation).exists()
    ):
        raise ActionRefused(
            _(
                "This recommendation has open actions: cancel them before recording that it is "
                "not accepted."
            )
        )
    now = timezone.now()
    response = _response_of(recommendation)
    if response is None:
        response = RecommendationResponse(recommendation=recommendation)
        previous = None
    else:
        if response.decision == decision and response.reasons == reasons:
            raise ActionRefused(_("Nothing was changed."))
        previous = response.decision
        if response.plan_agreed_at is not None:
            response.plan_changed_at = now
    response.decision = decision
    response.reasons = reasons
    response.responded_by = user
    response.responded_at = now
    response._history_user = user
    response.save()
    log(
        instance=recommendation.page,
        action="scrutiny.recommendation.respond",
        user=user,
        data={"recommendation": recommendation.pk, "from": previous, "to": decision.value},
    )
    review_sync_status(review=recommendation.page, user=user)
    return response


def _owner(chosen, *, default, area=None, current=None):
    """The owner chosen, or the default for this plan when nobody is chosen.

    A newly named owner must be someone who may be named on the record (see
    permissions.may_be_named); the owner an action already has may stay. `area` is the service
    whose head of operations is the default (None: the action's own service).
    """
    owner = chosen or default
    if owner is None:
        if area is None:
            raise ActionRefused(
                _(
                    "Choose the owner of this action: the service has no head of operations "
                    "recorded."
                )
            )
        raise ActionRefused(
            _("Choose the owner of this action: %(area)s has no head of operations recorded.")
            % {"area": area}
        )
    if (current is None or owner.pk != current.pk) and not permissions.may_be_named(owner):
        raise ActionRefused(
            _(
                "%(name)s cannot sign in to the admin, so cannot own an action: choose someone "
                "who can."
            )
            % {"name": person_name(owner)}
        )
    return owner


def _action_text(action: str) -> str:
    action = (action or "").strip()
    if not action:
        raise ActionRefused(_("Say what the action is."))
    return action


def _due_date(due_on) -> datetime.date:
    if not isinstance(due_on, datetime.date):
        raise ActionRefused(_("Give the date the action is due."))
    return due_on


@transaction.atomic
def action_add(
    *,
    user,
    action: str,
    due_on: datetime.date,
    recommendation: Recommendation | None = None,
    decision: PanelDecision | None = None,
    owner=None,
) -> ActionItem:
    """Add an action to a recommendation's plan, or to a serious-failure decision.

    The owner (a user account) defaults to the recommendation's responsible head of operations
    (or, for a decision, the service's head of operations).
    """
    if (recommendation is None) == (decision is None):
        raise ActionRefused(_("An action answers one recommendation or one decision."))
    response = None
    if recommendation is not None:
        if not permissions.can_plan_actions(user, recommendation):
            raise PermissionDenied(_("Only officers and managers may add actions."))
        recommendation = _locked_recommendation(recommendation)
        response = _response_of(recommendation)
        if response is None or not response.needs_plan:
            raise ActionRefused(
                _(
                    "Record the response first: actions follow a recommendation that is "
                    "accepted or partly accepted."
                )
            )
        default = recommendation.responsible_person
        area = recommendation.page.business_area
    else:
        if not permissions.can_plan_actions(user):
            raise PermissionDenied(_("Only officers and managers may add actions."))
        decision = PanelDecision.objects.select_related("call__business_area").get(pk=decision.pk)
        if decision.outcome != DecisionOutcome.SERIOUS_FAILURE:
            raise ActionRefused(_("Only a serious-failure decision has actions of its own."))
        area = decision.call.business_area
        default = area.head_of_operations
    owner = _owner(owner, default=default, area=area)
    now = timezone.now()
    item = ActionItem(
        recommendation=recommendation,
        decision=decision,
        action=_action_text(action),
        owner=owner,
        due_on=_due_date(due_on),
        created_by=user,
        created_at=now,
    )
    item = machine.apply(item, "add", user=user, data=_about(item))
    _mark_plan_changed(response, user=user, now=now)
    if recommendation is not None:
        review_sync_status(review=recommendation.page, user=user)
    return item


def _logged(value) -> str:
    """A value as an action's log entry records it; a person by name and account id."""
    if isinstance(value, get_user_model()):
        return f"{person_name(value)} (account {value.pk})"
    return str(value)


def _about(item: ActionItem) -> dict:
    """What an action's log entry says it answers (it is written on the review or the call)."""
    if item.recommendation_id:
        return {"recommendation": item.recommendation_id, "action": item.pk}
    return {"decision": item.decision_id, "action": item.pk}


def _locked_item(item: ActionItem) -> ActionItem:
    return (
        ActionItem.objects.select_for_update(of=("self",))
        .select_related(
            "owner",
            "recommendation__responsible",
            "recommendation__page__business_area__head_of_operations",
            "decision__call__business_area__head_of_operations",
        )
        .get(pk=item.pk)
    )


def _check_may_plan(user, item: ActionItem) -> None:
    if not permissions.can_plan_actions(user, item.recommendation):
        raise PermissionDenied(_("Only officers and managers may change actions."))


@transaction.atomic
def action_change(
    *, item: ActionItem, user, action: str, due_on: datetime.date, owner=None
) -> ActionItem:
    """Change what an action is, who owns it or when it is due (a change to the plan).

    Nobody chosen as owner means the plan's default: the recommendation's responsible person,
    or the service's head of operations.
    """
    _check_may_plan(user, item)
    item = _locked_item(item)
    default = (
        item.recommendation.responsible_person
        if item.recommendation_id
        else item.decision.call.business_area.head_of_operations
    )
    owner = _owner(owner, default=default, current=item.owner)
    new = {"action": _action_text(action), "owner": owner, "due_on": _due_date(due_on)}
    changed = {
        field: [_logged(getattr(item, field)), _logged(value)]
        for field, value in new.items()
        if getattr(item, field) != value
    }
    if not changed:
        raise ActionRefused(_("Nothing was changed."))
    item = machine.apply(item, "change", user=user, changes=new, data=_about(item) | changed)
    if item.recommendation_id:
        _mark_plan_changed(_response_of(item.recommendation), user=user, now=timezone.now())
    return item


@transaction.atomic
def action_progress(
    *,
    item: ActionItem,
    user,
    status: str,
    note: str = "",
    completed_on: datetime.date | None = None,
) -> ActionItem:
    """Record progress on an action: a new status, a dated note, or both.

    Done sets the day it was completed (today unless given); reopening clears it. Cancelling
    needs a note saying why, and cancelling or reinstating changes an agreed plan.
    """
    _check_may_plan(user, item)
    item = _locked_item(item)
    try:
        status = ActionStatus(status)
    except ValueError as error:
        raise ActionRefused(_("Choose the action's status.")) from error
    note = (note or "").strip()
    previous = ActionStatus(item.status)
    if status == previous and not note:
        raise ActionRefused(_("Choose a new status or write a progress note."))
    if status == ActionStatus.CANCELLED and status != previous and not note:
        raise ActionRefused(_("Say in the progress note why the action is cancelled."))
    today = timezone.localdate()
    completed = None
    if status == ActionStatus.DONE:
        if completed_on is not None and completed_on > today:
            raise ActionRefused(_("The day the action was done cannot be in the future."))
        completed = item.completed_on
        if status != previous or completed_on is not None:
            completed = completed_on or today
    notes = item.progress_notes
    if note:
        stamp = f"{date_format(today, 'j F Y')}, {get_user_display_name(user)}: {note}"
        notes = f"{notes}\n\n{stamp}" if notes else stamp
    item = machine.apply(
        item,
        "note" if status == previous else f"mark_{status.value}",
        user=user,
        changes={"completed_on": completed, "progress_notes": notes},
        data=_about(item),
    )
    plan_change = ActionStatus.CANCELLED in (status, previous) and status != previous
    if plan_change and item.recommendation_id:
        _mark_plan_changed(_response_of(item.recommendation), user=user, now=timezone.now())
    if item.recommendation_id:
        review_sync_status(review=item.recommendation.page, user=user)
    else:
        serious_failure_sync(call=item.decision.call, user=user)
    return item


@transaction.atomic
def action_plan_agree(*, recommendation: Recommendation, user) -> RecommendationResponse:
    """The panel agrees the action plan of an accepted or partly accepted recommendation."""
    if not permissions.can_agree_action_plan(user):
        raise PermissionDenied(_("Only panel members agree action plans."))
    recommendation = _locked_recommendation(recommendation)
    response = _response_of(recommendation)
    if response is None or not response.needs_plan:
        raise ActionRefused(
            _("There is no plan to agree: the recommendation has no response, or was not accepted.")
        )
    if not recommendation.actions.exclude(status=ActionStatus.CANCELLED).exists():
        raise ActionRefused(_("The plan has no actions yet: add them before the panel agrees it."))
    if response.plan_agreed_at is not None and not response.changed_since_agreed:
        raise ActionRefused(
            _("The panel has already agreed this plan, and it has not changed since.")
        )
    response.plan_agreed_at = timezone.now()
    response.plan_agreed_by = user
    response._history_user = user
    response.save(update_fields=["plan_agreed_at", "plan_agreed_by"])
    log(
        instance=recommendation.page,
        action="scrutiny.action.agree",
        user=user,
        data={"recommendation": recommendation.pk},
    )
    return response


def review_plan_complete(review: ScrutinyReviewPage) -> bool:
    """Whether a review's action plan is complete.

    Every recommendation has a response, and every accepted or partly accepted one has at least
    one action done and none still open (cancelled actions count as finished).
    """
    recommendations = list(
        Recommendation.objects.filter(page=review)
        .select_related("response")
        .prefetch_related("actions")
    )
    if not recommendations:
        return False
    for recommendation in recommendations:
        response = getattr(recommendation, "response", None)
        if response is None:
            return False
        if not response.needs_plan:
            continue
        statuses = {action.status for action in recommendation.actions.all()}
        if ActionStatus.DONE not in statuses or statuses - {
            ActionStatus.DONE,
            ActionStatus.CANCELLED,
        }:
            return False
    return True


def review_sync_status(*, review: ScrutinyReviewPage, user) -> ScrutinyReviewPage:
    """Move a reported review to completed when its plan is complete, and back if it reopens.

    Completing closes the calls the review answers. A review moved back (an action reopened
    or added) leaves its calls closed: the residents' calls were answered by the report.
    """
    review = machine.REVIEW.lock(review)
    if review.status not in REPORT_PUBLISHED:
        return review
    complete = review_plan_complete(review)
    if complete and review.status == ReviewStatus.REPORTED:
        review = machine.apply(review, "complete", user=user)
        for call in CallForScrutiny.objects.filter(
            reviews=review, status__in=machine.CALL.move("close_reviewed").sources
        ).order_by("pk"):
            machine.apply(
                call,
                "close_reviewed",
                user=user,
                changes={"closure": CallClosure.REVIEWED},
                data={"review": review.pk},
            )
    elif not complete and review.status == ReviewStatus.COMPLETED:
        review = machine.apply(review, "reopen", user=user)
    return review


def serious_failure_sync(*, call: CallForScrutiny, user) -> CallForScrutiny:
    """Close a serious-failure call once the actions answering its recommendations are done."""
    call = machine.CALL.lock(call)
    if call.status != CallStatus.SERIOUS_FAILURE:
        return call
    move = machine.CALL.move("serious_failure_resolved")
    if any(guard(call, user=user) for guard in move.guards):
        return call
    return machine.apply(call, move.name, user=user, changes={"closure": CallClosure.RESOLVED})
