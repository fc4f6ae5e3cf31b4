"""The progress exports, in the reader's language: one row per person of the campaign's audience as
CSV (streamed, UTF-8 with BOM, ``;``, cells that would start a formula quoted) or XLSX, and a PDF
report for management with the headline figures, the per-wave table, the forecast and the chart.

Labels are fixed when the export starts, so a streamed file stays in the language it was asked in."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import reportlab
from django.utils import formats
from django.utils.translation import get_language, gettext
from openpyxl import Workbook
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from deonto.core.csv_export import csv_cell
from deonto.people.models import StaffLanguage
from deonto.rollout.charts import burnup_drawing
from deonto.rollout.models import Campaign, EnrolmentStatus
from deonto.rollout.progress import Progress, absences_by_employee, audience, campaign_waves

FONTS = Path(reportlab.__file__).resolve().parent / "fonts"
REGULAR, BOLD = "DeontoVera", "DeontoVera-Bold"
BRAND = HexColor("#1f4e79")
CHUNK = 2000


def _headers() -> list[str]:
    return [
        gettext("Personnel number"),
        gettext("Last name"),
        gettext("First name"),
        gettext("Wave"),
        gettext("Unit"),
        gettext("Region"),
        gettext("Language"),
        gettext("Status"),
        gettext("Session date"),
        gettext("Trained"),
        gettext("Trained on"),
        gettext("Absent from sessions"),
    ]


def people_rows(*, campaign: Campaign, viewer: Any) -> Iterator[list[Any]]:
    """The header, then one row per person of the audience that ``viewer`` may see: dates as dates."""
    language = (get_language() or "nl")[:2]
    region_name = f"site__region__name_{language if language in {'nl', 'fr', 'en'} else 'nl'}"
    waves = campaign_waves(campaign)
    wave_names = {wave.pk: wave.name for wave in waves}
    statuses = {value: str(label) for value, label in EnrolmentStatus.choices}
    not_enrolled = gettext("Not enrolled")
    languages = {value: str(label) for value, label in StaffLanguage.choices}
    yes, no = gettext("yes"), gettext("no")
    people = (
        audience(campaign=campaign, waves=waves, viewer=viewer)
        .order_by("wave_id", "unit__path", "last_name", "first_name", "pk")
        .values_list(
            "pk",
            "personnel_number",
            "last_name",
            "first_name",
            "wave_id",
            "unit__code",
            region_name,
            "language",
            "campaign_enrolment__status",
            "campaign_enrolment__session__date",
            "is_trained",
            "trained_on",
        )
    )
    # Read from the enrolment events: someone proposed again after a no-show keeps it here.
    absences = absences_by_employee(campaign=campaign)
    yield _headers()
    for (
        pk,
        number,
        last,
        first,
        wave_id,
        unit,
        region,
        lang,
        status,
        session_on,
        trained,
        trained_on,
    ) in people.iterator(chunk_size=CHUNK):
        yield [
            number,
            last,
            first,
            wave_names[wave_id],
            unit,
            region or "",
            languages.get(lang, lang),
            statuses[status] if status else not_enrolled,
            session_on,
            yes if trained else no,
            trained_on,
            max(absences[pk], 1 if status == EnrolmentStatus.ABSENT else 0),
        ]


def people_xlsx(rows: Iterator[list[Any]], *, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in rows:
        sheet.append([csv_cell(cell) if isinstance(cell, str) else cell for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The PDF report ----------------------------------------------------------------------------------


def _register_fonts() -> None:
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, file in ((REGULAR, "Vera.ttf"), (BOLD, "VeraBd.ttf")):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))


def forecast_text(wave_progress: Any) -> str:
    if wave_progress.is_complete:
        return gettext("complete")
    if wave_progress.forecast_on is None:
        if wave_progress.short_languages:
            return gettext("never, with the published sessions (too few seats in: %(languages)s)") % {
                "languages": ", ".join(wave_progress.short_languages)
            }
        return gettext("never, with the published sessions")
    return formats.date_format(wave_progress.forecast_on, "DATE_FORMAT")


def _table(rows: list[list[Any]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 9),
                ("FONT", (0, 0), (-1, 0), BOLD, 9),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, BRAND),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, HexColor("#cccccc")),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def progress_pdf(progress: Progress, *, compress: bool = True) -> bytes:
    """The management report of a campaign's progress (the reader's language must be active)."""
    _register_fonts()
    buffer = io.BytesIO()
    campaign = progress.campaign
    title = gettext("Rollout progress: %(campaign)s") % {"campaign": campaign.name}
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="Deonto",
        pageCompression=1 if compress else 0,
        invariant=1,
    )
    heading = ParagraphStyle("heading", fontName=BOLD, fontSize=17, leading=21, textColor=BRAND, spaceAfter=4)
    subheading = ParagraphStyle(
        "subheading", fontName=BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4
    )
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=13)
    header = ParagraphStyle("header", fontName=BOLD, fontSize=8, leading=10)
    today = formats.date_format(progress.today, "DATE_FORMAT")
    total = progress.total
    story: list[Any] = [
        Paragraph(title, heading),
        Paragraph(
            gettext("Figures on %(date)s. Start %(start)s, target %(target)s.")
            % {
                "date": today,
                "start": formats.date_format(campaign.starts_on, "DATE_FORMAT"),
                "target": formats.date_format(campaign.target_on, "DATE_FORMAT"),
            },
            body,
        ),
    ]
    if progress.scoped:
        story.append(Paragraph(gettext("People figures cover the units you manage."), body))
    story += [
        Paragraph(gettext("Headline figures"), subheading),
        _table(
            [
                [gettext("Figure"), gettext("Value")],
                [gettext("People to train"), total.audience],
                [gettext("Trained"), f"{total.trained} ({total.percent} %)"],
                [gettext("Not yet scheduled"), progress.not_scheduled],
                [gettext("Past their wave's deadline"), progress.past_due],
                [gettext("No-shows"), progress.no_shows],
                [gettext("Sessions held"), progress.sessions_held],
                [gettext("Published sessions ahead"), progress.sessions_ahead],
                [
                    gettext("Seats filled in sessions ahead"),
                    f"{progress.seats_filled} / {progress.seats_ahead}",
                ],
            ],
            [90 * mm, 50 * mm],
        ),
        Paragraph(gettext("Waves"), subheading),
        _table(
            [
                [
                    Paragraph(heading_text, header)
                    for heading_text in (
                        gettext("Wave"),
                        gettext("People"),
                        gettext("Trained"),
                        gettext("Share"),
                        gettext("Not scheduled"),
                        gettext("Past due"),
                        gettext("Deadline"),
                        gettext("Forecast"),
                    )
                ],
                *[
                    [
                        Paragraph(wave.wave.name, body),
                        wave.share.audience,
                        wave.share.trained,
                        f"{wave.share.percent} %",
                        wave.not_scheduled,
                        wave.past_due,
                        formats.date_format(wave.wave.deadline, "SHORT_DATE_FORMAT")
                        if wave.wave.deadline
                        else "—",
                        Paragraph(forecast_text(wave), body),
                    ]
                    for wave in progress.waves
                ],
            ],
            [32 * mm, 16 * mm, 16 * mm, 19 * mm, 22 * mm, 15 * mm, 22 * mm, 32 * mm],
        ),
        Spacer(1, 4 * mm),
        Paragraph(forecast_rule(progress), body),
        Paragraph(gettext("Trained people per week"), subheading),
        burnup_drawing(progress.burnup, target_on=campaign.target_on, scale=0.68),
    ]
    document.build(story)
    return buffer.getvalue()


def forecast_rule(progress: Progress) -> str:
    """The forecast rule in one sentence, with the fill rate used."""
    if progress.fill_rate_observed:
        return gettext(
            "Forecast: each published session ahead is expected to train %(rate)s %% of its seats, the share "
            "of seats that ended in attendance in the sessions held so far. Sessions serve the waves in order, "
            "per language."
        ) % {"rate": progress.fill_rate_percent}
    return gettext(
        "Forecast: each published session ahead is expected to train %(rate)s %% of its seats until sessions "
        "have been held. Sessions serve the waves in order, per language."
    ) % {"rate": progress.fill_rate_percent}


def export_file_name(campaign: Campaign, extension: str) -> str:
    return f"rollout-progress-{campaign.pk}.{extension}"
