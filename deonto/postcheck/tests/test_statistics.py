"""The statistics of the post checker: how many checks found each kind of risk, by month, from the counts a
check leaves (and nothing else)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from deonto.accounts.roles import Role
from deonto.core.count_tables import Table
from deonto.core.navigation import navigation_for
from deonto.postcheck.analyzers.findings import Category
from deonto.postcheck.demo import DAYS, checks_demo_seed
from deonto.postcheck.models import CategoryCount
from deonto.postcheck.services import post_check
from deonto.postcheck.statistics import check_statistics, check_years

pytestmark = pytest.mark.django_db

STATISTICS = reverse("postcheck:statistics")
STATISTICS_CSV = reverse("postcheck:statistics_csv")


@pytest.fixture
def counts() -> None:
    CategoryCount.objects.bulk_create(
        [
            CategoryCount(day=date(2025, 3, 3), category="weapon", count=4),
            CategoryCount(day=date(2025, 3, 17), category="weapon", count=2),
            CategoryCount(day=date(2025, 3, 17), category="location", count=5),
            CategoryCount(day=date(2025, 11, 2), category="personal-data", count=7),
            CategoryCount(day=date(2024, 12, 31), category="weapon", count=100),
        ]
    )


def _cells(table: Table) -> dict[tuple[str, str], str]:
    return {
        (row.label, column): str(cell)
        for row in [*table.rows, table.totals]
        for column, cell in zip([*table.columns, "Total"], [*row.cells, row.total], strict=True)
    }


def test_a_year_is_counted_by_month_and_category_with_totals(counts: Any) -> None:
    with translation.override("en"):
        table = check_statistics(year=2025)
    cells = _cells(table)
    assert table.caption == "Checks that found each kind of risk in 2025, by month"
    assert cells["March", "Service weapon"] == "6"
    assert cells["March", "Location"] == "5"
    assert cells["March", "Total"] == "11"
    assert cells["November", "Personal data"] == "7"
    assert cells["January", "Total"] == "0"
    assert cells["Total", "Service weapon"] == "6"
    assert cells["Total", "Total"] == "18"
    assert [row.label for row in table.rows][:2] == ["January", "February"]
    assert len(table.rows) == 12 and len(table.columns) == 9


def test_the_years_offered_are_those_with_counts_and_this_one(counts: Any) -> None:
    assert check_years() == sorted({timezone.localdate().year, 2025, 2024}, reverse=True)


def test_a_check_that_finds_risks_adds_to_this_months_row(make_user: Any, guidance: Any) -> None:
    today = timezone.localdate()
    post_check(
        actor=make_user(Role.EMPLOYEE),
        text="Mooie vangst vandaag: 200 kg coke in een container. Bel me op 0470 12 34 56.",
        photo=None,
        language="nl",
    )
    with translation.override("en"):
        table = check_statistics(year=today.year)
    row = table.rows[today.month - 1]
    assert row.total.value >= 2
    assert dict(zip(table.columns, (cell.value for cell in row.cells), strict=True))["Personal data"] == 1


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MANAGER, Role.INSPECTOR, Role.HEAD_OF_SERVICE])
def test_the_programme_and_the_integrity_service_see_the_page_in_their_language(
    client_for: Any, role: str, counts: Any
) -> None:
    page = client_for(role, language="fr").get(STATISTICS, {"year": 2025})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Vérifications ayant trouvé chaque type de risque en 2025, par mois" in html
    assert "Arme de service" in html


def test_the_page_shows_the_current_year_when_asked_for_one_without_counts(
    client_for: Any, counts: Any
) -> None:
    page = client_for(Role.COORDINATOR, language="en").get(STATISTICS, {"year": 1999})
    assert page.status_code == 200
    assert f"in {timezone.localdate().year}, by month" in page.content.decode()


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.INSTRUCTOR, Role.ADMINISTRATOR])
def test_other_roles_are_refused_the_page_and_its_csv_and_do_not_see_it_in_the_menu(
    client_for: Any, make_user: Any, role: str
) -> None:
    client = client_for(role)
    assert client.get(STATISTICS).status_code == 403
    assert client.get(STATISTICS_CSV).status_code == 403
    assert "postcheck:statistics" not in [item.url_name for item in navigation_for(make_user(role))]


def test_the_menu_offers_the_page_to_a_coordinator(make_user: Any) -> None:
    assert "postcheck:statistics" in [item.url_name for item in navigation_for(make_user(Role.COORDINATOR))]


def test_the_csv_has_the_figures_of_the_year_in_the_readers_language(client_for: Any, counts: Any) -> None:
    response = client_for(Role.MANAGER, language="nl").get(STATISTICS_CSV, {"year": 2025})
    assert response["Content-Disposition"] == 'attachment; filename="post-check-statistics-2025.csv"'
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Controles die elke soort risico vonden in 2025, per maand"]
    assert rows[1][0] == "Maand" and rows[1][-1] == "Totaal"
    march = next(row for row in rows if row and row[0] == "Maart")
    assert march[-1] == "11"
    totals = next(row for row in rows if row and row[0] == "Totaal")
    assert totals[-1] == "18"


def test_the_demo_fills_a_year_of_counts_once_and_the_same_way_for_the_same_seed() -> None:
    today = date(2026, 11, 25)
    found = checks_demo_seed(today=today)
    assert found > 5_000
    assert CategoryCount.objects.order_by("day").first().day == today - timedelta(days=DAYS - 1)
    assert set(CategoryCount.objects.values_list("category", flat=True)) == {str(c) for c in Category}
    rows = sorted(CategoryCount.objects.values_list("day", "category", "count"))
    assert checks_demo_seed(today=today) == 0
    CategoryCount.objects.all().delete()
    assert checks_demo_seed(today=today) == found
    assert sorted(CategoryCount.objects.values_list("day", "category", "count")) == rows
    with translation.override("en"):
        november = check_statistics(year=2026).rows[10]
    assert november.total.value > 0
