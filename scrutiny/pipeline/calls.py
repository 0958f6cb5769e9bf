"""Changes to a call in its first stages: submission, triage, evidence, sending to the panel.

Views, admin buttons, workflow actions and commands call these; nothing else assigns a status.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import permissions
from ..access_codes import new_access_code
from ..counters import add_one
from ..history import acting_as
from ..models import (
    CallClosure,
    CallEvidence,
    CallForScrutiny,
    CallNote,
    CallStatus,
    Petition,
    PetitionStatus,
    ReceivedVia,
    ReferenceCounter,
)
from ..notifications import queue_task, tasks_together
from . import machine
from .machine import Move, TransitionNotAllowed

CALL_REFERENCE_PREFIX = "CCS"


def transitions_available(*, call: CallForScrutiny, user) -> list[Move]:
    """The officers' buttons this user may press on this call now, in table order."""
    return machine.available(call, user)


def issue_reference(*, prefix: str, year: int) -> str:
    """The next readable reference for a prefix and year, unique under concurrent requests.

    The counter's row stays locked until the commit, so that no number is skipped when a
    submission is refused after it was numbered: requests numbered at the same moment take
    their turns from here to their commits.
    """
    number = add_one(ReferenceCounter, "last_number", prefix=prefix, year=year)
    if number is None:  # the year's first reference, unless another request made the row meanwhile
        with transaction.atomic():
            ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
        number = add_one(ReferenceCounter, "last_number", prefix=prefix, year=year)
    return f"{prefix}-{year}-{number:04d}"


@transaction.atomic(savepoint=False)  # any failure undoes the whole submission
def call_submit(
    *,
    fields: dict,
    evidence: Iterable[UploadedFile] = (),
    extra_answers: list[dict] | None = None,
    received_via: str = ReceivedVia.WEB,
    received_at=None,
    recorded_by=None,
) -> CallForScrutiny:
    """Create a call from the pro-forma with its evidence, and queue both emails.

    A call the resident gave by post, phone or in person is entered by an officer
    (`recorded_by`), dated when it reached us (`received_at`, never later than now) and goes
    through the same checks and the same acknowledgement as one sent online."""
    now = timezone.now()
    on_behalf = received_via != ReceivedVia.WEB
    if on_behalf and (recorded_by is None or not permissions.can_enter_for_resident(recorded_by)):
        raise PermissionDenied(_("Only scrutiny officers enter a call for a resident."))
    received = min(received_at or now, now)
    call = CallForScrutiny(
        **fields,
        extra_answers=extra_answers or [],
        submitted_at=received,
        status_changed_at=received,
        privacy_agreed_at=now,
        access_code=new_access_code(),
        access_code_issued_at=now,
        received_via=received_via,
        recorded_by=recorded_by if on_behalf else None,
    )
    # The form has checked the service against the database; its foreign key guards it too.
    call.full_clean(exclude=["reference", "business_area"])
    # Its emails and Wagtail's index updates: one task row in the resident's request.
    with tasks_together():
        # Numbered as it is made, so that its row, history and log entry are written once each.
        call.reference = issue_reference(
            prefix=CALL_REFERENCE_PREFIX, year=timezone.localdate(received).year
        )
        call = machine.apply(
            call,
            "submit",
            user=call.recorded_by,
            data={"received": call.get_received_via_display()},
        )
        for upload in evidence:
            CallEvidence.objects.create(
                call=call,
                file=upload,
                original_name=upload.name[:255],
                content_type=getattr(upload, "content_type", "") or "",
                size=upload.size,
            )
        queue_task("scrutiny.tasks.send_call_received", call.pk)
    return call


def _locked(call: CallForScrutiny) -> CallForScrutiny:
    return CallForScrutiny.objects.select_for_update().get(pk=call.pk)


@transaction.atomic
def call_move(*, call: CallForScrutiny, transition: str, user) -> CallForScrutiny:
    """Move a call along the first stages with one of the officers' buttons."""
    move = machine.CALL.move(transition)
    if not move.button:
        raise TransitionNotAllowed(
            _("'%(label)s' is not one of the officers' buttons.") % {"label": move.label}
        )
    previous = call.status
    call = machine.apply(call, transition, user=user)
    call_arrived(call=call, previous=previous, user=user)
    return call


def call_arrived(*, call: CallForScrutiny, previous: str, user) -> None:
    """What follows a call's arrival at a stage: the panel's agenda and workflow, its petition."""
    if call.status == CallStatus.AWAITING_PANEL:
        call_enter_panel(call=call, user=user)
    elif previous == CallStatus.AWAITING_PANEL:
        call_leave_panel(call=call, user=user)


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


CLOSING_MOVES = {
    CallClosure.WITHDRAWN: "withdraw",
    CallClosure.DUPLICATE: "close_duplicate",
    CallClosure.OUT_OF_SCOPE: "close_out_of_scope",
}


@transaction.atomic
def call_close(
    *,
    call: CallForScrutiny,
    closure: str,
    reason: str,
    user,
    duplicate_of: CallForScrutiny | None = None,
) -> CallForScrutiny:
    """End a call before the panel's decision: withdrawn, a duplicate, or out of scope.

    The reason is told to the resident; an open petition closes with the call.
    """
    if closure not in CLOSING_MOVES:
        raise TransitionNotAllowed(_("Choose why the call is closing."))
    reason = (reason or "").strip()
    previous = call.status
    call = machine.apply(
        call,
        CLOSING_MOVES[closure],
        user=user,
        reason=reason,
        duplicate_of=duplicate_of,
        changes={
            "closure": closure,
            "closure_reason": reason,
            "duplicate_of": duplicate_of if closure == CallClosure.DUPLICATE else None,
        },
        data={"duplicate_of": duplicate_of.reference if duplicate_of else None},
    )
    call_ended(call=call, previous=previous, user=user)
    return call


def call_ended(*, call: CallForScrutiny, previous: str, user) -> None:
    """A closed call leaves the panel's agenda and workflow, and its open petition closes."""
    if previous == CallStatus.AWAITING_PANEL:
        call_leave_panel(call=call, user=user)
    petition = Petition.objects.filter(call=call).first()
    if petition is not None and petition.status != PetitionStatus.CLOSED:
        machine.apply(
            petition,
            "expire",
            user=user,
            changes={"closed_at": timezone.now()},
            data={"call": call.reference},
        )


@transaction.atomic
def call_close_not_accepted(*, call: CallForScrutiny) -> CallForScrutiny:
    """Close a call the panel did not accept, once it can no longer be appealed."""
    return machine.apply(call, "close_not_accepted", changes={"closure": CallClosure.NOT_ACCEPTED})


@transaction.atomic
def call_assign(*, call: CallForScrutiny, officer, user) -> CallForScrutiny:
    """Give a call to an officer (or to nobody), who then supports the resident."""
    if not permissions.can_manage_calls(user):
        raise PermissionDenied(_("Only scrutiny officers may assign calls."))
    if officer is not None and not permissions.is_officer(officer):
        raise TransitionNotAllowed(
            _("%(officer)s is not a scrutiny officer.") % {"officer": officer}
        )
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
        raise PermissionDenied(_("Only scrutiny officers may add notes."))
    text = text.strip()
    if not text:
        raise TransitionNotAllowed(_("Write the note before saving it."))
    note = CallNote(call=call, author=user, text=text)
    note._history_user = user
    note.save()
    log(instance=call, action="scrutiny.call.note", user=user, data={"note": note.pk})
    return note


@transaction.atomic
def call_mark_support_given(*, call: CallForScrutiny, user) -> CallForScrutiny:
    """Record that an officer has helped the resident who asked for support."""
    if not permissions.can_manage_calls(user):
        raise PermissionDenied(_("Only scrutiny officers may record support."))
    call = _locked(call)
    if not call.support_requested:
        raise TransitionNotAllowed(
            _("The resident did not ask for support on %(reference)s.")
            % {"reference": call.reference}
        )
    if call.support_given_at:
        raise TransitionNotAllowed(
            _("Support on %(reference)s is already recorded.") % {"reference": call.reference}
        )
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
        raise PermissionDenied(_("Only scrutiny officers may correct a call."))
    if households_affected is not None and households_affected < 0:
        raise TransitionNotAllowed(_("The number of households cannot be negative."))
    call = _locked(call)
    changed = {}
    if business_area is not None and business_area.pk != call.business_area_id:
        changed["business_area"] = [str(call.business_area), str(business_area)]
        call.business_area = business_area
    if households_affected != call.households_affected:
        changed["households_affected"] = [call.households_affected, households_affected]
        call.households_affected = households_affected
    if not changed:
        raise TransitionNotAllowed(_("Nothing was changed."))
    call._history_user = user
    call.save(update_fields=["business_area", "households_affected"])
    log(instance=call, action="scrutiny.call.correct", user=user, data=changed)
    return call


@transaction.atomic
def call_issue_access_code(*, call: CallForScrutiny, user) -> str:
    """Give the resident a new access code (the old one and its links stop working); returns it.

    The code is emailed to the resident if they gave an address, and the officer is shown it
    once, to print on a letter. The log says who issued a code and whether it was emailed, never
    the code.
    """
    if not permissions.can_manage_calls(user):
        raise PermissionDenied(_("Only scrutiny officers may issue an access code."))
    call = _locked(call)
    if call.anonymised_at:
        raise TransitionNotAllowed(
            _("%(reference)s has been anonymised: there is nobody to give a code to.")
            % {"reference": call.reference}
        )
    now = timezone.now()
    call.access_code = new_access_code()
    call.access_code_issued_at = now
    call._history_user = user
    call.save(update_fields=["access_code", "access_code_issued_at"])
    emailed = bool(call.email)
    log(
        instance=call,
        action="scrutiny.call.access_code",
        user=user,
        data={"emailed": emailed},
    )
    if emailed:
        queue_task("scrutiny.tasks.send_access_code", call.pk, now.isoformat())
    return call.access_code
