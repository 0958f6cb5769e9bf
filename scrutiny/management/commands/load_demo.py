"""Load the demo for one of the seed organisations."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from scrutiny.access_codes import format_access_code
from scrutiny.demo import (
    DEMO_ACCOUNTS,
    PROFILES,
    DemoError,
    demo_call_to_appeal,
    demo_load,
    existing_content,
)


class Command(BaseCommand):
    help = "Load the demo site for a seed organisation (pine-court or citizen)."

    def add_arguments(self, parser):
        parser.add_argument("--profile", default="pine-court", help=", ".join(PROFILES))
        parser.add_argument(
            "--reset", action="store_true", help="Replace whatever the database holds."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only into an empty database; otherwise keep the data and succeed.",
        )

    def handle(self, *args, profile, reset, if_empty, **options):
        if if_empty and not reset and existing_content():
            self.stdout.write("The database already has content; keeping it.")
        else:
            try:
                demo_load(profile=profile, reset=reset)
            except DemoError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(self.style.SUCCESS(f"Loaded the {profile} demo."))
        password = getattr(settings, "SCRUTINY_DEMO_PASSWORD", None)
        self.stdout.write(f"Demo accounts (password: {password}, development only):")
        for username, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<8} {role}")
        call = demo_call_to_appeal()
        if call is not None:
            self.stdout.write(
                f"Try the tracking page and the appeal with {call.reference}: its access code "
                f"is {format_access_code(call.access_code)}."
            )
