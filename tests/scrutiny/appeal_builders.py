"""Builders for appeal tests: a decided call, involvement groups, an eligible panel."""

from datetime import timedelta

from django.utils import timezone

from scrutiny import pipeline
from scrutiny.models import InvolvementGroup, MeetingKind, PanelMeeting
from tests.conftest import make_user
from tests.scrutiny.builders import backdate_arrival, decide, make_awaiting_call

NOT_ACCEPTED = {
    "outcome": "not_accepted",
    "reason": "complaints-not-completed",
    "avenues": "Finish the complaints procedure.",
}


def decided_call(staff, *, outcome_details=None, meeting=None, **call_fields):
    """A call the panel has decided on (not accepted, unless told otherwise), and the decision."""
    call = make_awaiting_call(staff, postcode="PC1 1AA", **call_fields)
    details = outcome_details or NOT_ACCEPTED
    if meeting is not None:
        # The meeting set up for the call has taken place by the time of the decision.
        backdate_arrival(call)
        PanelMeeting.objects.filter(pk=meeting.pk).update(
            starts_at=timezone.now() - timedelta(days=1)
        )
        meeting.refresh_from_db()
    decision = decide(
        call,
        user=staff["panel"],
        reasons="The complaints procedure can still put this right.",
        meeting=meeting,
        **details,
    )
    call.refresh_from_db()
    return call, decision


def make_meeting(days_ahead: int = 7) -> PanelMeeting:
    return PanelMeeting.objects.create(
        starts_at=timezone.now() + timedelta(days=days_ahead), kind=MeetingKind.FORMAL
    )


def make_group(name: str, *usernames: str, areas=(), **user_fields) -> InvolvementGroup:
    """An involvement group with new members (in the Appeal panel group) and the areas it serves."""
    from scrutiny import roles

    group = InvolvementGroup.objects.create(name=name, description=f"The {name.lower()}.")
    for username in usernames:
        group.members.add(make_user(username, group=roles.APPEAL_PANEL, **user_fields))
    group.business_areas.set(areas)
    return group


def eligible_members(count: int = 4, prefix: str = "reader"):
    """`count` new members of a readers' panel that serves no business area."""
    group = make_group(
        f"Readers' panel {prefix}", *[f"{prefix}{number}" for number in range(1, count + 1)]
    )
    return list(group.members.order_by("username"))


def submit_appeal(call, **overrides):
    fields = {
        "reference": call.reference,
        "access_code": call.access_code,
        "grounds": "The panel did not see my letters from the Ombudsman.",
    } | overrides
    return pipeline.appeal_submit(**fields)
