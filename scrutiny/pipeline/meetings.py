"""Panel meetings and their agendas: which meeting considers which call."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import permissions
from ..models import CallForScrutiny, CallStatus, MeetingKind, MeetingStatus, PanelMeeting
from . import machine


def next_formal_meeting(*, after=None, excluding=None) -> PanelMeeting | None:
    """The soonest scheduled formal meeting from a moment on (now by default)."""
    meetings = PanelMeeting.objects.upcoming_formal(after=after)
    if excluding is not None:
        meetings = meetings.exclude(pk=excluding.pk)
    return meetings.first()


@transaction.atomic
def agenda_refresh(*, user=None) -> int:
    """Put every call awaiting the panel on the next formal meeting unless it is already there.

    A call keeps its meeting only while that meeting is a scheduled formal one still to come
    and no later than the soonest; otherwise (none, cancelled, held, past, not formal, or later
    than the soonest) it moves. Returns how many moved.
    """
    soonest = next_formal_meeting()
    if soonest is None:
        return 0
    well_placed = Q(
        agenda_meeting__kind=MeetingKind.FORMAL,
        agenda_meeting__status=MeetingStatus.SCHEDULED,
        agenda_meeting__starts_at__gte=timezone.now(),
        agenda_meeting__starts_at__lte=soonest.starts_at,
    )
    waiting = (
        CallForScrutiny.objects.select_for_update(of=("self",))
        .filter(status=CallStatus.AWAITING_PANEL)
        .exclude(well_placed)
    )
    moved = 0
    for call in waiting:
        _put_on_agenda(call, soonest, user=user, starts_at=soonest.starts_at.isoformat())
        moved += 1
    return moved


def _put_on_agenda(call: CallForScrutiny, meeting: PanelMeeting | None, *, user, **detail) -> None:
    """Move one call to a meeting's agenda (or to none), with its history and log entry."""
    call.agenda_meeting = meeting
    call._history_user = user
    call.save(update_fields=["agenda_meeting"])
    log(
        instance=call,
        action="scrutiny.call.agenda",
        user=user,
        data={"meeting": meeting.pk if meeting else None, **detail},
    )


@transaction.atomic
def meeting_cancel(*, meeting: PanelMeeting, user) -> int:
    """Cancel a scheduled meeting and move the calls on its agenda to the next formal one."""
    if not permissions.may_change_meetings(user):
        raise PermissionDenied(_("Only scrutiny officers may cancel meetings."))
    meeting = machine.apply(meeting, "cancel", user=user)
    replacement = next_formal_meeting(after=max(meeting.starts_at, timezone.now()))
    calls = CallForScrutiny.objects.select_for_update().filter(
        agenda_meeting=meeting, status=CallStatus.AWAITING_PANEL
    )
    moved = 0
    for call in calls:
        _put_on_agenda(call, replacement, user=user, cancelled=meeting.pk)
        moved += 1
    return moved


@transaction.atomic
def meeting_mark_held(*, meeting: PanelMeeting, user) -> PanelMeeting:
    """Record that a scheduled meeting took place."""
    if not permissions.may_change_meetings(user):
        raise PermissionDenied(_("Only scrutiny officers may record meetings."))
    return machine.apply(meeting, "hold", user=user)
