"""Who may see and do what with integrity reports: need-to-know, in one place.

Only the head of the integrity service and the inspectors assigned to a case, once they have
confirmed they have no conflict of interest, read a case. Administrators manage accounts and
managers run teams: neither ever reads a report. The views answer "not allowed" exactly as "not
found" (404), so nobody learns that a case exists.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from deonto.accounts.models import User
from deonto.accounts.roles import Role
from deonto.integrity.models import Assignment, ConflictState, IntakeMode, Report


def _signed_in(user: object) -> User | None:
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def is_head_of_service(user: object) -> bool:
    signed_in = _signed_in(user)
    return signed_in is not None and signed_in.has_role(Role.HEAD_OF_SERVICE)


def is_inspector(user: object) -> bool:
    signed_in = _signed_in(user)
    return signed_in is not None and signed_in.has_role(Role.INSPECTOR)


def works_on_cases(user: object) -> bool:
    """Whether the case pages are for this user at all (the head or an inspector)."""
    return is_head_of_service(user) or is_inspector(user)


def assignment_of(user: object, report: Report) -> Assignment | None:
    """The user's assignment to the case, unless they declared a conflict (then they are off it)."""
    signed_in = _signed_in(user)
    if signed_in is None or not signed_in.has_role(Role.INSPECTOR):
        return None
    return (
        Assignment.objects.filter(report=report, inspector=signed_in)
        .exclude(conflict_state=ConflictState.DECLARED)
        .first()
    )


def is_assigned_without_conflict(user: object, report: Report) -> bool:
    assignment = assignment_of(user, report)
    return assignment is not None and assignment.conflict_state == ConflictState.NO_CONFLICT


def must_confirm_conflict(user: object, report: Report) -> bool:
    """Assigned, but has not yet said whether they have a conflict of interest: the only page of
    the case they may open is the confirmation page."""
    assignment = assignment_of(user, report)
    return assignment is not None and assignment.conflict_state == ConflictState.PENDING


def can_view_report(user: object, report: Report) -> bool:
    """The head of service, or an assigned inspector who confirmed no conflict of interest."""
    return is_head_of_service(user) or is_assigned_without_conflict(user, report)


def can_assign(user: object, report: Report | None = None) -> bool:
    return is_head_of_service(user)


def can_work_on(user: object, report: Report) -> bool:
    """Change the case: transitions, notes, messages, evidence, finding, measure."""
    return can_view_report(user, report)


def can_see_reporter(user: object, report: Report) -> bool:
    """Named reports: whoever reads the case. Confidential: the assigned inspectors only, not the
    head unless assigned. Anonymous: nobody, there is nothing to see."""
    if report.intake_mode == IntakeMode.NAMED:
        return can_view_report(user, report)
    if report.intake_mode == IntakeMode.CONFIDENTIAL:
        return is_assigned_without_conflict(user, report)
    return False


def can_view_access_log(user: object, report: Report | None = None) -> bool:
    return is_head_of_service(user)


def reports_visible_to(user: object) -> QuerySet[Report]:
    """Every report for the head of service; for an inspector, the cases they are assigned to and
    confirmed no conflict on; for anyone else, none."""
    if is_head_of_service(user):
        return Report.objects.all()
    signed_in = _signed_in(user)
    if signed_in is None or not signed_in.has_role(Role.INSPECTOR):
        return Report.objects.none()
    confirmed = Assignment.objects.filter(
        report=OuterRef("pk"), inspector=signed_in, conflict_state=ConflictState.NO_CONFLICT
    )
    return Report.objects.filter(Exists(confirmed))


def reports_awaiting_confirmation(user: object) -> QuerySet[Report]:
    """The cases an inspector is assigned to but has not yet confirmed no conflict on."""
    signed_in = _signed_in(user)
    if signed_in is None or not signed_in.has_role(Role.INSPECTOR):
        return Report.objects.none()
    pending = Assignment.objects.filter(
        report=OuterRef("pk"), inspector=signed_in, conflict_state=ConflictState.PENDING
    )
    return Report.objects.filter(Exists(pending))
