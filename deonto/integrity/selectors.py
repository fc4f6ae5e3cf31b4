"""Reads of the evidence vault for the people who run the server (commands, monitoring), and
what a reporter may read about their own report."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from deonto.accounts.models import User
from deonto.integrity.models import (
    CustodyEvent,
    Evidence,
    IntakeMode,
    Report,
    ReportMessage,
    ReportStatus,
)


@dataclass(frozen=True)
class VaultSummary:
    files: int
    events: int
    head_id: int | None
    head_hash: str


def vault_summary() -> VaultSummary:
    """What the vault holds, and the newest custody event: recorded elsewhere, its hash shows
    later whether the chain was cut short."""
    head = CustodyEvent.objects.order_by("-id").only("id", "hash").first()
    return VaultSummary(
        files=Evidence.objects.count(),
        events=CustodyEvent.objects.count(),
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
