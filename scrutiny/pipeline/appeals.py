"""Appeals: the resident's written appeal, the independent appeal panel, and its final decision.

An officer convenes the appeal panel and records its decision on the panel's behalf; the
appeal panel's members read the appeals they sit on.
"""

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from .. import permissions
from ..models import (
    CALL_STATUS_FOR_OUTCOME,
    Appeal,
    AppealDirection,
    AppealEvidence,
    AppealOutcome,
    CallForScrutiny,
    CallStatus,
    Monitoring,
    MonitoringStatus,
    PanelDecision,
    ReceivedVia,
    ScrutinySettings,
)
from ..notifications import queue_task
from . import machine, rules
from .calls import call_enter_panel, issue_reference
from .machine import TransitionNotAllowed

APPEAL_REFERENCE_PREFIX = "APL"


# The engine's one refusal, named for what is refused here.
AppealRefused = AppealPanelRefused = TransitionNotAllowed


class AppealNotFound(TransitionNotAllowed):
    """No call matches the reference and the access code given."""


def _contact_sentence(config: ScrutinySettings) -> str:
    contact = {"role": config.contact_role, "email": config.contact_email}
    address = [line.strip() for line in config.contact_address.splitlines() if line.strip()]
    if not address:
        return (
            _(
                "If you think there is a good reason your appeal is late, contact the %(role)s: "
                "email %(email)s."
            )
            % contact
        )
    return _(
        # Translators: the address is the organisation's postal address, its lines joined by ", ".
        "If you think there is a good reason your appeal is late, contact the %(role)s: email "
        "%(email)s or write to %(address)s."
    ) % {**contact, "address": ", ".join(address)}


def appeal_refusal(*, decision: PanelDecision | None, today=None) -> str | None:
    """Why an appeal on this decision cannot be made today, or None if it can."""
    if decision is None:
        return _("The panel has not decided on this call yet, so there is no decision to appeal.")
    if not decision.appealable:
        return _("The panel accepted %(reference)s, so there is no decision to appeal.") % {
            "reference": decision.call.reference
        }
    if Appeal.objects.filter(decision=decision).exists():
        return _(
            "The panel's decision on %(reference)s has already been appealed. There can be one "
            "appeal on each decision, and the appeal panel's decision is final."
        ) % {"reference": decision.call.reference}
    today = today or timezone.localdate()
    if decision.appeal_deadline is None or today > decision.appeal_deadline:
        config = ScrutinySettings.load()
        last = date_format(decision.appeal_deadline, "l j F Y") if decision.appeal_deadline else ""
        refusal = _(
            "The last day to appeal against the panel's decision on %(reference)s was %(date)s, "
            "so we cannot accept this appeal."
        ) % {"reference": decision.call.reference, "date": last}
        return f"{refusal} {_contact_sentence(config)}"
    call = CallForScrutiny.objects.only("reference", "status").get(pk=decision.call_id)
    if call.status != CALL_STATUS_FOR_OUTCOME[decision.outcome]:
        return _(
            "%(reference)s has moved on since the panel's decision (it is now %(status)s), so "
            "the decision can no longer be appealed."
        ) % {"reference": call.reference, "status": call.get_status_display().lower()}
    return None


NOT_FOUND = gettext_lazy(
    "We could not find a call with that reference and access code. Check both against the "
    "email or letter we sent you."
)


@transaction.atomic
def appeal_submit(
    *,
    reference: str,
    access_code: str,
    grounds: str,
    evidence: Iterable[UploadedFile] = (),
) -> Appeal:
    """Record a resident's written appeal against the panel's latest decision on their call.

    Only the reference with the call's access code will do: the postcode is not a secret.
    """
    from ..selectors import call_find_for_resident

    call = call_find_for_resident(reference=reference, access_code=access_code)
    if call is None:
        raise AppealNotFound(str(NOT_FOUND))
    return _appeal_receive(call=call, grounds=grounds, evidence=evidence)


@transaction.atomic
def appeal_record_for_resident(
    *,
    call: CallForScrutiny,
    grounds: str,
    user,
    received_via: str = ReceivedVia.POST,
    received_on: datetime.date | None = None,
    evidence: Iterable[UploadedFile] = (),
) -> Appeal:
    """Record an appeal the resident gave by post, by phone or in person, on their behalf, under
    the public form's rules.

    The window is counted to the day the appeal reached us (`received_on`, today when not
    given): a letter that arrived in time is in time, whenever it is typed in. The log names
    the officer and how the appeal came.
    """
    if not permissions.can_manage_appeals(user):
        raise PermissionDenied(_("Only scrutiny officers may record an appeal for a resident."))
    if received_via == ReceivedVia.WEB:
        raise AppealRefused(_("Say how the appeal reached us: by post, by phone or in person."))
    today = timezone.localdate()
    received_on = received_on or today
    if received_on > today:
        raise AppealRefused(_("The day the appeal reached us cannot be in the future."))
    return _appeal_receive(
        call=call,
        grounds=grounds,
        evidence=evidence,
        recorded_by=user,
        received_via=received_via,
        received_on=received_on,
    )


def _appeal_receive(
    *,
    call: CallForScrutiny,
    grounds: str,
    evidence: Iterable[UploadedFile],
    recorded_by=None,
    received_via: str = ReceivedVia.WEB,
    received_on: datetime.date | None = None,
) -> Appeal:
    """The appeal on the call's latest decision, if the rules allow one on the day it came."""
    # Lock the call so that two appeals sent at once cannot both be accepted.
    call = CallForScrutiny.objects.select_for_update().get(pk=call.pk)
    decision = call.decisions.order_by("-decided_at", "-pk").first()
    if decision is not None and received_on is not None and received_on < decision.sent_on:
        raise AppealRefused(
            _(
                "The panel's decision on %(reference)s was sent on %(date)s: an appeal against "
                "it cannot have reached us before that day."
            )
            % {"reference": call.reference, "date": date_format(decision.sent_on, "j F Y")}
        )
    problem = appeal_refusal(decision=decision, today=received_on)
    if problem:
        raise AppealRefused(problem)
    grounds = (grounds or "").strip()
    if not grounds:
        raise AppealRefused(
            _("Write down the resident's grounds for appeal, as their letter gives them.")
            if recorded_by
            else _("Tell us why you are appealing.")
        )
    now = timezone.now()
    for_resident = recorded_by is not None
    received_at = now
    if received_on is not None and received_on != timezone.localdate():
        received_at = timezone.make_aware(datetime.datetime.combine(received_on, datetime.time(12)))
    appeal = Appeal(
        reference=issue_reference(prefix=APPEAL_REFERENCE_PREFIX, year=received_at.year),
        decision=decision,
        call=call,
        grounds=grounds,
        received_at=received_at,
        received_via=received_via,
        recorded_by=recorded_by,
    )
    data = {"call": call.reference}
    if for_resident:
        data["received_by"] = received_via
    appeal = machine.apply(
        appeal, "record_for_resident" if for_resident else "submit", user=recorded_by, data=data
    )
    for upload in evidence:
        AppealEvidence.objects.create(
            appeal=appeal,
            file=upload,
            original_name=upload.name[:255],
            content_type=getattr(upload, "content_type", "") or "",
            size=upload.size,
        )
    log(
        instance=call,
        action="scrutiny.call.appealed_for_resident" if for_resident else "scrutiny.call.appealed",
        user=recorded_by,
        data={
            "appeal": appeal.reference,
            **({"received_by": received_via} if for_resident else {}),
        },
    )
    queue_task("scrutiny.tasks.send_appeal_acknowledgement", appeal.pk)
    queue_task("scrutiny.tasks.send_appeal_officer_notification", appeal.pk)
    return appeal


def appeal_panel_check(*, appeal: Appeal, members: Iterable) -> list[str]:
    """Every reason this choice of members cannot be the appeal's panel; empty if it can."""
    return rules.appeal_panel_problems(appeal=appeal, members=members)


def appeal_panel_candidates(*, appeal: Appeal) -> list:
    """Members of involvement groups offered for appeals who may sit on this appeal's panel."""
    users = list(
        get_user_model()
        .objects.filter(involvement_groups__hears_appeals=True, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    excluded = rules.appeal_exclusions(appeal=appeal, users=users)
    return [user for user in users if user.pk not in excluded]


def _locked(appeal: Appeal) -> Appeal:
    return Appeal.objects.select_for_update().select_related("call", "decision").get(pk=appeal.pk)


def _check_officer(user, refusal: str) -> None:
    if not permissions.can_manage_appeals(user):
        raise PermissionDenied(refusal)


@transaction.atomic
def appeal_convene(*, appeal: Appeal, members: Iterable, user) -> Appeal:
    """Set the appeal panel, once every rule is met; it can be changed until the decision."""
    _check_officer(user, _("Only scrutiny officers may convene an appeal panel."))
    members = list({member.pk: member for member in members}.values())
    appeal = machine.apply(
        appeal,
        "convene",
        user=user,
        members=members,
        changes={"convened_at": timezone.now(), "convened_by": user},
        data={"panel": sorted(member.get_username() for member in members)},
    )
    appeal.panel.set(members)
    # Save again so the history row holds the panel as it now is.
    appeal._history_user = user
    appeal.save(update_fields=["convened_at"])
    return appeal


@transaction.atomic
def appeal_decide(
    *, appeal: Appeal, outcome: str, reasons: str, user, direction: str = ""
) -> Appeal:
    """Record the appeal panel's final decision; an upheld appeal moves the call as directed."""
    _check_officer(user, _("Only scrutiny officers may record an appeal decision."))
    try:
        outcome = AppealOutcome(outcome)
    except ValueError as error:
        raise AppealRefused(_("Choose whether the appeal is upheld or dismissed.")) from error
    reasons = (reasons or "").strip()
    if not reasons:
        raise AppealRefused(_("Give the appeal panel's reasons."))
    if outcome == AppealOutcome.UPHELD:
        try:
            direction = AppealDirection(direction)
        except ValueError as error:
            raise AppealRefused(
                _("Say whether the call returns to the panel or is accepted.")
            ) from error
    else:
        direction = ""
    appeal = machine.apply(
        appeal,
        "decide",
        user=user,
        changes={
            "outcome": outcome,
            "direction": direction,
            "decision_reasons": reasons,
            "decided_at": timezone.now(),
            "decided_by": user,
        },
        data={"outcome": outcome.value, "direction": str(direction)},
    )
    if outcome == AppealOutcome.UPHELD:
        _move_call(appeal=appeal, direction=direction, user=user)
    queue_task("scrutiny.tasks.send_appeal_decision_to_resident", appeal.pk)
    return appeal


def _move_call(*, appeal: Appeal, direction: str, user) -> None:
    """Return the call to the panel, or accept it, as the upheld appeal directs.

    A monitoring the decision started ends with it.
    """
    move = "appeal_return" if direction == AppealDirection.RETURN_TO_PANEL else "appeal_accept"
    call = machine.apply(appeal.call, move, user=user, data={"appeal": appeal.reference})
    watching = Monitoring.objects.filter(
        decision=appeal.decision, status=MonitoringStatus.WATCHING
    ).first()
    if watching is not None:
        machine.apply(watching, "end_by_appeal", user=user, data={"appeal": appeal.reference})
    if call.status == CallStatus.AWAITING_PANEL:
        call_enter_panel(call=call, user=user)
