"""Load a course bundle (a directory or a ZIP file) into the database, in place, by code."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from deonto.core.errors import DomainError
from deonto.training.services import BundleReport, course_bundle_sync


def write_report(command: BaseCommand, report: BundleReport, verbosity: int) -> None:
    """Say what a load did, as ``sync_guidance`` does: nothing at verbosity 0, details from 2."""
    if verbosity > 1:
        for label, codes in (
            ("created", report.created),
            ("updated", report.updated),
            ("removed", report.removed),
        ):
            for code in codes:
                command.stdout.write(f"  {label}: {code}")
    if verbosity == 0:
        return
    command.stdout.write(
        command.style.SUCCESS(
            f"Course {report.course.code} version {report.course.version}: {len(report.created)} created, "
            f"{len(report.updated)} updated, {len(report.removed)} removed."
        )
    )


class Command(BaseCommand):
    help = "Create or update a course from a bundle directory or ZIP file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="A bundle directory (with course.yaml) or a ZIP file of one.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = course_bundle_sync(directory_or_zip=options["path"])
        except DomainError as error:
            raise CommandError(error.message) from error
        write_report(self, report, options["verbosity"])
