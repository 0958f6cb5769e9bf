"""Members' time beyond meetings: places on training sessions, and time logged on scrutiny work."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..models import PanelMember, TimeEntry, TrainingPlace, TrainingSession
from . import machine


@transaction.atomic
def training_offer(*, session: TrainingSession, members, user) -> list[TrainingPlace]:
    """Offer a session to members; a member who already has a place on it keeps theirs."""
    taken = set(session.places.values_list("member_id", flat=True))
    return [
        machine.apply(TrainingPlace(session=session, member=member), "offer", user=user)
        for member in members
        if member.pk not in taken
    ]


@transaction.atomic
def training_place_move(*, place: TrainingPlace, move: str, user) -> TrainingPlace:
    """Book or decline a place (the member, or an officer for them), or record attendance."""
    return machine.apply(place, move, user=user)


@transaction.atomic
def time_log(
    *,
    user,
    activity: str,
    worked_on: date,
    hours: Decimal,
    member: PanelMember | None = None,
    review=None,
    note: str = "",
) -> TimeEntry:
    """Log time a member gave to scrutiny work: their own, or any member's by an officer."""
    own = PanelMember.objects.filter(user=user).first()
    member = member or own
    if member is None:
        raise PermissionDenied(_("Only panel members log their time."))
    if member != own and not permissions.may_log_time_for_others(user):
        raise PermissionDenied(_("Only scrutiny officers log time for another member."))
    if member == own and not permissions.may_log_time(user):
        raise PermissionDenied(_("Only panel members log their time."))
    entry = TimeEntry(
        member=member,
        activity=activity,
        worked_on=worked_on,
        hours=hours,
        review=review,
        note=note.strip(),
        logged_by=user,
        logged_at=timezone.now(),
    )
    entry.full_clean()
    return machine.apply(entry, "log", user=user, data={"hours": str(hours)})


@transaction.atomic
def time_withdraw(*, entry: TimeEntry, user) -> TimeEntry:
    """Take back time logged by mistake; it no longer counts towards the member's days."""
    return machine.apply(entry, "withdraw", user=user)
