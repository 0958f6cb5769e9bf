"""The report approval workflow, the setting that names it, and officers' and panel members'
rights to draft programme and review pages (never to publish them)."""

import django.db.models.deletion
from django.db import migrations, models

from scrutiny.roles import ensure_report_workflow, sync_roles


def create_report_workflow(apps, schema_editor):
    ensure_report_workflow(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("scrutiny", "0021_outcomes"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalscrutinysettings",
            name="report_workflow",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The workflow every review's report goes through before it is published (panel sign-off, then the oversight body). With none, no report can be published.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="wagtailcore.workflow",
            ),
        ),
        migrations.AddField(
            model_name="scrutinysettings",
            name="report_workflow",
            field=models.ForeignKey(
                blank=True,
                help_text="The workflow every review's report goes through before it is published (panel sign-off, then the oversight body). With none, no report can be published.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailcore.workflow",
            ),
        ),
        migrations.RunPython(create_report_workflow, migrations.RunPython.noop),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
