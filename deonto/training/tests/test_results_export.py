"""The results export: one CSV row per e-learning attempt, safe to open in Excel."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from deonto.core.csv_export import csv_cell
from deonto.people.models import Employee, OrgUnit
from deonto.training.models import Attempt, AttemptStatus, Certificate, Completion, CompletionMethod
from deonto.training.services import course_bundle_load

from .conftest import MINI

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(guidance):
    return course_bundle_load(directory_or_zip=MINI)


def _download(client) -> tuple[bytes, list[list[str]]]:
    response = client.get(reverse("training:results_csv"))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    return data, list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_has_a_bom_a_semicolon_and_one_row_per_attempt(course, make_user, client_for):
    learner = make_user("employee", first_name="Anna", last_name="Peeters")
    Employee.objects.create(
        personnel_number="12345",
        first_name="Anna",
        last_name="Peeters",
        language="nl",
        unit=OrgUnit.objects.create(code="U1", name="Unit"),
        user=learner,
    )
    other = make_user("employee", username="bart", first_name="Bart", last_name="Claes")
    passed = Attempt.objects.create(
        user=learner,
        course=course,
        course_version=1,
        language="nl",
        status=AttemptStatus.PASSED,
        quiz_score=90,
        completed_at=datetime(2025, 7, 1, 10, 30, tzinfo=UTC),
    )
    completion = Completion.objects.create(
        user=learner,
        course=course,
        course_version=1,
        method=CompletionMethod.ELEARNING,
        completed_at=passed.completed_at,
        attempt=passed,
    )
    Certificate.objects.create(
        code="ABCD-1234",
        completion=completion,
        holder_name="Anna Peeters",
        course_title="Minicursus",
        language="nl",
        issued_at=passed.completed_at,
    )
    Attempt.objects.create(user=learner, course=course, course_version=1, language="fr")
    Attempt.objects.create(user=other, course=course, course_version=1, language="en")

    data, rows = _download(client_for("coordinator", language="en"))

    assert data.startswith(b"\xef\xbb\xbf")
    assert rows[0] == [
        "Personnel number",
        "Name",
        "Course",
        "Version",
        "Language",
        "Status",
        "Quiz score (%)",
        "Completed at",
        "Certificate",
    ]
    assert len(rows) == 4
    assert rows[1] == [
        "12345",
        "Anna Peeters",
        "mini",
        "1",
        "nl",
        "Passed",
        "90",
        "2025-07-01 12:30",
        "ABCD-1234",
    ]
    assert ["12345", "Anna Peeters", "mini", "1", "fr", "In progress", "", "", ""] in rows
    assert ["", "Bart Claes", "mini", "1", "en", "In progress", "", "", ""] in rows


def test_cells_that_would_start_a_formula_are_prefixed_with_a_quote(course, make_user, client_for):
    learner = make_user("employee", username="mallory", first_name='=HYPERLINK("x")', last_name="+1")
    Attempt.objects.create(user=learner, course=course, course_version=1, language="nl")

    _data, rows = _download(client_for("administrator"))

    assert rows[1][1] == '\'=HYPERLINK("x") +1'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_escaped(start):
    assert csv_cell(f"{start}cmd") == f"'{start}cmd"


def test_ordinary_cells_are_left_as_they_are():
    assert csv_cell("Anna Peeters") == "Anna Peeters"
    assert csv_cell("") == ""


def test_the_export_takes_a_fixed_number_of_queries(course, make_user, client_for, django_assert_num_queries):
    client = client_for("coordinator")
    Attempt.objects.create(user=make_user("employee"), course=course, course_version=1, language="nl")
    _download(client)
    with django_assert_num_queries(9):
        _download(client)
    for _number in range(5):
        Attempt.objects.create(user=make_user("employee"), course=course, course_version=1, language="nl")

    with django_assert_num_queries(9):
        _download(client)


@pytest.mark.parametrize("role", ["instructor", "employee", "manager", "inspector"])
def test_only_those_who_see_results_may_download_them(course, client_for, role):
    assert client_for(role).get(reverse("training:results_csv")).status_code == 403
