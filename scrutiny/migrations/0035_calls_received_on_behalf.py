"""Calls a resident gave by post, phone or in person: how each reached us and which officer
entered it; officers gain `add_callforscrutiny` to enter them (role sync only adds)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from scrutiny.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("scrutiny", "0031_first_history_rows"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="callforscrutiny",
            name="received_via",
            field=models.CharField(
                choices=[
                    ("web", "Online form"),
                    ("post", "By post"),
                    ("phone", "By phone"),
                    ("in_person", "In person"),
                    ("email", "By email"),
                ],
                default="web",
                editable=False,
                max_length=12,
                verbose_name="received",
            ),
        ),
        migrations.AddField(
            model_name="callforscrutiny",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="The officer who entered a call the resident gave by post, phone or in person.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalcallforscrutiny",
            name="received_via",
            field=models.CharField(
                choices=[
                    ("web", "Online form"),
                    ("post", "By post"),
                    ("phone", "By phone"),
                    ("in_person", "In person"),
                    ("email", "By email"),
                ],
                default="web",
                editable=False,
                max_length=12,
                verbose_name="received",
            ),
        ),
        migrations.AddField(
            model_name="historicalcallforscrutiny",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                help_text="The officer who entered a call the resident gave by post, phone or in person.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
