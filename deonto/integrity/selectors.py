"""Reads of the evidence vault for the people who run the server (commands, monitoring), and
what a reporter may read about their own report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deonto.accounts.models import User
from deonto.accounts.roles import Role
from deonto.integrity.models import (
    Assignment,
    CaseNote,
    CaseRead,
    ConflictState,
    CustodyEvent,
    CustodyKind,
    Evidence,
    IntakeMode,
    Measure,
    Report,
    ReportMessage,
    ReportStatus,
    ReportTransition,
)
from deonto.integrity.permissions import reports_awaiting_confirmation, reports_visible_to
from deonto.people.models import Employee

# The statuses in which the reporter still waits for feedback: a finding is the feedback.
AWAITING_FEEDBACK = (ReportStatus.RECEIVED, ReportStatus.ACKNOWLEDGED, ReportStatus.INVESTIGATING)


@dataclass(frozen=True)
class VaultSummary:
    files: int
    events: int
    purged: int
    head_id: int | None
    head_hash: str


def vault_summary() -> VaultSummary:
    """What the vault holds, and the newest custody event: recorded elsewhere, its hash shows
    later whether the chain was cut short."""
    head = CustodyEvent.objects.order_by("-id").only("id", "hash").first()
    return VaultSummary(
        files=Evidence.objects.count(),
        events=CustodyEvent.objects.count(),
        purged=CustodyEvent.objects.filter(kind=CustodyKind.PURGED).count(),
        head_id=head.pk if head else None,
        head_hash=head.hash if head else "",
    )


@dataclass(frozen=True)
class Followup:
    """What a reporter may read about their report: never the service's internal notes."""

    report: Report
    status_explanation: str
    messages: list[ReportMessage]


def status_explanation(status: str) -> str:
    explanations = {
        ReportStatus.RECEIVED: _(
            "Your report has been received. The service will confirm this within a week."
        ),
        ReportStatus.ACKNOWLEDGED: _("The service has confirmed your report and will assess it."),
        ReportStatus.INVESTIGATING: _("The service is investigating your report."),
        ReportStatus.FINDING: _("The investigation has reached a finding."),
        ReportStatus.MEASURE: _("A measure is being decided or taken."),
        ReportStatus.CLOSED: _("The report is closed."),
    }
    return str(explanations.get(ReportStatus(status), ""))


def report_followup(*, report: Report) -> Followup:
    return Followup(
        report=report,
        status_explanation=status_explanation(report.status),
        messages=list(report.messages.order_by("created_at", "id")),
    )


def reports_of(*, user: User) -> list[Report]:
    """The reports a signed-in user made under their name (named or confidential)."""
    return list(
        Report.objects.filter(reporter=user)
        .exclude(intake_mode=IntakeMode.ANONYMOUS)
        .order_by("-created_at", "-id")
    )


# The inspector's side: what the case pages read. Visibility is decided in ``permissions``.


def _overdue(today: date) -> Q:
    return Q(status=ReportStatus.RECEIVED, acknowledge_due__lt=today) | Q(
        status__in=AWAITING_FEEDBACK, feedback_due__lt=today
    )


def cases_for(*, viewer: User, status: str = "", overdue: bool = False) -> QuerySet[Report]:
    """The cases a viewer may read, newest first, with their open assignments for the list."""
    today = timezone.localdate()
    reports = reports_visible_to(viewer)
    if status in ReportStatus.values:
        reports = reports.filter(status=status)
    if overdue:
        reports = reports.filter(_overdue(today))
    open_assignments = Assignment.objects.exclude(conflict_state=ConflictState.DECLARED).select_related(
        "inspector"
    )
    return reports.prefetch_related(Prefetch("assignments", queryset=open_assignments)).order_by(
        "-created_at", "-id"
    )


def cases_awaiting_confirmation(*, viewer: User) -> QuerySet[Report]:
    """Cases given to the viewer that they must first confirm no conflict of interest on."""
    return reports_awaiting_confirmation(viewer).order_by("-created_at", "-id")


@dataclass(frozen=True)
class Deadline:
    report: Report
    kind: str
    label: str
    due: date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)


def deadlines_for(*, viewer: User, today: date | None = None) -> list[Deadline]:
    """The open acknowledgement and feedback deadlines of the viewer's cases, overdue first, then
    the nearest."""
    today = today or timezone.localdate()
    reports = reports_visible_to(viewer).filter(status__in=AWAITING_FEEDBACK)
    deadlines = []
    for report in reports:
        if report.status == ReportStatus.RECEIVED:
            deadlines.append(
                Deadline(
                    report,
                    "acknowledge",
                    str(_("Acknowledge")),
                    report.acknowledge_due,
                    (report.acknowledge_due - today).days,
                )
            )
        deadlines.append(
            Deadline(
                report,
                "feedback",
                str(pgettext_lazy("integrity deadline", "Feedback")),
                report.feedback_due,
                (report.feedback_due - today).days,
            )
        )
    return sorted(deadlines, key=lambda d: (d.days_left, d.report.reference))


def case_by_reference(*, reference: str) -> Report | None:
    return (
        Report.objects.select_related("reporter", "person_concerned", "measure")
        .filter(reference=reference)
        .first()
    )


def case_assignments(*, report: Report) -> list[Assignment]:
    return list(report.assignments.select_related("inspector", "assigned_by").order_by("assigned_at", "id"))


def case_transitions(*, report: Report) -> list[ReportTransition]:
    return list(report.transitions.select_related("actor").order_by("at", "id"))


def case_notes(*, report: Report) -> list[CaseNote]:
    return list(report.notes.select_related("author").order_by("created_at", "id"))


def case_messages(*, report: Report) -> list[ReportMessage]:
    return list(report.messages.select_related("author").order_by("created_at", "id"))


def case_evidence(*, report: Report) -> list[Evidence]:
    return list(report.evidence.select_related("captured_by", "added_by").order_by("id"))


def case_reads(*, report: Report) -> QuerySet[CaseRead]:
    return report.reads.select_related("user").order_by("-at", "-id")


def assignable_inspectors(*, report: Report) -> QuerySet[User]:
    """Active inspectors not yet on the case and without a declared conflict on it."""
    return (
        User.objects.filter(is_active=True, groups__name=Role.INSPECTOR)
        .exclude(integrity_assignments__report=report)
        .order_by("last_name", "first_name", "username")
        .distinct()
    )


def employees_matching(*, query: str, limit: int = 20) -> list[Employee]:
    """Active employees whose personnel number or name matches, to choose the person concerned."""
    words = query.split()
    if not words:
        return []
    employees = Employee.objects.filter(is_active=True)
    for word in words:
        employees = employees.filter(
            Q(personnel_number__iexact=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
        )
    return list(employees.select_related("unit").order_by("last_name", "first_name")[:limit])


def measures_active() -> QuerySet[Measure]:
    return Measure.objects.filter(active=True).order_by("order", "code")


def report_of_reporter(*, user: User, reference: str) -> Report | None:
    """A named or confidential report the user made, by its reference; None for anyone else's."""
    return (
        Report.objects.filter(reporter=user, reference=reference)
        .exclude(intake_mode=IntakeMode.ANONYMOUS)
        .first()
    )
