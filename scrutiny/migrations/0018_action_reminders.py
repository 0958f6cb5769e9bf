"""When an agreed action plan changed, and the daily reminders to the owners of actions."""

from django.db import migrations, models

from scrutiny.schedules import daily_schedules

SCHEDULES = [
    ("Remind owners of actions due soon or overdue", "scrutiny.tasks.send_action_reminders"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("scrutiny", "0017_review_steps"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalrecommendationresponse",
            name="plan_changed_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the response or its actions last changed after the panel "
                "agreed the plan.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="recommendationresponse",
            name="plan_changed_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the response or its actions last changed after the panel "
                "agreed the plan.",
                null=True,
            ),
        ),
        daily_schedules(SCHEDULES),
    ]
