"""The case pages: need-to-know (404 for everyone else), the conflict-of-interest gate, every
read logged, the forms, evidence download, and the reporter's own page."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from conftest import sign_in
from deonto.accounts.roles import Role
from deonto.integrity.models import (
    Assignment,
    CaseNote,
    CaseRead,
    ConflictState,
    Evidence,
    IntakeMode,
    MessageSide,
    ReportStatus,
)
from deonto.integrity.services_case import case_evidence_add
from deonto.integrity.tests.case_setup import case_assigned
from deonto.integrity.tests.conftest import PNG
from deonto.integrity.tests.factories import ReportFactory
from deonto.integrity.vault import vault_aad, vault_encrypt, vault_keys, vault_remove, vault_store
from deonto.people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

CASE_PAGES = [
    "cases:case_detail",
    "cases:case_status",
    "cases:case_notes",
    "cases:case_messages",
    "cases:case_person",
    "cases:case_evidence",
    "cases:case_assign",
    "cases:case_access_log",
    "cases:case_conflict",
]


def _comparable(content: bytes, reference: str) -> str:
    """The page without what differs on every request (the masked CSRF token) or by address."""
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", content.decode()).replace(reference, "R")


def _url(name, report, *args):
    return reverse(name, args=[report.reference, *args])


@pytest.fixture
def case(make_user):
    return case_assigned(make_user)


@pytest.mark.parametrize("page", CASE_PAGES)
@pytest.mark.parametrize(
    "role", [Role.INSPECTOR, Role.ADMINISTRATOR, Role.MANAGER, Role.COORDINATOR, Role.EMPLOYEE]
)
def test_everyone_but_the_case_s_people_gets_not_found_on_every_case_page(client_for, case, page, role):
    client = client_for(role)

    assert client.get(_url(page, case.report)).status_code == 404
    assert client.post(_url(page, case.report), {"body": "x", "reason": "x"}).status_code == 404
    assert not CaseRead.objects.exists()


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.MANAGER, Role.EMPLOYEE])
def test_a_case_that_exists_and_one_that_does_not_look_the_same(client_for, case, role):
    client = client_for(role)

    real = client.get(_url("cases:case_detail", case.report))
    missing = client.get(reverse("cases:case_detail", args=["R-1999-000000"]))

    assert real.status_code == missing.status_code == 404
    assert _comparable(real.content, case.report.reference) == _comparable(missing.content, "R-1999-000000")


def test_evidence_download_is_not_found_for_a_non_assigned_inspector(client_for, case):
    evidence = case_evidence_add(
        actor=case.inspector, report=case.report, content=SimpleUploadedFile("shot.png", PNG)
    )

    response = client_for(Role.INSPECTOR).get(_url("cases:case_evidence_file", case.report, evidence.pk))

    assert response.status_code == 404


def test_the_case_list_is_not_found_for_people_outside_the_service(client_for):
    assert client_for(Role.ADMINISTRATOR).get(reverse("cases:case_list")).status_code == 404
    assert client_for(Role.MANAGER).get(reverse("cases:deadlines")).status_code == 404


def test_an_assigned_inspector_sees_only_the_conflict_page_until_they_confirm(make_user):
    case = case_assigned(make_user, confirmed=False)
    client = sign_in(Client(), case.inspector)

    detail = client.get(_url("cases:case_detail", case.report))
    assert detail.status_code == 302
    assert detail["Location"] == _url("cases:case_conflict", case.report)
    for page in CASE_PAGES[1:-1]:
        assert client.get(_url(page, case.report)).status_code == 404, page
    gate = client.get(_url("cases:case_conflict", case.report))
    assert gate.status_code == 200
    assert case.report.reference in gate.content.decode()
    assert escape(case.report.description) not in gate.content.decode()

    answer = client.post(_url("cases:case_conflict", case.report), {"answer": "none"})

    assert answer["Location"] == _url("cases:case_detail", case.report)
    page = client.get(_url("cases:case_detail", case.report))
    assert escape(case.report.description) in page.content.decode()


def test_an_inspector_who_declares_a_conflict_leaves_the_case(make_user):
    case = case_assigned(make_user, confirmed=False)
    client = sign_in(Client(), case.inspector)

    refused = client.post(_url("cases:case_conflict", case.report), {"answer": "declared", "reason": ""})
    assert refused.status_code == 200
    assert "what the conflict of interest is" in refused.content.decode()
    client.post(_url("cases:case_conflict", case.report), {"answer": "declared", "reason": "My cousin."})

    assert Assignment.objects.get().conflict_state == ConflictState.DECLARED
    assert client.get(_url("cases:case_conflict", case.report)).status_code == 404
    head_page = sign_in(Client(), case.head).get(_url("cases:case_detail", case.report)).content.decode()
    assert "My cousin." in head_page


def test_the_head_of_service_sees_every_case_page(case):
    client = sign_in(Client(), case.head)

    for page in CASE_PAGES[:-1]:
        assert client.get(_url(page, case.report)).status_code == 200, page


def test_every_read_of_a_case_page_is_logged_and_shown_to_the_head(case):
    inspector = sign_in(Client(), case.inspector)
    inspector.get(_url("cases:case_detail", case.report))
    inspector.get(_url("cases:case_notes", case.report))

    log = sign_in(Client(), case.head).get(_url("cases:case_access_log", case.report))

    reads = list(CaseRead.objects.order_by("id").values_list("user", "what"))
    assert reads == [
        (case.inspector.pk, "detail"),
        (case.inspector.pk, "notes"),
        (case.head.pk, "access-log"),
    ]
    assert log.content.decode().count("data-case-read") == 3
    assert inspector.get(_url("cases:case_access_log", case.report)).status_code == 404


def test_the_case_list_shows_an_inspector_their_cases_and_the_head_all(make_user, case):
    other = ReportFactory()
    mine = sign_in(Client(), case.inspector).get(reverse("cases:case_list")).content.decode()
    everything = sign_in(Client(), case.head).get(reverse("cases:case_list")).content.decode()

    assert case.report.reference in mine
    assert other.reference not in mine
    assert case.report.reference in everything
    assert other.reference in everything


def test_the_case_list_filters_by_status_and_overdue(case):
    late = ReportFactory()
    client = sign_in(Client(), case.head)

    overdue = client.get(reverse("cases:case_list"), {"overdue": "on"}).content.decode()
    acknowledged = client.get(reverse("cases:case_list"), {"status": "acknowledged"}).content.decode()

    assert late.reference in overdue  # The factory's deadlines are in 2026's first months.
    assert late.reference not in acknowledged


def test_the_case_list_takes_a_fixed_number_of_queries(case, make_user, django_assert_max_num_queries):
    for _index in range(10):
        ReportFactory()
    client = sign_in(Client(), case.head)

    with django_assert_max_num_queries(14):
        assert client.get(reverse("cases:case_list")).status_code == 200


def test_the_deadline_view_lists_overdue_deadlines_first(case):
    page = sign_in(Client(), case.inspector).get(reverse("cases:deadlines"))

    text = page.content.decode()
    assert page.status_code == 200
    assert case.report.reference in text
    assert "Overdue by" in text


def test_a_confidential_reporter_is_named_to_the_inspector_but_not_to_the_head(make_user):
    reporter = make_user(Role.EMPLOYEE, first_name="Wendelien", last_name="Reporter")
    case = case_assigned(
        make_user, intake_mode=IntakeMode.CONFIDENTIAL, reporter=reporter, receipt_code_hash=""
    )

    inspector_page = sign_in(Client(), case.inspector).get(_url("cases:case_detail", case.report))
    head_page = sign_in(Client(), case.head).get(_url("cases:case_detail", case.report))

    assert "Wendelien" in inspector_page.content.decode()
    assert "Wendelien" not in head_page.content.decode()


def test_the_inspector_acknowledges_through_the_status_page(case):
    client = sign_in(Client(), case.inspector)

    form = client.get(_url("cases:case_status", case.report))
    assert "Acknowledge the report" in form.content.decode()
    response = client.post(
        _url("cases:case_status", case.report), {"step": "acknowledge", "message": "We have it."}
    )

    assert response.status_code == 302
    case.report.refresh_from_db()
    assert case.report.status == ReportStatus.ACKNOWLEDGED
    assert case.report.messages.get().body == "We have it."


def test_a_refused_status_change_shows_the_form_again_with_what_was_typed(case):
    client = sign_in(Client(), case.inspector)
    client.post(_url("cases:case_status", case.report), {"step": "acknowledge", "message": "OK."})

    response = client.post(_url("cases:case_status", case.report), {"step": "investigate", "reason": ""})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_notes_and_messages_are_added_from_their_pages(case):
    client = sign_in(Client(), case.inspector)

    client.post(_url("cases:case_notes", case.report), {"body": "Internal thought."})
    client.post(_url("cases:case_messages", case.report), {"body": "Which network?"})

    assert CaseNote.objects.get().body == "Internal thought."
    message = case.report.messages.get()
    assert (message.author_side, message.body) == (MessageSide.SERVICE, "Which network?")


def test_the_person_concerned_is_found_by_personnel_number_and_chosen(case):
    employee = EmployeeFactory(personnel_number="P123456", last_name="Janssens")
    client = sign_in(Client(), case.inspector)

    found = client.get(_url("cases:case_person", case.report), {"q": "P123456"})
    assert "Janssens" in found.content.decode()
    client.post(_url("cases:case_person", case.report), {"employee": str(employee.pk)})

    case.report.refresh_from_db()
    assert case.report.person_concerned == employee


def test_the_head_assigns_an_inspector_from_the_assign_page(case, make_user):
    other = make_user(Role.INSPECTOR)
    client = sign_in(Client(), case.head)

    client.post(_url("cases:case_assign", case.report), {"inspector": str(other.pk)})

    assert Assignment.objects.filter(report=case.report, inspector=other).exists()


def test_a_capture_is_uploaded_and_downloaded_with_its_fingerprint_checked(case):
    client = sign_in(Client(), case.inspector)

    client.post(
        _url("cases:case_evidence", case.report),
        {
            "file": SimpleUploadedFile("post.png", PNG, content_type="image/png"),
            "captured_url": "https://social.example/p/1",
            "captured_at": "2026-01-02T10:30",
        },
    )
    evidence = Evidence.objects.get()
    response = client.get(_url("cases:case_evidence_file", case.report, evidence.pk))

    assert evidence.captured_url == "https://social.example/p/1"
    assert response.status_code == 200
    assert b"".join(response) == PNG
    assert "attachment" in response["Content-Disposition"]


def test_an_altered_evidence_file_shows_an_error_page_and_never_the_file(case):
    evidence = case_evidence_add(
        actor=case.inspector, report=case.report, content=SimpleUploadedFile("shot.png", PNG)
    )
    # Another file sealed in its place, under the right key: it decrypts, but its hash differs.
    name = evidence.stored_name
    vault_remove(name)
    vault_store(
        vault_encrypt(b"forged", aad=vault_aad(name), key_id="k1", key=vault_keys()["k1"]), stored_name=name
    )

    response = sign_in(Client(), case.inspector).get(
        _url("cases:case_evidence_file", case.report, evidence.pk)
    )

    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    assert PNG not in response.content
    assert b"forged" not in response.content
    assert "does not match its fingerprint" in response.content.decode()


# The reporter's own page.


def test_a_named_reporter_reads_the_service_s_messages_and_answers(make_user):
    reporter = make_user(Role.EMPLOYEE, language="en")
    case = case_assigned(make_user, intake_mode=IntakeMode.NAMED, reporter=reporter, receipt_code_hash="")
    sign_in(Client(), case.inspector).post(_url("cases:case_messages", case.report), {"body": "Which day?"})
    client = sign_in(Client(), reporter)
    url = reverse("integrity:my_report", args=[case.report.reference])

    page = client.get(url)
    assert "Which day?" in page.content.decode()
    answered = client.post(url, {"body": "Last Monday."})

    assert "Your message was sent" in answered.content.decode()
    answer = case.report.messages.get(author_side=MessageSide.REPORTER)
    assert (answer.body, answer.author) == ("Last Monday.", reporter)


def test_a_reporter_cannot_open_someone_else_s_report(make_user, client_for):
    owner = make_user(Role.EMPLOYEE)
    report = ReportFactory(intake_mode=IntakeMode.NAMED, reporter=owner, receipt_code_hash="")
    anonymous = ReportFactory()

    client = client_for(Role.EMPLOYEE)

    assert client.get(reverse("integrity:my_report", args=[report.reference])).status_code == 404
    assert client.get(reverse("integrity:my_report", args=[anonymous.reference])).status_code == 404


def test_a_form_for_a_step_the_case_has_passed_changes_nothing(case):
    client = sign_in(Client(), case.inspector)
    client.post(_url("cases:case_status", case.report), {"step": "acknowledge", "message": "OK."})

    again = client.post(_url("cases:case_status", case.report), {"step": "acknowledge", "message": "OK."})

    assert again.status_code == 200
    assert "The case has changed meanwhile" in again.content.decode()
    assert case.report.messages.count() == 1
    assert case.report.transitions.filter(to_status=ReportStatus.INVESTIGATING).count() == 0


def test_the_deadline_view_takes_a_fixed_number_of_queries(case, django_assert_max_num_queries):
    for _index in range(10):
        ReportFactory()
    client = sign_in(Client(), case.head)

    with django_assert_max_num_queries(12):
        assert client.get(reverse("cases:deadlines")).status_code == 200
