"""``manage.py import_roster FILE``: the web import's checks and changes, from the command line."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
        parser.add_argument(
            "--language", default="en", choices=["nl", "fr", "en"], help="The language of the messages."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._handle(**options)

    def _handle(self, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("There is no file %(path)s.") % {"path": path})
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(_("There is no user %(username)s.") % {"username": options["user"]})
        delimiter = options["delimiter"]
        delimiter = {"\\t": "\t", ";": "semicolon", ",": "comma", "|": "pipe"}.get(delimiter, delimiter)
        if delimiter and delimiter not in DELIMITERS and delimiter != "\t":
            raise CommandError(
                _("Unknown column separator %(delimiter)s: use ; , tab or |.")
                % {"delimiter": options["delimiter"]}
            )

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
                ngettext(
                    "The file has %(count)s error; nothing has been imported.",
                    "The file has %(count)s errors; nothing has been imported.",
                    roster_import.error_count,
                )
                % {"count": roster_import.error_count}
            )
        if dry_run:
            self._summary(roster_import, applied=False)
            self.stdout.write(_("Dry run: nothing has been written."))
            raise _DryRunFinishedError
        return roster_import_apply(actor=actor, roster_import=roster_import, run_now=True)

    def _errors(self, roster_import: RosterImport) -> None:
        for error in roster_import.errors[:MAX_PRINTED_ERRORS]:
            values = {"row": error["row"], "column": error.get("column"), "message": error_message(error)}
            if error.get("column"):
                self.stderr.write(_("Row %(row)s, column %(column)s: %(message)s") % values)
            else:
                self.stderr.write(_("Row %(row)s: %(message)s") % values)
        if roster_import.error_count > MAX_PRINTED_ERRORS:
            more = roster_import.error_count - MAX_PRINTED_ERRORS
            self.stderr.write(_("… and %(count)s more errors.") % {"count": more})

    def _summary(self, roster_import: RosterImport, *, applied: bool) -> None:
        heading = (
            _("%(file)s: %(rows)s rows, changes made")
            if applied
            else _("%(file)s: %(rows)s rows, changes to make")
        )
        self.stdout.write(heading % {"file": roster_import.file_name, "rows": roster_import.total_rows})
        for label, count in (
            (_("new"), roster_import.created_count),
            (_("changed"), roster_import.updated_count),
            (_("reactivated"), roster_import.reactivated_count),
            (_("deactivated"), roster_import.deactivated_count),
            (_("unchanged"), roster_import.unchanged_count),
        ):
            self.stdout.write(f"  {label}: {count}")
