"""Grant the groups their permissions on measures, the matrix and the programme (scrutiny.roles)."""

from django.db import migrations

from scrutiny.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("scrutiny", "0012_scoring_defaults")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
