"""Load the course shipped in ``deonto/training/content/social-media/``: safe to run on every start."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from deonto.core.errors import DomainError
from deonto.training.management.commands.import_course import write_report
from deonto.training.services import DEFAULT_BUNDLE, course_bundle_sync


class Command(BaseCommand):
    help = "Create or update the default course shipped with Deonto, by code."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = course_bundle_sync(directory_or_zip=DEFAULT_BUNDLE)
        except DomainError as error:
            raise CommandError(error.message) from error
        write_report(self, report, options["verbosity"])
