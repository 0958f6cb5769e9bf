"""Builders for the scrutiny plugin's records, made the way the product makes them."""

from datetime import timedelta

from django.utils import timezone

from scrutiny import pipeline
from scrutiny.models import BusinessArea, CallForScrutiny, MeetingKind, MeetingStatus, PanelMeeting
from tests.conftest import make_business_area

# What a monitoring decision records beyond the reasons.
MONITORING = {"watching": "Repairs completed on time in the area, month by month."}


def make_call(*, evidence=(), extra_answers=None, **overrides) -> CallForScrutiny:
    """A call submitted through the pipeline, as the public form would, with sensible answers."""
    fields = {
        "name": "Aisha Khan",
        "email": "aisha.khan@example.org",
        "tenure": "tenant",
        "concerns": "Damp and mould in the bathroom keeps coming back after repairs.",
        "actions_taken": "Reported it to the repairs line three times.",
        "service_failures": "Contractors painted over the mould instead of fixing ventilation.",
    } | overrides
    if "business_area" not in fields:
        fields["business_area"] = BusinessArea.objects.filter(
            name="Repairs and maintenance"
        ).first() or make_business_area("Repairs and maintenance")
    return pipeline.call_submit(fields=fields, evidence=evidence, extra_answers=extra_answers)


def make_awaiting_call(staff, **overrides) -> CallForScrutiny:
    """A call an officer has sent to the panel."""
    call = make_call(**overrides)
    pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])
    return pipeline.call_move(call=call, transition="send_to_panel", user=staff["officer"])


def backdate_arrival(call: CallForScrutiny, *, days: int = 2) -> None:
    """Put a call's arrival at the panel back some days, as if it had waited for a meeting."""
    arrived = timezone.now() - timedelta(days=days)
    CallForScrutiny.objects.filter(pk=call.pk).update(awaiting_panel_since=arrived)
    call.awaiting_panel_since = arrived


def held_meeting_for(call: CallForScrutiny, **fields) -> PanelMeeting:
    """A formal meeting held yesterday, after the call reached the panel (two days ago)."""
    backdate_arrival(call)
    return PanelMeeting.objects.create(
        kind=MeetingKind.FORMAL,
        status=MeetingStatus.HELD,
        starts_at=timezone.now() - timedelta(days=1),
        **fields,
    )


def decide(call: CallForScrutiny, *, outcome: str, user, meeting=None, **details):
    """The panel's decision on a call awaiting it, taken at a meeting held after it arrived."""
    details.setdefault("reasons", "A pattern of failure.")
    if outcome == "monitoring":
        details = MONITORING | details
    return pipeline.call_decide(
        call=call,
        outcome=outcome,
        user=user,
        meeting=meeting or held_meeting_for(call),
        **details,
    )


def make_accepted_call(staff, **overrides) -> CallForScrutiny:
    """A call the panel has accepted, moved there through the pipeline."""
    call = make_awaiting_call(staff, **overrides)
    decide(call, outcome="accepted", user=staff["panel"])
    call.refresh_from_db()
    return call


def make_measure(business_area: BusinessArea, *, financial_year: int, **values):
    """A measure for an area and year; the full year unless a period is given."""
    from scrutiny.models import Measure

    return Measure.objects.create(
        business_area=business_area, financial_year=financial_year, **values
    )
