"""Who may do what in the training rollout.

Coordinators plan it: campaigns, waves, rooms, instructors, closing days, sessions and enrolments.
Coordinators see the progress of every unit; a manager sees the progress of the units they manage
and of the units under those. An instructor takes the attendance of the sessions they teach (a
coordinator may do it in their place). Every signed-in employee sees and answers their own
invitation.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from deonto.people.models import Employee, OrgUnit
from deonto.rollout.models import Enrolment, Session


def can_manage_rollout(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm("rollout.manage_rollout"))


def can_view_progress(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm("rollout.view_progress"))


def employee_of(user: Any) -> Employee | None:
    """The roster entry linked to a signed-in user, if there is one."""
    if not user.is_authenticated:
        return None
    try:
        employee: Employee = user.employee
    except Employee.DoesNotExist:
        return None
    return employee


def can_see_own_training(user: Any) -> bool:
    """Every signed-in user linked to the roster has a page with their own invitation."""
    return employee_of(user) is not None


def can_answer_enrolment(user: Any, enrolment: Enrolment) -> bool:
    """Only the employee of an enrolment accepts, declines or moves it themselves."""
    employee = employee_of(user)
    return employee is not None and enrolment.employee_id == employee.pk


def is_instructor_of(user: Any, session: Session) -> bool:
    employee = employee_of(user)
    if employee is None:
        return False
    return session.teaching.filter(is_active=True, instructor__employee_id=employee.pk).exists()


def can_take_attendance(user: Any, session: Session) -> bool:
    """The instructors of a session, or a coordinator. Whether the session can still be marked
    (published, not yet closed) is the services' matter."""
    return can_manage_rollout(user) or is_instructor_of(user, session)


def progress_units_for(user: Any) -> QuerySet[OrgUnit]:
    """The units whose progress a user may see: all for a coordinator, the managed units and
    everything below them for a manager, none otherwise."""
    if not can_view_progress(user):
        return OrgUnit.objects.none()
    if can_manage_rollout(user):
        return OrgUnit.objects.all()
    paths = list(OrgUnit.objects.filter(managers=user).values_list("path", flat=True))
    if not paths:
        return OrgUnit.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return OrgUnit.objects.filter(condition)


def sees_all_progress(user: Any) -> bool:
    """Coordinators see the whole roster's progress, not only their own units."""
    return can_view_progress(user) and can_manage_rollout(user)
