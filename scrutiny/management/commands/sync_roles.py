"""Give the five staff groups what the product grants them, as the migrations do."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from scrutiny.roles import sync_roles


class Command(BaseCommand):
    help = (
        "Create the staff groups and add the permissions the product grants that a group lacks. "
        "Nothing an administrator granted is removed; a line per group says what was added."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            changes = sync_roles(apps, out=self.stdout)
        if not changes:
            self.stdout.write("Scrutiny roles: every group already has what the product grants.")
