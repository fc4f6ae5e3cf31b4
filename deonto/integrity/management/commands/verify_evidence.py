"""Check every evidence file and the custody chain: ``manage.py verify_evidence``.

Exits non-zero when anything does not match, so a scheduler or monitoring can alert on it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from deonto.integrity.selectors import vault_summary
from deonto.integrity.services import evidence_verify_all


class Command(BaseCommand):
    help = "Check that every evidence file decrypts and matches its SHA-256, and that the custody chain is whole."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = vault_summary()
        problems = evidence_verify_all()
        self.stdout.write(f"Checked {summary.files} evidence files and {summary.events} custody events.")
        if summary.purged:
            self.stdout.write(
                f"{summary.purged} evidence file(s) were purged: their custody events remain, with no file."
            )
        if summary.head_id is not None:
            self.stdout.write(f"The chain ends at custody event {summary.head_id}, hash {summary.head_hash}.")
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found.")
        self.stdout.write("Everything matches.")
