"""Calls and appeals a resident gave by post, phone or in person: how each reached us and which
officer entered it (an appeal's `received_by_post` becomes `received_via`, "post" where it was
true); officers gain `add_callforscrutiny` to enter calls (role sync only adds)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from scrutiny.roles import sync_roles


def appeals_by_post(apps, schema_editor):
    for name in ["Appeal", "HistoricalAppeal"]:
        model = apps.get_model("scrutiny", name)
        model.objects.filter(received_by_post=True).update(received_via="post")


def appeals_back_to_post(apps, schema_editor):
    for name in ["Appeal", "HistoricalAppeal"]:
        model = apps.get_model("scrutiny", name)
        model.objects.filter(received_via="post").update(received_by_post=True)


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
        migrations.AddField(
            model_name="appeal",
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
                help_text="How the appeal reached us; an officer records any but the online form.",
                max_length=12,
                verbose_name="received",
            ),
        ),
        migrations.AddField(
            model_name="historicalappeal",
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
                help_text="How the appeal reached us; an officer records any but the online form.",
                max_length=12,
                verbose_name="received",
            ),
        ),
        migrations.AlterField(
            model_name="appeal",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="The officer who recorded an appeal given by post, by phone or in person.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="historicalappeal",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                help_text="The officer who recorded an appeal given by post, by phone or in person.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(appeals_by_post, appeals_back_to_post),
        migrations.RemoveField(
            model_name="appeal",
            name="received_by_post",
        ),
        migrations.RemoveField(
            model_name="historicalappeal",
            name="received_by_post",
        ),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
