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
