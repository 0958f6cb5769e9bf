"""Changes to a call in its first stages: submission, triage, evidence, sending to the panel.

Views, admin buttons, workflow actions and commands call these; nothing else assigns a status.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from .. import permissions
from ..history import acting_as
from ..models import (
    CallEvidence,
    CallForScrutiny,
    CallNote,
    CallStatus,
    ReferenceCounter,
)
from ..notifications import queue_task

CALL_REFERENCE_PREFIX = "CCS"


class TransitionNotAllowed(Exception):
    """The call is not in a state from which this change may be made."""


@dataclass(frozen=True)
class Transition:
    """One allowed move of a call: from which states, to which, and its button label."""

    name: str
    label: str
    sources: frozenset[str]
    target: str
    permission: str


# The one table of officers' moves, read by call_move, the permission predicates and the buttons.
TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "start_triage",
            "Start triage",
            frozenset({CallStatus.SUBMITTED}),
            CallStatus.TRIAGE,
            "scrutiny.move_call",
        ),
        Transition(
            "gather_evidence",
            "Gather evidence",
            frozenset({CallStatus.TRIAGE}),
            CallStatus.GATHERING_EVIDENCE,
            "scrutiny.move_call",
        ),
        Transition(
            "send_to_panel",
            "Send to the panel",
            frozenset({CallStatus.TRIAGE, CallStatus.GATHERING_EVIDENCE}),
            CallStatus.AWAITING_PANEL,
            "scrutiny.move_call",
        ),
        Transition(
            "return_to_triage",
            "Return to triage",
            frozenset({CallStatus.GATHERING_EVIDENCE, CallStatus.AWAITING_PANEL}),
            CallStatus.TRIAGE,
            "scrutiny.move_call",
        ),
    ]
}


def transitions_available(*, call: CallForScrutiny, user) -> list[Transition]:
    """The moves this user may make on this call now, in table order."""
    return [
        t for t in TRANSITIONS.values() if call.status in t.sources and user.has_perm(t.permission)
    ]


def issue_reference(*, prefix: str, year: int) -> str:
    """The next readable reference for a prefix and year, unique under concurrent requests."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(prefix=prefix, year=year)
        except IntegrityError:
            pass
        counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix, year=year)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
    return f"{prefix}-{year}-{counter.last_number:04d}"


@transaction.atomic
def call_submit(
    *,
    fields: dict,
    evidence: Iterable[UploadedFile] = (),
    extra_answers: list[dict] | None = None,
) -> CallForScrutiny:
    """Create a call from the public pro-forma with its evidence, and queue both emails."""
    now = timezone.now()
    call = CallForScrutiny(
        **fields,
        extra_answers=extra_answers or [],
        reference=issue_reference(prefix=CALL_REFERENCE_PREFIX, year=now.year),
        submitted_at=now,
        status_changed_at=now,
        privacy_agreed_at=now,
    )
    call.full_clean()
    call.save()
    for upload in evidence:
        CallEvidence.objects.create(
            call=call,
            file=upload,
            original_name=upload.name[:255],
            content_type=getattr(upload, "content_type", "") or "",
            size=upload.size,
        )
    log(instance=call, action="scrutiny.call.submit", data={"reference": call.reference})
    queue_task("scrutiny.tasks.send_call_acknowledgement", call.pk)
    queue_task("scrutiny.tasks.send_call_officer_notification", call.pk)
    return call


def _locked(call: CallForScrutiny) -> CallForScrutiny:
    return CallForScrutiny.objects.select_for_update().get(pk=call.pk)


@transaction.atomic
def call_move(*, call: CallForScrutiny, transition: str, user) -> CallForScrutiny:
    """Move a call along the first stages, as the transition table allows."""
    move = TRANSITIONS.get(transition)
    if move is None:
        raise TransitionNotAllowed(f"There is no step called '{transition}'.")
    if not user.has_perm(move.permission):
        raise PermissionDenied(f"You may not {move.label.lower()}.")
    call = _locked(call)
    if call.status not in move.sources:
        raise TransitionNotAllowed(
            f"{call.reference} is {call.get_status_display().lower()}, "
            f"so it cannot be moved with '{move.label}'."
        )
    previous = call.status
    call.status = move.target
    call.status_changed_at = timezone.now()
    call._history_user = user
    call.save(update_fields=["status", "status_changed_at"])
    log(
        instance=call,
        action="scrutiny.call.move",
        user=user,
        data={"from": previous, "to": call.status, "transition": move.name},
    )
    if call.status == CallStatus.AWAITING_PANEL:
        call_enter_panel(call=call, user=user)
    elif previous == CallStatus.AWAITING_PANEL:
        call_leave_panel(call=call, user=user)
    return call


def call_enter_panel(*, call: CallForScrutiny, user) -> None:
    """Put a call that now awaits the panel on the next agenda and into the panel's workflow."""
    from .meetings import next_formal_meeting

    call.awaiting_panel_since = timezone.now()
    call.agenda_meeting = next_formal_meeting()
    call._history_user = user
    call.save(update_fields=["awaiting_panel_since", "agenda_meeting"])
    workflow = call.get_workflow()
    if workflow is not None and not call.workflow_in_progress:
        with acting_as(user):
            call.save_revision(user=user, log_action=False)
            workflow.start(call, user)


def call_leave_panel(*, call: CallForScrutiny, user) -> None:
    """Take a call back from the panel: off the agenda, and its workflow cancelled."""
    call.awaiting_panel_since = None
    call.agenda_meeting = None
    call._history_user = user
    call.save(update_fields=["awaiting_panel_since", "agenda_meeting"])
    state = call.current_workflow_state
    if state is not None:
        with acting_as(user):
            state.cancel(user=user)


@transaction.atomic
def call_assign(*, call: CallForScrutiny, officer, user) -> CallForScrutiny:
    """Give a call to an officer (or to nobody), who then supports the resident."""
    if not permissions.can_manage_calls(user):
        raise PermissionDenied("Only scrutiny officers may assign calls.")
    if officer is not None and not permissions.is_officer(officer):
        raise TransitionNotAllowed(f"{officer} is not a scrutiny officer.")
    call = _locked(call)
    call.assigned_officer = officer
    call._history_user = user
    call.save(update_fields=["assigned_officer"])
    log(
        instance=call,
        action="scrutiny.call.assign",
        user=user,
        data={"officer": officer.get_username() if officer else None},
    )
    return call


@transaction.atomic
def call_add_note(*, call: CallForScrutiny, text: str, user) -> CallNote:
    """Add an internal note to a call."""
    if not permissions.can_manage_calls(user):
        raise PermissionDenied("Only scrutiny officers may add notes.")
    text = text.strip()
    if not text:
        raise TransitionNotAllowed("Write the note before saving it.")
    note = CallNote(call=call, author=user, text=text)
    note._history_user = user
    note.save()
    log(instance=call, action="scrutiny.call.note", user=user, data={"note": note.pk})
    return note


@transaction.atomic
def call_mark_support_given(*, call: CallForScrutiny, user) -> CallForScrutiny:
    """Record that an officer has helped the resident who asked for support."""
    if not permissions.can_manage_calls(user):
        raise PermissionDenied("Only scrutiny officers may record support.")
    call = _locked(call)
    if not call.support_requested:
        raise TransitionNotAllowed(f"The resident did not ask for support on {call.reference}.")
    if call.support_given_at:
        raise TransitionNotAllowed(f"Support on {call.reference} is already recorded.")
    call.support_given_at = timezone.now()
    call._history_user = user
    call.save(update_fields=["support_given_at"])
    log(instance=call, action="scrutiny.call.support_given", user=user)
    return call


@transaction.atomic
def call_correct(
    *, call: CallForScrutiny, business_area, households_affected: int | None, user
) -> CallForScrutiny:
    """Correct which service a call is about, or how many households it affects."""
    if not permissions.can_manage_calls(user):
        raise PermissionDenied("Only scrutiny officers may correct a call.")
    if households_affected is not None and households_affected < 0:
        raise TransitionNotAllowed("The number of households cannot be negative.")
    call = _locked(call)
    changed = {}
    if business_area is not None and business_area.pk != call.business_area_id:
        changed["business_area"] = [str(call.business_area), str(business_area)]
        call.business_area = business_area
    if households_affected != call.households_affected:
        changed["households_affected"] = [call.households_affected, households_affected]
        call.households_affected = households_affected
    if not changed:
        raise TransitionNotAllowed("Nothing was changed.")
    call._history_user = user
    call.save(update_fields=["business_area", "households_affected"])
    log(instance=call, action="scrutiny.call.correct", user=user, data=changed)
    return call
