"""Each group reads and edits only what the permission matrix gives it.

- Officers and panel members edit review pages through the new `scrutiny.draft_review`
  permission, and lose the add and change rights on the programme page that let them edit every
  page under it (years' pages, outcomes reports); those two grants are the product's own and
  are listed in `scrutiny.roles.WITHDRAWN_PAGE_PERMISSIONS`. Nothing else is taken from a group.
- Wagtail's log of model changes is read through `RecordLogEntry` (a proxy: no table, nothing
  moved), so the site history report shows each entry only to those who may open its record.
"""

from django.db import migrations

from scrutiny.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("scrutiny", "0029_call_access_codes"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecordLogEntry",
            fields=[],
            options={
                "verbose_name": "log entry",
                "verbose_name_plural": "log entries",
                "proxy": True,
                "default_permissions": (),
                "indexes": [],
                "constraints": [],
            },
            bases=("wagtailcore.modellogentry",),
        ),
        migrations.AlterModelOptions(
            name="scrutinyreviewpage",
            options={
                "permissions": [
                    (
                        "draft_review",
                        "Can edit every review page and send its report for sign-off",
                    )
                ],
                "verbose_name": "scrutiny review",
            },
        ),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
