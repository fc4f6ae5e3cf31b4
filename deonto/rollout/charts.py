"""The burn-up chart: trained people per wave over the weeks, each wave's size, the target date and
the forecast, as accessible SVG for the page and as a reportlab drawing for the PDF report.

Both are drawn from one geometry. Waves differ by line pattern and marker shape as well as by
colour, and each line is labelled with its wave's name, so colour alone never carries meaning.
The page puts a table with the same figures right after the chart.
"""

from __future__ import annotations

import datetime
import textwrap
from dataclasses import dataclass, replace
from typing import Any

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from deonto.rollout.progress import BurnUp

WIDTH, HEIGHT = 720.0, 340.0
LEFT, RIGHT, TOP, BOTTOM = 56.0, 150.0, 20.0, 40.0
# A wave's label at the right of the chart: its name on up to three lines of what the margin holds, sitting on
# the wave's size line, and the size under it; labels of close sizes are moved apart, LABEL_GAP between them.
LABEL_CHARACTERS, LABEL_NAME_LINES = 22, 3
LABEL_LINE, LABEL_GAP = 13.0, 4.0
COLOURS = ("#1f4e79", "#a4361b", "#2e6b30", "#6a3d8f", "#7a5a00")
DASHES = ("", "8 4", "3 3", "10 3 3 3", "1 4")
MARKERS = ("circle", "square", "diamond", "triangle", "circle")


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    dash: str
    marker: str
    trained: list[tuple[float, float]]
    audience_y: float
    audience_label: str
    label_lines: tuple[str, ...]
    label_y: float  # the baseline of the label's first line
    forecast: tuple[tuple[float, float], tuple[float, float]] | None


@dataclass(frozen=True)
class Geometry:
    width: float
    height: float
    series: list[Series]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    target_x: float | None
    today_x: float | None


def _nice_top(value: int) -> int:
    """The smallest of 1, 2 or 5 times a power of ten, at least 10, that is at or above ``value``."""
    magnitude = 10
    while True:
        for factor in (1, 2, 5):
            if magnitude * factor >= value:
                return magnitude * factor
        magnitude *= 10


def _name_lines(name: str) -> list[str]:
    lines = textwrap.wrap(name, LABEL_CHARACTERS, break_long_words=True) or [""]
    if len(lines) > LABEL_NAME_LINES:
        rest = " ".join(lines[LABEL_NAME_LINES - 1 :])
        lines = [*lines[: LABEL_NAME_LINES - 1], rest[: LABEL_CHARACTERS - 1].rstrip() + "…"]
    return lines


def _label_ys(labels: list[tuple[float, int]], *, top: float, bottom: float) -> list[float]:
    """The first baseline of each label, given where it would like to be and its number of lines: moved down
    where it would overlap the label above, then all moved up where the last ones pass ``bottom`` (the last
    baseline's limit), never above ``top`` (the first baseline's limit)."""
    order = sorted(range(len(labels)), key=lambda index: labels[index][0])
    placed: dict[int, float] = {}
    free = top  # the highest first baseline the next label may take
    for index in order:
        wanted, lines = labels[index]
        placed[index] = max(wanted, free)
        free = placed[index] + lines * LABEL_LINE + LABEL_GAP
    for index in reversed(order):  # from the bottom up, pull back inside the chart
        wanted, lines = labels[index]
        placed[index] = max(top, min(placed[index], bottom - (lines - 1) * LABEL_LINE))
        bottom = placed[index] - LABEL_GAP - LABEL_LINE
    return [placed[index] for index in range(len(labels))]


def geometry(burnup: BurnUp, *, target_on: datetime.date) -> Geometry:
    weeks = burnup.weeks
    first = weeks[0]
    forecast_days = [day for _wave, day in burnup.forecasts if day is not None]
    last = max([weeks[-1], target_on, *forecast_days])
    span = max((last - first).days, 7)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = _nice_top(burnup.maximum)

    def x_of(day: datetime.date) -> float:
        return round(LEFT + (day - first).days * plot_width / span, 1)

    def y_of(count: int) -> float:
        return round(TOP + plot_height - count * plot_height / top, 1)

    current = [week for week in weeks if week <= burnup.today] or weeks[:1]
    series = []
    for index, ((wave, audience, counts), (_wave, forecast_on)) in enumerate(
        zip(burnup.series, burnup.forecasts, strict=True)
    ):
        points = [(x_of(week), y_of(counts[position])) for position, week in enumerate(current)]
        name_lines = _name_lines(wave.name)
        forecast = None
        if forecast_on is not None and points and counts[len(current) - 1] < audience:
            forecast = (points[-1], (x_of(forecast_on), y_of(audience)))
        series.append(
            Series(
                label=wave.name,
                colour=COLOURS[index % len(COLOURS)],
                dash=DASHES[index % len(DASHES)],
                marker=MARKERS[index % len(MARKERS)],
                trained=points,
                audience_y=y_of(audience),
                audience_label=ngettext("%(wave)s: %(count)s person", "%(wave)s: %(count)s people", audience)
                % {"wave": wave.name, "count": audience},
                label_lines=(
                    *name_lines,
                    ngettext("%(count)s person", "%(count)s people", audience) % {"count": audience},
                ),
                label_y=y_of(audience) - (len(name_lines) - 1) * LABEL_LINE,
                forecast=forecast,
            )
        )
    label_ys = _label_ys(
        [(item.label_y, len(item.label_lines)) for item in series], top=TOP + 10, bottom=HEIGHT - BOTTOM - 4
    )
    series = [replace(item, label_y=y) for item, y in zip(series, label_ys, strict=True)]
    months = []
    month = datetime.date(first.year, first.month, 1)
    while month <= last:
        if month >= first:
            months.append(month)
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    if len(months) > 12:
        months = months[:: (len(months) + 11) // 12]
    # The year on the first tick and where it changes only: "Nov 2026 Dec Jan 2027 Feb" stays legible.
    x_ticks = [
        (
            x_of(month),
            formats.date_format(month, "M Y" if index == 0 or month.year != months[index - 1].year else "M"),
        )
        for index, month in enumerate(months)
    ]
    y_ticks = [(y_of(top * step // 5), str(top * step // 5)) for step in range(6)]
    today_x = x_of(burnup.today) if first <= burnup.today <= last else None
    return Geometry(
        width=WIDTH,
        height=HEIGHT,
        series=series,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        target_x=x_of(target_on),
        today_x=today_x,
    )


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 3.5}" y="{y - 3.5}" width="7" height="7" fill="{colour}"/>'
    if kind == "diamond":
        return f'<path d="M{x} {y - 4.5}L{x + 4.5} {y}L{x} {y + 4.5}L{x - 4.5} {y}Z" fill="{colour}"/>'
    if kind == "triangle":
        return f'<path d="M{x} {y - 4.5}L{x + 4.5} {y + 4}L{x - 4.5} {y + 4}Z" fill="{colour}"/>'
    return f'<circle cx="{x}" cy="{y}" r="3.5" fill="{colour}"/>'


def _points(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{x},{y}" for x, y in points)


def burnup_svg(
    burnup: BurnUp, *, target_on: datetime.date, title: str, description: str, ident: str
) -> SafeString:
    """The chart as inline SVG: ``role="img"`` with its title and description; every text in it is
    escaped here."""
    shape = geometry(burnup, target_on=target_on)
    bottom, right = shape.height - BOTTOM, shape.width - RIGHT
    parts = [
        f'<svg class="chart burnup" viewBox="0 0 {shape.width:g} {shape.height:g}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
        '<g font-family="sans-serif" font-size="11" fill="#333">',
    ]
    for y, label in shape.y_ticks:
        parts.append(f'<line x1="{LEFT}" y1="{y}" x2="{right}" y2="{y}" stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4}" text-anchor="end">{escape(label)}</text>')
    for x, label in shape.x_ticks:
        parts.append(f'<line x1="{x}" y1="{bottom}" x2="{x}" y2="{bottom + 5}" stroke="#333"/>')
        parts.append(f'<text x="{x}" y="{bottom + 18}" text-anchor="middle">{escape(label)}</text>')
    parts.append(f'<line x1="{LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#333"/>')
    parts.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="#333"/>')
    if shape.target_x is not None:
        parts.append(
            f'<line x1="{shape.target_x}" y1="{TOP}" x2="{shape.target_x}" y2="{bottom}" '
            f'stroke="#555" stroke-dasharray="2 3"/>'
        )
        parts.append(f'<text x="{shape.target_x + 3}" y="{TOP + 10}">{escape(gettext("Target"))}</text>')
    if shape.today_x is not None:
        parts.append(
            f'<line x1="{shape.today_x}" y1="{TOP}" x2="{shape.today_x}" y2="{bottom}" stroke="#999"/>'
        )
        parts.append(f'<text x="{shape.today_x + 3}" y="{TOP + 24}">{escape(gettext("Today"))}</text>')
    for item in shape.series:
        dash = f' stroke-dasharray="{item.dash}"' if item.dash else ""
        parts.append(
            f'<line x1="{LEFT}" y1="{item.audience_y}" x2="{right}" y2="{item.audience_y}" '
            f'stroke="{item.colour}" stroke-opacity=".45" stroke-dasharray="1 3"/>'
        )
        step = f' dy="{LABEL_LINE:g}"'
        lines = "".join(
            f'<tspan x="{right + 6}"{step if index else ""}>{escape(line)}</tspan>'
            for index, line in enumerate(item.label_lines)
        )
        parts.append(
            f'<text x="{right + 6}" y="{item.label_y}" fill="{item.colour}">'
            f"<title>{escape(item.audience_label)}</title>{lines}</text>"
        )
        if item.trained:
            parts.append(
                f'<polyline points="{_points(item.trained)}" fill="none" stroke="{item.colour}" stroke-width="2"{dash}/>'
            )
            last_x, last_y = item.trained[-1]
            parts.append(_marker(item.marker, last_x, last_y, item.colour))
        if item.forecast is not None:
            (x1, y1), (x2, y2) = item.forecast
            parts.append(
                f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{item.colour}" stroke-width="1.5" '
                f'stroke-dasharray="6 4"/>'
            )
            parts.append(_marker(item.marker, x2, y2, "#fff").replace("/>", f' stroke="{item.colour}"/>'))
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers we computed, every text escaped above


def burnup_drawing(burnup: BurnUp, *, target_on: datetime.date, scale: float = 0.7) -> Any:
    """The same chart as a reportlab ``Drawing`` (y grows upwards there)."""
    from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, String
    from reportlab.lib.colors import HexColor

    shape = geometry(burnup, target_on=target_on)
    height = shape.height

    def flip(y: float) -> float:
        return height - y

    group = Group()
    bottom, right = flip(shape.height - BOTTOM), shape.width - RIGHT
    grey, dark = HexColor("#dddddd"), HexColor("#333333")
    for y, label in shape.y_ticks:
        group.add(Line(LEFT, flip(y), right, flip(y), strokeColor=grey))
        group.add(String(LEFT - 6, flip(y) - 4, label, fontName="DeontoVera", fontSize=9, textAnchor="end"))
    for x, label in shape.x_ticks:
        group.add(Line(x, bottom, x, bottom - 5, strokeColor=dark))
        group.add(String(x, bottom - 16, label, fontName="DeontoVera", fontSize=8, textAnchor="middle"))
    group.add(Line(LEFT, bottom, right, bottom, strokeColor=dark))
    group.add(Line(LEFT, flip(TOP), LEFT, bottom, strokeColor=dark))
    if shape.target_x is not None:
        group.add(
            Line(shape.target_x, flip(TOP), shape.target_x, bottom, strokeColor=dark, strokeDashArray=[2, 3])
        )
        group.add(
            String(shape.target_x + 3, flip(TOP) - 10, gettext("Target"), fontName="DeontoVera", fontSize=9)
        )
    for item in shape.series:
        colour = HexColor(item.colour)
        dash = [float(part) for part in item.dash.split()] or None
        group.add(
            Line(
                LEFT,
                flip(item.audience_y),
                right,
                flip(item.audience_y),
                strokeColor=colour,
                strokeDashArray=[1, 3],
            )
        )
        for offset, line in enumerate(item.label_lines):
            group.add(
                String(
                    right + 6,
                    flip(item.label_y + offset * LABEL_LINE),
                    line,
                    fontName="DeontoVera",
                    fontSize=9,
                    fillColor=colour,
                )
            )
        if item.trained:
            flat = [value for x, y in item.trained for value in (x, flip(y))]
            group.add(PolyLine(flat, strokeColor=colour, strokeWidth=2, strokeDashArray=dash))
            last_x, last_y = item.trained[-1]
            group.add(Circle(last_x, flip(last_y), 3, fillColor=colour, strokeColor=colour))
        if item.forecast is not None:
            (x1, y1), (x2, y2) = item.forecast
            group.add(Line(x1, flip(y1), x2, flip(y2), strokeColor=colour, strokeDashArray=[6, 4]))
    group.scale(scale, scale)
    drawing = Drawing(shape.width * scale, shape.height * scale)
    drawing.add(group)
    return drawing
