"""The panel's decision on a call: recorded, moderated through Wagtail, told to the resident."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from ..history import acting_as
from ..models import (
    CallForScrutiny,
    CallStatus,
    DecisionOutcome,
    NotAcceptedReason,
    PanelDecision,
    PanelDecisionTask,
    PanelMeeting,
    ScrutinySettings,
)
from ..notifications import queue_task
from .calls import TransitionNotAllowed

STATUS_FOR_OUTCOME = {
    DecisionOutcome.NOT_ACCEPTED: CallStatus.NOT_ACCEPTED,
    DecisionOutcome.MONITORING: CallStatus.MONITORING,
    DecisionOutcome.ACCEPTED: CallStatus.ACCEPTED,
    DecisionOutcome.SERIOUS_FAILURE: CallStatus.SERIOUS_FAILURE,
}


class DecisionIncomplete(TransitionNotAllowed):
    """The decision lacks something the panel must record; the message says what."""


def appeal_deadline_for(*, sent_on, outcome: str):
    """The last day an appeal is accepted: the day sent plus the configured window, inclusive."""
    if outcome == DecisionOutcome.ACCEPTED:
        return None
    return sent_on + timedelta(days=ScrutinySettings.load().appeal_window_days)


@transaction.atomic
def call_decide(
    *,
    call: CallForScrutiny,
    outcome: str,
    user,
    reasons: str,
    meeting: str | int | None = None,
    reason: str | None = None,
    avenues: str = "",
    immediate_recommendations: str = "",
) -> PanelDecision:
    """Take the panel's decision on a call awaiting it, and complete its moderation task."""
    if not user.has_perm("scrutiny.decide_call"):
        raise PermissionDenied("Only panel members may take the panel's decision.")
    try:
        outcome = DecisionOutcome(outcome)
    except ValueError as error:
        raise TransitionNotAllowed(f"'{outcome}' is not one of the panel's decisions.") from error
    call = CallForScrutiny.objects.select_for_update().get(pk=call.pk)
    if call.status != CallStatus.AWAITING_PANEL:
        raise TransitionNotAllowed(
            f"{call.reference} is {call.get_status_display().lower()}, not awaiting the panel, "
            "so no decision can be taken on it."
        )
    reasons = (reasons or "").strip()
    if not reasons:
        raise DecisionIncomplete("Give the panel's reasons.")
    meeting_obj = (
        PanelMeeting.objects.filter(pk=meeting).first() if meeting else call.agenda_meeting
    )
    reason_obj = None
    if outcome == DecisionOutcome.NOT_ACCEPTED:
        reason_obj = NotAcceptedReason.objects.filter(code=reason or "", active=True).first()
        if reason_obj is None:
            raise DecisionIncomplete("Choose a reason for not accepting the call yet.")
        if not avenues.strip():
            raise DecisionIncomplete("Say which avenues remain open to the resident.")
    if outcome == DecisionOutcome.SERIOUS_FAILURE and not immediate_recommendations.strip():
        raise DecisionIncomplete("Write the panel's immediate recommendations.")

    now = timezone.now()
    sent_on = timezone.localdate(now)
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

    previous = call.status
    call.status = STATUS_FOR_OUTCOME[outcome]
    call.status_changed_at = now
    call._history_user = user
    call.save(update_fields=["status", "status_changed_at"])
    log(
        instance=call,
        action="scrutiny.call.decide",
        user=user,
        data={
            "from": previous,
            "to": call.status,
            "decision": decision.pk,
            "outcome": outcome.value,
            "meeting": meeting_obj.pk if meeting_obj else None,
        },
    )
    _complete_panel_task(call=call, user=user, comment=reasons)

    queue_task("scrutiny.tasks.send_decision_to_resident", decision.pk)
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
