"""A default scoring matrix (documented in the README); the panel changes it in the admin.

Points rise as a service does worse, so the areas most in need of scrutiny rank first.
Bands run from their lower bound (inclusive) up to their upper bound (not including).
"""

from decimal import Decimal

from django.db import migrations

# (name, measure field, weight, explanation, [(lower, upper, points), ...])
DEFAULT_MATRIX = [
    (
        "Performance against target",
        "performance_percent",
        3,
        "Services that miss their targets need the panel's attention most.",
        [(None, 80, 3), (80, 95, 2), (95, 100, 1), (100, None, 0)],
    ),
    (
        "Customer satisfaction",
        "satisfaction_percent",
        3,
        "Residents' own view of the service, such as the TP01 satisfaction measure.",
        [(None, 60, 3), (60, 70, 2), (70, 80, 1), (80, None, 0)],
    ),
    (
        "Complaints per 1,000 homes",
        "complaints_per_1000_homes",
        2,
        "Complaints relative to the size of the landlord, as in the CH01 measure.",
        [(50, None, 3), (30, 50, 2), (10, 30, 1), (None, 10, 0)],
    ),
    (
        "Business critical",
        "business_critical",
        2,
        "A failure in a business-critical service affects residents' safety or homes.",
        [(1, None, 3), (None, 1, 0)],
    ),
]


def _decimal(value):
    return None if value is None else Decimal(value)


def create_matrix(apps, schema_editor):
    ScoringCriterion = apps.get_model("scrutiny", "ScoringCriterion")
    ScoringBand = apps.get_model("scrutiny", "ScoringBand")
    if ScoringCriterion.objects.exists():
        return
    for order, (name, field, weight, explanation, bands) in enumerate(DEFAULT_MATRIX):
        criterion = ScoringCriterion.objects.create(
            name=name,
            measure_field=field,
            weight=Decimal(weight),
            explanation=explanation,
            sort_order=order,
        )
        for band_order, (lower, upper, points) in enumerate(bands):
            ScoringBand.objects.create(
                criterion=criterion,
                sort_order=band_order,
                lower=_decimal(lower),
                upper=_decimal(upper),
                points=points,
            )


def remove_matrix(apps, schema_editor):
    ScoringCriterion = apps.get_model("scrutiny", "ScoringCriterion")
    ScoringCriterion.objects.filter(name__in=[row[0] for row in DEFAULT_MATRIX]).delete()


class Migration(migrations.Migration):
    dependencies = [("scrutiny", "0011_scoring")]

    operations = [migrations.RunPython(create_matrix, remove_matrix)]
