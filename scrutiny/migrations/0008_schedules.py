"""The daily django-q2 schedules the process needs (editable in the admin like any schedule)."""

from django.db import migrations

SCHEDULES = [
    ("Close petitions past their closing date", "scrutiny.tasks.close_expired_petitions"),
]


def create_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    for name, func in SCHEDULES:
        Schedule.objects.get_or_create(
            func=func, defaults={"name": name, "schedule_type": "D", "repeats": -1}
        )


def remove_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.filter(func__in=[func for _, func in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("scrutiny", "0007_petition_page"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
