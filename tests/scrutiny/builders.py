"""Builders for the scrutiny plugin's records, made the way the product makes them."""

from scrutiny import pipeline
from scrutiny.models import BusinessArea, CallForScrutiny
from tests.conftest import make_business_area


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


def make_accepted_call(staff, **overrides) -> CallForScrutiny:
    """A call the panel has accepted, moved there through the pipeline."""
    call = make_call(**overrides)
    pipeline.call_move(call=call, transition="start_triage", user=staff["officer"])
    pipeline.call_move(call=call, transition="send_to_panel", user=staff["officer"])
    pipeline.call_decide(
        call=call, outcome="accepted", user=staff["panel"], reasons="A pattern of failure."
    )
    call.refresh_from_db()
    return call


def make_measure(business_area: BusinessArea, *, financial_year: int, **values):
    """A measure for an area and year; the full year unless a period is given."""
    from scrutiny.models import Measure

    return Measure.objects.create(
        business_area=business_area, financial_year=financial_year, **values
    )
