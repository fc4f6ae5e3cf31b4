"""The progress exports parsed back: CSV (BOM, ``;``, formula-escaped), XLSX and the PDF report."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from deonto.accounts.roles import Role
from deonto.core.csv_export import csv_lines
from deonto.rollout import exports
from deonto.rollout.progress import campaign_progress
from deonto.rollout.tests.progress_data import build_known_campaign

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture
def known():
    return build_known_campaign(TODAY)


def _csv(known, viewer, language="en"):
    with translation.override(language):
        text = "".join(csv_lines(exports.people_rows(campaign=known.campaign, viewer=viewer)))
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_csv_has_one_row_per_person_of_the_audience(known, make_user):
    rows = _csv(known, make_user(Role.COORDINATOR))
    assert rows[0] == [
        "Personnel number",
        "Last name",
        "First name",
        "Wave",
        "Unit",
        "Region",
        "Language",
        "Status",
        "Session date",
        "Trained",
        "Trained on",
        "Absent from sessions",
    ]
    by_number = {row[0]: row for row in rows[1:]}
    assert len(by_number) == 9
    held = (TODAY - datetime.timedelta(days=14)).isoformat()
    assert by_number["P-a1"] == [
        "P-a1",
        "Person a1",
        "A1",
        "Armed officers",
        "A",
        "Region One",
        "Dutch",
        "Attended",
        held,
        "yes",
        held,
        "0",
    ]
    assert by_number["P-a2"][-1] == "1"  # marked absent
    assert by_number["P-e4"][3:] == [
        "Everyone else",
        "C",
        "Region Two",
        "German",
        "Not enrolled",
        "",
        "no",
        "",
        "0",
    ]
    assert by_number["P-a4"][7:10] == ["Invited", (TODAY + datetime.timedelta(days=14)).isoformat(), "no"]


def test_the_csv_is_in_the_readers_language(known, make_user):
    rows = _csv(known, make_user(Role.COORDINATOR), language="fr")
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number["P-e3"][5] == "Région Deux"
    assert by_number["P-e3"][6] == "Français"


def test_csv_cells_that_would_start_a_formula_are_quoted(known, make_user):
    person = known.people["e3"]
    person.last_name = '=HYPERLINK("http://evil")'
    person.first_name = "@SUM(A1)"
    person.save()
    rows = _csv(known, make_user(Role.COORDINATOR))
    row = next(row for row in rows if row[0] == "P-e3")
    assert row[1] == '\'=HYPERLINK("http://evil")'
    assert row[2] == "'@SUM(A1)"


def test_a_manager_exports_only_their_units(known, make_user):
    manager = make_user(Role.MANAGER)
    known.units["B"].managers.add(manager)
    rows = _csv(known, manager)
    assert sorted(row[0] for row in rows[1:]) == ["P-a2", "P-e2"]


def test_the_xlsx_holds_the_same_rows_with_real_dates(known, make_user):
    with translation.override("en"):
        data = exports.people_xlsx(
            exports.people_rows(campaign=known.campaign, viewer=make_user(Role.COORDINATOR)), title="Progress"
        )
    sheet = load_workbook(io.BytesIO(data), read_only=True)["Progress"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Personnel number"
    assert len(rows) == 10
    a1 = next(row for row in rows if row[0] == "P-a1")
    assert a1[3] == "Armed officers"
    assert a1[8].date() == TODAY - datetime.timedelta(days=14)
    assert a1[9] == "yes"


def test_the_pdf_report_is_a_pdf_with_its_title(known, make_user):
    with translation.override("en"):
        progress = campaign_progress(campaign=known.campaign, viewer=make_user(Role.COORDINATOR), today=TODAY)
        data = exports.progress_pdf(progress, compress=False)
    assert data.startswith(b"%PDF")
    assert b"Rollout progress: Social media 2026" in data  # the document's title
    assert b"BitstreamVeraSans" in data  # the Vera fonts, embedded


def test_the_forecast_rule_states_the_fill_rate(known, make_user):
    with translation.override("en"):
        progress = campaign_progress(campaign=known.campaign, viewer=make_user(Role.COORDINATOR), today=TODAY)
        assert "50 % of its seats" in exports.forecast_rule(progress)
