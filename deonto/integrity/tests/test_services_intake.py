from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from deonto.core.errors import DomainError
from deonto.core.models import AuditEntry
from deonto.integrity.models import (
    CustodyEvent,
    Evidence,
    IntakeMode,
    MessageSide,
    Report,
    ReportMessage,
    ReportStatus,
    ReportTransition,
)
from deonto.integrity.services_intake import (
    add_months,
    report_for_receipt_code,
    report_message_add,
    report_submit,
)
from deonto.integrity.tests.conftest import PNG

pytestmark = pytest.mark.django_db


def _submit(**overrides: Any) -> tuple[Report, str | None]:
    arguments: dict[str, Any] = {
        "reporter": None,
        "mode": IntakeMode.ANONYMOUS,
        "category": "social-media",
        "description": "A colleague posted a photo of the X-ray screen.",
        "occurred_on": date(2026, 3, 2),
        "location": "Instagram",
        "links": ["https://example.org/post/1"],
        "files": [],
    }
    return report_submit(**{**arguments, **overrides})


def _stored_files(vault: Path) -> list[Path]:
    return [path for path in vault.rglob("*") if path.is_file()] if vault.exists() else []


def test_a_report_gets_a_reference_of_the_year_and_six_digits() -> None:
    report, _code = _submit()
    assert re.fullmatch(rf"R-{timezone.localdate().year}-\d{{6}}", report.reference)


def test_an_anonymous_report_keeps_the_hash_of_its_code_and_never_the_code() -> None:
    report, code = _submit()
    assert code is not None and len(code.replace("-", "")) == 32
    report.refresh_from_db()
    assert report.receipt_code_hash == hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    assert code not in report.receipt_code_hash
    assert report.reporter is None


def test_the_code_opens_its_report_however_it_is_typed_and_another_code_does_not() -> None:
    report, code = _submit()
    assert code
    assert report_for_receipt_code(code) == report
    assert report_for_receipt_code(f"  {code.lower().replace('-', ' ')} ") == report
    assert report_for_receipt_code("AAAA-BBBB") is None


def test_two_anonymous_reports_get_different_codes() -> None:
    assert _submit()[1] != _submit()[1]


def test_deadlines_are_a_week_and_three_months_after_the_report(settings: Any) -> None:
    report, _code = _submit()
    today = timezone.localdate()
    assert (report.acknowledge_due - today).days == 7
    assert report.feedback_due == add_months(today, 3)


def test_deadlines_follow_the_settings(settings: Any) -> None:
    settings.INTEGRITY_ACKNOWLEDGE_DAYS = 3
    settings.INTEGRITY_FEEDBACK_MONTHS = 1
    report, _code = _submit()
    today = timezone.localdate()
    assert (report.acknowledge_due - today).days == 3
    assert report.feedback_due == add_months(today, 1)


def test_adding_months_stops_at_the_end_of_a_shorter_month() -> None:
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 1, 15), 3) == date(2026, 4, 15)


def test_a_report_starts_received_with_its_first_transition() -> None:
    report, _code = _submit()
    assert report.status == ReportStatus.RECEIVED
    transition = ReportTransition.objects.get(report=report)
    assert (transition.from_status, transition.to_status, transition.actor) == ("", "received", None)


def test_an_anonymous_report_names_nobody_in_the_audit_log() -> None:
    report, _code = _submit(files=[SimpleUploadedFile("shot.png", PNG, "image/png")])
    entries = AuditEntry.objects.all()
    assert entries and all(entry.actor is None for entry in entries)
    assert all(set(entry.details) <= {"mode"} for entry in entries if entry.action.startswith("integrity."))
    assert Evidence.objects.get(report=report).added_by is None


def test_a_named_report_keeps_its_reporter(make_user: Any) -> None:
    user = make_user("employee")
    report, code = _submit(reporter=user, mode=IntakeMode.NAMED)
    assert code is None
    assert report.reporter == user
    assert report.receipt_code_hash == ""


@pytest.mark.parametrize("mode", [IntakeMode.NAMED, IntakeMode.CONFIDENTIAL])
def test_a_named_or_confidential_report_needs_a_signed_in_reporter(mode: str) -> None:
    with pytest.raises(DomainError):
        _submit(mode=mode)
    assert not Report.objects.exists()


def test_an_anonymous_report_never_keeps_the_signed_in_user(make_user: Any) -> None:
    report, _code = _submit(reporter=make_user("employee"))
    assert report.reporter is None


def test_attachments_are_kept_as_evidence(vault: Path) -> None:
    report, _code = _submit(files=[SimpleUploadedFile("shot.png", PNG, "image/png")])
    evidence = Evidence.objects.get(report=report)
    assert evidence.content_type == "image/png"
    assert len(_stored_files(vault)) == 1


def test_a_refused_file_refuses_the_whole_report_and_stores_nothing(vault: Path) -> None:
    files = [
        SimpleUploadedFile("shot.png", PNG, "image/png"),
        SimpleUploadedFile("tool.exe", b"MZ\x90\x00\x03", "application/octet-stream"),
    ]
    with pytest.raises(DomainError, match=r"tool\.exe was refused"):
        _submit(files=files)
    assert not Report.objects.exists()
    assert not Evidence.objects.exists()
    assert not CustodyEvent.objects.exists()
    assert not ReportTransition.objects.exists()
    assert _stored_files(vault) == []


def test_a_file_too_large_refuses_the_report(settings: Any) -> None:
    settings.EVIDENCE_MAX_BYTES = 100
    with pytest.raises(DomainError, match="larger than"):
        _submit(files=[SimpleUploadedFile("shot.png", PNG, "image/png")])
    assert not Report.objects.exists()


def test_messages_from_both_sides_are_kept_and_an_anonymous_reporter_stays_unnamed(make_user: Any) -> None:
    report, _code = _submit()
    inspector = make_user("inspector")
    report_message_add(report=report, side=MessageSide.SERVICE, author=inspector, body="Which account?")
    answer = report_message_add(
        report=report, side=MessageSide.REPORTER, author=make_user("employee"), body="The second one."
    )
    assert answer.author is None
    assert list(ReportMessage.objects.values_list("author_side", "body")) == [
        ("service", "Which account?"),
        ("reporter", "The second one."),
    ]


def test_an_answer_may_bring_files_only() -> None:
    report, _code = _submit()
    report_message_add(
        report=report,
        side=MessageSide.REPORTER,
        author=None,
        body="",
        files=[SimpleUploadedFile("b.png", PNG)],
    )
    assert Evidence.objects.filter(report=report).count() == 1


def test_an_empty_message_is_refused() -> None:
    report, _code = _submit()
    with pytest.raises(DomainError):
        report_message_add(report=report, side=MessageSide.REPORTER, author=None, body="  ")
    assert not ReportMessage.objects.exists()
