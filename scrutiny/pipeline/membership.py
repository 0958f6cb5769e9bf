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
from wagtail.log_actions import log

from ..member_selectors import financial_year_of
from ..models import (
    ApplicationStage,
    EqualityMonitoring,
    ExpenseClaim,
    ExpenseStatus,
    IneligibleApplicationCount,
    MemberRole,
    PanelApplication,
    PanelMember,
)
from ..notifications import queue_task
from ..roles import PANEL
from .calls import TransitionNotAllowed

MANAGE_APPLICATIONS = "scrutiny.change_panelapplication"
DECIDE_EXPENSES = "scrutiny.change_expenseclaim"

# Where an application may go from each stage. Appointing is its own operation.
APPLICATION_MOVES: dict[str, set[str]] = {
    ApplicationStage.RECEIVED: {ApplicationStage.SHORTLISTED, ApplicationStage.DECLINED},
    ApplicationStage.SHORTLISTED: {ApplicationStage.INTERVIEWED, ApplicationStage.DECLINED},
    ApplicationStage.INTERVIEWED: {ApplicationStage.APPOINTED, ApplicationStage.DECLINED},
    ApplicationStage.APPOINTED: set(),
    ApplicationStage.DECLINED: set(),
}


class ExpenseRefused(TransitionNotAllowed):
    """An expense claim cannot be taken or decided; the message says why."""


def application_moves_available(application: PanelApplication) -> list[str]:
    """The stages an application may move to next, in the order of the stages."""
    allowed = APPLICATION_MOVES[application.stage]
    return [stage for stage in ApplicationStage.values if stage in allowed]


@transaction.atomic
def application_record_ineligible(*, on: date | None = None) -> int:
    """Count one ineligible application in its financial year; nothing about who is kept."""
    year = financial_year_of(on or timezone.localdate())
    counter, _ = IneligibleApplicationCount.objects.get_or_create(financial_year=year)
    IneligibleApplicationCount.objects.filter(pk=counter.pk).update(count=F("count") + 1)
    counter.refresh_from_db()
    return counter.count


@transaction.atomic
def application_submit(*, fields: dict, equality: dict | None = None) -> PanelApplication:
    """Keep an eligible application, the monitoring answers apart, and tell both sides."""
    application = PanelApplication(**fields)
    application.full_clean(exclude=["member"])
    application.save()
    if equality:
        EqualityMonitoring.objects.create(
            financial_year=financial_year_of(timezone.localdate()), **equality
        )
    log(instance=application, action="scrutiny.application.submit")
    queue_task("scrutiny.tasks.send_application_acknowledgement", application.pk)
    queue_task("scrutiny.tasks.send_application_officer_notification", application.pk)
    return application


def _locked_application(application: PanelApplication, user) -> PanelApplication:
    if not user.has_perm(MANAGE_APPLICATIONS):
        raise PermissionDenied("Only scrutiny officers may manage applications.")
    return PanelApplication.objects.select_for_update().get(pk=application.pk)


@transaction.atomic
def application_move(
    *, application: PanelApplication, stage: str, user, note: str = ""
) -> PanelApplication:
    """Move an application to its next stage (appointing is application_appoint)."""
    application = _locked_application(application, user)
    if stage == ApplicationStage.APPOINTED:
        raise TransitionNotAllowed("Appoint the applicant with the appoint button.")
    if stage not in APPLICATION_MOVES[application.stage]:
        raise TransitionNotAllowed(
            f"An application that is {application.get_stage_display().lower()} cannot be "
            f"moved to {ApplicationStage(stage).label.lower()}."
        )
    previous = application.stage
    application.stage = stage
    if note.strip():
        application.notes = _add_note(application.notes, note, user)
    application._history_user = user
    application.save()
    log(
        instance=application,
        action="scrutiny.application.move",
        user=user,
        data={"from": previous, "to": stage},
    )
    return application


def _add_note(notes: str, note: str, user) -> str:
    stamp = timezone.localtime().strftime("%-d %B %Y %H:%M")
    entry = f"[{stamp}, {user.get_full_name() or user.get_username()}] {note.strip()}"
    return f"{notes}\n\n{entry}".strip()


@transaction.atomic
def application_add_note(*, application: PanelApplication, user, note: str) -> PanelApplication:
    """Add an officer's note to an application."""
    application = _locked_application(application, user)
    if not note.strip():
        raise TransitionNotAllowed("Write the note first.")
    application.notes = _add_note(application.notes, note, user)
    application._history_user = user
    application.save()
    log(instance=application, action="scrutiny.application.note", user=user)
    return application


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
    if application.stage != ApplicationStage.INTERVIEWED or application.member_id:
        raise TransitionNotAllowed(
            f"{application.name}'s application is "
            f"{application.get_stage_display().lower()}; only an interviewed applicant can "
            "be appointed, once."
        )
    User = get_user_model()
    if User.objects.filter(email__iexact=application.email).exists():
        raise TransitionNotAllowed(
            f"An account with the email address {application.email} already exists."
        )
    first, _, last = application.name.partition(" ")
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
    application.stage = ApplicationStage.APPOINTED
    application.member = member
    application._history_user = user
    application.save()
    log(
        instance=application,
        action="scrutiny.application.appoint",
        user=user,
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
    if member is None or not user.has_perm("scrutiny.add_expenseclaim"):
        raise PermissionDenied("Only panel members may claim expenses.")
    if not receipt:
        raise ExpenseRefused("Attach the receipt.")
    if amount is None or amount <= 0:
        raise ExpenseRefused("The amount must be more than £0.")
    if spent_on > timezone.localdate():
        raise ExpenseRefused("The date cannot be in the future.")
    claim = ExpenseClaim(
        member=member,
        spent_on=spent_on,
        description=description.strip(),
        amount=amount,
        receipt=receipt,
        receipt_name=getattr(receipt, "name", "")[:255],
    )
    claim._history_user = user
    claim.save()
    log(instance=claim, action="scrutiny.expense.submit", user=user)
    return claim


@transaction.atomic
def expense_decide(*, claim: ExpenseClaim, user, approve: bool, reason: str = "") -> ExpenseClaim:
    """An officer approves a waiting claim, or rejects it with a reason."""
    if not user.has_perm(DECIDE_EXPENSES):
        raise PermissionDenied("Only scrutiny officers may approve expenses.")
    claim = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ExpenseStatus.SUBMITTED:
        raise ExpenseRefused(f"This claim is already {claim.get_status_display().lower()}.")
    if claim.member.user_id == user.pk:
        raise ExpenseRefused("You cannot decide your own claim.")
    if not approve and not reason.strip():
        raise ExpenseRefused("Give the reason for rejecting the claim.")
    claim.status = ExpenseStatus.APPROVED if approve else ExpenseStatus.REJECTED
    claim.rejection_reason = "" if approve else reason.strip()
    claim.decided_by = user
    claim.decided_at = timezone.now()
    claim._history_user = user
    claim.save()
    log(
        instance=claim,
        action="scrutiny.expense.approve" if approve else "scrutiny.expense.reject",
        user=user,
        data={"reason": claim.rejection_reason},
    )
    return claim
