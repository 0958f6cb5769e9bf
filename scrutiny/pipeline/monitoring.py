"""Monitoring: what the panel watches after referring a call, and how each watch ends.

A monitoring decision starts a watch with a review date. When the date comes, officers are
reminded; they record the outcome on the panel's behalf: the service improved (the call
closes), the panel needs to decide again (the call returns to its agenda and workflow), or the
watch goes on to a later date. The resident is told each outcome.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import CallClosure, Monitoring, MonitoringStatus
from ..notifications import queue_task
from . import machine
from .calls import call_enter_panel
from .machine import TransitionNotAllowed

IMPROVED = "improved"
ESCALATE = "escalate"
EXTEND = "extend"
OUTCOMES = {
    IMPROVED: gettext_lazy("The service improved: close the call"),
    ESCALATE: gettext_lazy("The panel needs to decide again: put the call back on its agenda"),
    EXTEND: gettext_lazy("Keep watching until a later date"),
}


def _review_date(value) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or ""))
    except ValueError as error:
        raise TransitionNotAllowed(
            _("Give the new review date as a date, such as 3 March 2027.")
        ) from error


@transaction.atomic
def monitoring_conclude(
    *,
    monitoring: Monitoring,
    outcome: str,
    findings: str,
    user,
    review_on: datetime.date | str | None = None,
) -> Monitoring:
    """Record what the panel found when it looked again, and move the call as that says."""
    if outcome not in OUTCOMES:
        raise TransitionNotAllowed(_("Choose what happens next."))
    findings = (findings or "").strip()
    if not findings:
        raise TransitionNotAllowed(_("Say what the panel found: it is told to the resident."))
    if outcome == EXTEND:
        review_on = _review_date(review_on)
        if review_on <= timezone.localdate():
            raise TransitionNotAllowed(_("The new review date must be after today."))
        previous = monitoring.review_on
        monitoring = machine.apply(
            monitoring,
            "extend",
            user=user,
            changes={"review_on": review_on, "findings": findings},
            data={"from_date": previous.isoformat(), "to_date": review_on.isoformat()},
        )
    else:
        concluded = {"findings": findings, "concluded_at": timezone.now(), "concluded_by": user}
        monitoring = machine.apply(monitoring, outcome, user=user, changes=concluded)
        if outcome == IMPROVED:
            machine.apply(
                monitoring.call,
                "monitoring_improved",
                user=user,
                changes={"closure": CallClosure.IMPROVED, "closure_reason": findings},
            )
        else:
            call = machine.apply(monitoring.call, "monitoring_escalated", user=user)
            call_enter_panel(call=call, user=user)
    queue_task(
        "scrutiny.tasks.send_monitoring_outcome",
        monitoring.pk,
        outcome,
        monitoring.review_on.isoformat(),
    )
    return monitoring


def monitoring_due(today: datetime.date | None = None):
    """Watches whose review date has come, soonest first."""
    today = today or timezone.localdate()
    return (
        Monitoring.objects.filter(status=MonitoringStatus.WATCHING, review_on__lte=today)
        .select_related("call__business_area")
        .order_by("review_on", "pk")
    )
