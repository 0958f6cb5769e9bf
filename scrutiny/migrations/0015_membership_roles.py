"""Grant the groups their permissions on applications, members and expense claims."""

from django.db import migrations

from scrutiny.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("scrutiny", "0014_membership")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
