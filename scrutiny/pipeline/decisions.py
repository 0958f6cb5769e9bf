"""The panel's decision on a call: recorded, moderated through Wagtail, told to the resident."""

import datetime
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..history import acting_as
from ..models import (
    CallForScrutiny,
    DecisionOutcome,
    Monitoring,
    NotAcceptedReason,
    PanelDecision,
    PanelDecisionTask,
    PanelMeeting,
    ScrutinySettings,
)
from ..models.handlers import provides
from ..notifications import queue_task
from . import machine
from .machine import TransitionNotAllowed

# The engine's one refusal, named for what is refused here.
DecisionIncomplete = TransitionNotAllowed


def appeal_deadline_for(*, sent_on, outcome: str):
    """The last day an appeal is accepted: the day sent plus the configured window, inclusive."""
    if outcome == DecisionOutcome.ACCEPTED:
        return None
    return sent_on + timedelta(days=ScrutinySettings.load().appeal_window_days)


def monitoring_review_default(today: datetime.date | None = None) -> datetime.date:
    """The review date a monitoring decision suggests: the configured days from today."""
    today = today or timezone.localdate()
    return today + timedelta(days=ScrutinySettings.load().monitoring_review_days)


def _date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as error:
        raise DecisionIncomplete(
            _("Give the review date as a date, for example 3 March 2027.")
        ) from error


@transaction.atomic
@provides("call_decide")  # asked by the panel decision task (PanelDecisionTask.on_action)
def call_decide(
    *,
    call: CallForScrutiny,
    outcome: str,
    user,
    reasons: str,
    meeting: str | int | PanelMeeting | None = None,
    reason: str | None = None,
    avenues: str = "",
    immediate_recommendations: str = "",
    watching: str = "",
    review_on: str | datetime.date | None = None,
) -> PanelDecision:
    """Take the panel's decision on a call awaiting it, and complete its moderation task.

    The decision names the formal meeting, already held, at which the panel took it; a referral
    for monitoring says what the panel will watch and when it will look again.
    """
    if not permissions.may_decide_calls(user):
        raise PermissionDenied(_("Only panel members may take the panel's decision."))
    try:
        outcome = DecisionOutcome(outcome)
    except ValueError as error:
        raise TransitionNotAllowed(
            _("'%(outcome)s' is not one of the panel's decisions.") % {"outcome": outcome}
        ) from error
    reasons = (reasons or "").strip()
    if not reasons:
        raise DecisionIncomplete(_("Give the panel's reasons."))
    if isinstance(meeting, PanelMeeting):
        meeting_obj = meeting
    else:
        meeting_obj = (
            PanelMeeting.objects.filter(pk=meeting).first()
            if str(meeting or "").isdigit()
            else None
        )
    reason_obj = None
    if outcome == DecisionOutcome.NOT_ACCEPTED:
        reason_obj = NotAcceptedReason.objects.filter(code=reason or "", active=True).first()
        if reason_obj is None:
            raise DecisionIncomplete(_("Choose a reason for not accepting the call yet."))
        if not avenues.strip():
            raise DecisionIncomplete(_("Say which avenues remain open to the resident."))
    if outcome == DecisionOutcome.SERIOUS_FAILURE and not immediate_recommendations.strip():
        raise DecisionIncomplete(_("Write the panel's immediate recommendations."))
    review_date = None
    if outcome == DecisionOutcome.MONITORING:
        if not watching.strip():
            raise DecisionIncomplete(_("Say what the panel will watch."))
        review_date = _date(review_on) or monitoring_review_default()
        if review_date <= timezone.localdate():
            raise DecisionIncomplete(_("The review date must be after today."))

    now = timezone.now()
    sent_on = timezone.localdate(now)
    call = machine.apply(
        call,
        f"decide_{outcome.value}",
        user=user,
        meeting=meeting_obj,
        data={"outcome": outcome.value, "meeting": meeting_obj.pk if meeting_obj else None},
    )
    decision = PanelDecision(
        call=call,
        outcome=outcome,
        reason=reason_obj,
        reasons=reasons,
        avenues=avenues.strip() if outcome == DecisionOutcome.NOT_ACCEPTED else "",
        immediate_recommendations=(
            immediate_recommendations.strip() if outcome == DecisionOutcome.SERIOUS_FAILURE else ""
        ),
        meeting=meeting_obj,
        decided_by=user,
        decided_at=now,
        sent_on=sent_on,
        appeal_deadline=appeal_deadline_for(sent_on=sent_on, outcome=outcome),
    )
    decision._history_user = user
    decision.save()
    if outcome == DecisionOutcome.MONITORING:
        machine.apply(
            Monitoring(
                decision=decision, call=call, watching=watching.strip(), review_on=review_date
            ),
            "start",
            user=user,
            data={"review_on": review_date.isoformat()},
        )
    _complete_panel_task(call=call, user=user, comment=reasons)

    queue_task("scrutiny.tasks.send_decision_to_resident", decision.pk)
    queue_task("scrutiny.outcome_news.send_decision_news", decision.pk)
    if outcome == DecisionOutcome.SERIOUS_FAILURE:
        queue_task("scrutiny.tasks.send_serious_failure_recommendations", decision.pk)
    return decision


def _complete_panel_task(*, call: CallForScrutiny, user, comment: str) -> None:
    """Approve the call's panel decision task, so Wagtail's moderation shows the decision.

    A revision of the decided call is saved first, because finishing a workflow publishes the
    latest revision.
    """
    task_state = call.current_workflow_task_state
    if task_state is None or not isinstance(task_state.task.specific, PanelDecisionTask):
        return
    with acting_as(user):
        call.save_revision(user=user, log_action=False)
        task_state.approve(user=user, comment=comment)
