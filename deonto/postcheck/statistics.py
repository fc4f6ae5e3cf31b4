"""What the post checker found, by month and category, read from `CategoryCount`: the only trace a check
leaves (no text, no photo, no user; a check that finds nothing leaves none at all)."""

from __future__ import annotations

from datetime import date

from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from deonto.accounts.models import User
from deonto.core.count_tables import Cell, Row, Table
from deonto.postcheck.analyzers.findings import Category
from deonto.postcheck.models import CATEGORY_LABELS, CategoryCount


def can_view_check_statistics(user: object) -> bool:
    return isinstance(user, User) and user.is_active and user.has_perm("postcheck.view_categorycount")


def check_years() -> list[int]:
    """The years with counts, newest first; the current year always among them."""
    years = {day.year for day in CategoryCount.objects.dates("day", "year")}
    return sorted(years | {timezone.localdate().year}, reverse=True)


def check_statistics(*, year: int) -> Table:
    """Per month of `year` and per category, how many checks found that category."""
    per_month = (
        CategoryCount.objects.filter(day__year=year)
        .values_list("day__month", "category")
        .annotate(found=Sum("count"))
    )
    found = {(month, category): count for month, category, count in per_month}
    months = range(1, 13)
    grid = [[found.get((month, str(category)), 0) for category in Category] for month in months]
    totals = [sum(column) for column in zip(*grid, strict=True)]
    return Table(
        caption=_("Checks that found each kind of risk in %(year)s, by month") % {"year": year},
        row_heading=_("Month"),
        columns=[str(CATEGORY_LABELS[category]) for category in Category],
        rows=[
            Row(
                capfirst(formats.date_format(date(year, month, 1), "F")),
                [Cell(value) for value in values],
                Cell(sum(values)),
            )
            for month, values in zip(months, grid, strict=True)
        ],
        totals=Row(_("Total"), [Cell(value) for value in totals], Cell(sum(totals))),
    )
