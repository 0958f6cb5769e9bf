"""A call's reference is taken as the call is made, in the same transaction, so it is never empty."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scrutiny", "0002_roles_workflows_and_defaults"),
    ]

    operations = [
        migrations.AlterField(
            model_name="callforscrutiny",
            name="reference",
            field=models.CharField(
                editable=False, max_length=20, unique=True, verbose_name="reference"
            ),
        ),
        migrations.AlterField(
            model_name="historicalcallforscrutiny",
            name="reference",
            field=models.CharField(
                db_index=True, editable=False, max_length=20, verbose_name="reference"
            ),
        ),
    ]
