"""Write the current demo content back to its fixture, for curating the demo."""

from django.core.management.base import BaseCommand, CommandError

from scrutiny.demo import PROFILES, DemoError, demo_dump


class Command(BaseCommand):
    help = "Dump the demo content to fixtures/demo-<profile>.json (passwords removed)."

    def add_arguments(self, parser):
        parser.add_argument("--profile", default="pine-court", help=", ".join(PROFILES))

    def handle(self, *args, profile, **options):
        try:
            path = demo_dump(profile=profile)
        except DemoError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}."))
