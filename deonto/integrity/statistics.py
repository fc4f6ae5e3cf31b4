"""Anonymised statistics of integrity reports for management: counts per category, month and outcome.

Nothing about a report but its category, the month it came in and its outcome is read, and only
counts leave this module. A count from 1 to 4 could point to a person, so it is suppressed (shown
as "< 5"); so is any other count that would let it be worked out again by subtraction from a total
(secondary suppression), shown as "hidden".

The figures are two tables that share their last row: reports by month and category, and reports
by outcome and category, each with the totals per category and overall. Suppression is worked out
over both at once, so a total hidden in one table is never shown in the other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from deonto.accounts.models import User
from deonto.core.count_tables import Cell as CountCell
from deonto.core.count_tables import Row, Table
from deonto.integrity.models import FindingOutcome, Report, ReportCategory

BRUSSELS = ZoneInfo("Europe/Brussels")
THRESHOLD = 5
OPEN = "open"
Position = tuple[int, int]


def can_view_statistics(user: object) -> bool:
    return isinstance(user, User) and user.is_active and user.has_perm("integrity.view_statistics")


def suppressed_cells(counts: Sequence[Sequence[int]], *, forced_totals: Iterable[int] = ()) -> set[Position]:
    """The cells to hide in a table of ``counts`` (rows of columns) with its totals added: row
    ``len(counts)`` holds the column totals, column ``len(counts[0])`` the row totals.

    First every count from 1 to ``THRESHOLD - 1``, totals included, and the cells of the totals
    row listed in ``forced_totals`` (hidden by a table sharing that row). Then, as long as a row or
    a column (with its total) has exactly one hidden cell, which its total would give away, the
    smallest other count in that line is hidden too, preferring counts above zero.
    """
    rows, columns = len(counts), len(counts[0])
    grid = [[*row, sum(row)] for row in counts]
    grid.append([sum(grid[r][c] for r in range(rows)) for c in range(columns + 1)])
    hidden = {(r, c) for r in range(rows + 1) for c in range(columns + 1) if 0 < grid[r][c] < THRESHOLD} | {
        (rows, c) for c in forced_totals
    }
    lines = [[(r, c) for c in range(columns + 1)] for r in range(rows + 1)]
    lines += [[(r, c) for r in range(rows + 1)] for c in range(columns + 1)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(position in hidden for position in line) != 1:
                continue
            shown = [position for position in line if position not in hidden]
            if shown:
                hidden.add(min(shown, key=lambda p: (grid[p[0]][p[1]] == 0, grid[p[0]][p[1]])))
                changed = True
    return hidden


class Cell(CountCell):
    """A count of reports; a hidden one shows why it is hidden."""

    def __str__(self) -> str:
        if not self.hidden:
            return str(self.value)
        return _("< 5") if self.value < THRESHOLD else _("hidden")


@dataclass(frozen=True)
class Statistics:
    year: int
    tables: list[Table]


def _table(
    caption: str, row_heading: str, row_labels: list[str], counts: list[list[int]], hidden: set[Position]
) -> Table:
    columns = [str(label) for label in ReportCategory.labels]
    width = len(columns)

    def row(label: str, values: list[int], r: int) -> Row:
        cells = [Cell(value, (r, c) in hidden) for c, value in enumerate(values)]
        return Row(label, cells, Cell(sum(values), (r, width) in hidden))

    totals = [sum(values[c] for values in counts) for c in range(width)]
    return Table(
        caption=caption,
        row_heading=row_heading,
        columns=columns,
        rows=[
            row(label, values, r) for r, (label, values) in enumerate(zip(row_labels, counts, strict=True))
        ],
        totals=row(_("Total"), totals, len(counts)),
    )


def _linked_suppression(
    first: list[list[int]], second: list[list[int]]
) -> tuple[set[Position], set[Position]]:
    """Suppress two tables that share their totals row until both hide the same totals."""
    forced: set[int] = set()
    while True:
        hidden_first = suppressed_cells(first, forced_totals=forced)
        hidden_second = suppressed_cells(second, forced_totals=forced)
        totals = {c for r, c in hidden_first if r == len(first)} | {
            c for r, c in hidden_second if r == len(second)
        }
        if totals == forced:
            return hidden_first, hidden_second
        forced = totals


def report_years() -> list[int]:
    """The years with reports, newest first; the current year always among them."""
    years = {day.year for day in Report.objects.dates("created_at", "year")}
    return sorted(years | {timezone.localdate().year}, reverse=True)


def report_statistics(*, year: int) -> Statistics:
    """The counts of the reports received in ``year`` (on the Brussels calendar)."""
    start = datetime(year, 1, 1, tzinfo=BRUSSELS)
    end = datetime(year + 1, 1, 1, tzinfo=BRUSSELS)
    categories = list(ReportCategory.values)
    outcomes = [*FindingOutcome.values, OPEN]
    by_month: Counter[tuple[int, str]] = Counter()
    by_outcome: Counter[tuple[str, str]] = Counter()
    rows = Report.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
        "category", "created_at", "finding_outcome"
    )
    for category, created_at, outcome in rows:
        by_month[created_at.astimezone(BRUSSELS).month, category] += 1
        by_outcome[outcome or OPEN, category] += 1

    months = list(range(1, 13))
    month_counts = [[by_month[month, category] for category in categories] for month in months]
    outcome_counts = [[by_outcome[outcome, category] for category in categories] for outcome in outcomes]
    hidden_months, hidden_outcomes = _linked_suppression(month_counts, outcome_counts)
    outcome_labels = [str(label) for label in FindingOutcome.labels] + [_("Open (no finding yet)")]
    return Statistics(
        year=year,
        tables=[
            _table(
                _("Reports received in %(year)s, by month and category") % {"year": year},
                _("Month"),
                [capfirst(formats.date_format(date(year, month, 1), "F")) for month in months],
                month_counts,
                hidden_months,
            ),
            _table(
                _("Reports received in %(year)s, by outcome and category") % {"year": year},
                _("Outcome"),
                outcome_labels,
                outcome_counts,
                hidden_outcomes,
            ),
        ],
    )
