"""The investigation workflow: assignment, the conflict-of-interest gate, every status change
both ways, notes, messages, the person concerned and evidence in the case."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.formats import date_format

from deonto.accounts.roles import Role
from deonto.core.errors import DomainError
from deonto.core.models import AppendOnlyError, AuditEntry
from deonto.integrity.models import (
    Assignment,
    CaseNote,
    CaseRead,
    ConflictState,
    CustodyEvent,
    CustodyKind,
    EvidenceKind,
    FindingOutcome,
    IntakeMode,
    Measure,
    MessageSide,
    ReportStatus,
)
from deonto.integrity.services_case import (
    case_evidence_add,
    case_evidence_download,
    case_message_send,
    case_note_add,
    case_read_record,
    conflict_confirm_none,
    conflict_declare,
    finding_record,
    investigation_start,
    measure_record,
    person_concerned_set,
    report_acknowledge,
    report_assign,
    report_close,
)
from deonto.integrity.tests.case_setup import case_assigned
from deonto.integrity.tests.conftest import PNG
from deonto.integrity.tests.factories import ReportFactory
from deonto.people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(make_user):
    return case_assigned(make_user)


def _to(case, status, guidance=None):
    """Walk the case along the workflow up to ``status``."""
    report, actor = case.report, case.inspector
    steps = [
        (ReportStatus.ACKNOWLEDGED, lambda r: report_acknowledge(actor=actor, report=r, message="Received.")),
        (ReportStatus.INVESTIGATING, lambda r: investigation_start(actor=actor, report=r, reason="Serious.")),
        (
            ReportStatus.FINDING,
            lambda r: finding_record(
                actor=actor, report=r, outcome=FindingOutcome.NO_BREACH, articles=[], summary="Nothing found."
            ),
        ),
        (
            ReportStatus.MEASURE,
            lambda r: measure_record(
                actor=actor, report=r, measure=Measure.objects.get(code="awareness-talk"), note="To be sure."
            ),
        ),
        (ReportStatus.CLOSED, lambda r: report_close(actor=actor, report=r, reason="Done.")),
    ]
    order = [target for target, _step in steps]
    done = order.index(report.status) + 1 if report.status in order else 0
    for target, step in steps[done:]:
        report = step(report)
        if target == status:
            break
    case.report = report
    return report


# Assignment and the conflict of interest.


def test_the_head_assigns_an_inspector_who_then_must_confirm(make_user):
    head = make_user(Role.HEAD_OF_SERVICE)
    inspector = make_user(Role.INSPECTOR)
    report = ReportFactory()

    assignment = report_assign(actor=head, report=report, inspector=inspector)

    assert assignment.conflict_state == ConflictState.PENDING
    assert assignment.assigned_by == head
    assert AuditEntry.objects.filter(action="integrity.report_assign", object_id=str(report.pk)).exists()


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.ADMINISTRATOR, Role.MANAGER])
def test_only_the_head_of_service_assigns(make_user, role):
    with pytest.raises(DomainError, match="Only the head"):
        report_assign(actor=make_user(role), report=ReportFactory(), inspector=make_user(Role.INSPECTOR))


def test_a_case_is_assigned_only_to_an_active_inspector(make_user):
    head = make_user(Role.HEAD_OF_SERVICE)

    with pytest.raises(DomainError, match="active inspectors"):
        report_assign(actor=head, report=ReportFactory(), inspector=make_user(Role.EMPLOYEE))


def test_the_same_inspector_is_not_assigned_twice(case):
    with pytest.raises(DomainError, match="already assigned"):
        report_assign(actor=case.head, report=case.report, inspector=case.inspector)


def test_an_inspector_who_declared_a_conflict_cannot_be_given_the_case_again(make_user):
    case = case_assigned(make_user, confirmed=False)
    conflict_declare(actor=case.inspector, report=case.report, reason="I know the person concerned.")

    with pytest.raises(DomainError, match="declared a conflict"):
        report_assign(actor=case.head, report=case.report, inspector=case.inspector)
    assignment = Assignment.objects.get(report=case.report, inspector=case.inspector)
    assert assignment.conflict_state == ConflictState.DECLARED
    assert assignment.conflict_reason == "I know the person concerned."
    assert assignment.conflict_declared_at is not None


def test_declaring_a_conflict_needs_a_reason(make_user):
    case = case_assigned(make_user, confirmed=False)

    with pytest.raises(DomainError, match="what the conflict"):
        conflict_declare(actor=case.inspector, report=case.report, reason="  ")


def test_the_conflict_question_is_answered_once_and_only_by_the_assigned_inspector(make_user):
    case = case_assigned(make_user)

    with pytest.raises(DomainError, match="already answered"):
        conflict_confirm_none(actor=case.inspector, report=case.report)
    with pytest.raises(DomainError, match="not assigned"):
        conflict_confirm_none(actor=make_user(Role.INSPECTOR), report=case.report)
    with pytest.raises(DomainError, match="not assigned"):
        conflict_declare(actor=case.head, report=case.report, reason="Nothing")


def test_an_inspector_who_has_not_confirmed_cannot_work_on_the_case(make_user):
    case = case_assigned(make_user, confirmed=False)

    with pytest.raises(DomainError, match="may not work"):
        report_acknowledge(actor=case.inspector, report=case.report, message="Received.")
    with pytest.raises(DomainError, match="may not work"):
        case_note_add(actor=case.inspector, report=case.report, body="A note.")


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.ADMINISTRATOR, Role.MANAGER, Role.EMPLOYEE])
def test_nobody_outside_the_case_can_work_on_it(make_user, case, role):
    with pytest.raises(DomainError, match="may not work"):
        report_acknowledge(actor=make_user(role), report=case.report, message="Received.")


# The workflow, both ways.


def test_acknowledging_moves_the_case_and_tells_the_anonymous_reporter_by_message_only(
    case, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = report_acknowledge(actor=case.inspector, report=case.report, message="We received it.")

    assert report.status == ReportStatus.ACKNOWLEDGED
    transition = report.transitions.get(to_status=ReportStatus.ACKNOWLEDGED)
    assert (transition.from_status, transition.actor) == (ReportStatus.RECEIVED, case.inspector)
    message = report.messages.get()
    assert (message.author_side, message.body) == (MessageSide.SERVICE, "We received it.")
    assert mailoutbox == []


def test_a_named_reporter_is_told_by_e_mail_in_their_language_without_the_message(
    make_user, mailoutbox, django_capture_on_commit_callbacks
):
    reporter = make_user(Role.EMPLOYEE, language="fr")
    case = case_assigned(make_user, intake_mode=IntakeMode.NAMED, reporter=reporter, receipt_code_hash="")

    with django_capture_on_commit_callbacks(execute=True):
        report_acknowledge(actor=case.inspector, report=case.report, message="Secret words.")

    [mail] = mailoutbox
    assert mail.to == [reporter.email]
    assert case.report.reference in mail.subject
    assert f"/report/mine/{case.report.reference}/" in mail.body
    assert "Secret words." not in mail.body
    with translation.override("fr"):
        assert date_format(timezone.localdate(), "DATE_FORMAT") in mail.body


def test_every_status_change_is_recorded_with_who_and_why(case):
    _to(case, ReportStatus.CLOSED)

    transitions = list(case.report.transitions.order_by("at", "id"))
    assert [t.to_status for t in transitions] == [
        ReportStatus.ACKNOWLEDGED,
        ReportStatus.INVESTIGATING,
        ReportStatus.FINDING,
        ReportStatus.MEASURE,
        ReportStatus.CLOSED,
    ]
    assert all(t.actor == case.inspector for t in transitions)
    assert [t.reason for t in transitions[1:]] == ["Serious.", "Nothing found.", "To be sure.", "Done."]
    assert case.report.closed_at is not None
    assert AuditEntry.objects.filter(action="integrity.report_close").count() == 1


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (ReportStatus.RECEIVED, "investigate"),
        (ReportStatus.RECEIVED, "finding"),
        (ReportStatus.RECEIVED, "close"),
        (ReportStatus.ACKNOWLEDGED, "acknowledge"),
        (ReportStatus.ACKNOWLEDGED, "measure"),
        (ReportStatus.INVESTIGATING, "close"),
        (ReportStatus.FINDING, "finding"),
        (ReportStatus.CLOSED, "acknowledge"),
        (ReportStatus.CLOSED, "close"),
    ],
)
def test_a_status_change_out_of_order_is_refused(case, status, step):
    if status != ReportStatus.RECEIVED:
        _to(case, status)
    actor, report = case.inspector, case.report
    take = {
        "acknowledge": lambda: report_acknowledge(actor=actor, report=report, message="Hello."),
        "investigate": lambda: investigation_start(actor=actor, report=report, reason="Why."),
        "finding": lambda: finding_record(
            actor=actor, report=report, outcome=FindingOutcome.NO_BREACH, articles=[], summary="S."
        ),
        "measure": lambda: measure_record(
            actor=actor, report=report, measure=Measure.objects.get(code="warning"), note="N."
        ),
        "close": lambda: report_close(actor=actor, report=report, reason="Done."),
    }[step]
    count = report.transitions.count()

    with pytest.raises(DomainError, match="not possible while"):
        take()
    report.refresh_from_db()
    assert report.status == status
    assert report.transitions.count() == count


def test_a_case_with_a_finding_can_be_closed_without_a_measure(case):
    _to(case, ReportStatus.FINDING)

    report = report_close(actor=case.inspector, report=case.report, reason="No breach, nothing to do.")

    assert report.status == ReportStatus.CLOSED
    assert report.measure is None


def test_reasons_are_required_where_they_matter(case):
    with pytest.raises(DomainError):
        report_acknowledge(actor=case.inspector, report=case.report, message=" ")
    _to(case, ReportStatus.ACKNOWLEDGED)
    with pytest.raises(DomainError, match="why the report is investigated"):
        investigation_start(actor=case.inspector, report=case.report, reason="")
    _to(case, ReportStatus.INVESTIGATING)
    with pytest.raises(DomainError, match="Summarise"):
        finding_record(
            actor=case.inspector,
            report=case.report,
            outcome=FindingOutcome.NO_BREACH,
            articles=[],
            summary="",
        )


def test_a_finding_names_real_guidance_articles(case, guidance):
    _to(case, ReportStatus.INVESTIGATING)

    with pytest.raises(DomainError, match="not guidance articles: no-such-article"):
        finding_record(
            actor=case.inspector,
            report=case.report,
            outcome=FindingOutcome.BREACH,
            articles=["discretion", "no-such-article"],
            summary="Posted a badge.",
        )
    with pytest.raises(DomainError, match="Name the articles"):
        finding_record(
            actor=case.inspector, report=case.report, outcome=FindingOutcome.BREACH, articles=[], summary="S."
        )
    report = finding_record(
        actor=case.inspector,
        report=case.report,
        outcome=FindingOutcome.BREACH,
        articles=["discretion"],
        summary="Posted a badge.",
    )
    assert (report.finding_outcome, report.finding_articles) == (FindingOutcome.BREACH, ["discretion"])


def test_the_measures_are_seeded_and_a_retired_one_cannot_be_chosen(case):
    assert list(Measure.objects.values_list("code", flat=True)) == [
        "none",
        "awareness-talk",
        "written-reminder",
        "warning",
        "disciplinary-proposal",
        "prosecutor-referral",
    ]
    assert Measure.objects.get(code="warning").label("fr") == "Avertissement"
    _to(case, ReportStatus.FINDING)
    retired = Measure.objects.get(code="warning")
    retired.active = False
    retired.save()

    with pytest.raises(DomainError, match="no longer in use"):
        measure_record(actor=case.inspector, report=case.report, measure=retired, note="N.")


def test_the_head_of_service_works_on_any_case(make_user):
    head = make_user(Role.HEAD_OF_SERVICE)

    report = report_acknowledge(actor=head, report=ReportFactory(), message="Received.")

    assert report.status == ReportStatus.ACKNOWLEDGED


# Notes, messages, the person concerned.


def test_notes_are_kept_for_the_service_and_not_among_the_messages(case):
    note = case_note_add(actor=case.inspector, report=case.report, body="Check the post's date.")

    assert CaseNote.objects.get() == note
    assert not case.report.messages.exists()


def test_a_question_to_the_reporter_is_a_message_from_the_service(case):
    message = case_message_send(actor=case.inspector, report=case.report, body="When was this posted?")

    assert (message.author_side, message.author) == (MessageSide.SERVICE, case.inspector)


def test_no_message_on_a_closed_case(case):
    _to(case, ReportStatus.CLOSED)

    with pytest.raises(DomainError, match="closed"):
        case_message_send(actor=case.inspector, report=case.report, body="Hello?")


def test_the_person_concerned_is_an_active_employee(case):
    employee = EmployeeFactory()
    gone = EmployeeFactory(is_active=False)

    report = person_concerned_set(actor=case.inspector, report=case.report, employee=employee)
    assert report.person_concerned == employee
    with pytest.raises(DomainError, match="active employee"):
        person_concerned_set(actor=case.inspector, report=case.report, employee=gone)
    report = person_concerned_set(actor=case.inspector, report=case.report, employee=None)
    assert report.person_concerned is None


# Evidence in the case.


def test_a_capture_of_an_online_post_keeps_its_address_time_and_who_captured_it(case):
    captured_at = timezone.now() - timedelta(hours=1)

    evidence = case_evidence_add(
        actor=case.inspector,
        report=case.report,
        content=SimpleUploadedFile("post.png", PNG),
        captured_url="https://social.example/post/1",
        captured_at=captured_at,
    )

    assert evidence.kind == EvidenceKind.CAPTURE
    assert (evidence.captured_url, evidence.captured_at, evidence.captured_by) == (
        "https://social.example/post/1",
        captured_at,
        case.inspector,
    )


def test_a_capture_needs_its_time_and_not_in_the_future(case):
    with pytest.raises(DomainError, match="time the post was captured"):
        case_evidence_add(
            actor=case.inspector,
            report=case.report,
            content=SimpleUploadedFile("post.png", PNG),
            captured_url="https://social.example/post/1",
        )
    with pytest.raises(DomainError, match="future"):
        case_evidence_add(
            actor=case.inspector,
            report=case.report,
            content=SimpleUploadedFile("post.png", PNG),
            captured_url="https://social.example/post/1",
            captured_at=timezone.now() + timedelta(days=1),
        )


def test_evidence_in_the_case_goes_through_the_intake_checks(case):
    with pytest.raises(DomainError, match="Only images"):
        case_evidence_add(
            actor=case.inspector, report=case.report, content=SimpleUploadedFile("run.exe", b"MZ\x00\x01")
        )


def test_a_download_is_checked_and_recorded_in_the_custody_chain(case):
    evidence = case_evidence_add(
        actor=case.inspector, report=case.report, content=SimpleUploadedFile("shot.png", PNG)
    )

    assert case_evidence_download(actor=case.inspector, evidence=evidence) == PNG
    event = CustodyEvent.objects.order_by("-id").first()
    assert (event.kind, event.actor) == (CustodyKind.DOWNLOADED, case.inspector)


def test_a_download_by_someone_outside_the_case_is_refused(make_user, case):
    evidence = case_evidence_add(
        actor=case.inspector, report=case.report, content=SimpleUploadedFile("shot.png", PNG)
    )

    with pytest.raises(DomainError):
        case_evidence_download(actor=make_user(Role.INSPECTOR), evidence=evidence)


def test_reads_of_a_case_are_appended_to_its_log(case):
    case_read_record(actor=case.inspector, report=case.report, what="detail")

    read = CaseRead.objects.get()
    assert (read.user, read.what) == (case.inspector, "detail")


def test_the_read_log_can_be_neither_changed_nor_deleted(case):
    read = case_read_record(actor=case.inspector, report=case.report, what="detail")

    with pytest.raises(AppendOnlyError):
        read.save()
    with pytest.raises(AppendOnlyError):
        CaseRead.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        CaseRead.objects.update(what="nothing")
