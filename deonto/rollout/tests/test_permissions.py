"""Who may plan the rollout, see its progress, take attendance and answer an invitation."""

from __future__ import annotations

import pytest

from deonto.accounts.roles import Role
from deonto.people.tests.factories import EmployeeFactory, OrgUnitFactory
from deonto.rollout.permissions import (
    can_answer_enrolment,
    can_manage_rollout,
    can_take_attendance,
    can_view_progress,
    employee_of,
    progress_units_for,
    sees_all_progress,
)
from deonto.rollout.tests.factories import EnrolmentFactory, InstructorFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
def test_only_coordinators_plan_the_rollout(make_user, role) -> None:
    assert can_manage_rollout(make_user(role)) is (role == Role.COORDINATOR)


@pytest.mark.parametrize("role", list(Role))
def test_coordinators_and_managers_see_the_progress(make_user, role) -> None:
    assert can_view_progress(make_user(role)) is (role in (Role.COORDINATOR, Role.MANAGER))


def test_anonymous_visitors_may_do_nothing(client) -> None:
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    session = SessionFactory()
    assert not can_manage_rollout(anonymous)
    assert not can_view_progress(anonymous)
    assert employee_of(anonymous) is None
    assert not can_take_attendance(anonymous, session)


def test_a_manager_sees_the_progress_of_their_units_and_those_below(make_user) -> None:
    manager = make_user(Role.MANAGER)
    managed = OrgUnitFactory(code="ANR")
    below = OrgUnitFactory(code="ANR-01", parent=managed)
    elsewhere = OrgUnitFactory(code="GNT")
    managed.managers.add(manager)
    units = set(progress_units_for(manager))
    assert {managed, below} <= units
    assert elsewhere not in units
    assert not sees_all_progress(manager)


def test_a_coordinator_sees_the_progress_of_every_unit(make_user) -> None:
    coordinator = make_user(Role.COORDINATOR)
    unit = OrgUnitFactory(code="BRU")
    assert unit in progress_units_for(coordinator)
    assert sees_all_progress(coordinator)


def test_people_without_the_permission_see_no_unit_progress(make_user) -> None:
    OrgUnitFactory(code="LGE")
    assert not progress_units_for(make_user(Role.EMPLOYEE)).exists()


def test_a_manager_of_no_unit_sees_no_unit_progress(make_user) -> None:
    OrgUnitFactory(code="NAM")
    assert not progress_units_for(make_user(Role.MANAGER)).exists()


def test_the_instructor_of_a_session_takes_its_attendance(make_user) -> None:
    user = make_user(Role.INSTRUCTOR)
    instructor = InstructorFactory(employee=EmployeeFactory(user=user))
    session = SessionFactory(instructors=[instructor])
    assert can_take_attendance(user, session)


def test_an_instructor_of_another_session_does_not_take_its_attendance(make_user) -> None:
    user = make_user(Role.INSTRUCTOR)
    InstructorFactory(employee=EmployeeFactory(user=user))
    session = SessionFactory(instructors=[InstructorFactory()])
    assert not can_take_attendance(user, session)


def test_a_coordinator_takes_the_attendance_of_any_session(make_user) -> None:
    assert can_take_attendance(make_user(Role.COORDINATOR), SessionFactory())


def test_an_employee_without_a_roster_entry_takes_no_attendance(make_user) -> None:
    assert not can_take_attendance(make_user(Role.EMPLOYEE), SessionFactory())


def test_only_the_employee_of_an_enrolment_answers_it(make_user) -> None:
    owner = make_user(Role.EMPLOYEE)
    enrolment = EnrolmentFactory(employee=EmployeeFactory(user=owner))
    other = make_user(Role.EMPLOYEE)
    EmployeeFactory(user=other)
    assert can_answer_enrolment(owner, enrolment)
    assert not can_answer_enrolment(other, enrolment)
    assert not can_answer_enrolment(make_user(Role.COORDINATOR), enrolment)


def test_a_user_without_a_roster_entry_has_no_employee(make_user) -> None:
    assert employee_of(make_user(Role.EMPLOYEE)) is None


@pytest.mark.parametrize("role", list(Role))
def test_the_menu_offers_planning_to_coordinators_and_my_training_to_everyone_signed_in(
    make_user, role
) -> None:
    from deonto.core.navigation import navigation_for

    entries = {item.url_name for item in navigation_for(make_user(role))}
    assert "rollout:my_training" in entries
    assert ("rollout:campaign_list" in entries) is (role == Role.COORDINATOR)
