"""``manage.py import_roster FILE``: the web import's checks and changes, from the command line."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from deonto.core.errors import DomainError
from deonto.people.importing import DELIMITERS, check_mapping, error_message
from deonto.people.models import RosterImport, RosterImportStatus
from deonto.people.services import roster_import_apply, roster_import_create, roster_import_validate

MAX_PRINTED_ERRORS = 200


class _DryRunFinishedError(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Import the staff roster from a CSV or XLSX file. Nothing is written when the file has errors "
        "or with --dry-run."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="The HR export: a .csv, .txt, .tsv or .xlsx file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and count the changes only."
        )
        parser.add_argument("--encoding", default="", help="The CSV file's encoding (default: detected).")
        parser.add_argument(
            "--delimiter", default="", help="The CSV column separator: ; , tab or | (default: detected)."
        )
        parser.add_argument("--user", default="", help="The username recorded as having made the import.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"There is no user {options['user']!r}.")
        delimiter = options["delimiter"]
        delimiter = {"\\t": "\t", ";": "semicolon", ",": "comma", "|": "pipe"}.get(delimiter, delimiter)
        if delimiter and delimiter not in DELIMITERS and delimiter != "\t":
            raise CommandError(f"Unknown delimiter {options['delimiter']!r}: use ; , tab or |.")

        try:
            with transaction.atomic():
                roster_import = self._run(
                    path,
                    actor=actor,
                    encoding=options["encoding"],
                    delimiter=delimiter,
                    dry_run=options["dry_run"],
                )
        except _DryRunFinishedError:
            return
        except DomainError as error:
            raise CommandError(error.message) from error
        self._summary(roster_import, applied=True)

    def _run(self, path: Path, *, actor: Any, encoding: str, delimiter: str, dry_run: bool) -> RosterImport:
        with path.open("rb") as handle:
            roster_import = roster_import_create(
                actor=actor, upload=File(handle, name=path.name), encoding=encoding, delimiter=delimiter
            )
        problems = check_mapping(roster_import.headers, roster_import.mapping)
        if problems:
            raise DomainError(" ".join(problems))
        roster_import = roster_import_validate(
            actor=actor, roster_import=roster_import, mapping=roster_import.mapping, run_now=True
        )
        if roster_import.status != RosterImportStatus.VALID:
            self._errors(roster_import)
            raise DomainError(
                f"The file has {roster_import.error_count} error(s); nothing has been imported."
            )
        if dry_run:
            self._summary(roster_import, applied=False)
            self.stdout.write("Dry run: nothing has been written.")
            raise _DryRunFinishedError
        return roster_import_apply(actor=actor, roster_import=roster_import, run_now=True)

    def _errors(self, roster_import: RosterImport) -> None:
        for error in roster_import.errors[:MAX_PRINTED_ERRORS]:
            column = f", column {error['column']}" if error.get("column") else ""
            self.stderr.write(f"Row {error['row']}{column}: {error_message(error)}")
        if roster_import.error_count > MAX_PRINTED_ERRORS:
            self.stderr.write(f"… and {roster_import.error_count - MAX_PRINTED_ERRORS} more errors.")

    def _summary(self, roster_import: RosterImport, *, applied: bool) -> None:
        verb = "" if applied else " (to be made)"
        self.stdout.write(f"{roster_import.file_name}: {roster_import.total_rows} rows")
        self.stdout.write(f"  new{verb}: {roster_import.created_count}")
        self.stdout.write(f"  changed{verb}: {roster_import.updated_count}")
        self.stdout.write(f"  reactivated{verb}: {roster_import.reactivated_count}")
        self.stdout.write(f"  deactivated{verb}: {roster_import.deactivated_count}")
        self.stdout.write(f"  unchanged: {roster_import.unchanged_count}")
