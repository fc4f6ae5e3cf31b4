"""What a photo gives away before it is posted: its metadata, the text in it, the faces and the codes.

`analyze_photo` reads the photo's EXIF/XMP (GPS position, time, camera and its serial), reads the text in the
photo by OCR and analyses it like a post's text, counts faces and reads QR codes and barcodes; each of these
becomes a `Finding` whose texts come from the rules' `photo` messages in the user's language. `clean_photo`
gives the same picture without any metadata; `masked_photo` an upright JPEG without metadata in which the
places found (boxes) are pixelated beyond reading.

Untrusted bytes are opened only by the decoders of the accepted formats, after the size of the file and the
declared number of pixels are checked, so a decompression bomb is refused from its header. The expensive work
is done on a copy downscaled to about 1600 px (JPEGs are decoded at reduced scale, PNGs a band at a time by
`shrink`, HEICs whole by libheif but shrunk from its buffer without a full-size copy); the Tesseract
models (one per language used) and the face cascade are loaded once per process and shared behind locks. Boxes are (x, y, w, h) in the
pixels of the photo as it is displayed (EXIF orientation applied).
"""

from __future__ import annotations

import io
import re
import struct
import threading
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import cv2
import numpy as np
import piexif
import pillow_heif
import tesserocr
import zxingcpp
from PIL import Image, UnidentifiedImageError

from .findings import (
    Category,
    DetectedCode,
    Finding,
    InputRejected,
    PhotoMetadata,
    PhotoReport,
)
from .rules import LanguageRules, Message, RuleSet, load_default_rules
from .shrink import decoded_by_libwebp, decoded_in_parts, give_back_memory, png_metadata, shrunk
from .text import MAX_CHARACTERS, analyze_text

MAX_FILE_BYTES = 15 * 1024 * 1024
# How many pixels a photo may have depends on how much memory decoding it takes, so that a worker checking the
# largest photo accepted stays within 300 MB (benchmarks/postcheck_speed.py measures each of these limits).
MAX_PIXELS = 50_000_000  # the 48 and 50 MP modes of recent phones; decoded a band or a tile at a time
MAX_PALETTE_PIXELS = 40_000_000  # decoded whole at a byte a pixel: palette, grey or bilevel (a GIF)
MAX_WHOLE_PIXELS = 24_000_000  # decoded whole by Pillow in colour: an interlaced or 16-bit PNG
MAX_PROGRESSIVE_JPEG_PIXELS = 16_000_000  # decoded at reduced scale, but all its coefficients held at once
MAX_WHOLE_HEIC_PIXELS = 12_000_000  # decoded whole by libheif: not tiled, transparent, cropped or odd-sided
MAX_WEBP_PIXELS = 12_000_000  # a still WebP, decoded whole by libwebp into its own buffer
MAX_PILLOW_WEBP_PIXELS = 4_000_000  # an animated WebP: Pillow's WebP decoder holds about 16 bytes a pixel
WORK_SIZE = 1600
PREVIEW_SIZE = 960
PREVIEW_QUALITY = 80
BOX_MARGIN = 1 / 200  # of the photo's longest side: a box shown or masked is widened by this much
MASKED_SIZE = 4096
MASK_BLOCKS = 6  # a masked place is at most this many blocks across its longest side
MASK_MIN_BLOCK = 16  # pixels
FACE_SIZE = 800
OCR_TIMEOUT_MS = 4000
OCR_MIN_CONFIDENCE = 45.0
TESSERACT_MODELS = {"nl": "nld", "fr": "fra", "de": "deu", "en": "eng"}
SPARSE_PASS_BELOW = 4
TESSDATA_DIRECTORIES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
)

# One decoding thread: libheif starts new threads for each HEIC, and each thread's malloc arena kept what it
# had used, so a worker's memory grew with every HEIC it checked (by 35 MB a 24 MP photo, measured); a worker
# has one core to itself anyway.
pillow_heif.register_heif_opener(decode_threads=1)

# The only decoders that see untrusted bytes. Pillow's JPEG decoder also yields "MPO", the multi-picture
# JPEG of many phones.
_DECODERS = ("JPEG", "PNG", "WEBP", "HEIF", "GIF")

# Words on uniforms, vehicles and badges that say "customs".
_MARKING = re.compile(
    r"(?<!\w)(?:d[o0]uane[sn]?|douani[eè]re?s?|(?<!\d\s)zoll(?:amt|beamter?|verwaltung)?|customs|"
    r"accijnzen|accises|akzisen|legitimatiekaart|dienstausweis|carte\s+de\s+l[ée]gitimation)(?!\w)",
    re.IGNORECASE,
)
# IATA Resolution 792 bar-coded boarding pass: "M1", passenger name (20), ticket flag, booking reference,
# from, to, carrier.
_BOARDING_PASS = re.compile(r"^M[1-4].{20}[E ].{7}[A-Z]{3}[A-Z]{3}[A-Z0-9 ]{3}")

_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
_ORIENTATION = 0x0112
_MAKE = 0x010F
_MODEL = 0x0110
_SOFTWARE = 0x0131
_DATETIME = 0x0132
_DATETIME_ORIGINAL = 0x9003
_BODY_SERIAL = 0xA431
_LENS_SERIAL = 0xA435

Box = tuple[int, int, int, int]


# ---------------------------------------------------------------------------------------------------------
# Opening untrusted bytes


def _reject_unreadable(data: bytes) -> InputRejected:
    """Tell an image of a format we do not take from something that is not an image at all."""
    head = data[:64]
    unsupported = (
        head.startswith((b"II*\x00", b"MM\x00*"))  # TIFF
        or (head.startswith(b"BM") and len(head) >= 18 and head[14] in (12, 40, 52, 56, 64, 108, 124))
        or head.startswith(
            (b"\x00\x00\x01\x00", b"8BPS", b"qoif", b"\xff\x0a", b"DDS ")
        )  # ICO, PSD, QOI, JXL
        or head[4:12] in (b"ftypavif", b"ftypavis")
        or head[4:8] == b"jP  "  # JPEG 2000
        or head[4:12] == b"JXL \r\n\x87\n"
        or b"<svg" in data[:1024].lower()
    )
    if unsupported:
        return InputRejected(
            "unsupported-format", "This image format is not supported: use JPEG, PNG, WebP, HEIC or GIF."
        )
    return InputRejected("not-an-image", "This file is not an image that can be read.")


@contextmanager
def _opened(data: bytes) -> Iterator[Image.Image]:
    """The photo opened (header only) after the checks that need no decoding; raises InputRejected."""
    if not data:
        raise InputRejected("empty", "The photo is empty.")
    if len(data) > MAX_FILE_BYTES:
        raise InputRejected(
            "too-large-file", f"The photo is too large: at most {MAX_FILE_BYTES // (1024 * 1024)} MB, please."
        )
    try:
        image = Image.open(io.BytesIO(data), formats=_DECODERS)
    except Image.DecompressionBombError as error:
        raise InputRejected(
            "decompression-bomb", "The photo declares far more pixels than its file can hold; it was refused."
        ) from error
    except UnidentifiedImageError as error:
        raise _reject_unreadable(data) from error
    except (OSError, ValueError, SyntaxError, EOFError, struct.error) as error:
        raise InputRejected("not-an-image", "The photo is damaged and cannot be read.") from error
    with image:
        limit = _pixel_limit(image, data)
        if image.width * image.height > limit:
            raise InputRejected(
                "too-many-pixels",
                f"The photo has too many pixels: at most {limit // 1_000_000} megapixels, please.",
            )
        yield image


def _pixel_limit(image: Image.Image, data: bytes) -> int:
    """The most pixels `image` (opened from `data`) may have, by what decoding it holds in memory."""
    if image.format == "WEBP":
        return MAX_WEBP_PIXELS if decoded_by_libwebp(image, data) else MAX_PILLOW_WEBP_PIXELS
    if image.width * image.height <= MAX_WHOLE_HEIC_PIXELS or decoded_in_parts(image, data):
        return MAX_PIXELS
    if image.format == "HEIF":
        return MAX_WHOLE_HEIC_PIXELS
    if image.format in ("JPEG", "MPO"):  # progressive
        return MAX_PROGRESSIVE_JPEG_PIXELS
    if image.mode in ("P", "L", "1"):
        return MAX_PALETTE_PIXELS
    return MAX_WHOLE_PIXELS


@contextmanager
def _decoding() -> Iterator[None]:
    """Turn a decoder's failure on damaged or truncated data into InputRejected."""
    try:
        yield
    except Image.DecompressionBombError as error:
        raise InputRejected(
            "decompression-bomb", "The photo declares far more pixels than its file can hold; it was refused."
        ) from error
    except (OSError, ValueError, SyntaxError, EOFError, struct.error, zlib.error) as error:
        raise InputRejected(
            "not-an-image", "The photo is damaged or incomplete and cannot be read."
        ) from error


# ---------------------------------------------------------------------------------------------------------
# Metadata


def _ratio(value: Any) -> float:
    result = float(value[0]) / float(value[1]) if isinstance(value, tuple) else float(value)
    if result != result:  # NaN: a rational with a zero denominator
        raise ValueError("not a number")
    return result


def _degrees(value: Any, reference: Any) -> float | None:
    try:
        degrees, minutes, seconds = (_ratio(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = degrees + minutes / 60 + seconds / 3600
    ref = reference.decode() if isinstance(reference, bytes) else str(reference or "")
    return -result if ref.strip().upper() in ("S", "W") else result


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if value is None:
        return None
    cleaned = str(value).strip("\x00 \t\r\n")
    return cleaned or None


_XMP_GPS = re.compile(
    r"exif:GPS(Latitude|Longitude)\s*=\s*[\"']?\s*(\d+),(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?([NSEW])"
)
_XMP_FIELDS = {
    "taken_at": re.compile(
        r"(?:exif|photoshop|xmp):(?:DateTimeOriginal|DateCreated|CreateDate)\s*=\s*[\"']([^\"']+)"
    ),
    "camera_serial": re.compile(r"(?:aux|exifEX):(?:SerialNumber|BodySerialNumber)\s*=\s*[\"']([^\"']+)"),
    "camera_make": re.compile(r"tiff:Make\s*=\s*[\"']([^\"']+)"),
    "camera_model": re.compile(r"tiff:Model\s*=\s*[\"']([^\"']+)"),
    "software": re.compile(r"(?:xmp:CreatorTool|tiff:Software)\s*=\s*[\"']([^\"']+)"),
}


def _xmp_values(xmp: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for match in _XMP_GPS.finditer(xmp):
        axis, degrees, minutes, seconds, ref = match.groups()
        value = int(degrees) + float(minutes) / 60 + float(seconds or 0) / 3600
        values["latitude" if axis == "Latitude" else "longitude"] = -value if ref in "SW" else value
    for name, pattern in _XMP_FIELDS.items():
        if found := pattern.search(xmp):
            values[name] = found.group(1).strip()
    return values


def _described(image: Image.Image, data: bytes) -> Image.Image:
    """The image to read the photo's EXIF and XMP from, without decoding its pixels: for a PNG, a one-pixel
    stand-in with its metadata chunks, since Pillow decodes a whole PNG to reach the chunks after its pixels."""
    return png_metadata(data) if image.format == "PNG" else image


def _read_metadata(image: Image.Image) -> PhotoMetadata:
    exif = image.getexif()
    exif_ifd = exif.get_ifd(_EXIF_IFD)
    gps = exif.get_ifd(_GPS_IFD)
    values: dict[str, Any] = {
        "latitude": _degrees(gps.get(2), gps.get(1)) if gps.get(2) else None,
        "longitude": _degrees(gps.get(4), gps.get(3)) if gps.get(4) else None,
        "taken_at": _text(exif_ifd.get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)),
        "camera_make": _text(exif.get(_MAKE)),
        "camera_model": _text(exif.get(_MODEL)),
        "camera_serial": _text(exif_ifd.get(_BODY_SERIAL) or exif_ifd.get(_LENS_SERIAL)),
        "software": _text(exif.get(_SOFTWARE)),
    }
    xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    if xmp:
        text = xmp.decode("utf-8", "replace") if isinstance(xmp, bytes) else str(xmp)
        for name, value in _xmp_values(text).items():
            if values.get(name) is None:
                values[name] = value
    return PhotoMetadata(**values)


# ---------------------------------------------------------------------------------------------------------
# The working copy


@dataclass(frozen=True)
class _Working:
    """The downscaled, upright RGB copy analysed, and the factor back to the displayed photo's pixels."""

    image: Image.Image
    width: int
    height: int
    scale: float

    def to_original(self, box: Box) -> Box:
        x, y, w, h = box
        left = max(0, min(self.width, round(x * self.scale)))
        top = max(0, min(self.height, round(y * self.scale)))
        return (
            left,
            top,
            min(self.width - left, round(w * self.scale)),
            min(self.height - top, round(h * self.scale)),
        )


_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _working_copy(image: Image.Image, data: bytes, orientation: int) -> _Working:
    width, height = image.size
    if image.format in ("JPEG", "MPO"):
        factor = WORK_SIZE / max(width, height)
        if factor < 1:
            image.draft("RGB", (max(1, int(width * factor)), max(1, int(height * factor))))
    with _decoding():
        copy = shrunk(image, data, max(1, max(image.size) // WORK_SIZE))
    if max(copy.size) > WORK_SIZE:
        copy.thumbnail((WORK_SIZE, WORK_SIZE), Image.Resampling.BILINEAR, reducing_gap=None)
    if orientation in _TRANSPOSE:
        copy = copy.transpose(_TRANSPOSE[orientation])
        if orientation >= 5:
            width, height = height, width
    return _Working(image=copy, width=width, height=height, scale=width / copy.width)


def widened(box: Box, width: int, height: int) -> Box:
    """`box` widened on every side by BOX_MARGIN of the photo's longest side, within the photo: the line drawn
    around a place, or the mask over it, then covers its edges too."""
    margin = round(max(width, height) * BOX_MARGIN)
    left, top = max(0, box[0] - margin), max(0, box[1] - margin)
    right, bottom = min(width, box[0] + box[2] + margin), min(height, box[1] + box[3] + margin)
    return (left, top, right - left, bottom - top)


# ---------------------------------------------------------------------------------------------------------
# Text in the photo (OCR)


@dataclass(frozen=True)
class _Word:
    span: tuple[int, int]
    box: Box


@dataclass(frozen=True)
class _Read:
    """One word as Tesseract read it."""

    text: str
    box: Box
    starts_line: bool


def _tessdata() -> str:
    for directory in TESSDATA_DIRECTORIES:
        if (Path(directory) / "eng.traineddata").exists():
            return directory + "/"
    raise RuntimeError(f"No Tesseract data found in {', '.join(TESSDATA_DIRECTORIES)}")


def _overlap(box: Box, other: Box) -> bool:
    return (
        box[0] < other[0] + other[2]
        and other[0] < box[0] + box[2]
        and box[1] < other[1] + other[3]
        and other[1] < box[1] + box[3]
    )


class _Ocr:
    """Tesseract engines kept loaded, one per language used (about 15 MB each); one photo at a time.

    Page layout analysis finds documents and screens; for text scattered over a photo (a word on a jacket,
    a vehicle, a sign) it often finds nothing, so when it reads fewer than a few words a second pass looks for
    sparse text and adds the words the first pass did not cover.
    """

    _lock = threading.Lock()
    _apis: ClassVar[dict[str, Any]] = {}

    @classmethod
    def read(cls, image: Image.Image, language: str) -> tuple[str, list[_Word]]:
        gray = image.convert("L")
        model = TESSERACT_MODELS.get(language, "eng")
        with cls._lock:
            api = cls._apis.get(model)
            if api is None:
                api = cls._apis[model] = tesserocr.PyTessBaseAPI(
                    path=_tessdata(), lang=model, psm=tesserocr.PSM.AUTO
                )
            try:
                words = cls._recognise(api, gray, tesserocr.PSM.AUTO)
                if len(words) < SPARSE_PASS_BELOW:
                    sparse = cls._recognise(api, gray, tesserocr.PSM.SPARSE_TEXT)
                    words += [word for word in sparse if not any(_overlap(word.box, w.box) for w in words)]
            finally:
                api.Clear()
        return _assemble(words)

    @staticmethod
    def _recognise(api: Any, image: Image.Image, mode: int) -> list[_Read]:
        api.SetPageSegMode(mode)
        api.SetImage(image)
        if not api.Recognize(timeout=OCR_TIMEOUT_MS):
            return []
        level = tesserocr.RIL.WORD
        words: list[_Read] = []
        iterator = api.GetIterator()
        if iterator is None:
            return words
        for word in tesserocr.iterate_level(iterator, level):
            try:
                text = (word.GetUTF8Text(level) or "").strip()
            except RuntimeError:  # tesserocr's way of saying the page has no text
                continue
            box = word.BoundingBox(level)
            if not text or box is None or word.Confidence(level) < OCR_MIN_CONFIDENCE:
                continue
            if not any(char.isalnum() for char in text):
                continue
            x1, y1, x2, y2 = box
            words.append(
                _Read(text, (x1, y1, x2 - x1, y2 - y1), word.IsAtBeginningOf(tesserocr.RIL.TEXTLINE))
            )
        return words


def _assemble(words: list[_Read]) -> tuple[str, list[_Word]]:
    """The text read, a line per line of the photo, and where each word is in it."""
    parts: list[str] = []
    placed: list[_Word] = []
    length = 0
    for word in words:
        if parts:
            parts.append("\n" if word.starts_line else " ")
            length += 1
        placed.append(_Word(span=(length, length + len(word.text)), box=word.box))
        parts.append(word.text)
        length += len(word.text)
    return "".join(parts), placed


def _union(boxes: list[Box]) -> Box | None:
    if not boxes:
        return None
    left = min(box[0] for box in boxes)
    top = min(box[1] for box in boxes)
    right = max(box[0] + box[2] for box in boxes)
    bottom = max(box[1] + box[3] for box in boxes)
    return left, top, right - left, bottom - top


def _box_of_span(span: tuple[int, int] | None, words: list[_Word]) -> Box | None:
    if span is None:
        return None
    return _union([word.box for word in words if word.span[0] < span[1] and span[0] < word.span[1]])


# ---------------------------------------------------------------------------------------------------------
# Faces and codes


class _Faces:
    """The frontal-face Haar cascade, loaded once per process; OpenCV's classifier is not thread-safe."""

    _lock = threading.Lock()
    _cascade: Any = None

    @classmethod
    def find(cls, image: Image.Image) -> list[Box]:
        gray = image.convert("L")
        factor = 1.0
        if max(gray.size) > FACE_SIZE:
            factor = max(gray.size) / FACE_SIZE
            gray = gray.resize(
                (round(gray.width / factor), round(gray.height / factor)), Image.Resampling.BILINEAR
            )
        pixels = cv2.equalizeHist(np.asarray(gray))
        smallest = max(24, min(gray.size) // 20)
        with cls._lock:
            if cls._cascade is None:
                cls._cascade = cv2.CascadeClassifier(
                    cv2.data.haarcascades + "haarcascade_frontalface_default.xml"  # type: ignore[attr-defined]
                )
            found = cls._cascade.detectMultiScale(
                pixels, scaleFactor=1.15, minNeighbors=6, minSize=(smallest, smallest)
            )
        return [
            (round(x * factor), round(y * factor), round(w * factor), round(h * factor))
            for x, y, w, h in found
        ]


def _read_codes(image: Image.Image) -> list[DetectedCode]:
    codes = []
    for result in zxingcpp.read_barcodes(image):
        if not result.valid or not result.text:
            continue
        position = result.position
        points = [position.top_left, position.top_right, position.bottom_right, position.bottom_left]
        left, top = min(p.x for p in points), min(p.y for p in points)
        box = (left, top, max(p.x for p in points) - left, max(p.y for p in points) - top)
        codes.append(DetectedCode(kind=result.format.name, text=result.text, box=box))
    return codes


# ---------------------------------------------------------------------------------------------------------
# Findings


def _finding(
    message: Message, key: str, source: str, *, box: Box | None = None, excerpt: str = ""
) -> Finding:
    return Finding(
        category=message.category,
        severity=message.severity,
        rule=f"photo:{key}",
        explanation=message.explanation,
        advice=message.advice,
        article=message.article,
        source=source,
        box=box,
        excerpt=excerpt,
    )


def _metadata_findings(metadata: PhotoMetadata, messages: LanguageRules) -> list[Finding]:
    findings = []
    if metadata.latitude is not None and metadata.longitude is not None:
        excerpt = f"{metadata.latitude:.5f}, {metadata.longitude:.5f}"
        findings.append(_finding(messages.photo["gps"], "gps", "photo-metadata", excerpt=excerpt))
    if metadata.taken_at:
        findings.append(
            _finding(messages.photo["taken-at"], "taken-at", "photo-metadata", excerpt=metadata.taken_at)
        )
    if metadata.camera_serial:
        findings.append(
            _finding(
                messages.photo["camera-serial"],
                "camera-serial",
                "photo-metadata",
                excerpt=metadata.camera_serial,
            )
        )
    elif metadata.camera or metadata.software:
        camera = " ".join(part for part in (metadata.camera, metadata.software) if part)
        findings.append(_finding(messages.photo["camera"], "camera", "photo-metadata", excerpt=camera))
    return findings


def _text_findings(
    ocr_text: str, words: list[_Word], working: _Working, language: str, rules: RuleSet
) -> list[Finding]:
    if sum(char.isalpha() for char in ocr_text) < 2:
        return []
    findings = []
    # A page of small print can read as more than a post may hold; its beginning is what is analysed.
    analysis = analyze_text(ocr_text[:MAX_CHARACTERS], language=language, rules=rules)
    for finding in analysis.findings:
        box = _box_of_span(finding.span, words)
        findings.append(
            Finding(
                category=finding.category,
                severity=finding.severity,
                rule=finding.rule,
                explanation=finding.explanation,
                advice=finding.advice,
                article=finding.article,
                source="photo-text",
                span=finding.span,
                box=working.to_original(box) if box else None,
                excerpt=finding.excerpt,
            )
        )
    return findings


def _content_findings(
    ocr_text: str,
    words: list[_Word],
    faces: list[Box],
    text_findings: list[Finding],
    working: _Working,
    messages: LanguageRules,
) -> list[Finding]:
    findings = []
    markings = list(_MARKING.finditer(ocr_text))
    marking_boxes = [box for match in markings if (box := _box_of_span(match.span(), words))]
    marked = bool(markings) or any(f.category == Category.IDENTIFIES_OFFICER for f in text_findings)
    if markings and not any(f.category == Category.IDENTIFIES_OFFICER for f in text_findings):
        union = _union(marking_boxes)
        findings.append(
            _finding(
                messages.photo["marking"],
                "marking",
                "photo-content",
                box=working.to_original(union) if union else None,
                excerpt=", ".join(dict.fromkeys(match.group() for match in markings)),
            )
        )
    face_box = _union([working.to_original(box) for box in faces])
    if faces and marked:
        findings.append(
            _finding(messages.photo["face-marking"], "face-marking", "photo-content", box=face_box)
        )
    elif len(faces) > 1:
        findings.append(
            _finding(messages.photo["faces-several"], "faces-several", "photo-content", box=face_box)
        )
    elif faces:
        findings.append(_finding(messages.photo["faces"], "faces", "photo-content", box=face_box))
    return findings


def _code_findings(codes: list[DetectedCode], messages: LanguageRules) -> list[Finding]:
    findings = []
    for code in codes:
        key = "boarding-pass" if _BOARDING_PASS.match(code.text) else "code"
        findings.append(
            _finding(messages.photo[key], key, "photo-code", box=code.box, excerpt=code.text[:80])
        )
    return findings


def _read(data: bytes) -> tuple[str, PhotoMetadata, _Working]:
    """The photo's format, metadata and working copy; the photo as opened (decoded whole, for some formats) is
    gone once this returns."""
    with _opened(data) as image:
        with _decoding():
            described = _described(image, data)
            metadata = _read_metadata(described)
            orientation = described.getexif().get(_ORIENTATION, 1)
        return str(image.format), metadata, _working_copy(image, data, orientation)


def analyze_photo(
    data: bytes, *, language: str, rules: RuleSet | None = None, preview: bool = False
) -> PhotoReport:
    """What posting this photo would reveal, with explanations and advice in `language`; with `preview`, also
    a small copy of the photo (`PhotoReport.preview`) on which the page draws the findings' boxes.

    Raises InputRejected for an empty, oversized, damaged or unsupported file, or one declaring too many pixels.
    """
    rules = rules or load_default_rules()
    messages = rules.for_language(language)
    image_format, metadata, working = _read(data)
    ocr_text, words = _Ocr.read(working.image, messages.language)
    faces = _Faces.find(working.image)
    codes = [
        DetectedCode(kind=code.kind, text=code.text, box=working.to_original(code.box) if code.box else None)
        for code in _read_codes(working.image)
    ]
    text_findings = _text_findings(ocr_text, words, working, messages.language, rules)
    findings = [
        *_metadata_findings(metadata, messages),
        *text_findings,
        *_content_findings(ocr_text, words, faces, text_findings, working, messages),
        *_code_findings(codes, messages),
    ]
    findings.sort(key=lambda finding: -finding.severity.rank)
    report = PhotoReport(
        width=working.width,
        height=working.height,
        format=image_format,
        metadata=metadata,
        face_boxes=tuple(working.to_original(box) for box in faces),
        codes=tuple(codes),
        ocr_text=ocr_text,
        findings=tuple(findings),
        preview=_preview(working.image) if preview else b"",
    )
    del working
    give_back_memory()
    return report


def _preview(image: Image.Image) -> bytes:
    """`image` (the upright working copy) shrunk to PREVIEW_SIZE on its longest side, as a JPEG with no
    metadata: Pillow writes only what `save` is given."""
    copy = image.copy()
    copy.thumbnail((PREVIEW_SIZE, PREVIEW_SIZE), Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    copy.save(buffer, "JPEG", quality=PREVIEW_QUALITY)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------------------
# The cleaned copy

# JPEG segments kept: JFIF (APP0), ICC colour profile (APP2 "ICC_PROFILE"), Adobe colour transform (APP14),
# and every segment that is not application data or a comment. Exif and XMP (APP1), IPTC (APP13), maker
# data (APP3 to APP12, APP15) and comments go, as does anything after the first image (MPO's second picture,
# vendors' trailers).
_JPEG_APP0, _JPEG_APP2, _JPEG_APP14, _JPEG_COM, _JPEG_SOS = 0xE0, 0xE2, 0xEE, 0xFE, 0xDA


def _clean_jpeg(data: bytes, orientation: int) -> bytes:
    if data[:2] != b"\xff\xd8":
        raise InputRejected("not-an-image", "The photo is damaged and cannot be read.")
    out = bytearray(b"\xff\xd8")
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            raise InputRejected("not-an-image", "The photo is damaged and cannot be read.")
        marker = data[position + 1]
        if marker == 0xFF:
            position += 1
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        segment = data[position : position + 2 + length]
        if marker == _JPEG_SOS:
            end = data.find(b"\xff\xd9", position)
            if end < 0:
                raise InputRejected("not-an-image", "The photo is incomplete and cannot be read.")
            out += data[position : end + 2]
            break
        is_app = 0xE0 <= marker <= 0xEF
        keep = (
            (not is_app and marker != _JPEG_COM)
            or marker in (_JPEG_APP0, _JPEG_APP14)
            or (marker == _JPEG_APP2 and segment[4:16] == b"ICC_PROFILE\x00")
        )
        if keep:
            out += segment
        position += 2 + length
    else:
        raise InputRejected("not-an-image", "The photo is incomplete and cannot be read.")
    cleaned = bytes(out)
    if orientation != 1:
        # Keep only the orientation, or the picture would show rotated; it says nothing about the user.
        result = io.BytesIO()
        piexif.insert(piexif.dump({"0th": {piexif.ImageIFD.Orientation: orientation}}), cleaned, result)
        cleaned = result.getvalue()
    return cleaned


# PNG chunks kept: the picture, its colours and its animation; text (tEXt, zTXt, iTXt), eXIf, tIME and any
# private chunk go.
_PNG_KEEP = frozenset(
    name.encode()
    for name in [
        "IHDR",
        "PLTE",
        "IDAT",
        "IEND",
        "tRNS",
        "gAMA",
        "cHRM",
        "sRGB",
        "iCCP",
        "sBIT",
        "pHYs",
        "acTL",
        "fcTL",
        "fdAT",
        "cICP",
    ]
)


def _clean_png(data: bytes) -> bytes:
    out = bytearray(data[:8])
    position = 8
    while position + 8 <= len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if kind in _PNG_KEEP:
            out += data[position:end]
        position = end
        if kind == b"IEND":
            break
    return bytes(out)


def _clean_webp(data: bytes) -> bytes:
    """Drop the EXIF and XMP chunks and their flags in VP8X."""
    chunks = bytearray()
    position = 12
    while position + 8 <= len(data):
        kind = data[position : position + 4]
        (length,) = struct.unpack("<I", data[position + 4 : position + 8])
        chunk = bytearray(data[position : position + 8 + length + (length & 1)])
        if kind == b"VP8X":
            chunk[8] &= ~(0x08 | 0x04) & 0xFF  # EXIF and XMP present flags
        if kind not in (b"EXIF", b"XMP "):
            chunks += chunk
        position += 8 + length + (length & 1)
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WEBP" + bytes(chunks)


# Application extensions a cleaned GIF keeps: how often it loops (two spellings) and its colour profile.
_GIF_KEPT_APPLICATIONS = (b"NETSCAPE2.0", b"ANIMEXTS1.0", b"ICCRGBG1012")


def _clean_gif(data: bytes) -> bytes:
    """The GIF without its comments, plain text and application extensions (XMP and others) but those kept
    above. Its frames, their timing and transparency are copied byte for byte, nothing is decoded: an animation
    decoded frame by frame would take four bytes a pixel a frame (a GIF of 887 KB, three frames of 40 MP, took a
    worker to 1.3 GB). Raises ValueError for a GIF cut short in a block."""

    def colour_table(flags: int) -> int:
        return 3 << ((flags & 7) + 1) if flags & 0x80 else 0

    def after_sub_blocks(position: int) -> int:
        while data[position]:
            position += 1 + data[position]
        return position + 1

    position = 13 + colour_table(data[10])  # header, logical screen, global colour table
    cleaned = bytearray(data[:position])
    try:
        while position < len(data) and data[position] != 0x3B:  # the trailer; Pillow reads a GIF without it
            start = position
            if data[position] == 0x2C:  # a frame: descriptor, local colour table, LZW code size, picture data
                position = after_sub_blocks(position + 10 + colour_table(data[position + 9]) + 1)
                cleaned += data[start:position]
            elif data[position] == 0x21:  # an extension: its label, then sub-blocks
                label, application = data[position + 1], data[position + 3 : position + 14]
                position = after_sub_blocks(position + 2)
                if label == 0xF9 or (label == 0xFF and application in _GIF_KEPT_APPLICATIONS):
                    cleaned += data[start:position]  # 0xF9: a frame's delay, disposal and transparency
            else:
                raise ValueError(f"not a GIF block at byte {position}")
    except IndexError as error:
        raise ValueError("the GIF is cut short") from error
    return bytes(cleaned + b"\x3b")


def _masked_size_copy(data: bytes) -> tuple[Image.Image, int, int]:
    """The photo at most about MASKED_SIZE pixels on its longest side, not yet upright; its orientation and its
    width as displayed. The photo as opened is gone once this returns."""
    with _opened(data) as image:
        with _decoding():
            orientation = _described(image, data).getexif().get(_ORIENTATION, 1)
        displayed_width = image.height if orientation in (5, 6, 7, 8) else image.width
        if image.format in ("JPEG", "MPO") and max(image.size) > MASKED_SIZE:
            # Decoded at 1/2, 1/4 or 1/8 scale, to at least half of MASKED_SIZE.
            factor = MASKED_SIZE / 2 / max(image.size)
            image.draft("RGB", (int(image.width * factor), int(image.height * factor)))
        with _decoding():
            return shrunk(image, data, -(-max(image.size) // MASKED_SIZE)), orientation, displayed_width


def masked_photo(data: bytes, boxes: Iterable[Box]) -> bytes:
    """The photo as a JPEG without any metadata, upright and at most MASKED_SIZE pixels on its longest side
    (social networks shrink photos further anyway), with each of `boxes` (in the pixels of the photo as
    displayed, as `analyze_photo` gives them) widened a little and pixelated into blocks too coarse to read a
    word, a code or a face in: at most MASK_BLOCKS across, each at least MASK_MIN_BLOCK pixels.

    Raises InputRejected for a photo that cannot be read, as `analyze_photo` does.
    """
    upright, orientation, displayed_width = _masked_size_copy(data)
    if max(upright.size) > MASKED_SIZE:
        upright.thumbnail((MASKED_SIZE, MASKED_SIZE), Image.Resampling.LANCZOS)
    if orientation in _TRANSPOSE:
        upright = upright.transpose(_TRANSPOSE[orientation])
    scale = upright.width / displayed_width
    for box in boxes:
        scaled = (round(box[0] * scale), round(box[1] * scale), round(box[2] * scale), round(box[3] * scale))
        left, top, width, height = widened(scaled, upright.width, upright.height)
        if width <= 0 or height <= 0:
            continue
        block = max(MASK_MIN_BLOCK, -(-max(width, height) // MASK_BLOCKS))
        region = upright.crop((left, top, left + width, top + height))
        coarse = region.resize((-(-width // block), -(-height // block)), Image.Resampling.BOX)
        upright.paste(coarse.resize((width, height), Image.Resampling.NEAREST), (left, top))
    output = io.BytesIO()
    upright.save(output, "JPEG", quality=92)
    del upright
    give_back_memory()
    return output.getvalue()


def clean_photo(data: bytes) -> tuple[bytes, str]:
    """The photo without any metadata, and its MIME type.

    JPEG, PNG, WebP and GIF keep their pixels byte for byte (the metadata segments are dropped, a JPEG keeps only
    its orientation); HEIC becomes an upright JPEG (most sites take it more readily) of at most MASKED_SIZE
    pixels on its longest side, as the masked copy is.
    """
    cleaned = _cleaned(data)
    give_back_memory()  # once the photo opened is gone
    return cleaned


def _cleaned(data: bytes) -> tuple[bytes, str]:
    with _opened(data) as image:
        image_format = str(image.format)
        with _decoding():
            if image_format in ("JPEG", "MPO"):
                orientation = image.getexif().get(_ORIENTATION, 1)
                cleaned = _clean_jpeg(data, orientation if orientation in _TRANSPOSE else 1)
                mime = "image/jpeg"
            elif image_format == "PNG":
                cleaned, mime = _clean_png(data), "image/png"
            elif image_format == "WEBP":
                cleaned, mime = _clean_webp(data), "image/webp"
            elif image_format == "GIF":
                cleaned, mime = _clean_gif(data), "image/gif"
            else:
                # A HEIC is re-encoded in any case: it becomes the masked copy with nothing masked, which
                # never copies it at full size.
                cleaned, mime = masked_photo(data, ()), "image/jpeg"
    return cleaned, mime
