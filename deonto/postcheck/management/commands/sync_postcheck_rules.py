"""Load the post check rules shipped with Deonto: safe to run on every start.

New shipped rules are added and changed ones updated; rules the integrity service edited in Deonto are
never overwritten."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from deonto.postcheck.services import rules_sync_shipped


class Command(BaseCommand):
    help = "Load the post check rules shipped with Deonto, keeping the rules edited in Deonto."

    def handle(self, *args: Any, **options: Any) -> None:
        report = rules_sync_shipped()
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Post check rules: {len(report.created)} added, {len(report.updated)} updated, "
                f"{len(report.retired)} switched off, {len(report.kept)} edited in Deonto kept."
            )
