"""Grant the groups their permissions on calls (see scrutiny.roles)."""

from django.db import migrations

from scrutiny.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("scrutiny", "0003_calls")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
