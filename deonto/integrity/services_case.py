"""The investigation of integrity reports: assignment, the conflict-of-interest gate, the status
workflow (received → acknowledged → under investigation → finding → measure → closed), notes,
messages to the reporter, the person concerned, evidence in the case, the log of every read, and
the reminders of the deadlines.

Every status change writes a ``ReportTransition`` with who, when and why, and an audit entry. The
services check the actor's right themselves, so a view that forgets cannot open a case.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from deonto.accounts.models import User
from deonto.accounts.roles import Role
from deonto.core.audit import audit_record
from deonto.core.errors import DomainError
from deonto.core.mail import mail_in
from deonto.integrity import permissions
from deonto.integrity.models import (
    Assignment,
    CaseNote,
    CaseRead,
    ConflictState,
    CustodyKind,
    Evidence,
    FindingOutcome,
    IntakeMode,
    Measure,
    MessageSide,
    ReminderSent,
    Report,
    ReportMessage,
    ReportStatus,
    ReportTransition,
)
from deonto.integrity.selectors import AWAITING_FEEDBACK
from deonto.integrity.services import evidence_add, evidence_read
from deonto.integrity.services_intake import report_message_add
from deonto.knowledge.models import Article
from deonto.people.models import Employee

logger = logging.getLogger(__name__)


def _require_work(actor: User, report: Report) -> None:
    if not permissions.can_work_on(actor, report):
        raise DomainError(_("You may not work on this case."))


def _locked(report: Report) -> Report:
    """The report read again under a lock, so two people cannot move it at the same time."""
    return Report.objects.select_for_update().get(pk=report.pk)


def _transition(*, actor: User, report: Report, to: ReportStatus, reason: str = "") -> None:
    ReportTransition.objects.create(
        report=report, from_status=report.status, to_status=to, actor=actor, reason=reason
    )
    report.status = to


def _refuse_unless(report: Report, *allowed: ReportStatus) -> None:
    if report.status not in allowed:
        raise DomainError(
            _("This is not possible while the report is %(status)s.")
            % {"status": ReportStatus(report.status).label.lower()}
        )


def _site_url(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _reporter_notify(report: Report) -> None:
    """Tell a named or confidential reporter, in their language, that the service wrote to them.
    The e-mail names the report only: what was written is read on the site. An anonymous
    reporter has no address and is never e-mailed."""
    reporter = report.reporter
    if report.intake_mode == IntakeMode.ANONYMOUS or reporter is None or not reporter.email:
        return
    link = _site_url(reverse("integrity:my_report", kwargs={"reference": report.reference}))
    language = reporter.language or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = _("A message about your report %(reference)s") % {"reference": report.reference}
        body = render_to_string(
            "integrity/email/reporter_message.txt",
            {"reporter": reporter, "reference": report.reference, "link": link, "sent": timezone.localdate()},
        )
    email = mail_in(language, subject=subject, body=body, to=[reporter.email])
    transaction.on_commit(email.send)


def _service_message(
    *, actor: User, report: Report, body: str, files: Sequence[File[bytes]] = ()
) -> ReportMessage:
    message = report_message_add(
        report=report, side=MessageSide.SERVICE, author=actor, body=body, files=files
    )
    _reporter_notify(report)
    return message


# Assignment and the conflict-of-interest gate.


def report_assign(*, actor: User, report: Report, inspector: User) -> Assignment:
    """Give a case to an inspector (the head of service only). An inspector who declared a
    conflict of interest on this case cannot be given it again."""
    if not permissions.can_assign(actor, report):
        raise DomainError(_("Only the head of the integrity service assigns cases."))
    if not inspector.is_active or not inspector.has_role(Role.INSPECTOR):
        raise DomainError(_("Cases can only be assigned to active inspectors."))
    with transaction.atomic():
        report = _locked(report)
        if report.status == ReportStatus.CLOSED:
            raise DomainError(_("This report is closed: it cannot be assigned."))
        existing = Assignment.objects.filter(report=report, inspector=inspector).first()
        if existing is not None:
            if existing.conflict_state == ConflictState.DECLARED:
                raise DomainError(
                    _("%(name)s declared a conflict of interest on this case.")
                    % {"name": inspector.get_full_name() or inspector.username}
                )
            raise DomainError(
                _("%(name)s is already assigned to this case.")
                % {"name": inspector.get_full_name() or inspector.username}
            )
        assignment = Assignment.objects.create(report=report, inspector=inspector, assigned_by=actor)
        audit_record(
            actor=actor, action="integrity.report_assign", target=report, details={"inspector": inspector.pk}
        )
    return assignment


def _own_pending_assignment(actor: User, report: Report) -> Assignment:
    assignment = (
        Assignment.objects.select_for_update().filter(report=report, inspector=actor).first()
        if actor.has_role(Role.INSPECTOR)
        else None
    )
    if assignment is None:
        raise DomainError(_("You are not assigned to this case."))
    if assignment.conflict_state != ConflictState.PENDING:
        raise DomainError(_("You have already answered the question about a conflict of interest."))
    return assignment


def conflict_confirm_none(*, actor: User, report: Report) -> Assignment:
    """The assigned inspector confirms they have no conflict of interest: the case opens to them."""
    with transaction.atomic():
        assignment = _own_pending_assignment(actor, report)
        assignment.conflict_state = ConflictState.NO_CONFLICT
        assignment.conflict_confirmed_at = timezone.now()
        assignment.save(update_fields=["conflict_state", "conflict_confirmed_at", "updated_at"])
        audit_record(actor=actor, action="integrity.conflict_none", target=report)
    return assignment


def conflict_declare(*, actor: User, report: Report, reason: str) -> Assignment:
    """The assigned inspector declares a conflict of interest: they are off the case, and the head
    of service sees it on the case."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say briefly what the conflict of interest is."))
    with transaction.atomic():
        assignment = _own_pending_assignment(actor, report)
        assignment.conflict_state = ConflictState.DECLARED
        assignment.conflict_declared_at = timezone.now()
        assignment.conflict_reason = reason
        assignment.save(
            update_fields=["conflict_state", "conflict_declared_at", "conflict_reason", "updated_at"]
        )
        audit_record(actor=actor, action="integrity.conflict_declared", target=report)
    return assignment


# The status workflow.


def report_acknowledge(*, actor: User, report: Report, message: str) -> Report:
    """Received → acknowledged: the reporter is told, in a message on the report (and by e-mail
    when they gave their name)."""
    if not message.strip():
        raise DomainError(_("Write the acknowledgement to the reporter."))
    _require_work(actor, report)
    with transaction.atomic():
        report = _locked(report)
        _refuse_unless(report, ReportStatus.RECEIVED)
        _transition(actor=actor, report=report, to=ReportStatus.ACKNOWLEDGED)
        report.save(update_fields=["status", "updated_at"])
        _service_message(actor=actor, report=report, body=message)
        audit_record(actor=actor, action="integrity.report_acknowledge", target=report)
    return report


def investigation_start(*, actor: User, report: Report, reason: str) -> Report:
    """Acknowledged → under investigation, with why the report is investigated."""
    if not reason.strip():
        raise DomainError(_("Say why the report is investigated."))
    _require_work(actor, report)
    with transaction.atomic():
        report = _locked(report)
        _refuse_unless(report, ReportStatus.ACKNOWLEDGED)
        _transition(actor=actor, report=report, to=ReportStatus.INVESTIGATING, reason=reason.strip())
        report.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="integrity.investigation_start", target=report)
    return report


def finding_record(
    *, actor: User, report: Report, outcome: str, articles: Sequence[str], summary: str
) -> Report:
    """Under investigation → finding: the outcome, the guidance articles concerned and a summary
    (the summary is the reason of the transition)."""
    if outcome not in FindingOutcome.values:
        raise DomainError(_("Choose the outcome of the investigation."))
    summary = summary.strip()
    if not summary:
        raise DomainError(_("Summarise the finding."))
    codes = sorted({code.strip() for code in articles if code.strip()})
    unknown = sorted(set(codes) - set(Article.objects.filter(code__in=codes).values_list("code", flat=True)))
    if unknown:
        raise DomainError(_("These are not guidance articles: %(codes)s") % {"codes": ", ".join(unknown)})
    if outcome == FindingOutcome.BREACH and not codes:
        raise DomainError(_("Name the articles of the code of conduct that were breached."))
    _require_work(actor, report)
    with transaction.atomic():
        report = _locked(report)
        _refuse_unless(report, ReportStatus.INVESTIGATING)
        _transition(actor=actor, report=report, to=ReportStatus.FINDING, reason=summary)
        report.finding_outcome = outcome
        report.finding_articles = codes
        report.finding_summary = summary
        report.save(
            update_fields=["status", "finding_outcome", "finding_articles", "finding_summary", "updated_at"]
        )
        audit_record(
            actor=actor, action="integrity.finding_record", target=report, details={"outcome": outcome}
        )
    return report


def measure_record(*, actor: User, report: Report, measure: Measure, note: str) -> Report:
    """Finding → measure: one of the configured measures, with a note on why."""
    if not measure.active:
        raise DomainError(_("This measure is no longer in use."))
    if not note.strip():
        raise DomainError(_("Say why this measure was chosen."))
    _require_work(actor, report)
    with transaction.atomic():
        report = _locked(report)
        _refuse_unless(report, ReportStatus.FINDING)
        _transition(actor=actor, report=report, to=ReportStatus.MEASURE, reason=note.strip())
        report.measure = measure
        report.measure_note = note.strip()
        report.save(update_fields=["status", "measure", "measure_note", "updated_at"])
        audit_record(
            actor=actor, action="integrity.measure_record", target=report, details={"measure": measure.code}
        )
    return report


def report_close(*, actor: User, report: Report, reason: str) -> Report:
    """Finding or measure → closed (a finding of no breach needs no measure), with why."""
    if not reason.strip():
        raise DomainError(_("Say why the report is closed."))
    _require_work(actor, report)
    with transaction.atomic():
        report = _locked(report)
        _refuse_unless(report, ReportStatus.FINDING, ReportStatus.MEASURE)
        _transition(actor=actor, report=report, to=ReportStatus.CLOSED, reason=reason.strip())
        report.closed_at = timezone.now()
        report.save(update_fields=["status", "closed_at", "updated_at"])
        audit_record(actor=actor, action="integrity.report_close", target=report)
    return report


# Notes, messages, the person concerned, evidence.


def case_note_add(*, actor: User, report: Report, body: str) -> CaseNote:
    """An internal note of the service: never shown to the reporter."""
    if not body.strip():
        raise DomainError(_("Write the note."))
    _require_work(actor, report)
    with transaction.atomic():
        note = CaseNote.objects.create(report=report, author=actor, body=body.strip())
        audit_record(actor=actor, action="integrity.note_add", target=report)
    return note


def case_message_send(
    *, actor: User, report: Report, body: str, files: Sequence[File[bytes]] = ()
) -> ReportMessage:
    """A message from the service to the reporter (a question, news); e-mailed to a named or
    confidential reporter as a notice only."""
    _require_work(actor, report)
    with transaction.atomic():
        return _service_message(actor=actor, report=report, body=body, files=files)


def person_concerned_set(*, actor: User, report: Report, employee: Employee | None) -> Report:
    """Who the report is about: an active employee from the roster, or nobody yet."""
    if employee is not None and not employee.is_active:
        raise DomainError(_("Only an active employee from the roster can be the person concerned."))
    _require_work(actor, report)
    with transaction.atomic():
        report = _locked(report)
        if report.status == ReportStatus.CLOSED:
            raise DomainError(_("This report is closed: it cannot be changed."))
        report.person_concerned = employee
        report.save(update_fields=["person_concerned", "updated_at"])
        audit_record(
            actor=actor,
            action="integrity.person_concerned_set",
            target=report,
            details={"employee": employee.pk if employee else None},
        )
    return report


def case_evidence_add(
    *,
    actor: User,
    report: Report,
    content: File[bytes],
    description: str = "",
    captured_url: str = "",
    captured_at: datetime | None = None,
) -> Evidence:
    """A file the service adds to the case, or the capture of an online post (its address, the
    screenshot and the time of capture; the actor is who captured it). The checks of intake apply."""
    _require_work(actor, report)
    if captured_url and captured_at is None:
        raise DomainError(_("Give the time the post was captured."))
    if captured_at is not None and captured_at > timezone.now():
        raise DomainError(_("The time of capture cannot be in the future."))
    return evidence_add(
        actor=actor,
        report=report,
        content=content,
        file_name=content.name or "",
        description=description.strip(),
        captured_url=captured_url.strip(),
        captured_at=captured_at,
    )


def case_evidence_download(*, actor: User, evidence: Evidence) -> bytes:
    """The evidence's content, checked against its fingerprint; recorded as downloaded. A mismatch
    raises DomainError and nothing is given."""
    _require_work(actor, evidence.report)
    return evidence_read(actor=actor, evidence=evidence, kind=CustodyKind.DOWNLOADED)


def case_read_record(*, actor: User, report: Report, what: str) -> CaseRead:
    """A page of a case was shown to ``actor``; the head of service sees these on the access log."""
    return CaseRead.objects.create(report=report, user=actor, what=what[:64])


# Reminders of the deadlines.


@dataclass(frozen=True)
class DueCase:
    report: Report
    deadline: str
    due: date


def _due_cases(*, inspector: User, today: date, horizon: date) -> list[DueCase]:
    reports = Report.objects.filter(
        Q(status=ReportStatus.RECEIVED, acknowledge_due__lte=horizon)
        | Q(status__in=AWAITING_FEEDBACK, feedback_due__lte=horizon),
        assignments__inspector=inspector,
        assignments__conflict_state__in=[ConflictState.PENDING, ConflictState.NO_CONFLICT],
    ).order_by("acknowledge_due", "reference")
    due = []
    for report in reports:
        if report.status == ReportStatus.RECEIVED and report.acknowledge_due <= horizon:
            due.append(DueCase(report, ReminderSent.Deadline.ACKNOWLEDGE, report.acknowledge_due))
        if report.status in AWAITING_FEEDBACK and report.feedback_due <= horizon:
            due.append(DueCase(report, ReminderSent.Deadline.FEEDBACK, report.feedback_due))
    return due


def reminders_send(*, today: date | None = None) -> int:
    """E-mail each assigned inspector, in their language, the cases whose acknowledgement or
    feedback is due within ``INTEGRITY_REMINDER_DAYS`` days or overdue. Each case, deadline and
    day is sent once, however often this runs; the number of e-mails sent is returned."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=getattr(settings, "INTEGRITY_REMINDER_DAYS", 2))
    inspectors = User.objects.filter(
        is_active=True,
        groups__name=Role.INSPECTOR,
        integrity_assignments__conflict_state__in=[ConflictState.PENDING, ConflictState.NO_CONFLICT],
    ).distinct()
    sent = 0
    for inspector in inspectors:
        if not inspector.email:
            continue
        with transaction.atomic():
            fresh: list[DueCase] = []
            for case in _due_cases(inspector=inspector, today=today, horizon=horizon):
                try:
                    with transaction.atomic():
                        ReminderSent.objects.create(
                            report=case.report, inspector=inspector, deadline=case.deadline, day=today
                        )
                except IntegrityError:
                    continue
                fresh.append(case)
            if not fresh:
                continue
            _reminder_mail(inspector=inspector, cases=fresh, today=today)
            sent += 1
    return sent


def _reminder_mail(*, inspector: User, cases: list[DueCase], today: date) -> None:
    by_deadline: dict[str, list[dict[str, object]]] = defaultdict(list)
    for case in cases:
        by_deadline[case.deadline].append(
            {
                "reference": case.report.reference,
                "due": case.due,
                "days": (case.due - today).days,
                "link": _site_url(reverse("cases:case_detail", kwargs={"reference": case.report.reference})),
            }
        )
    language = inspector.language or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = _("Integrity cases with a deadline: %(count)d") % {"count": len(cases)}
        body = render_to_string(
            "integrity/email/reminder.txt",
            {
                "inspector": inspector,
                "acknowledge": by_deadline.get(ReminderSent.Deadline.ACKNOWLEDGE, []),
                "feedback": by_deadline.get(ReminderSent.Deadline.FEEDBACK, []),
                "deadlines": _site_url(reverse("cases:deadlines")),
            },
        )
    mail_in(language, subject=subject, body=body, to=[inspector.email]).send()
    logger.info("Integrity reminder sent to user %s for %d deadlines.", inspector.pk, len(cases))
