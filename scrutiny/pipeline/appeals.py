"""Appeals: the resident's written appeal, the independent appeal panel, and its final decision.

An officer convenes the appeal panel and records its decision on the panel's behalf; the
appeal panel's members read the appeals they sit on.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from ..models import (
    Appeal,
    AppealDirection,
    AppealEvidence,
    AppealOutcome,
    AppealStatus,
    CallForScrutiny,
    CallStatus,
    InvolvementGroup,
    PanelDecision,
    ScrutinySettings,
)
from ..notifications import queue_task
from ..roles import PANEL
from .calls import TransitionNotAllowed, call_enter_panel, issue_reference

APPEAL_REFERENCE_PREFIX = "APL"


class AppealRefused(TransitionNotAllowed):
    """The appeal cannot be made or changed; the message says why, in the resident's words."""


class AppealNotFound(AppealRefused):
    """No call matches the reference and the email address or postcode given."""


class AppealPanelRefused(TransitionNotAllowed):
    """The chosen appeal panel breaks the rules; `reasons` names each problem."""

    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def person_name(user) -> str:
    """A person's full name, or their username if they have none."""
    return user.get_full_name().strip() or user.get_username()


def _contact_sentence(config: ScrutinySettings) -> str:
    where = f"email {config.contact_email}"
    if config.contact_address.strip():
        where += " or write to " + ", ".join(
            line.strip() for line in config.contact_address.splitlines() if line.strip()
        )
    return (
        "If you think there is a good reason your appeal is late, "
        f"contact the {config.contact_role}: {where}."
    )


def appeal_refusal(*, decision: PanelDecision | None, today=None) -> str | None:
    """Why an appeal on this decision cannot be made today, or None if it can."""
    if decision is None:
        return "The panel has not decided on this call yet, so there is no decision to appeal."
    if not decision.appealable:
        return f"The panel accepted {decision.call.reference}, so there is no decision to appeal."
    if Appeal.objects.filter(decision=decision).exists():
        return (
            f"The panel's decision on {decision.call.reference} has already been appealed. "
            "There can be one appeal on each decision, and the appeal panel's decision is final."
        )
    today = today or timezone.localdate()
    if decision.appeal_deadline is None or today > decision.appeal_deadline:
        config = ScrutinySettings.load()
        last = decision.appeal_deadline.strftime("%A %-d %B %Y") if decision.appeal_deadline else ""
        return (
            f"The last day to appeal against the panel's decision on {decision.call.reference} "
            f"was {last}, so we cannot accept this appeal. " + _contact_sentence(config)
        )
    return None


@transaction.atomic
def appeal_submit(
    *,
    reference: str,
    email_or_postcode: str,
    grounds: str,
    evidence: Iterable[UploadedFile] = (),
) -> Appeal:
    """Record a resident's written appeal against the panel's latest decision on their call."""
    from ..selectors import call_find_for_resident

    call = call_find_for_resident(reference=reference, email_or_postcode=email_or_postcode)
    if call is None:
        raise AppealNotFound(
            "We could not find a call with those details. Check the reference and the email "
            "address or postcode you gave us."
        )
    # Lock the call so that two appeals sent at once cannot both be accepted.
    call = CallForScrutiny.objects.select_for_update().get(pk=call.pk)
    decision = call.decisions.order_by("-decided_at", "-pk").first()
    problem = appeal_refusal(decision=decision)
    if problem:
        raise AppealRefused(problem)
    grounds = (grounds or "").strip()
    if not grounds:
        raise AppealRefused("Tell us why you are appealing.")
    now = timezone.now()
    appeal = Appeal.objects.create(
        reference=issue_reference(prefix=APPEAL_REFERENCE_PREFIX, year=now.year),
        decision=decision,
        call=call,
        grounds=grounds,
        received_at=now,
    )
    for upload in evidence:
        AppealEvidence.objects.create(
            appeal=appeal,
            file=upload,
            original_name=upload.name[:255],
            content_type=getattr(upload, "content_type", "") or "",
            size=upload.size,
        )
    log(instance=appeal, action="scrutiny.appeal.submit", data={"call": call.reference})
    log(instance=call, action="scrutiny.call.appealed", data={"appeal": appeal.reference})
    queue_task("scrutiny.tasks.send_appeal_acknowledgement", appeal.pk)
    queue_task("scrutiny.tasks.send_appeal_officer_notification", appeal.pk)
    return appeal


def appeal_exclusions(*, appeal: Appeal, users: Iterable) -> dict[int, str]:
    """For each of these users who may not sit on this appeal's panel, the reason why."""
    users = list(users)
    decision = appeal.decision
    area = appeal.call.business_area
    ids = [user.pk for user in users]
    panel_ids = set(
        get_user_model().objects.filter(pk__in=ids, groups__name=PANEL).values_list("pk", flat=True)
    )
    serving: dict[int, str] = {}
    for group in InvolvementGroup.objects.filter(business_areas=area, members__in=ids).distinct():
        for member_pk in group.members.filter(pk__in=ids).values_list("pk", flat=True):
            serving.setdefault(member_pk, group.name)
    attendee_ids = (
        set(decision.meeting.attendees.filter(pk__in=ids).values_list("pk", flat=True))
        if decision.meeting_id
        else set()
    )
    reasons = {}
    for user in users:
        name = person_name(user)
        if user.pk in panel_ids:
            reasons[user.pk] = f"{name} sits on the scrutiny panel."
        elif user.pk == decision.decided_by_id:
            reasons[user.pk] = f"{name} recorded the panel's decision under appeal."
        elif user.pk in attendee_ids:
            reasons[user.pk] = f"{name} attended the meeting at which the panel decided this call."
        elif user.pk in serving:
            reasons[user.pk] = f"{name} is in {serving[user.pk]}, which serves {area.name}."
    return reasons


def appeal_panel_check(*, appeal: Appeal, members: Iterable) -> list[str]:
    """Every reason this choice of members cannot be the appeal's panel; empty if it can."""
    members = list({user.pk: user for user in members}.values())
    config = ScrutinySettings.load()
    reasons = []
    if len(members) < config.appeal_panel_minimum:
        reasons.append(
            f"An appeal panel needs at least {config.appeal_panel_minimum} members; "
            f"{len(members)} {'was' if len(members) == 1 else 'were'} chosen."
        )
    if len(members) > config.appeal_panel_maximum:
        reasons.append(
            f"An appeal panel has at most {config.appeal_panel_maximum} members; "
            f"{len(members)} were chosen."
        )
    excluded = appeal_exclusions(appeal=appeal, users=members)
    reasons.extend(excluded[user.pk] for user in members if user.pk in excluded)
    reasons.extend(
        f"{person_name(user)} is not an active user." for user in members if not user.is_active
    )
    return reasons


def appeal_panel_candidates(*, appeal: Appeal) -> list:
    """Members of involvement groups who may sit on this appeal's panel, by name."""
    users = list(
        get_user_model()
        .objects.filter(involvement_groups__isnull=False, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    excluded = appeal_exclusions(appeal=appeal, users=users)
    return [user for user in users if user.pk not in excluded]


def _locked(appeal: Appeal) -> Appeal:
    return Appeal.objects.select_for_update().select_related("call", "decision").get(pk=appeal.pk)


def _check_officer(user, what: str) -> None:
    if not (user.is_active and user.has_perm("scrutiny.change_appeal")):
        raise PermissionDenied(f"Only scrutiny officers may {what}.")


@transaction.atomic
def appeal_convene(*, appeal: Appeal, members: Iterable, user) -> Appeal:
    """Set the appeal panel, once every rule is met; it can be changed until the decision."""
    _check_officer(user, "convene an appeal panel")
    appeal = _locked(appeal)
    if appeal.status == AppealStatus.DECIDED:
        raise AppealRefused(f"{appeal.reference} is decided; its panel can no longer change.")
    members = list({member.pk: member for member in members}.values())
    reasons = appeal_panel_check(appeal=appeal, members=members)
    if reasons:
        raise AppealPanelRefused(reasons)
    previous = appeal.status
    appeal.status = AppealStatus.PANEL_CONVENED
    appeal.convened_at = timezone.now()
    appeal.convened_by = user
    appeal._history_user = user
    appeal.save(update_fields=["status", "convened_at", "convened_by"])
    appeal.panel.set(members)
    # Save again so the history row holds the panel as it now is.
    appeal._history_user = user
    appeal.save(update_fields=["status"])
    log(
        instance=appeal,
        action="scrutiny.appeal.convene",
        user=user,
        data={"from": previous, "panel": sorted(member.get_username() for member in members)},
    )
    return appeal


@transaction.atomic
def appeal_decide(
    *, appeal: Appeal, outcome: str, reasons: str, user, direction: str = ""
) -> Appeal:
    """Record the appeal panel's final decision; an upheld appeal moves the call as directed."""
    _check_officer(user, "record an appeal decision")
    try:
        outcome = AppealOutcome(outcome)
    except ValueError as error:
        raise AppealRefused("Choose whether the appeal is upheld or dismissed.") from error
    appeal = _locked(appeal)
    if appeal.status != AppealStatus.PANEL_CONVENED:
        raise AppealRefused(
            f"{appeal.reference} is {appeal.get_status_display().lower()}: "
            "a decision is recorded once its panel is convened, and only once."
        )
    reasons = (reasons or "").strip()
    if not reasons:
        raise AppealRefused("Give the appeal panel's reasons.")
    if outcome == AppealOutcome.UPHELD:
        try:
            direction = AppealDirection(direction)
        except ValueError as error:
            raise AppealRefused(
                "Say whether the call returns to the panel or is accepted."
            ) from error
    else:
        direction = ""
    now = timezone.now()
    appeal.status = AppealStatus.DECIDED
    appeal.outcome = outcome
    appeal.direction = direction
    appeal.decision_reasons = reasons
    appeal.decided_at = now
    appeal.decided_by = user
    appeal._history_user = user
    appeal.save()
    log(
        instance=appeal,
        action="scrutiny.appeal.decide",
        user=user,
        data={"outcome": outcome.value, "direction": str(direction)},
    )
    if outcome == AppealOutcome.UPHELD:
        _move_call(appeal=appeal, direction=direction, user=user, now=now)
    queue_task("scrutiny.tasks.send_appeal_decision_to_resident", appeal.pk)
    return appeal


def _move_call(*, appeal: Appeal, direction: str, user, now) -> None:
    """Return the call to the panel, or accept it, as the upheld appeal directs."""
    call = CallForScrutiny.objects.select_for_update().get(pk=appeal.call_id)
    previous = call.status
    call.status = (
        CallStatus.AWAITING_PANEL
        if direction == AppealDirection.RETURN_TO_PANEL
        else CallStatus.ACCEPTED
    )
    call.status_changed_at = now
    call._history_user = user
    call.save(update_fields=["status", "status_changed_at"])
    log(
        instance=call,
        action="scrutiny.call.appeal_decided",
        user=user,
        data={"from": previous, "to": call.status, "appeal": appeal.reference},
    )
    if call.status == CallStatus.AWAITING_PANEL:
        call_enter_panel(call=call, user=user)
