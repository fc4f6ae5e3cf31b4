from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import subprocess
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from deonto.accounts.models import User
from deonto.core.errors import DomainError
from deonto.core.models import AuditEntry
from deonto.integrity.export import case_file_export
from deonto.integrity.models import (
    CustodyEvent,
    CustodyKind,
    FindingOutcome,
    IntakeMode,
    Measure,
    Report,
    ReportStatus,
    ReportTransition,
)
from deonto.integrity.services import evidence_add
from deonto.integrity.tests.conftest import PNG
from deonto.integrity.tests.factories import ReportFactory
from deonto.people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    """The content streams of a PDF, decoded (ASCII85 and Flate, as reportlab writes them), where
    the text drawn can be found as written."""
    streams = []
    for body in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        data = body.strip()
        if data.endswith(b"~>"):
            data = base64.a85decode(data[:-2])
        try:
            data = zlib.decompress(data)
        except zlib.error:
            continue
        streams.append(data.decode("latin-1"))
    return "\n".join(streams)


def _unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture
def reporter(make_user: Any) -> User:
    return make_user("employee", first_name="Zelda", last_name="Whistler")


@pytest.fixture
def head(make_user: Any) -> User:
    return make_user("head_of_service", language="en", first_name="Hilde", last_name="Head")


@pytest.fixture
def case(reporter: User, head: User) -> Report:
    report = ReportFactory(
        intake_mode=IntakeMode.CONFIDENTIAL,
        reporter=reporter,
        receipt_code_hash="",
        person_concerned=EmployeeFactory(first_name="Pieter", last_name="Concerned"),
        links=["https://social.example/post/42"],
    )
    ReportTransition.objects.create(
        report=report, from_status="", to_status=ReportStatus.RECEIVED, actor=reporter
    )
    ReportTransition.objects.create(
        report=report,
        from_status=ReportStatus.RECEIVED,
        to_status=ReportStatus.ACKNOWLEDGED,
        actor=head,
        reason="Receipt confirmed",
    )
    evidence_add(actor=reporter, report=report, content=PNG, file_name="my screenshot (1).png")
    evidence_add(actor=head, report=report, content=b"the post's text", file_name="post.txt")
    measure = Measure.objects.get(code="warning")  # one of the measures Deonto ships with
    Report.objects.filter(pk=report.pk).update(
        finding_outcome=FindingOutcome.BREACH, finding_summary="Badge visible", measure=measure
    )
    report.refresh_from_db()
    return report


def test_the_case_file_holds_the_summary_every_piece_a_manifest_and_checksums(
    case: Report, head: User
) -> None:
    files = _unzip(case_file_export(actor=head, report=case))

    pieces = list(case.evidence.order_by("id"))
    assert set(files) == {
        f"{case.reference}-summary.pdf",
        f"evidence/{pieces[0].pk}-my_screenshot_1_.png",
        f"evidence/{pieces[1].pk}-post.txt",
        "manifest.json",
        "SHA256SUMS",
    }
    assert files[f"evidence/{pieces[0].pk}-my_screenshot_1_.png"] == PNG
    assert files[f"evidence/{pieces[1].pk}-post.txt"] == b"the post's text"


def test_the_manifest_and_the_checksums_match_the_bytes_in_the_zip(case: Report, head: User) -> None:
    files = _unzip(case_file_export(actor=head, report=case))

    manifest = json.loads(files["manifest.json"])
    assert manifest["report"] == case.reference
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == set(files) - {"manifest.json", "SHA256SUMS"}
    for path, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256(files[path]).hexdigest()
        assert entry["size"] == len(files[path])
    for piece in case.evidence.all():
        entry = next(entry for entry in manifest["files"] if entry.get("evidence") == piece.pk)
        assert entry["sha256"] == piece.sha256
        assert entry["original_name"] == piece.original_name

    lines = files["SHA256SUMS"].decode("ascii").splitlines()
    assert len(lines) == len(files) - 1
    for line in lines:
        digest, path = re.fullmatch(r"([0-9a-f]{64})  (\S+)", line).groups()  # the sha256sum format
        assert hashlib.sha256(files[path]).hexdigest() == digest


def test_the_checksums_pass_sha256sum(case: Report, head: User, tmp_path: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(case_file_export(actor=head, report=case))) as archive:
        archive.extractall(tmp_path / "case")
    result = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"],  # noqa: S607
        cwd=tmp_path / "case",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": OK") == 4


def test_the_summary_is_a_pdf_with_the_case_in_the_readers_language(case: Report, head: User) -> None:
    pdf = _unzip(case_file_export(actor=head, report=case))[f"{case.reference}-summary.pdf"]

    assert pdf.startswith(b"%PDF")
    assert b"ReportLab" in pdf
    assert b"FontFile2" in pdf  # the Vera fonts are embedded
    text = pdf_text(pdf)
    for expected in (
        f"Case file {case.reference}",
        "Social media post",
        "Pieter Concerned",
        "Receipt confirmed",
        "Hilde Head",
        "Breach",
        "Badge visible",
        "Warning",
        "https://social.example/post/42",
        *(piece.sha256 for piece in case.evidence.all()),
    ):
        assert expected in text, expected


def test_the_summary_is_written_in_dutch_for_a_dutch_reader(case: Report, make_user: Any) -> None:
    reader = make_user("head_of_service", language="nl")
    text = pdf_text(_unzip(case_file_export(actor=reader, report=case))[f"{case.reference}-summary.pdf"])
    assert "Waarschuwing" in text


def test_the_summary_never_names_the_reporter_of_a_confidential_report(case: Report, head: User) -> None:
    text = pdf_text(_unzip(case_file_export(actor=head, report=case))[f"{case.reference}-summary.pdf"])

    assert "Zelda" not in text
    assert "Whistler" not in text
    assert "The reporter" in text


def test_the_summary_names_the_reporter_of_a_named_report(case: Report, head: User) -> None:
    Report.objects.filter(pk=case.pk).update(intake_mode=IntakeMode.NAMED)
    case.refresh_from_db()
    text = pdf_text(_unzip(case_file_export(actor=head, report=case))[f"{case.reference}-summary.pdf"])
    assert "Zelda Whistler" in text


def test_each_exported_piece_gets_a_custody_event_shown_in_the_summary(case: Report, head: User) -> None:
    files = _unzip(case_file_export(actor=head, report=case))

    exported = CustodyEvent.objects.filter(kind=CustodyKind.EXPORTED, actor=head)
    assert sorted(exported.values_list("evidence_id", flat=True)) == sorted(
        case.evidence.values_list("pk", flat=True)
    )
    text = pdf_text(files[f"{case.reference}-summary.pdf"])
    for event in exported:  # the hash of an event is printed on two lines
        assert event.hash[:32] in text
        assert event.hash[32:] in text
    assert AuditEntry.objects.filter(action="integrity.case_file_export", object_id=str(case.pk)).exists()


def test_a_piece_that_no_longer_matches_its_fingerprint_aborts_the_export(
    case: Report, head: User, vault: Path
) -> None:
    altered = case.evidence.order_by("id").last()
    (vault / altered.stored_name).write_bytes(b"not the file it was")
    events_before = CustodyEvent.objects.count()

    with pytest.raises(DomainError, match=rf"Evidence {altered.pk} "):
        case_file_export(actor=head, report=case)

    assert CustodyEvent.objects.count() == events_before
    assert not AuditEntry.objects.filter(action="integrity.case_file_export").exists()


def test_a_report_without_evidence_exports_its_summary(head: User) -> None:
    report = ReportFactory()
    files = _unzip(case_file_export(actor=head, report=report))
    assert set(files) == {f"{report.reference}-summary.pdf", "manifest.json", "SHA256SUMS"}
    assert "This report has no evidence." in pdf_text(files[f"{report.reference}-summary.pdf"])
