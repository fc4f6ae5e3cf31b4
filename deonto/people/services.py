"""Changes to the staff roster: the roster import, from the uploaded file to the applied changes.

An import goes upload (:func:`roster_import_create`) → column mapping and check
(:func:`roster_import_validate`) → apply (:func:`roster_import_apply`). Files with more rows than
``ROSTER_IMPORT_BACKGROUND_ROWS`` are checked and applied by the task worker
(:func:`roster_import_check`, :func:`roster_import_write`), which records its progress on the import.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deonto.accounts.models import User
from deonto.core.audit import audit_record
from deonto.core.errors import DomainError
from deonto.people.importing import (
    COMPARED_FIELDS,
    Plan,
    RosterFileError,
    Table,
    UnitRef,
    auto_mapping,
    check_mapping,
    file_format_for,
    managed_fields,
    plan_changes,
    read_table,
    validate_rows,
)
from deonto.people.models import (
    Employee,
    OrgUnit,
    RosterChange,
    RosterChangeKind,
    RosterImport,
    RosterImportStatus,
    Site,
)

logger = logging.getLogger(__name__)

Actor = User | AnonymousUser | None

# The preview and the import record keep this many errors; the total is always counted.
MAX_STORED_ERRORS = 1000
BATCH_SIZE = 1000
PROGRESS_EVERY = 5000


def roster_import_create(
    *, actor: Actor, upload: File[Any], encoding: str = "", delimiter: str = ""
) -> RosterImport:
    """Reads the uploaded file and keeps it, with its headers and a first column mapping.

    A file that cannot be imported at all (size, type, encoding, empty, duplicated columns)
    raises a DomainError and nothing is stored."""
    file_name = (upload.name or "").rsplit("/", 1)[-1]
    max_bytes: int = settings.ROSTER_IMPORT_MAX_BYTES
    if (upload.size or 0) > max_bytes:
        raise RosterFileError(file_too_large_message())
    upload.seek(0)
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise RosterFileError(file_too_large_message())
    file_format = file_format_for(file_name, content[:8])
    table = read_table(content, file_format=file_format, encoding=encoding, delimiter=delimiter)
    with transaction.atomic():
        roster_import = RosterImport.objects.create(
            created_by=actor if isinstance(actor, User) else None,
            file_name=file_name[:255],
            file_size=len(content),
            file_format=file_format,
            content=content,
            encoding=encoding or table.encoding,
            delimiter=table.delimiter,
            headers=table.headers,
            mapping=auto_mapping(table.headers),
            total_rows=len(table.rows),
        )
        audit_record(
            actor=actor,
            action="roster_import.create",
            target=roster_import,
            details={"file_name": roster_import.file_name, "rows": roster_import.total_rows},
        )
    return roster_import


def file_too_large_message() -> str:
    limit = settings.ROSTER_IMPORT_MAX_BYTES / (1024 * 1024)
    return _("The file is larger than the limit of %(limit)s MB.") % {"limit": f"{limit:g}"}


def roster_import_validate(
    *, actor: Actor, roster_import: RosterImport, mapping: dict[str, int], run_now: bool = False
) -> RosterImport:
    """Keeps the column mapping and checks every row: at once, or through the task worker when the
    file has more rows than ROSTER_IMPORT_BACKGROUND_ROWS and ``run_now`` (the command line) is off."""
    if roster_import.status not in {
        RosterImportStatus.UPLOADED,
        RosterImportStatus.VALID,
        RosterImportStatus.INVALID,
    }:
        raise DomainError(_("This import can no longer be changed."))
    problems = check_mapping(roster_import.headers, mapping)
    if problems:
        raise DomainError(" ".join(problems))
    in_background = not run_now and roster_import.total_rows > settings.ROSTER_IMPORT_BACKGROUND_ROWS
    with transaction.atomic():
        RosterImport.objects.filter(pk=roster_import.pk).update(
            mapping=mapping,
            status=RosterImportStatus.VALIDATING,
            processed_rows=0,
            updated_at=timezone.now(),
        )
        audit_record(
            actor=actor, action="roster_import.validate", target=roster_import, details={"mapping": mapping}
        )
        if in_background:
            from deonto.people.tasks import validate_roster_import

            pk = roster_import.pk
            transaction.on_commit(lambda: validate_roster_import.enqueue(roster_import_id=pk))
    if in_background:
        roster_import.refresh_from_db()
        return roster_import
    return roster_import_check(roster_import_id=roster_import.pk)


def roster_import_check(*, roster_import_id: int) -> RosterImport:
    """Checks every row of a mapped import and counts what applying it would change."""
    roster_import = RosterImport.objects.get(pk=roster_import_id)
    if roster_import.status != RosterImportStatus.VALIDATING:
        return roster_import
    try:
        table = _table_of(roster_import)
        units, sites = _reference_data()
        validation = validate_rows(
            table, roster_import.mapping, units=units, sites=sites, progress=_progress_recorder(roster_import)
        )
        errors = validation.errors
        plan: Plan | None = None
        if not errors:
            plan = _plan_for(roster_import, validation.records)
            errors = plan.errors
        _store_check(roster_import, errors=errors, plan=plan)
    except Exception as error:
        _store_failure(roster_import, error)
        raise
    return roster_import


def roster_import_apply(*, actor: Actor, roster_import: RosterImport, run_now: bool = False) -> RosterImport:
    """Applies a checked import: at once, or through the task worker for large files."""
    in_background = not run_now and roster_import.total_rows > settings.ROSTER_IMPORT_BACKGROUND_ROWS
    with transaction.atomic():
        claimed = RosterImport.objects.filter(pk=roster_import.pk, status=RosterImportStatus.VALID).update(
            status=RosterImportStatus.APPLYING,
            processed_rows=0,
            applied_by=actor if isinstance(actor, User) else None,
            updated_at=timezone.now(),
        )
        if not claimed:
            raise DomainError(
                _("This import cannot be applied: it has errors, or it is already applied or being applied.")
            )
        if in_background:
            from deonto.people.tasks import apply_roster_import

            pk = roster_import.pk
            transaction.on_commit(lambda: apply_roster_import.enqueue(roster_import_id=pk))
    if in_background:
        roster_import.refresh_from_db()
        return roster_import
    return roster_import_write(roster_import_id=roster_import.pk)


class _RowsRefusedError(Exception):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("plan refused")
        self.errors = errors


def roster_import_write(*, roster_import_id: int) -> RosterImport:
    """Writes the import to the roster in one transaction: creates, updates, deactivations and
    reactivations, and one RosterChange per employee changed.

    The rows are checked again first (units may have changed since the preview) and the
    changes are worked out against the roster as it is when the transaction starts."""
    roster_import = RosterImport.objects.get(pk=roster_import_id)
    if roster_import.status != RosterImportStatus.APPLYING:
        raise DomainError(_("This import is not waiting to be applied."))
    try:
        table = _table_of(roster_import)
        units, sites = _reference_data()
        validation = validate_rows(
            table, roster_import.mapping, units=units, sites=sites, progress=_progress_recorder(roster_import)
        )
        if validation.errors:
            raise _RowsRefusedError(validation.errors)
        with transaction.atomic():
            locked = RosterImport.objects.select_for_update().only("status").get(pk=roster_import.pk)
            if locked.status != RosterImportStatus.APPLYING:
                raise DomainError(_("This import is not waiting to be applied."))
            plan = _plan_for(roster_import, validation.records)
            if plan.errors:
                raise _RowsRefusedError(plan.errors)
            _write_plan(roster_import, plan, units=units, sites=sites)
            roster_import.status = RosterImportStatus.APPLIED
            roster_import.applied_at = timezone.now()
            roster_import.content = b""
            roster_import.processed_rows = roster_import.total_rows
            roster_import.errors = []
            roster_import.error_count = 0
            _store_counts(roster_import, plan)
            roster_import.save()
            audit_record(
                actor=roster_import.applied_by,
                action="roster_import.apply",
                target=roster_import,
                details={
                    "created": roster_import.created_count,
                    "updated": roster_import.updated_count,
                    "deactivated": roster_import.deactivated_count,
                    "reactivated": roster_import.reactivated_count,
                    "unchanged": roster_import.unchanged_count,
                },
            )
    except _RowsRefusedError as refused:
        _store_check(roster_import, errors=refused.errors, plan=None)
    except DomainError:
        raise
    except Exception as error:
        _store_failure(roster_import, error)
        raise
    return roster_import


def _table_of(roster_import: RosterImport) -> Table:
    return read_table(
        bytes(roster_import.content),
        file_format=roster_import.file_format,
        encoding=roster_import.encoding,
        delimiter=roster_import.delimiter,
    )


def _reference_data() -> tuple[dict[str, UnitRef], dict[str, int]]:
    units = {
        code: UnitRef(id=pk, site_id=site_id)
        for pk, code, site_id in OrgUnit.objects.order_by().values_list("id", "code", "site_id")
    }
    sites = dict(Site.objects.order_by().values_list("code", "id"))
    return units, sites


def _plan_for(roster_import: RosterImport, records: list[dict[str, Any]]) -> Plan:
    existing = {
        row["personnel_number"]: row
        for row in Employee.objects.order_by().values("id", "personnel_number", *COMPARED_FIELDS)
    }
    return plan_changes(
        records,
        existing,
        managed=managed_fields(roster_import.mapping),
        today=timezone.localdate(),
    )


def _progress_recorder(roster_import: RosterImport) -> Callable[[int], None] | None:
    """Progress is written (and seen by the progress bar) only for imports run in the background."""
    if roster_import.total_rows <= settings.ROSTER_IMPORT_BACKGROUND_ROWS:
        return None

    def record(done: int) -> None:
        RosterImport.objects.filter(pk=roster_import.pk).update(processed_rows=done)

    return record


def _store_counts(roster_import: RosterImport, plan: Plan | None) -> None:
    roster_import.created_count = len(plan.creates) if plan else 0
    roster_import.updated_count = plan.updated if plan else 0
    roster_import.reactivated_count = plan.reactivated if plan else 0
    roster_import.deactivated_count = len(plan.deactivations) if plan else 0
    roster_import.unchanged_count = plan.unchanged if plan else 0


def _store_check(roster_import: RosterImport, *, errors: list[dict[str, Any]], plan: Plan | None) -> None:
    ordered = sorted(errors, key=lambda error: error["row"])
    roster_import.errors = ordered[:MAX_STORED_ERRORS]
    roster_import.error_count = len(errors)
    roster_import.status = RosterImportStatus.INVALID if errors else RosterImportStatus.VALID
    roster_import.processed_rows = roster_import.total_rows
    _store_counts(roster_import, plan)
    roster_import.save(
        update_fields=[
            "errors",
            "error_count",
            "status",
            "processed_rows",
            "created_count",
            "updated_count",
            "reactivated_count",
            "deactivated_count",
            "unchanged_count",
            "updated_at",
        ]
    )


def _store_failure(roster_import: RosterImport, error: Exception) -> None:
    logger.exception("Roster import %s failed", roster_import.pk)
    roster_import.status = RosterImportStatus.FAILED
    roster_import.failure = str(error)[:2000]
    roster_import.save(update_fields=["status", "failure", "updated_at"])


def _display(name: str, value: Any, unit_codes: dict[int, str], site_codes: dict[int, str]) -> Any:
    if value is None:
        return None
    if name == "unit_id":
        return unit_codes.get(value, str(value))
    if name == "site_id":
        return site_codes.get(value, str(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _write_plan(
    roster_import: RosterImport, plan: Plan, *, units: dict[str, UnitRef], sites: dict[str, int]
) -> None:
    now = timezone.now()
    unit_codes = {ref.id: code for code, ref in units.items()}
    site_codes = {pk: code for code, pk in sites.items()}
    changes: list[RosterChange] = []

    created = Employee.objects.bulk_create(
        [Employee(**values) for values in plan.creates], batch_size=BATCH_SIZE
    )
    if any(employee.pk is None for employee in created):
        ids = dict(
            Employee.objects.filter(personnel_number__in=[e.personnel_number for e in created]).values_list(
                "personnel_number", "id"
            )
        )
        for employee in created:
            employee.pk = ids[employee.personnel_number]
    changes.extend(
        RosterChange(
            roster_import=roster_import,
            employee_id=employee.pk,
            personnel_number=employee.personnel_number,
            employee_name=employee.full_name,
            kind=RosterChangeKind.CREATED,
        )
        for employee in created
    )

    by_fields: dict[tuple[str, ...], list[Employee]] = defaultdict(list)
    for update in plan.updates:
        names = tuple(sorted(update.changes))
        employee = Employee(pk=update.current["id"], updated_at=now)
        for name in names:
            setattr(employee, name, update.changes[name][1])
        by_fields[names].append(employee)
        first_name = update.changes.get("first_name", (None, update.current["first_name"]))[1]
        last_name = update.changes.get("last_name", (None, update.current["last_name"]))[1]
        changes.append(
            RosterChange(
                roster_import=roster_import,
                employee_id=update.current["id"],
                personnel_number=update.current["personnel_number"],
                employee_name=f"{first_name} {last_name}",
                kind=RosterChangeKind.REACTIVATED if update.reactivated else RosterChangeKind.UPDATED,
                fields=[
                    {
                        "field": name.removesuffix("_id"),
                        "old": _display(name, old, unit_codes, site_codes),
                        "new": _display(name, new, unit_codes, site_codes),
                    }
                    for name, (old, new) in (
                        (n, update.changes[n]) for n in COMPARED_FIELDS if n in update.changes
                    )
                ],
            )
        )
    for names, employees in by_fields.items():
        Employee.objects.bulk_update(employees, [*names, "updated_at"], batch_size=BATCH_SIZE // 2)

    ids_by_end_date: dict[Any, list[int]] = defaultdict(list)
    for current, end_date in plan.deactivations:
        ids_by_end_date[end_date].append(current["id"])
        fields = [{"field": "is_active", "old": True, "new": False}]
        if current["end_date"] != end_date:
            fields.append(
                {
                    "field": "end_date",
                    "old": _display("end_date", current["end_date"], {}, {}),
                    "new": end_date.isoformat() if end_date else None,
                }
            )
        changes.append(
            RosterChange(
                roster_import=roster_import,
                employee_id=current["id"],
                personnel_number=current["personnel_number"],
                employee_name=f"{current['first_name']} {current['last_name']}",
                kind=RosterChangeKind.DEACTIVATED,
                fields=fields,
            )
        )
    for end_date, employee_ids in ids_by_end_date.items():
        for start in range(0, len(employee_ids), BATCH_SIZE):
            Employee.objects.filter(pk__in=employee_ids[start : start + BATCH_SIZE]).update(
                is_active=False, end_date=end_date, updated_at=now
            )

    RosterChange.objects.bulk_create(changes, batch_size=BATCH_SIZE)


@transaction.atomic
def employee_user_link(*, actor: Actor, user: User, personnel_number: str) -> Employee | None:
    """Link a login to its roster record (or unlink it with an empty personnel number)."""
    current = Employee.objects.filter(user=user).first()
    if not personnel_number:
        if current is not None:
            current.user = None
            current.save(update_fields=["user", "updated_at"])
            audit_record(
                actor=actor, action="employee.unlink_user", target=current, details={"user": user.pk}
            )
        return None
    employee = Employee.objects.filter(personnel_number=personnel_number).first()
    if employee is None:
        raise DomainError(
            _("There is no employee with the personnel number %(number)s.") % {"number": personnel_number}
        )
    if employee.user_id not in (None, user.pk):
        raise DomainError(
            _("Employee %(number)s is already linked to another account.") % {"number": personnel_number}
        )
    if current is not None and current.pk != employee.pk:
        current.user = None
        current.save(update_fields=["user", "updated_at"])
    if employee.user_id != user.pk:
        employee.user = user
        employee.save(update_fields=["user", "updated_at"])
        audit_record(actor=actor, action="employee.link_user", target=employee, details={"user": user.pk})
    return employee
