"""Need-to-know: who may read a case and which cases each person sees."""

from __future__ import annotations

import pytest

from deonto.accounts.roles import Role
from deonto.integrity.models import IntakeMode
from deonto.integrity.permissions import (
    can_assign,
    can_see_reporter,
    can_view_access_log,
    can_view_report,
    must_confirm_conflict,
    reports_visible_to,
)
from deonto.integrity.services_case import conflict_declare
from deonto.integrity.tests.case_setup import case_assigned
from deonto.integrity.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_the_head_of_service_reads_every_case(make_user):
    head = make_user(Role.HEAD_OF_SERVICE)
    report = ReportFactory()

    assert can_view_report(head, report)
    assert list(reports_visible_to(head)) == [report]
    assert can_assign(head, report)
    assert can_view_access_log(head, report)


@pytest.mark.parametrize(
    "role",
    [Role.INSPECTOR, Role.ADMINISTRATOR, Role.MANAGER, Role.COORDINATOR, Role.EMPLOYEE, Role.INSTRUCTOR],
)
def test_nobody_else_reads_a_case_they_are_not_assigned_to(make_user, role):
    user = make_user(role)
    report = ReportFactory()

    assert not can_view_report(user, report)
    assert not reports_visible_to(user).exists()
    assert not can_assign(user, report)


def test_an_administrator_who_is_also_a_superuser_still_reads_no_case(make_user):
    admin = make_user(Role.ADMINISTRATOR)
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])

    assert not can_view_report(admin, ReportFactory())


def test_an_assigned_inspector_reads_the_case_only_after_confirming_no_conflict(make_user):
    case = case_assigned(make_user, confirmed=False)

    assert must_confirm_conflict(case.inspector, case.report)
    assert not can_view_report(case.inspector, case.report)
    assert not reports_visible_to(case.inspector).exists()

    confirmed = case_assigned(make_user)
    assert can_view_report(confirmed.inspector, confirmed.report)
    assert list(reports_visible_to(confirmed.inspector)) == [confirmed.report]
    assert not can_assign(confirmed.inspector, confirmed.report)
    assert not can_view_access_log(confirmed.inspector, confirmed.report)


def test_an_inspector_who_declared_a_conflict_is_off_the_case(make_user):
    case = case_assigned(make_user, confirmed=False)
    conflict_declare(actor=case.inspector, report=case.report, reason="The reporter is my brother.")

    assert not can_view_report(case.inspector, case.report)
    assert not must_confirm_conflict(case.inspector, case.report)


def test_an_inspector_who_lost_the_role_no_longer_reads_the_case(make_user):
    case = case_assigned(make_user)
    case.inspector.groups.clear()
    inspector = type(case.inspector).objects.get(pk=case.inspector.pk)

    assert not can_view_report(inspector, case.report)


def test_the_identity_of_a_confidential_reporter_is_for_the_assigned_inspector_only(make_user):
    reporter = make_user(Role.EMPLOYEE)
    case = case_assigned(
        make_user, intake_mode=IntakeMode.CONFIDENTIAL, reporter=reporter, receipt_code_hash=""
    )

    assert can_see_reporter(case.inspector, case.report)
    assert not can_see_reporter(case.head, case.report)


def test_the_identity_of_a_named_reporter_is_for_whoever_reads_the_case(make_user):
    reporter = make_user(Role.EMPLOYEE)
    case = case_assigned(make_user, intake_mode=IntakeMode.NAMED, reporter=reporter, receipt_code_hash="")

    assert can_see_reporter(case.inspector, case.report)
    assert can_see_reporter(case.head, case.report)
    assert not can_see_reporter(make_user(Role.INSPECTOR), case.report)


def test_nobody_sees_who_made_an_anonymous_report(make_user):
    case = case_assigned(make_user)

    assert not can_see_reporter(case.inspector, case.report)
    assert not can_see_reporter(case.head, case.report)


def test_the_head_of_service_and_the_inspectors_log_in_with_two_factor(make_user):
    assert make_user(Role.HEAD_OF_SERVICE).needs_two_factor
    assert make_user(Role.INSPECTOR).needs_two_factor
