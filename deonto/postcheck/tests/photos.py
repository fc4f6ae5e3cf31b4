"""Photos for the Django-side tests of the post checker, made in memory."""

from __future__ import annotations

import io
from pathlib import Path

import piexif
import reportlab
from PIL import Image, ImageDraw, ImageFont

VERA = str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")


def gps_exif() -> bytes:
    return piexif.dump(
        {
            "0th": {piexif.ImageIFD.Make: b"Canon", piexif.ImageIFD.Model: b"Canon EOS R6"},
            "Exif": {piexif.ExifIFD.BodySerialNumber: b"082024001234"},
            "GPS": {
                piexif.GPSIFD.GPSLatitudeRef: b"N",
                piexif.GPSIFD.GPSLatitude: ((51, 1), (15, 1), (4932, 100)),
                piexif.GPSIFD.GPSLongitudeRef: b"E",
                piexif.GPSIFD.GPSLongitude: ((4, 1), (24, 1), (436, 100)),
            },
        }
    )


def photo_with_gps(text: str = "DOUANE") -> bytes:
    """A JPEG with a GPS position and a camera serial in its EXIF, and a marking written on it."""
    image = Image.new("RGB", (1400, 500), "white")
    ImageDraw.Draw(image).text((60, 120), text, font=ImageFont.truetype(VERA, 180), fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=gps_exif(), quality=90)
    return buffer.getvalue()
