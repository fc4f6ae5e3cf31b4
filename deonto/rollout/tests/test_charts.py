"""The burn-up chart: accessible SVG with the figures it is drawn from, and the same chart for the PDF."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from deonto.accounts.roles import Role
from deonto.rollout.charts import (
    LABEL_CHARACTERS,
    LABEL_LINE,
    TOP,
    _nice_top,
    burnup_drawing,
    burnup_svg,
    geometry,
)
from deonto.rollout.models import Wave
from deonto.rollout.progress import BurnUp, campaign_progress
from deonto.rollout.tests.progress_data import build_known_campaign

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def burnup(make_user):
    known = build_known_campaign(TODAY)
    with translation.override("en"):
        progress = campaign_progress(campaign=known.campaign, viewer=make_user(Role.COORDINATOR), today=TODAY)
    return known, progress.burnup


def test_the_chart_is_an_image_with_a_title_and_a_description(burnup):
    known, data = burnup
    with translation.override("en"):
        svg = burnup_svg(
            data,
            target_on=known.campaign.target_on,
            title="Trained <people>",
            description="Two waves.",
            ident="c",
        )
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c-title c-desc"
    assert root.find(f"{SVG}title").text == "Trained <people>"
    assert root.find(f"{SVG}desc").text == "Two waves."
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert "Target" in texts
    labels = {
        element.find(f"{SVG}title").text: [line.text for line in element.iter(f"{SVG}tspan")]
        for element in root.iter(f"{SVG}text")
        if element.find(f"{SVG}title") is not None
    }
    assert labels == {
        "Armed officers: 4 people": ["Armed officers", "4 people"],
        "Everyone else: 5 people": ["Everyone else", "5 people"],
    }


def _two_waves(first_name: str, first_size: int, second_size: int) -> BurnUp:
    monday = datetime.date(2026, 11, 23)
    first, second = Wave(pk=1, name=first_name), Wave(pk=2, name="Everyone else")
    return BurnUp(
        weeks=[monday],
        series=[(first, first_size, [0]), (second, second_size, [0])],
        today=monday,
        forecasts=[(first, None), (second, None)],
    )


def test_a_long_wave_name_is_wrapped_to_fit_the_margin_and_kept_whole_in_its_tooltip():
    name = "Gewapende personeelsleden / Agents armés"
    monday = datetime.date(2026, 11, 23)
    shape = geometry(_two_waves(name, 1300, 3000), target_on=monday)
    assert shape.series[0].label_lines == ("Gewapende", "personeelsleden /", "Agents armés", "1300 people")
    svg = burnup_svg(_two_waves(name, 1300, 3000), target_on=monday, title="t", description="d", ident="x")
    assert f"<title>{name}: 1300 people</title>" in svg


def test_a_wave_name_too_long_for_three_lines_ends_with_an_ellipsis():
    name = "Armed officers of the ports of Antwerp, Zeebrugge and Ostend and of the airports"
    monday = datetime.date(2026, 11, 23)
    lines = geometry(_two_waves(name, 1300, 3000), target_on=monday).series[0].label_lines
    assert len(lines) == 4
    assert lines[2].endswith("…")
    assert all(len(line) <= LABEL_CHARACTERS for line in lines)


def _boxes(shape):
    """Each label's first and last baseline, top to bottom."""
    return sorted(
        (item.label_y, item.label_y + (len(item.label_lines) - 1) * LABEL_LINE) for item in shape.series
    )


@pytest.mark.parametrize(
    ("name", "first_size", "second_size"),
    [
        ("Armed officers", 1310, 1400),
        ("Armed officers", 1400, 1310),
        ("Armed officers", 0, 5),
        ("Armed officers", 2997, 3000),
        ("Gewapende personeelsleden / Agents armés", 3000, 2990),
        ("Gewapende personeelsleden / Agents armés", 5000, 4990),
    ],
)
def test_the_labels_of_waves_of_close_sizes_do_not_overlap_and_stay_inside_the_chart(
    name, first_size, second_size
):
    monday = datetime.date(2026, 11, 23)
    shape = geometry(_two_waves(name, first_size, second_size), target_on=monday)
    (_top_first, top_last), (bottom_first, bottom_last) = _boxes(shape)
    assert bottom_first - top_last >= LABEL_LINE, "a line's height at least between two labels' baselines"
    assert _top_first >= TOP + 10
    assert bottom_last <= shape.height - 40 - 4
    by_line = sorted(shape.series, key=lambda item: item.audience_y)
    assert by_line == sorted(shape.series, key=lambda item: item.label_y), (
        "labels in the order of their lines"
    )
    for item in shape.series:
        assert abs(item.label_y - item.audience_y) <= 6 * LABEL_LINE, "each label stays near its own line"


def test_a_label_sits_on_its_line_when_nothing_is_close():
    monday = datetime.date(2026, 11, 23)
    shape = geometry(_two_waves("Armed officers", 1000, 3000), target_on=monday)
    assert [item.label_y for item in shape.series] == [item.audience_y for item in shape.series]


def test_each_wave_has_a_line_of_its_own_pattern_and_the_first_wave_a_forecast(burnup):
    known, data = burnup
    shape = geometry(data, target_on=known.campaign.target_on)
    first, second = shape.series
    assert first.dash != second.dash
    assert first.marker != second.marker
    assert len(first.trained) == len(data.weeks)
    assert first.forecast is not None  # complete in two weeks
    assert second.forecast is None  # never, with the published sessions
    # The wave-1 line ends at 2 of 4 trained: half-way between the axis and the wave's size.
    bottom = shape.height - 40
    assert first.trained[-1][1] == pytest.approx(bottom - (bottom - first.audience_y) / 2, abs=0.2)


def test_texts_in_the_chart_are_escaped():
    wave = Wave(pk=1, name="<script>alert(1)</script>")
    monday = datetime.date(2026, 11, 23)
    data = BurnUp(weeks=[monday], series=[(wave, 3, [1])], today=monday, forecasts=[(wave, None)])
    svg = burnup_svg(data, target_on=monday, title="t", description="d", ident="x")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_the_vertical_scale_rounds_up_to_a_readable_number():
    assert [_nice_top(value) for value in (0, 7, 11, 45, 101, 65000)] == [10, 10, 20, 50, 200, 100000]


def test_the_pdf_drawing_has_the_chart_size(burnup):
    known, data = burnup
    drawing = burnup_drawing(data, target_on=known.campaign.target_on, scale=0.5)
    assert (drawing.width, drawing.height) == (360.0, 170.0)


def test_the_months_show_their_year_on_the_first_tick_and_where_it_changes():
    monday = datetime.date(2026, 8, 31)
    wave = Wave(pk=1, name="Armed officers")
    data = BurnUp(weeks=[monday], series=[(wave, 10, [0])], today=monday, forecasts=[(wave, None)])
    with translation.override("en"):
        labels = [label for _x, label in geometry(data, target_on=datetime.date(2027, 3, 31)).x_ticks]
    assert labels == ["Sep 2026", "Oct", "Nov", "Dec", "Jan 2027", "Feb", "Mar"]


def test_over_a_long_campaign_the_thinned_months_keep_their_years():
    monday = datetime.date(2026, 8, 31)
    wave = Wave(pk=1, name="Armed officers")
    data = BurnUp(weeks=[monday], series=[(wave, 10, [0])], today=monday, forecasts=[(wave, None)])
    with translation.override("en"):
        labels = [label for _x, label in geometry(data, target_on=datetime.date(2029, 8, 31)).x_ticks]
    assert len(labels) <= 12
    assert labels[:4] == ["Sep 2026", "Dec", "Mar 2027", "Jun"]
    assert {label[-4:] for label in labels if " " in label} == {"2026", "2027", "2028", "2029"}
