"""Anonymise personal data past the retention period now, as the daily task does."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from scrutiny.pipeline import privacy
from scrutiny.tasks import apply_retention


class Command(BaseCommand):
    help = (
        "Anonymise the personal data of calls, declined applications and closed petitions "
        "that finished more than the configured number of months ago. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many records are due."
        )

    def handle(self, *args, dry_run=False, **options):
        cutoff = privacy.retention_cutoff()
        self.stdout.write(
            f"Retention: records finished before {timezone.localtime(cutoff):%-d %B %Y %H:%M}."
        )
        if dry_run:
            self.stdout.write(f"calls: {len(privacy.calls_due(cutoff))}")
            self.stdout.write(f"applications: {len(privacy.applications_due(cutoff))}")
            self.stdout.write(f"petitions: {len(privacy.petitions_due(cutoff))}")
            self.stdout.write("Nothing was changed (--dry-run).")
            return
        report = apply_retention()
        for kind, count in report.items():
            self.stdout.write(f"{kind.replace('_', ' ')}: {count}")
        total = sum(report.values())
        self.stdout.write(
            self.style.SUCCESS("Anonymised." if total else "Nothing was due; nothing changed.")
        )
