"""The daily django-q2 schedules the process needs (editable in the admin like any schedule)."""

from django.db import migrations

from scrutiny.schedules import daily_schedules

SCHEDULES = [
    ("Close petitions past their closing date", "scrutiny.tasks.close_expired_petitions"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("scrutiny", "0007_petition_page"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [daily_schedules(SCHEDULES)]
