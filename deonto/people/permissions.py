"""Who may see and change the staff roster.

Coordinators and administrators see every employee; a manager sees the employees of the units
they manage and of the units under those. Nobody else sees the roster.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from deonto.people.models import Employee, OrgUnit


def can_view_roster(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm("people.view_employee"))


def can_view_all_employees(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm("people.view_all_employees"))


def can_import_roster(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm("people.import_roster"))


def units_visible_to(user: Any) -> QuerySet[OrgUnit]:
    if can_view_all_employees(user):
        return OrgUnit.objects.all()
    if not can_view_roster(user):
        return OrgUnit.objects.none()
    paths = list(OrgUnit.objects.filter(managers=user).values_list("path", flat=True))
    if not paths:
        return OrgUnit.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return OrgUnit.objects.filter(condition)


def employees_visible_to(user: Any) -> QuerySet[Employee]:
    if can_view_all_employees(user):
        return Employee.objects.all()
    if not can_view_roster(user):
        return Employee.objects.none()
    return Employee.objects.filter(unit__in=units_visible_to(user))


def can_view_employee(user: Any, employee: Employee) -> bool:
    return employees_visible_to(user).filter(pk=employee.pk).exists()
