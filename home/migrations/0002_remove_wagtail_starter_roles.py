"""The demo site drops Wagtail's starter Editors and Moderators groups and its root page workflow.

The plugin's five groups are the whole story here, and Communications publish pages directly.
This is the demo site's choice, not the plugin's: a host site keeps its own groups.
"""

from django.db import migrations


def remove_wagtail_starter_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Group.objects.filter(name__in=["Editors", "Moderators"]).delete()
    WorkflowPage.objects.filter(page__depth=1, workflow__name="Moderators approval").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(remove_wagtail_starter_roles, migrations.RunPython.noop)]
