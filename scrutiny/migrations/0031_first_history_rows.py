"""A first history row for every record that has none (those made by data migrations).

Scoring criteria and bands, review steps, reasons for not accepting and the settings were
created by earlier data migrations, which write no simple-history row; a record's first change
then had nothing to compare with and showed nothing. Each gets a "Created" row as it stands
now, by the system, as simple-history's `populate_history` command would write.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef
from django.utils import timezone

REASON = "First history row, written by migration 0031 for a record a data migration made"
BATCH = 500


def first_history_rows(apps, schema_editor):
    now = timezone.now()
    for historical in apps.get_app_config("scrutiny").get_models():
        name = historical.__name__
        if not name.startswith("Historical"):
            continue
        try:
            model = apps.get_model("scrutiny", name.removeprefix("Historical"))
        except LookupError:
            continue
        copied = [
            field.attname
            for field in historical._meta.concrete_fields
            if not field.name.startswith("history_") and hasattr(model, field.attname)
        ]
        has_rows = historical.objects.filter(id=OuterRef("pk"))
        missing = model._default_manager.filter(~Exists(has_rows)).order_by("pk")
        optional = (
            {"history_change_reason": REASON} if _has(historical, "history_change_reason") else {}
        )
        rows = [
            historical(
                **{attname: getattr(obj, attname) for attname in copied},
                history_date=now,
                history_type="+",
                history_user_id=None,
                **optional,
            )
            for obj in missing.iterator()
        ]
        historical.objects.bulk_create(rows, batch_size=BATCH)


def _has(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


def remove_first_history_rows(apps, schema_editor):
    for historical in apps.get_app_config("scrutiny").get_models():
        if historical.__name__.startswith("Historical") and _has(
            historical, "history_change_reason"
        ):
            historical.objects.filter(history_change_reason=REASON).delete()


class Migration(migrations.Migration):
    dependencies = [("scrutiny", "0030_visibility")]

    operations = [migrations.RunPython(first_history_rows, remove_first_history_rows)]
