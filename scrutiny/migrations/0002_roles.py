"""Create the five staff groups with their permissions (see scrutiny.roles)."""

from django.db import migrations

from scrutiny.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("scrutiny", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
