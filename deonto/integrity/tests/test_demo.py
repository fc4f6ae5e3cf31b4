"""The demo cases of the integrity desk: every stage, told through the services in the order of their dates."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from deonto.accounts.models import User
from deonto.integrity.demo import integrity_demo_seed
from deonto.integrity.models import (
    Assignment,
    ConflictState,
    CustodyEvent,
    Evidence,
    FindingOutcome,
    Report,
    ReportStatus,
    ReportTransition,
)
from deonto.integrity.selectors import deadlines_for
from deonto.integrity.services import evidence_read, evidence_verify_all

pytestmark = pytest.mark.django_db

EMPLOYEES = 300


@pytest.fixture
def seeded(settings, guidance) -> str:
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", employees=EMPLOYEES, stdout=out)
    return out.getvalue()


def test_seed_demo_adds_six_reports_at_every_stage_and_says_so(seeded) -> None:
    statuses = sorted(Report.objects.values_list("status", flat=True))
    assert statuses == sorted(
        [
            ReportStatus.CLOSED,
            ReportStatus.CLOSED,
            ReportStatus.INVESTIGATING,
            ReportStatus.ACKNOWLEDGED,
            ReportStatus.RECEIVED,
            ReportStatus.RECEIVED,
        ]
    )
    assert "Integrity desk: 6 synthetic reports at every stage, with 2 pieces of encrypted evidence" in seeded
    outcomes = set(Report.objects.exclude(finding_outcome="").values_list("finding_outcome", flat=True))
    assert outcomes == {FindingOutcome.BREACH, FindingOutcome.NO_BREACH}
    assert Report.objects.filter(measure__code="warning").count() == 1


def test_the_cases_came_in_over_four_months_and_their_history_reads_in_order(seeded) -> None:
    today = timezone.localdate()
    received = sorted(
        (today - timezone.localtime(report.created_at).date()).days for report in Report.objects.all()
    )
    assert received == [1, 11, 21, 41, 76, 121]
    for report in Report.objects.all():
        moments = list(
            ReportTransition.objects.filter(report=report).order_by("pk").values_list("at", flat=True)
        )
        assert moments == sorted(moments)
        assert moments[0] == report.created_at
    assert all(moment <= timezone.now() for moment in ReportTransition.objects.values_list("at", flat=True))


def test_the_demo_evidence_is_encrypted_decrypts_and_its_custody_chain_holds(seeded) -> None:
    assert evidence_verify_all() == []
    inspector = User.objects.get(username="inspector")
    for evidence in Evidence.objects.all():
        assert evidence_read(actor=inspector, evidence=evidence)[:8] == b"\x89PNG\r\n\x1a\n"
    assert CustodyEvent.objects.count() == 2 + 2  # each added, then read here


def test_one_acknowledgement_is_overdue_because_the_conflict_question_is_unanswered(seeded) -> None:
    head = User.objects.get(username="head_of_service")
    pending = Assignment.objects.get(conflict_state=ConflictState.PENDING)
    assert pending.report.status == ReportStatus.RECEIVED
    overdue = [
        deadline for deadline in deadlines_for(viewer=head, today=timezone.localdate()) if deadline.overdue
    ]
    assert [deadline.report.pk for deadline in overdue] == [pending.report.pk]


def test_the_employee_sees_the_two_reports_they_made_by_name(seeded, client) -> None:
    employee = User.objects.get(username="employee")
    page = sign_in(client, employee).get(reverse("integrity:my_reports")).content.decode()
    for report in Report.objects.filter(reporter=employee):
        assert report.reference in page
    assert Report.objects.filter(reporter=employee).count() == 2


def test_seeding_again_adds_no_case(seeded) -> None:
    assert integrity_demo_seed(today=timezone.localdate()).reports == 0
    assert Report.objects.count() == 6


def test_the_clock_is_back_to_the_real_time_after_seeding(seeded) -> None:
    before = timezone.now()
    stamped = ReportTransition._meta.get_field("at").get_default()
    assert before <= stamped <= timezone.now()
    assert (timezone.now() - before).total_seconds() < 5
