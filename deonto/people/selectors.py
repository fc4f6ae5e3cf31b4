"""Reads of the staff roster, always for a viewer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from deonto.people.models import Employee, OrgUnit
from deonto.people.permissions import employees_visible_to, units_visible_to


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
