"""The retention purge: a report closed longer ago than ``INTEGRITY_RETENTION_DAYS`` is deleted with
everything it holds.

Gone are the report itself (description, place, links, receipt code), its status history, its
messages, notes, assignments, reads and reminders, its evidence records and their encrypted files.
What remains is what proves the purge without telling what was purged:

- one audit entry per report: its reference, category, closing date and how many pieces of
  evidence and messages it had, never anything the reporter or the service wrote. The earlier
  audit entries about the report and its evidence keep who did what and when, but lose their
  details (the person concerned, the finding, the measure);
- the custody chain, untouched but for one "purged" event appended per piece of evidence. Custody
  events hold hashes, sizes and key ids, never content, so they may stay; deleting them would break
  the chain that ``verify_evidence`` checks, and rewriting it would make it worthless. A piece whose
  record is gone without that event is reported by ``verify_evidence``.

Each report is purged in its own transaction; its files are removed once that transaction is
committed, so a purge stopped halfway is finished by running it again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from deonto.accounts.models import User
from deonto.core.audit import audit_record
from deonto.core.models import AuditEntry
from deonto.integrity.models import CustodyKind, Evidence, Report, ReportStatus
from deonto.integrity.services import custody_record
from deonto.integrity.vault import vault_remove

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PurgedReport:
    """What the log keeps of a purged report: nothing of its content."""

    reference: str
    category: str
    closed_on: date
    evidence: int
    messages: int


def retention_days() -> int:
    days: int = getattr(settings, "INTEGRITY_RETENTION_DAYS", 1825)
    return days


def purge_cutoff() -> datetime:
    """Reports closed at or before this moment are due for the purge."""
    return timezone.now() - timedelta(days=retention_days())


def reports_due_for_purge() -> QuerySet[Report]:
    return Report.objects.filter(status=ReportStatus.CLOSED, closed_at__lte=purge_cutoff()).order_by(
        "closed_at", "id"
    )


def _summary(report: Report, *, evidence: int, messages: int) -> PurgedReport:
    return PurgedReport(
        reference=report.reference,
        category=report.category,
        closed_on=timezone.localdate(report.closed_at or report.updated_at),
        evidence=evidence,
        messages=messages,
    )


def report_purge(*, actor: User | None, report_id: int) -> PurgedReport | None:
    """Purge one report if it is still due (closed, long enough ago); what was purged, or None."""
    with transaction.atomic():
        report = reports_due_for_purge().select_for_update().filter(pk=report_id).first()
        if report is None:
            return None
        pieces = list(Evidence.objects.filter(report=report).order_by("id"))
        purged = _summary(report, evidence=len(pieces), messages=report.messages.count())
        for piece in pieces:
            custody_record(
                actor=actor,
                evidence=piece,
                kind=CustodyKind.PURGED,
                details={"sha256": piece.sha256, "size": piece.size},
            )
        stored_names = [piece.stored_name for piece in pieces]
        _audit_details_forget(report, pieces)
        Evidence.objects.filter(report=report).delete()
        report.delete()
        audit_record(
            actor=actor,
            action="integrity.report_purge",
            details={
                "reference": purged.reference,
                "category": purged.category,
                "closed_on": purged.closed_on.isoformat(),
                "evidence": purged.evidence,
                "messages": purged.messages,
            },
        )
        transaction.on_commit(lambda: _files_remove(stored_names))
    return purged


def _audit_details_forget(report: Report, pieces: list[Evidence]) -> None:
    """Keep who did what and when to the report and its evidence, but not the details those audit
    entries hold about the case (the person concerned, the finding, the measure)."""
    AuditEntry.objects.filter(
        Q(object_type=Report._meta.label_lower, object_id=str(report.pk))
        | Q(object_type=Evidence._meta.label_lower, object_id__in=[str(piece.pk) for piece in pieces])
    ).update(details={})


def _files_remove(stored_names: list[str]) -> None:
    for stored_name in stored_names:
        try:
            vault_remove(stored_name)
        except OSError:
            logger.exception("The purged evidence file %s could not be removed.", stored_name)


def reports_purge(*, actor: User | None, dry_run: bool = False) -> list[PurgedReport]:
    """Purge every report due; with ``dry_run``, only say which ones would be."""
    due = reports_due_for_purge()
    if dry_run:
        return [
            _summary(report, evidence=report.evidence_count, messages=report.message_count)
            for report in due.annotate(
                evidence_count=Count("evidence", distinct=True),
                message_count=Count("messages", distinct=True),
            )
        ]
    purged = []
    for report_id in list(due.values_list("id", flat=True)):
        result = report_purge(actor=actor, report_id=report_id)
        if result is not None:
            purged.append(result)
    return purged
