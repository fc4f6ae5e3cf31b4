"""A coordinator imports the roster: a file with errors is refused with every error shown and
nothing written; the corrected file is applied and its changes listed. axe-core checks each
step in Dutch and in French."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from browser_tests.helpers import log_in, switch_language
from conftest import PASSWORD
from deonto.accounts.roles import Role
from deonto.people.models import Employee
from deonto.people.tests.factories import OrgUnitFactory, SiteFactory

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "Personeelsnummer;Naam;Voornaam;E-mail;Taal;Eenheid;Functie;Gewapend;Startdatum"
GOOD_ROWS = [
    "100001;Peeters;Jan;jan.peeters@douane.example;NL;ANR-01;Douanier;ja;2015-03-01",
    "100002;Dubois;Élodie;elodie.dubois@douane.example;FR;LGG-01;Contrôleuse;non;01/09/2019",
    "100003;Schmitz;Jörg;joerg.schmitz@douane.example;DE;LGG-01;Zöllner;ja;2021-06-15",
]
BAD_ROWS = [
    "100001;Peeters;Jan;jan.peeters@douane.example;NL;ANR-01;Douanier;ja;2015-03-01",
    "100001;Janssens;Els;els.janssens@douane.example;NL;ANR-01;Douanier;nee;2018-01-01",
    '100004;=HYPERLINK("http://x");Piet;piet@douane.example;NL;ANR-01;Douanier;nee;2018-01-01',
    "100005;Martin;Luc;luc.martin@douane.example;FR;NOPE-99;Contrôleur;oui;2018-01-01",
]


def _write(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\r\n".join([HEADER, *rows]) + "\r\n", encoding="cp1252")
    return path


def _upload(page: Page, base: str, path: Path) -> None:
    page.goto(f"{base}/roster/import/")
    page.locator("input[type=file]").set_input_files(str(path))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_coordinator_imports_a_roster_with_errors_then_without(
    page: Page, live_server, make_user, tmp_path: Path, assert_accessible
) -> None:
    antwerp, liege = SiteFactory(code="ANR"), SiteFactory(code="LGG")
    OrgUnitFactory(code="ANR-01", site=antwerp)
    OrgUnitFactory(code="LGG-01", site=liege)
    make_user(Role.COORDINATOR, username="coordinator", language="nl")
    base = live_server.url
    log_in(page, base, "coordinator", PASSWORD)

    page.goto(f"{base}/roster/import/")
    assert_accessible(page, "import start (nl)")

    _upload(page, base, _write(tmp_path, "fouten.csv", BAD_ROWS))
    expect(page.locator("h1")).to_have_text("Kolommen koppelen")
    assert_accessible(page, "column mapping (nl)")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    errors = page.locator("table.import-errors")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("100001")
    expect(errors).to_contain_text("NOPE-99")
    expect(errors).to_contain_text("=")
    expect(page.get_by_role("button", name="Deze wijzigingen toepassen")).to_have_count(0)
    assert_accessible(page, "preview with errors (nl)")
    switch_language(page, "Français")
    expect(page.locator("table.import-errors")).to_be_visible()
    assert_accessible(page, "preview with errors (fr)")
    assert Employee.objects.count() == 0

    _upload(page, base, _write(tmp_path, "correct.csv", GOOD_ROWS))
    assert_accessible(page, "column mapping (fr)")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert_accessible(page, "preview without errors (fr)")
    page.get_by_role("button", name="Appliquer ces modifications").click()
    page.wait_for_load_state()

    expect(page.locator("table.roster-changes")).to_contain_text("100002")
    assert_accessible(page, "result (fr)")
    switch_language(page, "Nederlands")
    assert_accessible(page, "result (nl)")
    assert sorted(Employee.objects.values_list("personnel_number", flat=True)) == [
        "100001",
        "100002",
        "100003",
    ]
    assert Employee.objects.get(personnel_number="100002").first_name == "Élodie"

    page.goto(f"{base}/roster/")
    expect(page.locator("table.employees")).to_contain_text("Schmitz")
    assert_accessible(page, "staff roster (nl)")
