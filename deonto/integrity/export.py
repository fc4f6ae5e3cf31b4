"""The case file of a report, for a disciplinary procedure: one ZIP with a PDF summary, every piece
of evidence as it was received, ``manifest.json`` and ``SHA256SUMS``.

Every piece is read through ``evidence_read``, which checks it against the SHA-256 taken on arrival
and appends an "exported" event to the custody chain; one piece that does not match stops the whole
export, and nothing of it is recorded. ``SHA256SUMS`` lists every other file of the ZIP
(``sha256sum -c SHA256SUMS`` checks them); ``manifest.json`` lists every file but itself and
``SHA256SUMS``, with their sizes and, for evidence, the piece they are.

The summary never names the reporter of a confidential or anonymous report, not even as the author
of a status change or of a custody event.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from xml.sax.saxutils import escape

import reportlab
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from deonto.accounts.models import User
from deonto.core.audit import audit_record
from deonto.integrity.models import (
    CustodyEvent,
    CustodyKind,
    Evidence,
    IntakeMode,
    Report,
    ReportTransition,
)
from deonto.integrity.services import evidence_read
from deonto.integrity.services_case import case_read_record

FONTS = Path(reportlab.__file__).resolve().parent / "fonts"
REGULAR, BOLD = "DeontoVera", "DeontoVera-Bold"
BRAND = HexColor("#1f4e79")
LINE = HexColor("#bbbbbb")
MANIFEST, SUMS = "manifest.json", "SHA256SUMS"
UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class ExportedPiece:
    evidence: Evidence
    path: str
    content: bytes
    events: list[CustodyEvent]


def _register_fonts() -> None:
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, file in ((REGULAR, "Vera.ttf"), (BOLD, "VeraBd.ttf")):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))


def _path_in_zip(evidence: Evidence) -> str:
    """``evidence/<id>-<name>``: unique, and safe for any unzip tool and for ``sha256sum -c``."""
    name = UNSAFE.sub("_", PurePosixPath(evidence.original_name).name).strip("._") or "file"
    return f"evidence/{evidence.pk}-{name[-100:]}"


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class _Summary:
    """The PDF summary, written in the active language."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.normal = ParagraphStyle("normal", fontName=REGULAR, fontSize=9.5, leading=12.5)
        self.small = ParagraphStyle("small", parent=self.normal, fontSize=8, leading=10)
        self.digest = ParagraphStyle("digest", parent=self.normal, fontSize=7.5, leading=10)
        self.heading = ParagraphStyle(
            "heading", fontName=BOLD, fontSize=13, leading=16, spaceBefore=10, spaceAfter=4, textColor=BRAND
        )
        self.subheading = ParagraphStyle(
            "subheading", fontName=BOLD, fontSize=10.5, leading=13, spaceBefore=8, spaceAfter=2
        )
        self.title = ParagraphStyle("title", fontName=BOLD, fontSize=18, leading=22, textColor=BRAND)

    def text(self, value: object, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(escape(str(value)).replace("\n", "<br/>"), style or self.normal)

    def when(self, value: datetime | None) -> str:
        if value is None:
            return "—"
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")

    def day(self, value: date | None) -> str:
        return formats.date_format(value, "DATE_FORMAT") if value else "—"

    def who(self, user: User | None) -> str:
        """A person named in the file; the reporter of a report that is not named stays unnamed."""
        if user is None:
            return "—"
        if user.pk == self.report.reporter_id and self.report.intake_mode != IntakeMode.NAMED:
            return _("The reporter")
        return user.get_full_name() or user.get_username()

    def table(self, header: list[str], rows: list[list[object]], widths: list[float | None]) -> Table:
        data = [[self.text(cell, self.small) for cell in header]]
        data += [[self.text(cell, self.small) for cell in row] for row in rows]
        table = Table(data, colWidths=widths, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, LINE),
                    ("BACKGROUND", (0, 0), (-1, 0), HexColor("#e8eef5")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return table

    def facts(self, pairs: Sequence[tuple[str, object]]) -> Table:
        """Label and value pairs; a SHA-256 in a smaller size, so that it stays on one line."""
        table = Table(
            [
                [
                    self.text(label, self.subheading),
                    self.text(value, self.digest if label == "SHA-256" else None),
                ]
                for label, value in pairs
            ],
            colWidths=[48 * mm, None],
        )
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 1)]))
        return table

    def reporter(self) -> str:
        report = self.report
        if report.intake_mode == IntakeMode.ANONYMOUS:
            return _("Anonymous report: the reporter is not known.")
        if report.intake_mode == IntakeMode.CONFIDENTIAL:
            return _("Confidential report: the reporter is not named in this file.")
        return self.who(report.reporter)

    def story(
        self,
        *,
        transitions: list[ReportTransition],
        pieces: list[ExportedPiece],
        actor: User,
        at: datetime,
    ) -> list[Flowable]:
        report = self.report
        person = report.person_concerned
        flow: list[Flowable] = [
            self.text(_("Case file %(reference)s") % {"reference": report.reference}, self.title),
            self.text(
                _("Exported on %(date)s by %(person)s.") % {"date": self.when(at), "person": self.who(actor)},
                self.small,
            ),
            Spacer(1, 4 * mm),
            self.facts(
                [
                    (_("Reference"), report.reference),
                    (_("Category"), report.get_category_display()),
                    (_("How it was reported"), report.get_intake_mode_display()),
                    (_("Reporter"), self.reporter()),
                    (_("Received on"), self.when(report.created_at)),
                    (_("Date of the facts"), self.day(report.occurred_on)),
                    (_("Place"), report.location or "—"),
                    (_("Status"), report.get_status_display()),
                    (_("Acknowledge by"), self.day(report.acknowledge_due)),
                    (_("Feedback by"), self.day(report.feedback_due)),
                    (_("Closed on"), self.when(report.closed_at)),
                    (
                        _("Person concerned"),
                        f"{person.first_name} {person.last_name} ({person.personnel_number})"
                        if person
                        else _("Not recorded"),
                    ),
                ]
            ),
            self.text(_("What happened"), self.heading),
            self.text(report.description),
        ]
        if report.links:
            flow.append(self.text(_("Links"), self.subheading))
            flow += [self.text(link) for link in report.links]

        flow.append(self.text(_("Status history"), self.heading))
        flow.append(
            self.table(
                [_("When"), _("From"), _("To"), _("By"), _("Reason")],
                [
                    [
                        self.when(transition.at),
                        transition.get_from_status_display() or "—",
                        transition.get_to_status_display(),
                        self.who(transition.actor),
                        transition.reason or "—",
                    ]
                    for transition in transitions
                ],
                [30 * mm, 26 * mm, 26 * mm, 32 * mm, None],
            )
        )

        flow.append(self.text(_("Finding and measure"), self.heading))
        if report.finding_outcome:
            finding = [(_("Finding"), report.get_finding_outcome_display())]
            if report.finding_articles:
                finding.append((_("Articles concerned"), ", ".join(map(str, report.finding_articles))))
            if report.finding_summary:
                finding.append((_("Summary of the finding"), report.finding_summary))
            if report.measure is not None:
                finding.append((_("Measure"), report.measure.label()))
            if report.measure_note:
                finding.append((_("Note on the measure"), report.measure_note))
            flow.append(self.facts(finding))
        else:
            flow.append(self.text(_("No finding has been recorded.")))

        flow.append(self.text(_("Evidence"), self.heading))
        if not pieces:
            flow.append(self.text(_("This report has no evidence.")))
        for piece in pieces:
            flow += self.piece(piece)
        return flow

    def piece(self, piece: ExportedPiece) -> list[Flowable]:
        evidence = piece.evidence
        facts: list[tuple[str, object]] = [
            (_("File in this case file"), piece.path),
            (_("Original name"), evidence.original_name),
            (_("Type and size"), f"{evidence.content_type}, {filesizeformat(evidence.size)}"),
            ("SHA-256", evidence.sha256),
            (_("Added on"), self.when(evidence.created_at)),
            (_("Added by"), self.who(evidence.added_by)),
        ]
        if evidence.captured_url:
            facts += [
                (_("Captured from"), evidence.captured_url),
                (_("Captured on"), self.when(evidence.captured_at)),
                (_("Captured by"), self.who(evidence.captured_by)),
            ]
        if evidence.description:
            facts.append((_("Description"), evidence.description))
        return [
            self.text(_("Evidence %(number)s") % {"number": evidence.pk}, self.subheading),
            self.facts(facts),
            self.text(_("Chain of custody"), self.subheading),
            self.table(
                [_("No."), _("When"), _("Event"), _("By"), _("Hash of the event")],
                [
                    [
                        event.pk,
                        self.when(event.at),
                        event.get_kind_display(),
                        self.who(event.actor),
                        f"{event.hash[:32]}\n{event.hash[32:]}",
                    ]
                    for event in piece.events
                ],
                [14 * mm, 30 * mm, 24 * mm, 30 * mm, None],
            ),
        ]


def case_file_pdf(
    *,
    report: Report,
    transitions: list[ReportTransition],
    pieces: list[ExportedPiece],
    actor: User,
    at: datetime,
) -> bytes:
    _register_fonts()
    buffer = io.BytesIO()
    summary = _Summary(report)
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=_("Case file %(reference)s") % {"reference": report.reference},
        author="Deonto",
        invariant=1,
    )
    footer = _("Case file %(reference)s, exported on %(date)s") % {
        "reference": report.reference,
        "date": summary.when(at),
    }

    def page_footer(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 7.5)
        canvas.drawString(18 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, _("Page %(number)s") % {"number": document.page})
        canvas.restoreState()

    document.build(
        summary.story(transitions=transitions, pieces=pieces, actor=actor, at=at),
        onFirstPage=page_footer,
        onLaterPages=page_footer,
    )
    return buffer.getvalue()


def _manifest(
    report: Report, at: datetime, files: list[tuple[str, bytes]], pieces: list[ExportedPiece]
) -> bytes:
    evidence_of = {piece.path: piece.evidence for piece in pieces}
    entries = []
    for path, content in files:
        entry: dict[str, object] = {"path": path, "sha256": _sha256(content), "size": len(content)}
        if path in evidence_of:
            evidence = evidence_of[path]
            entry |= {"evidence": evidence.pk, "original_name": evidence.original_name}
        entries.append(entry)
    manifest = {"report": report.reference, "exported_at": at.isoformat(), "files": entries}
    return json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"


def case_file_export(*, actor: User, report: Report) -> bytes:
    """The case file as a ZIP, its summary in the actor's language. Raises ``DomainError`` naming
    the first piece of evidence that no longer matches its fingerprint."""
    at = timezone.now()
    with transaction.atomic():
        evidence = list(report.evidence.select_related("added_by", "captured_by").order_by("id"))
        contents = [
            evidence_read(actor=actor, evidence=piece, kind=CustodyKind.EXPORTED) for piece in evidence
        ]
        events: dict[int, list[CustodyEvent]] = {piece.pk: [] for piece in evidence}
        for event in (
            CustodyEvent.objects.filter(evidence__in=evidence).select_related("actor").order_by("id")
        ):
            events[event.evidence_id].append(event)
        pieces = [
            ExportedPiece(evidence=piece, path=_path_in_zip(piece), content=content, events=events[piece.pk])
            for piece, content in zip(evidence, contents, strict=True)
        ]
        transitions = list(report.transitions.select_related("actor").order_by("at", "id"))
        with translation.override(actor.language or translation.get_language()):
            pdf = case_file_pdf(report=report, transitions=transitions, pieces=pieces, actor=actor, at=at)
        case_read_record(actor=actor, report=report, what="case-file-export")
        audit_record(
            actor=actor, action="integrity.case_file_export", target=report, details={"evidence": len(pieces)}
        )

    files = [(f"{report.reference}-summary.pdf", pdf)] + [(piece.path, piece.content) for piece in pieces]
    files.append((MANIFEST, _manifest(report, at, files, pieces)))
    sums = "".join(f"{_sha256(content)}  {path}\n" for path, content in files).encode("ascii")
    buffer = io.BytesIO()
    stamp = timezone.localtime(at).timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, content in [*files, (SUMS, sums)]:
            archive.writestr(
                zipfile.ZipInfo(path, date_time=stamp), content, compress_type=zipfile.ZIP_DEFLATED
            )
    return buffer.getvalue()
