"""The reporter's side of integrity reports: filing a report, and the messages about it.

For an anonymous report nothing identifying is kept: no account, no address, no browser, no
audit entry that names anyone. The receipt code is given once; only its SHA-256 is stored.
"""

from __future__ import annotations

import base64
import calendar
import hashlib
import secrets
from collections.abc import Sequence
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deonto.accounts.models import User
from deonto.core.audit import audit_record
from deonto.core.errors import DomainError
from deonto.integrity.models import (
    Evidence,
    IntakeMode,
    MessageSide,
    Report,
    ReportMessage,
    ReportStatus,
    ReportTransition,
)
from deonto.integrity.services import evidence_add
from deonto.integrity.vault import vault_remove

RECEIPT_CODE_BYTES = 20


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def receipt_code_new() -> str:
    """160 random bits in base32, in groups of four: ``ABCD-EFGH-…`` (eight groups)."""
    text = base64.b32encode(secrets.token_bytes(RECEIPT_CODE_BYTES)).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def receipt_code_hash(code: str) -> str:
    """The SHA-256 of the code as typed, without spaces, dashes or case."""
    normalised = "".join(code.split()).replace("-", "").upper()
    return hashlib.sha256(normalised.encode("ascii", "ignore")).hexdigest()


def _reference_new(year: int) -> str:
    while True:
        reference = f"R-{year}-{secrets.randbelow(1_000_000):06d}"
        if not Report.objects.filter(reference=reference).exists():
            return reference


def _evidence_add_all(*, actor: User | None, report: Report, files: Sequence[File[bytes]]) -> None:
    """Every file, or none: a refused file removes the ones already sealed in the vault (the
    database rows go with the surrounding transaction)."""
    added: list[Evidence] = []
    try:
        for upload in files:
            added.append(
                evidence_add(actor=actor, report=report, content=upload, file_name=upload.name or "")
            )
    except DomainError as error:
        for evidence in added:
            vault_remove(evidence.stored_name)
        name = files[len(added)].name or ""
        raise DomainError(
            _("%(file)s was refused: %(reason)s") % {"file": name, "reason": error.message}
        ) from None
    except BaseException:
        for evidence in added:
            vault_remove(evidence.stored_name)
        raise


def report_submit(
    *,
    reporter: User | None,
    mode: str,
    category: str,
    description: str,
    occurred_on: date | None,
    location: str,
    links: list[str],
    files: Sequence[File[bytes]],
) -> tuple[Report, str | None]:
    """File a report; the report and, for an anonymous one, its receipt code (given only here)."""
    if mode not in IntakeMode.values:
        raise DomainError(_("Choose how you want to report."))
    anonymous = mode == IntakeMode.ANONYMOUS
    if not anonymous and (reporter is None or not reporter.is_authenticated):
        raise DomainError(_("Sign in to make a named or confidential report."))
    if not description.strip():
        raise DomainError(_("Describe what happened."))
    code = receipt_code_new() if anonymous else None
    today = timezone.localdate()
    with transaction.atomic():
        report = Report.objects.create(
            reference=_reference_new(today.year),
            intake_mode=mode,
            reporter=None if anonymous else reporter,
            receipt_code_hash=receipt_code_hash(code) if code else "",
            category=category,
            description=description.strip(),
            occurred_on=occurred_on,
            location=location.strip(),
            links=list(links),
            acknowledge_due=today + timedelta(days=settings.INTEGRITY_ACKNOWLEDGE_DAYS),
            feedback_due=add_months(today, settings.INTEGRITY_FEEDBACK_MONTHS),
        )
        ReportTransition.objects.create(
            report=report,
            from_status="",
            to_status=ReportStatus.RECEIVED,
            actor=None if anonymous else reporter,
        )
        _evidence_add_all(actor=None if anonymous else reporter, report=report, files=files)
        audit_record(
            actor=None if anonymous else reporter,
            action="integrity.report_submit",
            target=report,
            details={"mode": mode},
        )
    return report, code


def report_for_receipt_code(code: str) -> Report | None:
    """The anonymous report this code belongs to, or None. The lookup is by hash: the stored
    value is never the code, and the match is checked again in constant time."""
    digest = receipt_code_hash(code)
    report = Report.objects.filter(receipt_code_hash=digest).first()
    if report is None or not secrets.compare_digest(report.receipt_code_hash, digest):
        return None
    return report


def report_message_add(
    *,
    report: Report,
    side: str,
    author: User | None,
    body: str,
    files: Sequence[File[bytes]] = (),
) -> ReportMessage:
    """A message from the service or the reporter, with files the reporter adds as evidence.
    An anonymous reporter's message names nobody."""
    if side not in MessageSide.values:
        raise ValueError(f"{side} is not a side of the conversation.")
    if report.status == ReportStatus.CLOSED:
        raise DomainError(_("This report is closed: no messages can be added."))
    body = body.strip()
    if not body and not files:
        raise DomainError(_("Write a message or add a file."))
    if side == MessageSide.REPORTER and report.intake_mode == IntakeMode.ANONYMOUS:
        author = None
    with transaction.atomic():
        message = ReportMessage.objects.create(
            report=report, author_side=side, author=author, body=body or _("(files added)")
        )
        _evidence_add_all(actor=author, report=report, files=files)
        audit_record(actor=author, action="integrity.message_add", target=report, details={"side": side})
    return message
