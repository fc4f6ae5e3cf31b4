"""Integrity reports, their history, their evidence and the evidence's chain of custody.

``ReportTransition`` and ``CustodyEvent`` are append-only: a saved row is never changed or deleted
through the models. Custody events also form one hash chain over the whole table (each row holds
the hash of the row before it, by id), so a row changed or removed behind the models' back is
found by ``verify_evidence``.

The one exception is the retention purge (``retention.py``): a report closed long enough ago is
deleted with its history and evidence, while the custody events of its evidence stay in the chain.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from deonto.core.models import AppendOnlyModel, TimeStampedModel
from deonto.people.models import Employee


class IntakeMode(models.TextChoices):
    NAMED = "named", _("Named")
    CONFIDENTIAL = "confidential", _("Confidential")
    ANONYMOUS = "anonymous", _("Anonymous")


class ReportCategory(models.TextChoices):
    SOCIAL_MEDIA = "social-media", _("Social media post")
    CONFIDENTIALITY = "confidentiality", _("Confidentiality")
    HARASSMENT = "harassment", _("Harassment")
    CONFLICT_OF_INTEREST = "conflict-of-interest", _("Conflict of interest")
    OTHER = "other", _("Other")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    INVESTIGATING = "investigating", _("Under investigation")
    FINDING = "finding", _("Finding")
    MEASURE = "measure", _("Measure")
    CLOSED = "closed", _("Closed")


class FindingOutcome(models.TextChoices):
    BREACH = "breach", _("Breach")
    NO_BREACH = "no-breach", _("No breach")
    INSUFFICIENT_EVIDENCE = "insufficient-evidence", _("Insufficient evidence")


class Report(TimeStampedModel):
    reference = models.CharField(_("reference"), max_length=16, unique=True)
    intake_mode = models.CharField(_("intake"), max_length=16, choices=IntakeMode.choices)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The SHA-256 (hex) of the receipt code given to the reporter once; the code itself is never stored.
    receipt_code_hash = models.CharField(max_length=64, blank=True, editable=False)
    category = models.CharField(_("category"), max_length=32, choices=ReportCategory.choices)
    description = models.TextField(_("description"))
    occurred_on = models.DateField(_("date"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=255, blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    person_concerned = models.ForeignKey(
        Employee,
        verbose_name=_("person concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    acknowledge_due = models.DateField(_("acknowledge by"))
    feedback_due = models.DateField(_("feedback by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    finding_outcome = models.CharField(
        _("outcome"), max_length=24, choices=FindingOutcome.choices, blank=True
    )
    # Codes of guidance articles (deonto.knowledge), checked when the finding is recorded.
    finding_articles = models.JSONField(_("articles concerned"), default=list, blank=True)
    finding_summary = models.TextField(_("summary of the finding"), blank=True)
    measure = models.ForeignKey(
        "Measure",
        verbose_name=_("measure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    measure_note = models.TextField(_("note on the measure"), blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "acknowledge_due"], name="report_status_ack_due_idx"),
            models.Index(fields=["status", "feedback_due"], name="report_status_feedback_due_idx"),
            models.Index(fields=["category", "created_at"], name="report_category_created_idx"),
            models.Index(fields=["status", "closed_at"], name="report_status_closed_idx"),
        ]
        permissions = [
            ("view_statistics", _("Can see the anonymised statistics of integrity reports")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(intake_mode=IntakeMode.ANONYMOUS)
                | (Q(reporter__isnull=True) & ~Q(receipt_code_hash="")),
                name="report_anonymous_has_no_reporter",
            ),
            models.UniqueConstraint(
                fields=["receipt_code_hash"],
                condition=~Q(receipt_code_hash=""),
                name="report_unique_receipt_code",
            ),
            models.CheckConstraint(
                condition=Q(status=ReportStatus.CLOSED, closed_at__isnull=False)
                | (~Q(status=ReportStatus.CLOSED) & Q(closed_at__isnull=True)),
                name="report_closed_at_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(feedback_due__gte=models.F("acknowledge_due")),
                name="report_feedback_after_acknowledgement",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class ReportTransition(AppendOnlyModel):
    """One change of a report's status, with who made it, when and why."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=ReportStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["report", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=models.F("to_status")), name="reporttransition_changes_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status or '-'} → {self.to_status}"


class EvidenceKind(models.TextChoices):
    FILE = "file", _("File")
    CAPTURE = "capture", _("Capture of an online post")


class Evidence(TimeStampedModel):
    """A file kept for a report, encrypted in the vault; ``sha256`` is the fingerprint of its
    plaintext, taken on arrival and checked at every read."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.PROTECT, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField("SHA-256", max_length=64)
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    key_id = models.CharField(_("key"), max_length=32, editable=False)
    captured_url = models.URLField(_("URL"), max_length=2000, blank=True)
    captured_at = models.DateTimeField(_("captured at"), null=True, blank=True)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("captured by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["report", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=EvidenceKind.FILE, captured_url="", captured_at__isnull=True)
                | (Q(kind=EvidenceKind.CAPTURE, captured_at__isnull=False) & ~Q(captured_url="")),
                name="evidence_capture_has_url_and_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pk} ({self.report.reference})"


class CustodyKind(models.TextChoices):
    ADDED = "added", _("Added")
    VIEWED = "viewed", _("Viewed")
    DOWNLOADED = "downloaded", _("Downloaded")
    EXPORTED = "exported", _("Exported")
    VERIFIED = "verified", _("Verified")
    REENCRYPTED = "re-encrypted", _("Re-encrypted")
    PURGED = "purged", _("Purged")


def custody_hash(
    *,
    previous_hash: str,
    evidence_id: int,
    kind: str,
    actor_id: int | None,
    at: datetime,
    details: dict[str, Any],
) -> str:
    """The SHA-256 of a custody event's canonical JSON, the previous event's hash included."""
    canonical = json.dumps(
        {
            "previous_hash": previous_hash,
            "evidence": evidence_id,
            "kind": str(kind),
            "actor": actor_id,
            "at": at.astimezone(UTC).isoformat(),
            "details": details,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class CustodyEvent(AppendOnlyModel):
    """One thing done with a piece of evidence. ``details`` holds facts about the file (hash, size,
    key), never anything from the report. Written only by ``services.custody_record``."""

    # The chain outlives the evidence: when a report is purged its pieces are deleted, their last
    # event being "purged", and their events stay, still pointing to the id they had. The database
    # keeps no constraint on it, so ``evidence_verify_all`` checks that every piece that is gone
    # left by a purge.
    evidence = models.ForeignKey(
        Evidence,
        verbose_name=_("evidence"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="custody_events",
    )
    kind = models.CharField(_("event"), max_length=16, choices=CustodyKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    details = models.JSONField(_("details"), default=dict, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("custody event")
        verbose_name_plural = _("custody events")
        ordering = ["id"]
        constraints = [
            # Two events can never follow the same one: the chain cannot fork.
            models.UniqueConstraint(fields=["previous_hash"], name="custodyevent_unique_previous_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.kind} {self.evidence_id}"

    def expected_hash(self) -> str:
        return custody_hash(
            previous_hash=self.previous_hash,
            evidence_id=self.evidence_id,
            kind=self.kind,
            actor_id=self.actor_id,
            at=self.at,
            details=self.details,
        )


class MessageSide(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    SERVICE = "service", _("Integrity service")


class ReportMessage(models.Model):
    """A message between the integrity service and the reporter. ``author`` stays empty for an
    anonymous reporter: nothing here may point to them."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="messages"
    )
    author_side = models.CharField(_("from"), max_length=16, choices=MessageSide.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["report", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.author_side} {self.created_at:%Y-%m-%d}"


class Measure(models.Model):
    """A measure that can follow a finding. The list is kept in the Django admin."""

    code = models.SlugField(_("code"), max_length=48, unique=True)
    label_nl = models.CharField(_("label (Dutch)"), max_length=200)
    label_fr = models.CharField(_("label (French)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label()

    def label(self, language: str | None = None) -> str:
        """The label in ``language`` (the active one by default), English when it has none."""
        language = (language or get_language() or "en")[:2]
        return str(getattr(self, f"label_{language}", "") or self.label_en)


class ConflictState(models.TextChoices):
    PENDING = "pending", _("Not yet confirmed")
    NO_CONFLICT = "no-conflict", _("No conflict of interest")
    DECLARED = "declared", _("Conflict of interest declared")


class Assignment(TimeStampedModel):
    """An inspector given a case. Until they confirm they have no conflict of interest they see
    nothing of it but its reference and category; one who declares a conflict is off the case."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="assignments"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        on_delete=models.PROTECT,
        related_name="integrity_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    conflict_state = models.CharField(
        _("conflict of interest"),
        max_length=16,
        choices=ConflictState.choices,
        default=ConflictState.PENDING,
    )
    conflict_confirmed_at = models.DateTimeField(_("no conflict confirmed at"), null=True, blank=True)
    conflict_declared_at = models.DateTimeField(_("conflict declared at"), null=True, blank=True)
    conflict_reason = models.TextField(_("reason for the conflict"), blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["report", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "inspector"], name="assignment_unique_inspector"),
            models.CheckConstraint(
                condition=Q(
                    conflict_state=ConflictState.PENDING,
                    conflict_confirmed_at__isnull=True,
                    conflict_declared_at__isnull=True,
                )
                | Q(
                    conflict_state=ConflictState.NO_CONFLICT,
                    conflict_confirmed_at__isnull=False,
                    conflict_declared_at__isnull=True,
                )
                | (
                    Q(conflict_state=ConflictState.DECLARED, conflict_declared_at__isnull=False)
                    & ~Q(conflict_reason="")
                ),
                name="assignment_conflict_state_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.inspector_id} ({self.conflict_state})"


class CaseNote(models.Model):
    """An internal note of the service on a case; never shown to the reporter."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["report", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.created_at:%Y-%m-%d}"


class CaseRead(AppendOnlyModel):
    """One page of a case read by someone: the head of service reads these on the access log."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="reads"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    what = models.CharField(_("page"), max_length=64)

    class Meta:
        verbose_name = _("case read")
        verbose_name_plural = _("case reads")
        ordering = ["report", "-at", "-id"]
        indexes = [models.Index(fields=["report", "at"], name="caseread_report_at_idx")]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.user_id} {self.what}"


class ReminderSent(models.Model):
    """A reminder e-mailed to an inspector about one deadline of one case on one day, so the daily
    run never sends it twice."""

    class Deadline(models.TextChoices):
        ACKNOWLEDGE = "acknowledge", _("Acknowledge")
        FEEDBACK = "feedback", pgettext_lazy("integrity deadline", "Feedback")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="reminders"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.CASCADE, related_name="+"
    )
    deadline = models.CharField(_("deadline"), max_length=16, choices=Deadline.choices)
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "inspector", "deadline", "day"], name="remindersent_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.deadline} {self.day}"
