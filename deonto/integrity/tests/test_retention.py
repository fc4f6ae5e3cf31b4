from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from deonto.core.models import AuditEntry
from deonto.integrity.models import (
    Assignment,
    CaseNote,
    CaseRead,
    ConflictState,
    CustodyEvent,
    CustodyKind,
    Evidence,
    MessageSide,
    Report,
    ReportMessage,
    ReportStatus,
    ReportTransition,
)
from deonto.integrity.retention import reports_due_for_purge, reports_purge
from deonto.integrity.services import evidence_add
from deonto.integrity.services_case import person_concerned_set
from deonto.integrity.tasks import purge_closed_reports
from deonto.integrity.tests.conftest import PNG
from deonto.integrity.tests.factories import ReportFactory
from deonto.people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

SECRET = "The secret description only the report may hold"


def _report_with_content(make_user: Any, *, closed_days_ago: int | None) -> Report:
    """A report with evidence, messages, a note, an assignment and its history; closed that many
    days ago (None: still open)."""
    report = ReportFactory(description=SECRET, links=["https://example.test/post/1"])
    inspector = make_user("inspector")
    head = make_user("head_of_service")
    evidence_add(actor=None, report=report, content=PNG, file_name="post.png")
    evidence_add(actor=None, report=report, content=b"what was posted", file_name="post.txt")
    ReportMessage.objects.create(
        report=report, author_side=MessageSide.REPORTER, body=f"{SECRET}, said again"
    )
    CaseNote.objects.create(report=report, author=inspector, body=f"{SECRET}, noted")
    Assignment.objects.create(
        report=report,
        inspector=inspector,
        assigned_by=head,
        conflict_state=ConflictState.NO_CONFLICT,
        conflict_confirmed_at=timezone.now(),
    )
    ReportTransition.objects.create(
        report=report, from_status="", to_status=ReportStatus.RECEIVED, reason=f"{SECRET}, as a reason"
    )
    CaseRead.objects.create(report=report, user=head, what="detail")
    person_concerned_set(actor=head, report=report, employee=EmployeeFactory(last_name="Concerned"))
    if closed_days_ago is not None:
        Report.objects.filter(pk=report.pk).update(
            status=ReportStatus.CLOSED, closed_at=timezone.now() - timedelta(days=closed_days_ago)
        )
    report.refresh_from_db()
    return report


def _verify() -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("verify_evidence", stdout=out)
    except CommandError as error:
        return 1, out.getvalue() + str(error)
    return 0, out.getvalue()


@pytest.fixture
def old(make_user: Any) -> Report:
    return _report_with_content(make_user, closed_days_ago=1826)


def test_a_report_closed_longer_ago_than_the_retention_period_is_purged_with_its_files(
    old: Report, vault: Path, django_capture_on_commit_callbacks: Any
) -> None:
    stored = [vault / piece.stored_name for piece in old.evidence.all()]
    assert all(path.exists() for path in stored)

    with django_capture_on_commit_callbacks(execute=True):
        purged = reports_purge(actor=None)

    assert [item.reference for item in purged] == [old.reference]
    assert not Report.objects.filter(pk=old.pk).exists()
    assert not Evidence.objects.filter(report_id=old.pk).exists()
    assert not ReportMessage.objects.exists()
    assert not CaseNote.objects.exists()
    assert not Assignment.objects.exists()
    assert not CaseRead.objects.exists()
    assert not ReportTransition.objects.filter(report_id=old.pk).exists()
    assert not any(path.exists() for path in stored)


def test_a_report_closed_too_recently_or_still_open_is_kept(
    make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    recent = _report_with_content(make_user, closed_days_ago=1824)
    still_open = _report_with_content(make_user, closed_days_ago=None)

    with django_capture_on_commit_callbacks(execute=True):
        assert reports_purge(actor=None) == []

    assert set(Report.objects.values_list("pk", flat=True)) == {recent.pk, still_open.pk}
    assert Evidence.objects.count() == 4
    assert not CustodyEvent.objects.filter(kind=CustodyKind.PURGED).exists()


def test_the_retention_period_is_a_setting(
    make_user: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.INTEGRITY_RETENTION_DAYS = 30
    report = _report_with_content(make_user, closed_days_ago=31)
    assert list(reports_due_for_purge()) == [report]
    settings.INTEGRITY_RETENTION_DAYS = 32
    assert list(reports_due_for_purge()) == []


def test_the_log_of_a_purge_says_what_was_purged_never_its_content(
    old: Report, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        reports_purge(actor=None)

    entry = AuditEntry.objects.get(action="integrity.report_purge")
    assert entry.details == {
        "reference": old.reference,
        "category": old.category,
        "closed_on": timezone.localdate(old.closed_at).isoformat(),
        "evidence": 2,
        "messages": 1,
    }
    everything_kept = json.dumps(list(AuditEntry.objects.values()), default=str) + json.dumps(
        list(CustodyEvent.objects.values("details"))
    )
    assert "secret" not in everything_kept.lower()
    assert "post.png" not in everything_kept
    about_the_report = AuditEntry.objects.filter(object_type="integrity.report", object_id=str(old.pk))
    assert about_the_report.filter(action="integrity.person_concerned_set").exists()
    assert list(about_the_report.values_list("details", flat=True)) == [{}] * about_the_report.count()


def test_each_purged_piece_gets_a_last_custody_event_and_its_earlier_events_stay(
    old: Report, django_capture_on_commit_callbacks: Any
) -> None:
    pieces = {piece.pk: piece.sha256 for piece in old.evidence.all()}
    events_before = CustodyEvent.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        reports_purge(actor=None)

    assert CustodyEvent.objects.count() == events_before + 2
    for evidence_id, sha256 in pieces.items():
        last = CustodyEvent.objects.filter(evidence_id=evidence_id).order_by("-id").first()
        assert last is not None
        assert (last.kind, last.details["sha256"]) == (CustodyKind.PURGED, sha256)


def test_verify_evidence_passes_after_a_purge_and_says_so(
    old: Report, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    kept = _report_with_content(make_user, closed_days_ago=None)
    with django_capture_on_commit_callbacks(execute=True):
        reports_purge(actor=None)

    status, output = _verify()

    assert status == 0, output
    assert "Checked 2 evidence files and 6 custody events." in output
    assert "2 evidence file(s) were purged" in output
    assert Evidence.objects.filter(report=kept).count() == 2


def test_verify_evidence_still_finds_a_custody_row_changed_after_a_purge(
    old: Report, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        reports_purge(actor=None)
    purged_event = CustodyEvent.objects.filter(kind=CustodyKind.PURGED).order_by("id").first()
    assert purged_event is not None

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {CustodyEvent._meta.db_table} SET details = %s WHERE id = %s",  # noqa: S608
            ['{"sha256": "forged", "size": 1}', purged_event.pk],
        )
    status, output = _verify()

    assert status == 1
    assert f"custody event {purged_event.pk}: its content does not match its hash" in output


def test_verify_evidence_finds_evidence_deleted_without_a_purge(report: Report) -> None:
    piece = evidence_add(actor=None, report=report, content=PNG, file_name="post.png")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Evidence._meta.db_table} WHERE id = %s", [piece.pk])  # noqa: S608

    status, output = _verify()

    assert status == 1
    assert f"evidence {piece.pk}: it is gone but was never purged" in output


def test_the_dry_run_lists_what_would_be_purged_and_changes_nothing(old: Report, vault: Path) -> None:
    out = StringIO()
    call_command("purge_integrity_reports", "--dry-run", stdout=out)

    assert f"Would purge {old.reference} (social-media, closed on" in out.getvalue()
    assert "2 evidence file(s), 1 message(s)" in out.getvalue()
    assert "1 report(s) closed more than 1825 days ago would be purged." in out.getvalue()
    assert Report.objects.filter(pk=old.pk).exists()
    assert Evidence.objects.count() == 2
    assert len(list(vault.iterdir())) == 2
    assert not AuditEntry.objects.filter(action="integrity.report_purge").exists()


def test_the_command_purges_and_prints_no_content(
    old: Report, django_capture_on_commit_callbacks: Any
) -> None:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_integrity_reports", stdout=out)

    assert f"Purged {old.reference}" in out.getvalue()
    assert "1 report(s) closed more than 1825 days ago purged." in out.getvalue()
    assert "secret" not in out.getvalue().lower()
    assert not Report.objects.exists()


def test_the_daily_task_purges(old: Report, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = purge_closed_reports.enqueue()

    assert result.return_value == 1
    assert not Report.objects.exists()
