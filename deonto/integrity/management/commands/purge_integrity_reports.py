"""Purge the integrity reports closed longer ago than the retention period:
``manage.py purge_integrity_reports [--dry-run]``, run daily (cron).

Prints the reference, category and closing date of each report purged (or, with ``--dry-run``,
of each one that would be), never its content.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from deonto.integrity.retention import PurgedReport, reports_purge, retention_days


def _line(purged: PurgedReport) -> str:
    return (
        f"{purged.reference} ({purged.category}, closed on {purged.closed_on.isoformat()}): "
        f"{purged.evidence} evidence file(s), {purged.messages} message(s)"
    )


class Command(BaseCommand):
    help = (
        "Delete the integrity reports closed longer ago than INTEGRITY_RETENTION_DAYS, with their evidence."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only list the reports that would be purged."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run: bool = options["dry_run"]
        purged = reports_purge(actor=None, dry_run=dry_run)
        if not options["verbosity"]:
            return
        for report in purged:
            self.stdout.write(("Would purge " if dry_run else "Purged ") + _line(report))
        verb = "would be purged" if dry_run else "purged"
        self.stdout.write(f"{len(purged)} report(s) closed more than {retention_days()} days ago {verb}.")
