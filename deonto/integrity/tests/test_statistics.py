from __future__ import annotations

from datetime import UTC, datetime

import pytest

from deonto.core.count_tables import Table, tables_csv_rows
from deonto.integrity.models import FindingOutcome, Report, ReportCategory
from deonto.integrity.statistics import Cell, report_statistics, suppressed_cells
from deonto.integrity.tests.factories import ReportFactory


def _cells(table: Table) -> dict[tuple[str, str], Cell]:
    """Every cell of a table by (row label, column label), totals included."""
    columns = [*table.columns, "Total"]
    return {
        (row.label, column): cell
        for row in [*table.rows, table.totals]
        for column, cell in zip(columns, [*row.cells, row.total], strict=True)
    }


def _derivable(counts: list[list[int]], hidden: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """The hidden cells that a reader could work out by subtraction in one row or column."""
    rows, columns = len(counts), len(counts[0])
    grid = [[*row, sum(row)] for row in counts]
    grid.append([sum(grid[r][c] for r in range(rows)) for c in range(columns + 1)])
    lines = [[(r, c) for c in range(columns + 1)] for r in range(rows + 1)]
    lines += [[(r, c) for r in range(rows + 1)] for c in range(columns + 1)]
    return [cell for line in lines for cell in line if cell in hidden and sum(p in hidden for p in line) == 1]


def test_counts_from_one_to_four_are_hidden_zero_and_five_are_shown() -> None:
    hidden = suppressed_cells([[0, 5, 10], [4, 5, 10], [3, 6, 20]])
    assert (1, 0) in hidden
    assert (2, 0) in hidden
    assert (0, 0) not in hidden
    assert (0, 1) not in hidden


def test_a_total_that_would_reveal_a_small_count_is_hidden_too() -> None:
    # One row: a count of 3 next to 10; the row total 13 would give the 3 away.
    counts = [[3, 10], [0, 20]]
    hidden = suppressed_cells(counts)
    assert (0, 0) in hidden
    assert _derivable(counts, hidden) == []
    assert len({(0, 1), (0, 2)} & hidden) >= 1


@pytest.mark.parametrize(
    "counts",
    [
        [[3, 10, 7], [8, 9, 12], [0, 0, 6]],
        [[1, 0, 0], [0, 0, 0], [0, 0, 0]],
        [[2, 2, 2], [9, 9, 9]],
        [[4], [6], [30]],
        [[12, 13, 1, 40, 0], [7, 2, 0, 6, 8], [9, 9, 9, 9, 9]],
    ],
)
def test_no_hidden_cell_can_be_worked_out_from_a_row_or_column_total(counts: list[list[int]]) -> None:
    hidden = suppressed_cells(counts)
    assert _derivable(counts, hidden) == []
    rows, columns = len(counts), len(counts[0])
    for r in range(rows):
        for c in range(columns):
            if 0 < counts[r][c] < 5:
                assert (r, c) in hidden


def test_a_hidden_cell_of_three_shows_less_than_five_and_a_hidden_larger_count_shows_hidden() -> None:
    assert str(Cell(3, hidden=True)) == "< 5"
    assert str(Cell(0, hidden=True)) == "< 5"
    assert str(Cell(13, hidden=True)) == "hidden"
    assert str(Cell(13, hidden=False)) == "13"


@pytest.mark.django_db
def test_reports_are_counted_by_month_category_and_outcome_with_suppression() -> None:
    march = datetime(2026, 3, 10, 9, tzinfo=UTC)
    for _ in range(3):
        ReportFactory(category=ReportCategory.HARASSMENT)
    for _ in range(10):
        ReportFactory(category=ReportCategory.SOCIAL_MEDIA, finding_outcome=FindingOutcome.BREACH)
    Report.objects.update(created_at=march)

    months, outcomes = report_statistics(year=2026).tables

    cells = _cells(months)
    assert str(cells["March", "Harassment"]) == "< 5"
    assert str(cells["March", "Social media post"]) == "hidden"  # else 13 - 10 gives the 3 away
    assert str(cells["March", "Total"]) == "13"
    assert str(cells["Total", "Harassment"]) == "< 5"
    assert str(cells["Total", "Social media post"]) == "hidden"  # else 13 - 10 again
    assert str(cells["April", "Harassment"]) == "0"
    outcome_cells = _cells(outcomes)
    assert str(outcome_cells["Open (no finding yet)", "Harassment"]) == "< 5"
    assert str(outcome_cells["Breach", "Social media post"]) == "hidden"
    # The totals row is shared: what one table hides, the other hides too.
    assert str(outcome_cells["Total", "Harassment"]) == str(cells["Total", "Harassment"])
    assert str(outcome_cells["Total", "Social media post"]) == str(cells["Total", "Social media post"])


@pytest.mark.django_db
def test_the_year_is_that_of_the_brussels_calendar() -> None:
    ReportFactory()
    # 31 December 2025, 23:30 UTC is already 1 January 2026 in Brussels.
    Report.objects.update(created_at=datetime(2025, 12, 31, 23, 30, tzinfo=UTC))

    assert str(_cells(report_statistics(year=2026).tables[0])["January", "Social media post"]) == "< 5"
    assert str(_cells(report_statistics(year=2025).tables[0])["Total", "Total"]) == "0"


@pytest.mark.django_db
def test_the_csv_rows_hold_the_same_suppressed_figures() -> None:
    for _ in range(3):
        ReportFactory(category=ReportCategory.HARASSMENT)
    Report.objects.update(created_at=datetime(2026, 3, 10, 9, tzinfo=UTC))

    rows = tables_csv_rows(report_statistics(year=2026).tables)

    march = next(row for row in rows if row and row[0] == "March")
    assert march[1 + list(ReportCategory.values).index(ReportCategory.HARASSMENT)] == "< 5"
    assert "3" not in march
