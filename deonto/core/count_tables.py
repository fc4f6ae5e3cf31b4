"""Tables of counts as the statistics pages show them (`core/_count_table.html`) and download them as CSV:
rows of cells with a total per row, and a row of totals; and the form that chooses the year."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Cell:
    """A count; `hidden` marks one a page may not show (a subclass says what it shows instead)."""

    value: int
    hidden: bool = False

    def __str__(self) -> str:
        return str(self.value)


@dataclass(frozen=True)
class Row:
    label: str
    cells: Sequence[Cell]
    total: Cell


@dataclass(frozen=True)
class Table:
    caption: str
    row_heading: str
    columns: Sequence[str]
    rows: Sequence[Row]
    totals: Row


def tables_csv_rows(tables: Iterable[Table]) -> list[list[str]]:
    """The tables one under the other as the rows of a CSV file, each with its caption and its headings, cells
    shown as on the page."""
    lines: list[list[str]] = []
    for table in tables:
        lines.append([table.caption])
        lines.append([table.row_heading, *table.columns, _("Total")])
        for row in [*table.rows, table.totals]:
            lines.append([row.label, *(str(cell) for cell in row.cells), str(row.total)])
        lines.append([])
    return lines


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]  # type: ignore[attr-defined]


def year_asked(request: HttpRequest, years: list[int]) -> tuple[YearForm, int]:
    """The year asked for in `?year=`; the current one when none is, or one not among `years`."""
    form = YearForm(request.GET if "year" in request.GET else None, years=years)
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    if not form.is_bound:
        form = YearForm(initial={"year": year}, years=years)
    return form, year
