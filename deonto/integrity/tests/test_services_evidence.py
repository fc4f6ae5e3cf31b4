from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from deonto.core.errors import DomainError
from deonto.integrity.models import CustodyEvent, CustodyKind, Evidence, EvidenceKind, Report, ReportStatus
from deonto.integrity.services import evidence_add, evidence_read
from deonto.integrity.tests.conftest import PNG
from deonto.integrity.tests.factories import ReportFactory
from deonto.integrity.vault import vault_load

pytestmark = pytest.mark.django_db


def _stored_files(vault: Path) -> list[Path]:
    return [path for path in vault.rglob("*") if path.is_file()] if vault.exists() else []


def test_added_evidence_reads_back_as_it_was_given(report: Report, make_user: Any) -> None:
    inspector = make_user("inspector")
    evidence = evidence_add(actor=inspector, report=report, content=PNG, file_name="post.png")
    assert evidence_read(actor=inspector, evidence=evidence) == PNG
    assert evidence.content_type == "image/png"
    assert evidence.size == len(PNG)
    assert evidence.added_by == inspector


def test_an_uploaded_file_is_read_in_chunks_and_kept(report: Report) -> None:
    upload = SimpleUploadedFile("C:\\Users\\me\\notes.txt", "Ceci est une note — één".encode(), "text/plain")
    evidence = evidence_add(actor=None, report=report, content=upload, file_name=upload.name or "")
    assert evidence.original_name == "notes.txt"
    assert evidence.content_type == "text/plain"
    assert evidence_read(actor=None, evidence=evidence) == "Ceci est une note — één".encode()


def test_the_stored_file_does_not_contain_the_plaintext(report: Report, vault: Path) -> None:
    text = b"The officer's home address is Rue de la Loi 16, Brussels."
    evidence = evidence_add(actor=None, report=report, content=text, file_name="note.txt")
    [stored] = _stored_files(vault)
    assert stored.name == evidence.stored_name
    assert text not in stored.read_bytes()
    assert b"Rue de la Loi" not in stored.read_bytes()
    assert "note" not in stored.name


def test_the_sha256_of_the_plaintext_is_stored_and_logged_as_added(report: Report) -> None:
    evidence = evidence_add(actor=None, report=report, content=PNG, file_name="post.png")
    assert evidence.sha256 == hashlib.sha256(PNG).hexdigest()
    [event] = CustodyEvent.objects.all()
    assert event.kind == CustodyKind.ADDED
    assert event.details == {"sha256": evidence.sha256, "size": len(PNG), "key": "k1"}
    assert event.previous_hash == ""


def test_a_capture_keeps_its_url_time_and_who_captured_it(report: Report, make_user: Any) -> None:
    inspector = make_user("inspector")
    evidence = evidence_add(
        actor=inspector,
        report=report,
        content=PNG,
        file_name="capture.png",
        captured_url="https://social.example/post/1",
    )
    assert evidence.kind == EvidenceKind.CAPTURE
    assert evidence.captured_by == inspector
    assert evidence.captured_at is not None


@pytest.mark.parametrize(
    ("content", "file_name"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00", "post.png"),
        (b"PK\x03\x04\x14\x00\x00\x00", "post.pdf"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "post.svg"),
        (PNG, "post.exe"),
        (b"\xff\xfe\x00t\x00e\x00x\x00t", "note.txt"),
    ],
)
def test_other_types_are_refused_and_nothing_is_stored(
    report: Report, vault: Path, content: bytes, file_name: str
) -> None:
    with pytest.raises(DomainError, match="Only images"):
        evidence_add(actor=None, report=report, content=content, file_name=file_name)
    assert not Evidence.objects.exists()
    assert not CustodyEvent.objects.exists()
    assert not _stored_files(vault)


def test_a_file_over_the_limit_is_refused_and_nothing_is_stored(
    report: Report, vault: Path, settings: Any
) -> None:
    settings.EVIDENCE_MAX_BYTES = 1000
    upload = SimpleUploadedFile("big.png", PNG + b"\x00" * 1000, "image/png")
    with pytest.raises(DomainError, match="larger than"):
        evidence_add(actor=None, report=report, content=upload, file_name="big.png")
    assert not Evidence.objects.exists()
    assert not _stored_files(vault)


def test_an_empty_file_is_refused(report: Report) -> None:
    with pytest.raises(DomainError, match="empty"):
        evidence_add(actor=None, report=report, content=b"", file_name="note.txt")


def test_a_capture_needs_a_web_address(report: Report) -> None:
    with pytest.raises(DomainError, match="web address"):
        evidence_add(
            actor=None, report=report, content=PNG, file_name="c.png", captured_url="javascript:alert(1)"
        )


def test_a_closed_report_takes_no_evidence(db: None, vault: Path) -> None:
    report = ReportFactory(status=ReportStatus.CLOSED, closed_at=timezone.now())
    with pytest.raises(DomainError, match="closed"):
        evidence_add(actor=None, report=report, content=PNG, file_name="post.png")
    assert not _stored_files(vault)


def test_a_failed_database_write_leaves_no_file_behind(report: Report, vault: Path) -> None:
    with (
        mock.patch("deonto.integrity.services.custody_record", side_effect=RuntimeError("database down")),
        pytest.raises(RuntimeError),
    ):
        evidence_add(actor=None, report=report, content=PNG, file_name="post.png")
    assert not Evidence.objects.exists()
    assert not _stored_files(vault)


def test_a_read_of_an_altered_file_is_refused_naming_the_evidence_and_not_logged(
    report: Report, vault: Path
) -> None:
    evidence = evidence_add(actor=None, report=report, content=PNG, file_name="post.png")
    stored = vault / evidence.stored_name
    blob = bytearray(stored.read_bytes())
    blob[-20] ^= 0x01
    stored.write_bytes(bytes(blob))
    with pytest.raises(DomainError, match=rf"Evidence {evidence.pk} \({report.reference}\)"):
        evidence_read(actor=None, evidence=evidence)
    assert list(CustodyEvent.objects.values_list("kind", flat=True)) == [CustodyKind.ADDED]


def test_a_read_whose_content_does_not_match_the_fingerprint_is_refused(report: Report) -> None:
    evidence = evidence_add(actor=None, report=report, content=PNG, file_name="post.png")
    evidence.sha256 = "0" * 64
    with pytest.raises(DomainError, match="does not match its fingerprint"):
        evidence_read(actor=None, evidence=evidence)
    assert CustodyEvent.objects.count() == 1


def test_each_read_is_logged_with_who_and_how(report: Report, make_user: Any) -> None:
    inspector = make_user("inspector")
    evidence = evidence_add(actor=None, report=report, content=PNG, file_name="post.png")
    evidence_read(actor=inspector, evidence=evidence)
    evidence_read(actor=inspector, evidence=evidence, kind=CustodyKind.DOWNLOADED)
    assert list(CustodyEvent.objects.values_list("kind", "actor")) == [
        (CustodyKind.ADDED, None),
        (CustodyKind.VIEWED, inspector.pk),
        (CustodyKind.DOWNLOADED, inspector.pk),
    ]
    assert vault_load(evidence.stored_name)
