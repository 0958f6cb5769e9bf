"""Reads about appeals against the panel's decisions."""

from .. import permissions
from ..models import CallForScrutiny


def appeals_visible_to(user):
    """The appeals this user may open: all for officers and managers, else those they sit on."""
    from ..models import Appeal

    appeals = Appeal.objects.select_related("call__business_area", "decision")
    if not user.is_active:
        return appeals.none()
    if permissions.may_view_all_appeals(user):
        return appeals
    if permissions.may_view_appeals(user):
        return appeals.filter(panel=user)
    return appeals.none()


def call_latest_appeal(call: CallForScrutiny):
    """The most recent appeal on a call, if any."""
    return call.appeals.order_by("-received_at", "-pk").first()
