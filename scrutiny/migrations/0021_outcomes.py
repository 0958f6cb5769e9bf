"""The yearly outcomes report page, who may see and refresh its figures, and the daily task
that drafts it once a financial year has closed."""

import django.db.models.deletion
import wagtail.fields
from django.conf import settings
from django.db import migrations, models

from scrutiny.roles import sync_roles
from scrutiny.schedules import daily_schedules

SCHEDULES = [
    (
        "Draft the outcomes report of the year just closed",
        "scrutiny.tasks.draft_outcomes_report",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("scrutiny", "0020_privacy"),
        ("wagtailcore", "0098_apitoken"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [
        migrations.CreateModel(
            name="OutcomesReportPage",
            fields=[
                (
                    "page_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to=settings.WAGTAIL_PAGE_MODEL,
                    ),
                ),
                (
                    "financial_year",
                    models.PositiveSmallIntegerField(
                        help_text="The calendar year in which it starts: 2025 for 2025/26.",
                        unique=True,
                    ),
                ),
                ("introduction", wagtail.fields.RichTextField(blank=True)),
                ("figures", models.JSONField(blank=True, default=dict, editable=False)),
                ("figures_taken_at", models.DateTimeField(blank=True, editable=False, null=True)),
            ],
            options={
                "verbose_name": "outcomes report",
                "permissions": [
                    ("view_outcomes", "Can see the yearly outcome figures"),
                    ("refresh_outcomes", "Can draft an outcomes report and refresh its figures"),
                ],
            },
            bases=("wagtailcore.page",),
        ),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
        daily_schedules(SCHEDULES),
    ]
