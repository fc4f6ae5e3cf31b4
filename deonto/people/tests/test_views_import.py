"""The import pages: who may use them, and the journey upload → mapping → preview → apply → result."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from deonto.people.models import Employee, RosterImport, RosterImportStatus
from deonto.people.tests.conftest import csv_bytes, row
from deonto.people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

IMPORTERS = ["coordinator", "administrator"]
OTHERS = ["employee", "instructor", "manager", "inspector"]


def upload_file(client: Client, content: bytes, name: str = "roster.csv", **data: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("people:import_start"),
        {"file": SimpleUploadedFile(name, content), "encoding": "", "delimiter": "", **data},
    )


@pytest.mark.parametrize("role", IMPORTERS)
def test_importers_may_open_the_import_page(client_for: Any, role: str) -> None:
    response = client_for(role, language="en").get(reverse("people:import_start"))

    assert response.status_code == 200
    assert b"<h1>Import the staff roster</h1>" in response.content


@pytest.mark.parametrize("role", OTHERS)
@pytest.mark.parametrize("url_name", ["people:import_start", "people:import_list"])
def test_other_roles_may_not_import(client_for: Any, role: str, url_name: str) -> None:
    assert client_for(role).get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("role", OTHERS)
def test_other_roles_may_not_see_or_apply_an_import(client_for: Any, units: Any, role: str) -> None:
    roster_import = RosterImport.objects.create(
        file_name="x.csv", file_format="csv", status="valid", total_rows=1
    )
    client = client_for(role)

    for name in ["import_mapping", "import_preview", "import_result", "import_progress"]:
        assert client.get(reverse(f"people:{name}", args=[roster_import.pk])).status_code == 403
    assert client.post(reverse("people:import_apply", args=[roster_import.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client: Client) -> None:
    response = client.get(reverse("people:import_start"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_import_journey_from_upload_to_result(client_for: Any, units: Any) -> None:
    EmployeeFactory(personnel_number="0999", unit=units["ANR-01"])
    client = client_for("coordinator", language="en")

    response = upload_file(client, csv_bytes([row("1001"), row("1002", "Claes", "An")]))
    roster_import = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:import_mapping", args=[roster_import.pk])

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b'<option value="0" selected>Personeelsnummer</option>' in page.content

    mapping = {name: str(index) for name, index in roster_import.mapping.items()}
    response = client.post(reverse("people:import_mapping", args=[roster_import.pk]), mapping)
    assert response["Location"] == reverse("people:import_preview", args=[roster_import.pk])

    preview = client.get(response["Location"])
    assert b"Apply these changes" in preview.content
    assert Employee.objects.count() == 1

    response = client.post(reverse("people:import_apply", args=[roster_import.pk]))
    assert response["Location"] == reverse("people:import_result", args=[roster_import.pk])
    assert Employee.objects.filter(is_active=True).count() == 2

    result = client.get(response["Location"])
    content = result.content.decode()
    assert "<caption>Changes made to the roster</caption>" in content
    assert "Claes" in content
    assert "Deactivated" in content
    assert "Active: yes → no" in content

    employee = Employee.objects.get(personnel_number="0999")
    detail = client.get(reverse("people:employee_detail", args=[employee.pk])).content.decode()
    assert "Changes from roster imports, most recent first" in detail
    assert "Active: yes → no" in detail


def test_upload_error_is_shown_with_the_choices_kept(client_for: Any, units: Any) -> None:
    client = client_for("coordinator", language="en")

    response = upload_file(client, b"", delimiter="semicolon", encoding="cp1252")

    content = response.content.decode()
    assert response.status_code == 200
    assert 'aria-describedby="id_file_helptext id_file_error"' in content
    assert "The submitted file is empty." in content or "The file is empty." in content
    assert '<option value="semicolon" selected>' in content
    assert '<option value="cp1252" selected>' in content
    assert not RosterImport.objects.exists()


def test_mapping_errors_are_shown_and_the_choices_kept(client_for: Any, units: Any) -> None:
    client = client_for("coordinator", language="en")
    upload_file(client, csv_bytes([row("1001")]))
    roster_import = RosterImport.objects.get()
    mapping = {name: str(index) for name, index in roster_import.mapping.items()}
    mapping["function"] = mapping["last_name"]
    del mapping["unit"]

    response = client.post(reverse("people:import_mapping", args=[roster_import.pk]), mapping)

    content = response.content.decode()
    assert "This column is already chosen for “Last name”." in content
    assert "This information is required" in content
    assert 'aria-invalid="true"' in content
    assert RosterImport.objects.get().status == RosterImportStatus.UPLOADED


def test_preview_lists_the_errors_and_offers_no_apply(client_for: Any, units: Any) -> None:
    client = client_for("coordinator", language="fr")
    upload_file(client, csv_bytes([row("1001", email="nope"), row("1002", unit="XX")]))
    roster_import = RosterImport.objects.get()
    client.post(
        reverse("people:import_mapping", args=[roster_import.pk]),
        {name: str(index) for name, index in roster_import.mapping.items()},
    )

    response = client.get(reverse("people:import_preview", args=[roster_import.pk]))

    content = response.content.decode()
    assert "XX" in content
    assert "import_apply" not in content
    assert reverse("people:import_apply", args=[roster_import.pk]) not in content
    response = client.post(reverse("people:import_apply", args=[roster_import.pk]))
    assert response.status_code == 302
    assert not Employee.objects.exists()


def test_import_list_shows_past_imports(client_for: Any) -> None:
    RosterImport.objects.create(file_name="juni.csv", file_format="csv", status="applied", total_rows=3)

    response = client_for("coordinator", language="en").get(reverse("people:import_list"))

    assert b"juni.csv" in response.content
