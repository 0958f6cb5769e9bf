"""Joining the panel and serving on it: applications, appointment and expense claims."""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .. import permissions
from ..financial_years import financial_year_of
from ..models import (
    ApplicationStage,
    EqualityMonitoring,
    ExpenseClaim,
    IneligibleApplicationCount,
    MemberRole,
    PanelApplication,
    PanelMember,
    ReceivedVia,
)
from ..notifications import queue_task
from ..roles import PANEL
from . import machine
from .machine import TransitionNotAllowed

# The engine's one refusal, named for what is refused here.
ExpenseRefused = TransitionNotAllowed


def application_moves_available(application: PanelApplication) -> list[str]:
    """The stages an application may move to next, in the order of the stages."""
    allowed = {
        move.target for move in machine.APPLICATION.moves_from(application.stage) if move.target
    }
    return [stage for stage in ApplicationStage.values if stage in allowed]


@transaction.atomic
def application_record_ineligible(*, on: date | None = None) -> int:
    """Count one ineligible application in its financial year; nothing about who is kept."""
    year = financial_year_of(on or timezone.localdate())
    counter, _created = IneligibleApplicationCount.objects.get_or_create(financial_year=year)
    IneligibleApplicationCount.objects.filter(pk=counter.pk).update(count=F("count") + 1)
    counter.refresh_from_db()
    return counter.count


@transaction.atomic
def application_submit(
    *,
    fields: dict,
    equality: dict | None = None,
    received_via: str = ReceivedVia.WEB,
    received_at=None,
    recorded_by=None,
) -> PanelApplication:
    """Keep an eligible application, the monitoring answers apart, and tell both sides.

    An application given by post, by phone or in person is entered by an officer who manages
    applications (`recorded_by`) and dated the day it reached us (`received_at`)."""
    on_behalf = received_via != ReceivedVia.WEB
    if on_behalf and (recorded_by is None or not permissions.may_manage_applications(recorded_by)):
        raise PermissionDenied(_("Only scrutiny officers enter an application for a resident."))
    now = timezone.now()
    application = PanelApplication(
        **fields,
        submitted_at=min(received_at or now, now),
        received_via=received_via,
        recorded_by=recorded_by if on_behalf else None,
    )
    application.full_clean(exclude=["member"])
    application = machine.apply(
        application,
        "submit",
        user=application.recorded_by,
        data={"received": application.get_received_via_display()} if on_behalf else None,
    )
    if equality:
        EqualityMonitoring.objects.create(
            financial_year=financial_year_of(timezone.localdate()), **equality
        )
    queue_task("scrutiny.tasks.send_application_acknowledgement", application.pk)
    queue_task("scrutiny.tasks.send_application_officer_notification", application.pk)
    return application


def _locked_application(application: PanelApplication, user) -> PanelApplication:
    if not permissions.may_manage_applications(user):
        raise PermissionDenied(_("Only scrutiny officers may manage applications."))
    return PanelApplication.objects.select_for_update().get(pk=application.pk)


@transaction.atomic
def application_move(
    *, application: PanelApplication, stage: str, user, note: str = ""
) -> PanelApplication:
    """Move an application to its next stage (appointing is application_appoint)."""
    application = _locked_application(application, user)
    if stage == ApplicationStage.APPOINTED:
        raise TransitionNotAllowed(_("Appoint the applicant with the appoint button."))
    if stage not in ApplicationStage.values or stage == ApplicationStage.RECEIVED:
        raise TransitionNotAllowed(_("Choose the stage the application moves to."))
    notes = _add_note(application.notes, note, user) if note.strip() else application.notes
    return machine.apply(application, stage, user=user, changes={"notes": notes})


def _add_note(notes: str, note: str, user) -> str:
    stamp = timezone.localtime().strftime("%-d %B %Y %H:%M")
    entry = f"[{stamp}, {user.get_full_name() or user.get_username()}] {note.strip()}"
    return f"{notes}\n\n{entry}".strip()


@transaction.atomic
def application_add_note(*, application: PanelApplication, user, note: str) -> PanelApplication:
    """Add an officer's note to an application."""
    application = _locked_application(application, user)
    if not note.strip():
        raise TransitionNotAllowed(_("Write the note first."))
    notes = _add_note(application.notes, note, user)
    return machine.apply(application, "note", user=user, changes={"notes": notes})


def _free_username(application: PanelApplication) -> str:
    User = get_user_model()
    base = slugify(application.name).replace("-", ".")[:120] or "member"
    username, number = base, 1
    while User.objects.filter(username=username).exists():
        number += 1
        username = f"{base}{number}"
    return username


@transaction.atomic
def application_appoint(
    *,
    application: PanelApplication,
    user,
    role: str = MemberRole.MEMBER,
    started_on: date | None = None,
) -> PanelMember:
    """Appoint an interviewed applicant: one admin account in the Panel members group.

    The account has no usable password; the new member is emailed a link to set one.
    """
    application = _locked_application(application, user)
    machine.check(application, "appoint", user=user)
    User = get_user_model()
    if User.objects.filter(email__iexact=application.email).exists():
        raise TransitionNotAllowed(
            _("An account with the email address %(email)s already exists.")
            % {"email": application.email}
        )
    first, _space, last = application.name.partition(" ")
    account = User(
        username=_free_username(application),
        email=application.email,
        first_name=first[:150],
        last_name=last[:150],
    )
    account.set_unusable_password()
    account.save()
    account.groups.add(Group.objects.get(name=PANEL))
    member = PanelMember(
        user=account,
        role=role,
        payment_choice=application.payment_choice,
        started_on=started_on or timezone.localdate(),
    )
    member._history_user = user
    member.save()
    machine.apply(
        application,
        "appoint",
        user=user,
        changes={"member": member},
        data={"username": account.get_username()},
    )
    queue_task("scrutiny.tasks.send_member_welcome", member.pk)
    return member


@transaction.atomic
def expense_submit(
    *, user, spent_on: date, description: str, amount: Decimal, receipt
) -> ExpenseClaim:
    """A member claims money spent on panel work; a receipt and a positive amount are needed."""
    member = PanelMember.objects.filter(user=user).first()
    if member is None or not permissions.may_claim_expenses(user):
        raise PermissionDenied(_("Only panel members may claim expenses."))
    if not receipt:
        raise ExpenseRefused(_("Attach the receipt."))
    if amount is None or amount <= 0:
        raise ExpenseRefused(_("The amount must be more than £0."))
    if spent_on > timezone.localdate():
        raise ExpenseRefused(_("The date cannot be in the future."))
    claim = ExpenseClaim(
        member=member,
        spent_on=spent_on,
        description=description.strip(),
        amount=amount,
        receipt=receipt,
        receipt_name=getattr(receipt, "name", "")[:255],
    )
    return machine.apply(claim, "submit", user=user)


@transaction.atomic
def expense_decide(*, claim: ExpenseClaim, user, approve: bool, reason: str = "") -> ExpenseClaim:
    """An officer approves a waiting claim, or rejects it with a reason."""
    if not permissions.may_decide_expenses(user):
        raise PermissionDenied(_("Only scrutiny officers may approve expenses."))
    reason = "" if approve else reason.strip()
    return machine.apply(
        claim,
        "approve" if approve else "reject",
        user=user,
        reason=reason,
        changes={"rejection_reason": reason, "decided_by": user, "decided_at": timezone.now()},
        data={"reason": reason},
    )
