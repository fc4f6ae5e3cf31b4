"""``manage.py import_roster``: the same import from the command line."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from deonto.people.models import Employee, RosterImport
from deonto.people.tests.conftest import csv_bytes, row

pytestmark = pytest.mark.django_db


def write(tmp_path: Path, content: bytes, name: str = "roster.csv") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_command_imports_the_file_and_prints_the_counts(units: Any, tmp_path: Path, make_user: Any) -> None:
    make_user("coordinator", username="coord")
    out = StringIO()

    call_command(
        "import_roster", write(tmp_path, csv_bytes([row("1001"), row("1002")])), user="coord", stdout=out
    )

    assert Employee.objects.count() == 2
    assert "new: 2" in out.getvalue()
    assert RosterImport.objects.get().created_by.username == "coord"


def test_command_dry_run_writes_nothing(units: Any, tmp_path: Path) -> None:
    out = StringIO()

    call_command("import_roster", write(tmp_path, csv_bytes([row("1001")])), dry_run=True, stdout=out)

    assert "1 rows, changes to make" in out.getvalue()
    assert "new: 1" in out.getvalue()
    assert not Employee.objects.exists()
    assert not RosterImport.objects.exists()


def test_command_accepts_encoding_and_delimiter(units: Any, tmp_path: Path) -> None:
    content = csv_bytes([row("1001", "Dubé")], delimiter="\t", encoding="cp1252")

    call_command(
        "import_roster", write(tmp_path, content), encoding="cp1252", delimiter="tab", stdout=StringIO()
    )

    assert Employee.objects.get().last_name == "Dubé"


def test_command_prints_errors_with_row_numbers_and_writes_nothing(units: Any, tmp_path: Path) -> None:
    err = StringIO()
    content = csv_bytes([row("1001"), row("1002", unit="NOPE")])

    with pytest.raises(CommandError, match="1 error"):
        call_command("import_roster", write(tmp_path, content), stdout=StringIO(), stderr=err)

    assert "Row 3, column Eenheid: There is no unit with the code “NOPE”." in err.getvalue()
    assert not Employee.objects.exists()
    assert not RosterImport.objects.exists()


def test_command_refuses_an_unreadable_file(units: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Only CSV files"):
        call_command("import_roster", write(tmp_path, b"%PDF-1.4", "roster.pdf"), stdout=StringIO())

    assert not RosterImport.objects.exists()


def test_command_exits_non_zero_on_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = write(tmp_path, csv_bytes([row("1001", unit="NOPE")]))
    root = Path(__file__).resolve().parents[3]
    env = {"DEONTO_DEBUG": "1", "DEONTO_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}

    def manage(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=root,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )

    assert manage("migrate", "--no-input").returncode == 0
    result = manage("import_roster", path)

    assert result.returncode == 1
    assert "There is no unit with the code “NOPE”." in result.stderr


def test_command_speaks_the_operators_language(units: Any, tmp_path: Path) -> None:
    err = StringIO()
    content = csv_bytes([row("1001", unit="NOPE")])

    with pytest.raises(CommandError, match="1 erreur"):
        call_command("import_roster", write(tmp_path, content), language="fr", stdout=StringIO(), stderr=err)

    assert err.getvalue().startswith("Ligne 2, colonne Eenheid : ")
