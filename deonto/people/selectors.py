"""Reads of the staff roster, always for a viewer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from deonto.people.importing import error_message
from deonto.people.models import Employee, OrgUnit, RosterChange, RosterImport
from deonto.people.permissions import can_import_roster, employees_visible_to, units_visible_to


@dataclass(frozen=True)
class RosterOverview:
    active: int
    armed: int
    by_language: dict[str, int]
    units: int


def roster_overview_for(*, viewer: Any) -> RosterOverview:
    employees = employees_visible_to(viewer).filter(is_active=True)
    totals = employees.aggregate(active=Count("id"), armed=Count("id", filter=Q(is_armed=True)))
    by_language = dict(employees.values_list("language").annotate(n=Count("id")).order_by("language"))
    return RosterOverview(
        active=totals["active"],
        armed=totals["armed"],
        by_language=by_language,
        units=units_visible_to(viewer).count(),
    )


def units_managed_by(*, viewer: Any) -> QuerySet[OrgUnit]:
    return (
        OrgUnit.objects.filter(managers=viewer)
        .select_related("site__region")
        .annotate(active_employees=Count("employees", filter=Q(employees__is_active=True)))
        .order_by("path")
    )


def employees_for(
    *,
    viewer: Any,
    query: str = "",
    unit: OrgUnit | None = None,
    language: str = "",
    armed: bool | None = None,
    include_inactive: bool = False,
) -> QuerySet[Employee]:
    employees = employees_visible_to(viewer).select_related("unit", "site__region")
    if not include_inactive:
        employees = employees.filter(is_active=True)
    if query:
        for term in query.split():
            employees = employees.filter(
                Q(personnel_number__icontains=term)
                | Q(first_name__icontains=term)
                | Q(last_name__icontains=term)
                | Q(email__icontains=term)
            )
    if unit is not None:
        employees = employees.filter(unit__path__startswith=unit.path)
    if language:
        employees = employees.filter(language=language)
    if armed is not None:
        employees = employees.filter(is_armed=armed)
    return employees.order_by("last_name", "first_name", "personnel_number")


def employee_for(*, viewer: Any, pk: int) -> Employee | None:
    return employees_visible_to(viewer).select_related("unit", "site__region", "user").filter(pk=pk).first()


def roster_changes_of_employee(*, viewer: Any, employee: Employee) -> QuerySet[RosterChange]:
    if not can_import_roster(viewer):
        return RosterChange.objects.none()
    return (
        RosterChange.objects.filter(employee=employee)
        .select_related("roster_import")
        .only("kind", "fields", "roster_import__applied_at", "roster_import__file_name", "roster_import_id")
        .order_by("-id")
    )


def roster_imports_for(*, viewer: Any) -> QuerySet[RosterImport]:
    if not can_import_roster(viewer):
        return RosterImport.objects.none()
    return RosterImport.objects.defer("content", "errors", "headers", "mapping").select_related("created_by")


def roster_import_for(*, viewer: Any, pk: int) -> RosterImport | None:
    """One import, with its mapping and stored errors but without the file's bytes."""
    if not can_import_roster(viewer):
        return None
    return (
        RosterImport.objects.defer("content").select_related("created_by", "applied_by").filter(pk=pk).first()
    )


PROGRESS_FIELDS = ("status", "total_rows", "processed_rows", "file_name")


def roster_import_progress_for(*, viewer: Any, pk: int) -> RosterImport | None:
    """Only what the progress bar needs: it is asked for every second."""
    if not can_import_roster(viewer):
        return None
    return RosterImport.objects.only(*PROGRESS_FIELDS).filter(pk=pk).first()


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str


def roster_import_errors(*, roster_import: RosterImport) -> list[RowProblem]:
    """The stored errors of an import, with their messages in the active language."""
    return [
        RowProblem(row=error["row"], column=error.get("column", ""), message=error_message(error))
        for error in roster_import.errors
    ]


def roster_changes_for(*, viewer: Any, roster_import: RosterImport, kind: str = "") -> QuerySet[RosterChange]:
    if not can_import_roster(viewer):
        return RosterChange.objects.none()
    changes = RosterChange.objects.filter(roster_import=roster_import)
    if kind:
        changes = changes.filter(kind=kind)
    return changes.order_by("id")
