from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from deonto.accounts.roles import Role
from deonto.integrity.models import Assignment, ConflictState, Report, ReportCategory
from deonto.integrity.services import evidence_add
from deonto.integrity.tests.conftest import PNG
from deonto.integrity.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

STATISTICS = reverse("integrity_reports:statistics")
STATISTICS_CSV = reverse("integrity_reports:statistics_csv")


@pytest.fixture
def reports() -> list[Report]:
    made = [
        ReportFactory(category=ReportCategory.HARASSMENT, description="Secret harassment story")
        for _ in range(3)
    ]
    made += [ReportFactory(category=ReportCategory.SOCIAL_MEDIA) for _ in range(7)]
    Report.objects.update(created_at=datetime(2026, 3, 10, 9, tzinfo=UTC))
    return made


@pytest.mark.parametrize("role", [Role.MANAGER, Role.HEAD_OF_SERVICE])
def test_managers_and_the_head_of_service_see_the_statistics(
    client_for: Any, role: str, reports: Any
) -> None:
    response = client_for(role, language="en").get(STATISTICS, {"year": 2026})
    assert response.status_code == 200
    assert "Reports received in 2026, by month and category" in response.content.decode()


@pytest.mark.parametrize(
    "role", [Role.EMPLOYEE, Role.INSPECTOR, Role.ADMINISTRATOR, Role.COORDINATOR, Role.INSTRUCTOR]
)
def test_other_roles_are_refused_the_statistics_and_their_csv(client_for: Any, role: str) -> None:
    client = client_for(role)
    assert client.get(STATISTICS).status_code == 403
    assert client.get(STATISTICS_CSV).status_code == 403


def test_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(STATISTICS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_page_shows_suppressed_counts_in_accessible_tables_and_no_report_content(
    client_for: Any, reports: list[Report], django_assert_max_num_queries: Any
) -> None:
    client = client_for(Role.MANAGER, language="en")
    with django_assert_max_num_queries(12):
        page = client.get(STATISTICS, {"year": 2026}).content.decode()

    assert page.count("<caption") == 2
    assert '<th scope="row">March</th>' in page
    assert '<th scope="col" class="number">Harassment</th>' in page
    assert "&lt; 5" in page
    assert ">3<" not in page
    for report in reports:
        assert report.reference not in page
    assert "Secret" not in page
    assert "badge number" not in page


def test_the_year_filter_chooses_the_period(client_for: Any, reports: list[Report]) -> None:
    client = client_for(Role.MANAGER, language="en")
    page = client.get(STATISTICS, {"year": 2026}).content.decode()
    assert '<option value="2026" selected>' in page
    assert "Reports received in 2026" in page

    response = client.get(STATISTICS, {"year": "1999"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_csv_holds_the_same_suppressed_figures(client_for: Any, reports: list[Report]) -> None:
    response = client_for(Role.HEAD_OF_SERVICE, language="en").get(STATISTICS_CSV, {"year": 2026})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="integrity-statistics-2026.csv"' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    march = next(line for line in text.splitlines() if line.startswith("March;"))
    assert march.split(";")[1 + list(ReportCategory.values).index(ReportCategory.HARASSMENT)] == "< 5"
    assert "Secret" not in text


# The case file ------------------------------------------------------------------------------------


def _case_file(report: Report) -> str:
    return reverse("integrity_reports:case_file", args=[report.reference])


@pytest.fixture
def case(report: Report) -> Report:
    evidence_add(actor=None, report=report, content=PNG, file_name="post.png")
    return report


def test_the_head_of_service_downloads_the_case_file(client_for: Any, case: Report) -> None:
    response = client_for(Role.HEAD_OF_SERVICE, language="en").get(_case_file(case))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f'filename="{case.reference}-case-file.zip"' in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "manifest.json" in archive.namelist()
    assert case.reads.filter(what="case-file-export").exists()


def test_an_assigned_inspector_without_conflict_downloads_it(make_user: Any, case: Report) -> None:
    inspector = make_user(Role.INSPECTOR)
    Assignment.objects.create(
        report=case,
        inspector=inspector,
        assigned_by=make_user(Role.HEAD_OF_SERVICE),
        conflict_state=ConflictState.NO_CONFLICT,
        conflict_confirmed_at=timezone.now(),
    )
    assert sign_in(Client(), inspector).get(_case_file(case)).status_code == 200


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.MANAGER, Role.ADMINISTRATOR, Role.EMPLOYEE])
def test_anyone_else_finds_no_case_file(client_for: Any, role: str, case: Report) -> None:
    assert client_for(role).get(_case_file(case)).status_code == 404


def test_an_inspector_who_has_not_confirmed_no_conflict_finds_no_case_file(
    make_user: Any, case: Report
) -> None:
    inspector = make_user(Role.INSPECTOR)
    Assignment.objects.create(report=case, inspector=inspector, assigned_by=make_user(Role.HEAD_OF_SERVICE))
    assert sign_in(Client(), inspector).get(_case_file(case)).status_code == 404


def test_a_case_that_does_not_exist_is_not_found(client_for: Any) -> None:
    response = client_for(Role.HEAD_OF_SERVICE).get(
        reverse("integrity_reports:case_file", args=["R-2026-999999"])
    )
    assert response.status_code == 404


def test_an_altered_piece_of_evidence_stops_the_download_with_a_page_that_says_so(
    client_for: Any, case: Report, vault: Path
) -> None:
    (vault / case.evidence.get().stored_name).write_bytes(b"altered")

    response = client_for(Role.HEAD_OF_SERVICE, language="en").get(_case_file(case))

    assert response.status_code == 409
    page = response.content.decode()
    assert "The case file cannot be exported" in page
    assert f"Evidence {case.evidence.get().pk} " in page
