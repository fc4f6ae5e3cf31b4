"""The certificate as a PDF: A4 landscape, in the certificate's language, with its verification code
and where to check it. Fonts are the Bitstream Vera fonts shipped inside reportlab, embedded, so
accents and typographic quotes print as written."""

from __future__ import annotations

import io
from pathlib import Path
from zoneinfo import ZoneInfo

import reportlab
from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from deonto.training.models import Certificate

BRUSSELS = ZoneInfo("Europe/Brussels")
FONTS = Path(reportlab.__file__).resolve().parent / "fonts"
REGULAR, BOLD, ITALIC = "DeontoVera", "DeontoVera-Bold", "DeontoVera-Italic"
BRAND = HexColor("#1f4e79")
MUTED = HexColor("#555555")


def _register_fonts() -> None:
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, file in ((REGULAR, "Vera.ttf"), (BOLD, "VeraBd.ttf"), (ITALIC, "VeraIt.ttf")):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))


def _fit(text: str, font: str, size: float, width: float) -> float:
    """The font size, at most ``size``, at which ``text`` fits in ``width``."""
    while size > 10 and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 1
    return size


def certificate_issue_date(certificate: Certificate, *, language: str | None = None) -> str:
    """The issue date on the Brussels calendar, written in ``language`` (the certificate's own
    language unless told otherwise)."""
    with translation.override(language or certificate.language):
        return formats.date_format(certificate.issued_at.astimezone(BRUSSELS), "DATE_FORMAT")


def certificate_pdf(certificate: Certificate, *, check_url: str, compress: bool = True) -> bytes:
    """The PDF of a certificate; ``check_url`` is the public page where its code can be checked."""
    _register_fonts()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1 if compress else 0, invariant=1)
    issued = certificate_issue_date(certificate)
    with translation.override(certificate.language):
        canvas.setTitle(_("Certificate: %(course)s") % {"course": certificate.course_title})
        canvas.setAuthor("Deonto")
        canvas.setSubject(
            _("Certificate of %(holder)s, verification code %(code)s")
            % {"holder": certificate.holder_name, "code": certificate.code}
        )
        canvas.setStrokeColor(BRAND)
        canvas.setLineWidth(3)
        canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        canvas.setLineWidth(0.8)
        canvas.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)
        centre, usable = width / 2, width - 60 * mm

        canvas.setFillColor(BRAND)
        canvas.setFont(BOLD, 14)
        canvas.drawCentredString(centre, height - 40 * mm, "DEONTO")
        canvas.setFont(BOLD, 34)
        canvas.drawCentredString(centre, height - 62 * mm, _("Certificate of completion"))

        canvas.setFillColor(MUTED)
        canvas.setFont(REGULAR, 14)
        canvas.drawCentredString(centre, height - 82 * mm, _("This certifies that"))
        canvas.setFillColor(HexColor("#000000"))
        size = _fit(certificate.holder_name, BOLD, 28, usable)
        canvas.setFont(BOLD, size)
        canvas.drawCentredString(centre, height - 98 * mm, certificate.holder_name)

        canvas.setFillColor(MUTED)
        canvas.setFont(REGULAR, 14)
        canvas.drawCentredString(
            centre, height - 114 * mm, _("has successfully completed the e-learning course")
        )
        canvas.setFillColor(BRAND)
        size = _fit(certificate.course_title, ITALIC, 22, usable)
        canvas.setFont(ITALIC, size)
        canvas.drawCentredString(centre, height - 128 * mm, certificate.course_title)

        canvas.setFillColor(HexColor("#000000"))
        canvas.setFont(REGULAR, 13)
        canvas.drawCentredString(centre, height - 146 * mm, _("Issued on %(date)s") % {"date": issued})

        canvas.setFont(REGULAR, 10)
        canvas.setFillColor(MUTED)
        canvas.drawString(26 * mm, 30 * mm, _("Verification code"))
        canvas.setFont(BOLD, 16)
        canvas.setFillColor(HexColor("#000000"))
        canvas.drawString(26 * mm, 23 * mm, certificate.code)
        canvas.setFont(REGULAR, 10)
        canvas.setFillColor(MUTED)
        check = _("Check this certificate at %(url)s") % {"url": check_url}
        canvas.drawRightString(width - 26 * mm, 23 * mm, check)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
