"""Grant the groups their permissions on appeals and involvement groups (see scrutiny.roles)."""

from django.db import migrations

from scrutiny.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("scrutiny", "0009_appeals")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
