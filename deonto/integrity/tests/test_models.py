from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from deonto.core.models import AppendOnlyError
from deonto.integrity.models import (
    CustodyEvent,
    IntakeMode,
    Report,
    ReportStatus,
    ReportTransition,
)
from deonto.integrity.services import custody_record, evidence_add
from deonto.integrity.tests.conftest import PNG
from deonto.integrity.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_an_anonymous_report_can_have_no_reporter(make_user: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportFactory(intake_mode=IntakeMode.ANONYMOUS, reporter=make_user("employee"))


def test_an_anonymous_report_needs_a_receipt_code() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportFactory(intake_mode=IntakeMode.ANONYMOUS, receipt_code_hash="")


def test_a_report_is_closed_exactly_when_it_has_a_closing_time() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportFactory(status=ReportStatus.CLOSED)


def test_each_custody_event_links_to_the_one_before(report: Report) -> None:
    evidence = evidence_add(actor=None, report=report, content=PNG, file_name="post.png")
    custody_record(actor=None, evidence=evidence, kind="verified")
    first, second = CustodyEvent.objects.order_by("id")
    assert second.previous_hash == first.hash
    assert second.hash == second.expected_hash()


def test_custody_events_are_never_changed_or_deleted_through_the_model(report: Report) -> None:
    evidence_add(actor=None, report=report, content=PNG, file_name="post.png")
    event = CustodyEvent.objects.get()
    event.details = {"sha256": "0" * 64}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        CustodyEvent.objects.update(details={})
    with pytest.raises(AppendOnlyError):
        CustodyEvent.objects.all().delete()
    assert CustodyEvent.objects.get().details["sha256"] != "0" * 64


def test_two_events_cannot_follow_the_same_one(report: Report) -> None:
    evidence = evidence_add(actor=None, report=report, content=PNG, file_name="post.png")
    first = CustodyEvent.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        CustodyEvent.objects.create(
            evidence=evidence, kind="viewed", at=first.at, previous_hash="", hash="f" * 64
        )


def test_status_changes_are_never_changed_or_deleted(report: Report) -> None:
    transition = ReportTransition.objects.create(
        report=report, from_status=ReportStatus.RECEIVED, to_status=ReportStatus.ACKNOWLEDGED
    )
    transition.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        transition.save()
    with pytest.raises(AppendOnlyError):
        transition.delete()
