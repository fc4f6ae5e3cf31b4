"""Helpers of the case tests: a head of service, inspectors, and a case assigned to one of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from deonto.accounts.models import User
from deonto.accounts.roles import Role
from deonto.integrity.models import Report
from deonto.integrity.services_case import conflict_confirm_none, report_assign
from deonto.integrity.tests.factories import ReportFactory


@dataclass
class Case:
    report: Report
    head: User
    inspector: User


def case_assigned(make_user: Callable[..., User], *, confirmed: bool = True, **report: object) -> Case:
    """A report assigned by a head of service to an inspector, who (by default) confirmed no
    conflict of interest."""
    head = make_user(Role.HEAD_OF_SERVICE, language="en")
    inspector = make_user(Role.INSPECTOR, language="en")
    case = ReportFactory(**report)
    report_assign(actor=head, report=case, inspector=inspector)
    if confirmed:
        conflict_confirm_none(actor=inspector, report=case)
    return Case(report=case, head=head, inspector=inspector)
