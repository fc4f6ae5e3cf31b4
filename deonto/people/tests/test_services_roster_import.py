"""The roster import at the service level: parsing, checks, and what applying changes."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from django.utils import timezone

from deonto.core.errors import DomainError
from deonto.core.models import AuditEntry
from deonto.people.importing import error_message
from deonto.people.models import (
    Employee,
    RosterChange,
    RosterChangeKind,
    RosterImport,
    RosterImportStatus,
)
from deonto.people.services import roster_import_apply, roster_import_create, roster_import_validate
from deonto.people.tests.conftest import HEADER, csv_bytes, row, xlsx_bytes
from deonto.people.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def create(content: bytes, name: str = "roster.csv", **options: str) -> RosterImport:
    return roster_import_create(actor=None, upload=ContentFile(content, name=name), **options)


def check(content: bytes, name: str = "roster.csv", **options: str) -> RosterImport:
    roster_import = create(content, name, **options)
    return roster_import_validate(actor=None, roster_import=roster_import, mapping=roster_import.mapping)


def run(content: bytes, name: str = "roster.csv", **options: str) -> RosterImport:
    roster_import = check(content, name, **options)
    assert roster_import.status == RosterImportStatus.VALID, roster_import.errors
    return roster_import_apply(actor=None, roster_import=roster_import)


def messages(roster_import: RosterImport) -> list[str]:
    return [f"{error['row']}|{error['column']}|{error_message(error)}" for error in roster_import.errors]


def roster_snapshot() -> list[tuple[Any, ...]]:
    return list(Employee.objects.order_by("personnel_number").values_list())


# --- reading files -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ";"), ("utf-8-sig", ","), ("utf-16", "\t"), ("cp1252", ";"), ("iso-8859-15", "|")],
)
def test_import_reads_common_encodings_and_delimiters(units: Any, encoding: str, delimiter: str) -> None:
    content = csv_bytes(
        [row("1001", "Dubé", "Noël", language="Français", unit="LGG-01")],
        delimiter=delimiter,
        encoding=encoding,
    )

    run(content)

    employee = Employee.objects.get()
    assert (employee.last_name, employee.first_name, employee.language) == ("Dubé", "Noël", "fr")
    assert employee.unit == units["LGG-01"]
    assert employee.site == units["LGG-01"].site


def test_import_reads_an_xlsx_workbook_with_real_dates_and_numbers(units: Any) -> None:
    content = xlsx_bytes(
        [[1001, "Peeters", "Jan", "jan@douane.example", "Nederlands", "ANR-01", "", "Douanier", "ja",
          datetime.date(2019, 5, 1), None]]
    )  # fmt: skip

    run(content, name="roster.xlsx")

    employee = Employee.objects.get()
    assert employee.personnel_number == "1001"
    assert employee.start_date == datetime.date(2019, 5, 1)
    assert employee.is_armed is True


@pytest.mark.parametrize("text", ["2021-03-04", "04/03/2021", "04-03-2021", "04.03.2021"])
def test_import_reads_every_date_format(units: Any, text: str) -> None:
    run(csv_bytes([row("1001", start=text)]))

    assert Employee.objects.get().start_date == datetime.date(2021, 3, 4)


def test_import_maps_french_headers_automatically(units: Any) -> None:
    header = ["Matricule", "Nom", "Prénom", "Courriel", "Langue", "Unité", "Site", "Fonction", "Armé",
              "Date de début", "Date de fin"]  # fmt: skip

    roster_import = create(csv_bytes([row("1001")], header=header))

    assert set(roster_import.mapping) == {
        "personnel_number", "last_name", "first_name", "email", "language", "unit", "site", "function",
        "is_armed", "start_date", "end_date",
    }  # fmt: skip


# --- what applying changes -----------------------------------------------------------------------


def test_import_creates_updates_deactivates_and_reactivates(units: Any) -> None:
    stays = EmployeeFactory(personnel_number="1001", first_name="Jan", last_name="Peeters",
                            email="1001@douane.example", unit=units["ANR-01"], site=units["ANR-01"].site,
                            function="Douanier", start_date=datetime.date(2020, 1, 1))  # fmt: skip
    moves = EmployeeFactory(personnel_number="1002", first_name="An", last_name="Claes",
                            email="1002@douane.example", unit=units["ANR-01"], site=units["ANR-01"].site,
                            function="Douanier", start_date=datetime.date(2020, 1, 1))  # fmt: skip
    leaves = EmployeeFactory(personnel_number="1003", unit=units["ANR-01"])
    returns = EmployeeFactory(personnel_number="1004", first_name="Els", last_name="Maes",
                              email="1004@douane.example", unit=units["ANR-01"], site=units["ANR-01"].site,
                              function="Douanier", start_date=datetime.date(2020, 1, 1), is_active=False,
                              end_date=datetime.date(2024, 1, 1))  # fmt: skip
    content = csv_bytes(
        [
            row("1001", "Peeters", "Jan"),
            row("1002", "Claes", "An", unit="LGG-01", armed="ja"),
            row("1004", "Maes", "Els"),
            row("1005", "Janssens", "Piet"),
        ]
    )

    roster_import = run(content)

    assert roster_import.status == RosterImportStatus.APPLIED
    assert (roster_import.created_count, roster_import.updated_count, roster_import.deactivated_count,
            roster_import.reactivated_count, roster_import.unchanged_count) == (1, 1, 1, 1, 1)  # fmt: skip
    moves.refresh_from_db()
    assert (moves.unit, moves.site, moves.is_armed) == (units["LGG-01"], units["LGG-01"].site, True)
    leaves.refresh_from_db()
    assert leaves.is_active is False
    assert leaves.end_date == timezone.localdate()
    returns.refresh_from_db()
    assert returns.is_active is True
    assert returns.end_date is None
    stays.refresh_from_db()
    assert stays.is_active is True
    kinds = dict(RosterChange.objects.values_list("personnel_number", "kind"))
    assert kinds == {
        "1002": RosterChangeKind.UPDATED,
        "1003": RosterChangeKind.DEACTIVATED,
        "1004": RosterChangeKind.REACTIVATED,
        "1005": RosterChangeKind.CREATED,
    }
    update = RosterChange.objects.get(personnel_number="1002")
    assert {"field": "unit", "old": "ANR-01", "new": "LGG-01"} in update.fields
    assert {"field": "is_armed", "old": False, "new": True} in update.fields
    assert roster_import.content == b""
    assert AuditEntry.objects.filter(action="roster_import.apply", object_id=str(roster_import.pk)).exists()


def test_importing_the_same_file_twice_changes_nothing(units: Any) -> None:
    content = csv_bytes([row("1001"), row("1002", "Claes", "An", language="FR", unit="LGG-01", site="ANR",
                                          armed="oui", end="31/12/2030")])  # fmt: skip
    run(content)
    before = roster_snapshot()

    second = run(content)

    assert second.change_count == 0
    assert second.unchanged_count == 2
    assert not second.changes.exists()
    assert roster_snapshot() == before


def test_deactivation_keeps_an_end_date_the_employee_already_had(units: Any) -> None:
    EmployeeFactory(personnel_number="1001", unit=units["ANR-01"])
    leaving = EmployeeFactory(
        personnel_number="1002", unit=units["ANR-01"], end_date=datetime.date(2030, 1, 1)
    )

    run(csv_bytes([row("1001")]))

    leaving.refresh_from_db()
    assert (leaving.is_active, leaving.end_date) == (False, datetime.date(2030, 1, 1))


def test_an_unmapped_optional_column_leaves_the_roster_value_alone(units: Any) -> None:
    employee = EmployeeFactory(personnel_number="1001", first_name="Jan", last_name="Peeters", unit=units["ANR-01"],
                               email="kept@example.test", function="Chef")  # fmt: skip
    header = ["Personeelsnummer", "Naam", "Voornaam", "Taal", "Eenheid"]

    roster_import = run(csv_bytes([["1001", "Peeters", "Jan", "nl", "ANR-01"]], header=header))

    employee.refresh_from_db()
    assert (employee.email, employee.function) == ("kept@example.test", "Chef")
    assert roster_import.unchanged_count == 1


# --- bad input: a clear message, and nothing written -------------------------------------------


@pytest.fixture
def untouched(units: Any) -> Any:
    EmployeeFactory(personnel_number="9999", unit=units["ANR-01"])
    before = roster_snapshot()
    yield
    assert roster_snapshot() == before
    assert RosterChange.objects.count() == 0
    assert not RosterImport.objects.filter(status=RosterImportStatus.APPLIED).exists()


@pytest.mark.parametrize(
    ("content", "name", "options", "expected"),
    [
        (b"", "roster.csv", {}, "The file is empty."),
        (b"\r\n\r\n", "roster.csv", {}, "The file is empty."),
        (csv_bytes([]), "roster.csv", {}, "column headers but no rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "roster.csv", {}, "cannot be read as text"),
        (
            csv_bytes([row("1001", "Dubé")], encoding="cp1252"),
            "roster.csv",
            {"encoding": "utf-8"},
            "encoding UTF-8 that you chose",
        ),
        (csv_bytes([row("1001", "Dubé")]), "roster.csv", {"encoding": "cp1252"}, "encoding Windows-1252"),
        (csv_bytes([row("1001")]), "roster.pdf", {}, "Only CSV files"),
        (csv_bytes([row("1001")]), "roster.xlsx", {}, "not an Excel workbook"),
        (xlsx_bytes([row("1001")]), "roster.csv", {}, "spreadsheet or an archive"),
        (b"PK\x03\x04broken", "roster.xlsx", {}, "cannot be read"),
        (csv_bytes([row("1001")], header=[*HEADER[:-1], "E-mail"]), "roster.csv", {}, "appears twice"),
    ],
)
def test_import_refuses_a_bad_file_and_writes_nothing(
    untouched: Any, content: bytes, name: str, options: dict[str, str], expected: str
) -> None:
    with pytest.raises(DomainError) as refused:
        create(content, name, **options)

    assert expected in refused.value.message
    assert not RosterImport.objects.exists()


@override_settings(ROSTER_IMPORT_MAX_BYTES=100)
def test_import_refuses_a_file_over_the_size_limit(untouched: Any) -> None:
    with pytest.raises(DomainError, match="larger than the limit"):
        create(csv_bytes([row(str(n)) for n in range(1000, 1010)]))


def test_import_refuses_missing_required_columns(untouched: Any) -> None:
    roster_import = create(csv_bytes([["1001", "Peeters"]], header=["Personeelsnummer", "Naam"]))

    with pytest.raises(DomainError, match="required columns are missing") as refused:
        roster_import_validate(actor=None, roster_import=roster_import, mapping=roster_import.mapping)

    assert "first name" in refused.value.message
    assert "unit" in refused.value.message


def test_import_refuses_a_column_mapped_twice(untouched: Any) -> None:
    roster_import = create(csv_bytes([row("1001")]))

    with pytest.raises(DomainError, match="is chosen for both"):
        roster_import_validate(actor=None, roster_import=roster_import,
                               mapping={**roster_import.mapping, "function": 1})  # fmt: skip


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (row("1001", email="not-an-address"), "2|E-mail|“not-an-address” is not a valid e-mail address."),
        (row("1001", start="2021-02-30"), "2|Startdatum|“2021-02-30” is not a valid date"),
        (row("1001", start="yesterday"), "2|Startdatum|“yesterday” is not a valid date"),
        (row("1001", start="2021-01-01", end="2020-01-01"), "2|Einddatum|The end date 2020-01-01 is before"),
        (row("1001", language="Klingon"), "2|Taal|“Klingon” is not a known language"),
        (row("1001", unit="NOPE-99"), "2|Eenheid|There is no unit with the code “NOPE-99”."),
        (row("1001", site="NOSITE"), "2|Site|There is no site with the code “NOSITE”."),
        (row("1001", armed="maybe"), "2|Gewapend|“maybe” is not a yes-or-no value"),
        (row("", "Peeters"), "2|Personeelsnummer|This value is required."),
        (row("1001", '=HYPERLINK("http://x")'), "2|Naam|This value starts with “=”"),
        (row("1001", function="+31 6 123"), "2|Functie|This value starts with “+”"),
        (row("1001", function="-2+3"), "2|Functie|This value starts with “-”"),
        (row("1001", first="@SUM(A1)"), "2|Voornaam|This value starts with “@”"),
        (row("1001", function="\tcmd"), "2|Functie|This value starts with a tab or a line break"),
    ],
)
def test_import_refuses_bad_cells_with_row_and_column(
    untouched: Any, cells: list[str], expected: str
) -> None:
    roster_import = check(
        csv_bytes([cells], delimiter=";") if "\t" not in "".join(cells) else csv_bytes([cells])
    )

    assert roster_import.status == RosterImportStatus.INVALID
    assert any(message.startswith(expected) for message in messages(roster_import)), messages(roster_import)
    with pytest.raises(DomainError):
        roster_import_apply(actor=None, roster_import=roster_import)


def test_import_names_both_rows_of_a_duplicated_personnel_number(untouched: Any) -> None:
    roster_import = check(csv_bytes([row("1001"), row("1002"), row("1001", "Claes")]))

    assert messages(roster_import) == [
        "4|Personeelsnummer|The personnel number 1001 appears on rows 2 and 4."
    ]


def test_import_reports_every_error_and_counts_them_all(untouched: Any) -> None:
    roster_import = check(csv_bytes([row(str(1000 + n), unit="NOPE") for n in range(30)]))

    assert roster_import.error_count == 30
    assert [error["row"] for error in roster_import.errors] == list(range(2, 32))


def test_error_messages_follow_the_readers_language(untouched: Any) -> None:
    from django.utils import translation

    roster_import = check(csv_bytes([row("1001", unit="NOPE")]))

    with translation.override("fr"):
        french = error_message(roster_import.errors[0])
    with translation.override("en"):
        english = error_message(roster_import.errors[0])
    assert english == "There is no unit with the code “NOPE”."
    assert "NOPE" in french
