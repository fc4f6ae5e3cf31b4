"""Background work of the roster import: large files are checked and applied by the task worker."""

from __future__ import annotations

from django_tasks import task

from deonto.people import services


@task()
def validate_roster_import(roster_import_id: int) -> None:
    services.roster_import_check(roster_import_id=roster_import_id)


@task()
def apply_roster_import(roster_import_id: int) -> None:
    services.roster_import_write(roster_import_id=roster_import_id)
