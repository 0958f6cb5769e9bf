"""Anonymisation marks, the record of privacy actions, their permission and the daily task."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from scrutiny.roles import sync_roles
from scrutiny.schedules import daily_schedules

SCHEDULES = [
    (
        "Anonymise personal data past its retention period",
        "scrutiny.tasks.apply_retention",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("scrutiny", "0019_history"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="appeal",
            name="anonymised_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When its personal data was anonymised.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="callforscrutiny",
            name="anonymised_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When its personal data was anonymised.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="historicalappeal",
            name="anonymised_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When its personal data was anonymised.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="historicalcallforscrutiny",
            name="anonymised_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When its personal data was anonymised.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="historicalpanelapplication",
            name="anonymised_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When its personal data was anonymised.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="historicalpetition",
            name="signatures_anonymised_at",
            field=models.DateTimeField(
                blank=True, editable=False, help_text="When its signers were anonymised.", null=True
            ),
        ),
        migrations.AddField(
            model_name="historicalpetitionsignature",
            name="anonymised_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When its personal data was anonymised.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="panelapplication",
            name="anonymised_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When its personal data was anonymised.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="petition",
            name="signatures_anonymised_at",
            field=models.DateTimeField(
                blank=True, editable=False, help_text="When its signers were anonymised.", null=True
            ),
        ),
        migrations.AddField(
            model_name="petitionsignature",
            name="anonymised_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When its personal data was anonymised.",
                null=True,
            ),
        ),
        migrations.CreateModel(
            name="PrivacyAction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("retention", "Retention (scheduled anonymisation)"),
                            ("erasure", "Erasure on request"),
                            ("export", "Subject access export"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "happened_at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                ),
                ("counts", models.JSONField(default=dict, help_text="Records changed, by kind.")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        help_text="The officer who asked for it; empty for the scheduled task.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "personal data action",
                "ordering": ["-happened_at", "-pk"],
                "permissions": [
                    (
                        "export_personal_data",
                        "Can export and erase the personal data held about someone",
                    )
                ],
            },
        ),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
        daily_schedules(SCHEDULES),
    ]
