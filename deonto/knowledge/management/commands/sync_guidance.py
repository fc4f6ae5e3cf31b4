"""Load the guidance shipped in ``deonto/knowledge/content/``: safe to run on every start."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from deonto.knowledge.services import guidance_sync
from deonto.knowledge.shipped import ShippedContentError


class Command(BaseCommand):
    help = "Create or update the shipped guidance articles, tips and FAQ, by code."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = guidance_sync()
        except ShippedContentError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] > 1:
            for label, codes in (("created", report.created), ("updated", report.updated)):
                for code in codes:
                    self.stdout.write(f"  {label}: {code}")
        if options["verbosity"] == 0:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Guidance: {len(report.created)} created, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged."
            )
        )
