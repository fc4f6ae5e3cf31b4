"""The photo analyzer: metadata, text read in the photo, faces, codes, the cleaned copy, and bad input.

Every photo is made here: text rendered with reportlab's Vera font, EXIF written with piexif, QR codes with
qrcode, and a real face from scikit-image's astronaut photo.
"""

import io
import random
import struct
import zlib
from pathlib import Path

import numpy as np
import piexif
import pytest
import qrcode
import reportlab
import skimage.data
from PIL import Image, ImageDraw, ImageFile, ImageFont, ImageSequence, PngImagePlugin

from deonto.postcheck.analyzers.analyze import analyze
from deonto.postcheck.analyzers.findings import Category, InputRejected, PhotoMetadata, Severity
from deonto.postcheck.analyzers.photo import (
    MASKED_SIZE,
    MAX_FILE_BYTES,
    PREVIEW_SIZE,
    analyze_photo,
    clean_photo,
    masked_photo,
)
from deonto.postcheck.analyzers.rules import (
    IDENTIFIER_KINDS,
    LANGUAGES,
    PHOTO_KINDS,
    RuleSet,
    load_default_rules,
)

VERA = str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")

PHOTO_MESSAGES = {
    "gps": ("location", "high"),
    "taken-at": ("personal-data", "info"),
    "camera-serial": ("personal-data", "warning"),
    "camera": ("personal-data", "info"),
    "faces": ("personal-data", "info"),
    "faces-several": ("personal-data", "warning"),
    "face-marking": ("identifies-officer", "high"),
    "marking": ("identifies-officer", "warning"),
    "code": ("personal-data", "warning"),
    "boarding-pass": ("personal-data", "high"),
}


def _message(kind, category, severity):
    return {
        "category": category,
        "severity": severity,
        "explanation": f"{kind}: why",
        "advice": f"{kind}: what to do",
        "article": "discretion",
    }


RULES = RuleSet.from_data(
    {
        "en": {
            "rules": [
                {
                    "id": "en-uniform",
                    "terms": ["uniform"],
                    **_message("en-uniform", "identifies-officer", "warning"),
                },
                {
                    "id": "internal-system",
                    "terms": ["intranet", "PLDA"],
                    **_message("internal-system", "internal-document", "warning"),
                },
            ],
            "identifiers": {kind: _message(kind, "personal-data", "warning") for kind in IDENTIFIER_KINDS},
            "photo": {
                kind: _message(kind, *PHOTO_MESSAGES.get(kind, ("personal-data", "info")))
                for kind in PHOTO_KINDS
            },
        }
    }
)


def _encode(image, image_format="JPEG", **options):
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def _text_image(lines, size=(1400, 500), background="white", colour="black", points=150):
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(VERA, points)
    for index, line in enumerate(lines):
        draw.text((60, 60 + index * int(points * 1.4)), line, font=font, fill=colour)
    return image


def _astronaut():
    return Image.fromarray(skimage.data.astronaut())


def _exif(*, orientation=None):
    zeroth = {
        piexif.ImageIFD.Make: b"Canon",
        piexif.ImageIFD.Model: b"Canon EOS R6",
        piexif.ImageIFD.Software: b"Firmware 1.8",
    }
    if orientation:
        zeroth[piexif.ImageIFD.Orientation] = orientation
    return piexif.dump(
        {
            "0th": zeroth,
            "Exif": {
                piexif.ExifIFD.DateTimeOriginal: b"2026:05:14 06:12:09",
                piexif.ExifIFD.BodySerialNumber: b"082024001234",
            },
            "GPS": {
                piexif.GPSIFD.GPSLatitudeRef: b"N",
                piexif.GPSIFD.GPSLatitude: ((51, 1), (15, 1), (4932, 100)),
                piexif.GPSIFD.GPSLongitudeRef: b"E",
                piexif.GPSIFD.GPSLongitude: ((4, 1), (24, 1), (436, 100)),
            },
        }
    )


def _rules_of(report):
    return {finding.rule for finding in report.findings}


def _finding(report, rule):
    return next(finding for finding in report.findings if finding.rule == rule)


def _overlaps(box, region):
    x, y, w, h = box
    left, top, right, bottom = region
    return x < right and left < x + w and y < bottom and top < y + h


@pytest.fixture(scope="module")
def photo_with_exif():
    return _encode(_astronaut(), "JPEG", exif=_exif(), quality=90)


# --- Metadata ------------------------------------------------------------------------------------------


def test_gps_position_in_the_exif_is_a_high_location_finding(photo_with_exif):
    report = analyze_photo(photo_with_exif, language="en", rules=RULES)

    assert report.metadata.latitude == pytest.approx(51.2637, abs=1e-4)
    assert report.metadata.longitude == pytest.approx(4.4012, abs=1e-4)
    gps = _finding(report, "photo:gps")
    assert (gps.category, gps.severity, gps.source) == (Category.LOCATION, Severity.HIGH, "photo-metadata")
    assert gps.explanation == "gps: why"
    assert gps.advice == "gps: what to do"


def test_time_and_camera_serial_in_the_exif_are_findings(photo_with_exif):
    report = analyze_photo(photo_with_exif, language="en", rules=RULES)

    assert report.metadata.taken_at == "2026:05:14 06:12:09"
    assert report.metadata.camera_serial == "082024001234"
    assert (report.metadata.camera_make, report.metadata.camera_model) == ("Canon", "Canon EOS R6")
    assert {"photo:taken-at", "photo:camera-serial"} <= _rules_of(report)
    assert _finding(report, "photo:camera-serial").severity == Severity.WARNING
    assert "photo:camera" not in _rules_of(report), "the serial says more than make and model"


def test_camera_make_without_serial_is_an_info_finding():
    exif = piexif.dump({"0th": {piexif.ImageIFD.Make: b"Apple", piexif.ImageIFD.Model: b"iPhone 15"}})
    report = analyze_photo(_encode(_astronaut(), exif=exif), language="en", rules=RULES)

    camera = _finding(report, "photo:camera")
    assert camera.severity == Severity.INFO
    assert camera.excerpt == "Apple iPhone 15"


@pytest.mark.parametrize(
    ("make", "model", "camera"),
    [
        ("Canon", "Canon EOS R6", "Canon EOS R6"),
        ("NIKON CORPORATION", "NIKON D750", "NIKON D750"),
        ("Apple", "iPhone 15", "Apple iPhone 15"),
        ("samsung", "Galaxy S23", "samsung Galaxy S23"),
        (None, "Pixel 8", "Pixel 8"),
        ("Fujifilm", None, "Fujifilm"),
        (None, None, None),
    ],
)
def test_the_camera_is_named_without_repeating_its_maker(make, model, camera):
    assert PhotoMetadata(camera_make=make, camera_model=model).camera == camera


def test_a_camera_whose_model_repeats_the_maker_is_named_once_in_its_finding():
    exif = piexif.dump({"0th": {piexif.ImageIFD.Make: b"Canon", piexif.ImageIFD.Model: b"Canon EOS R6"}})
    report = analyze_photo(_encode(_astronaut(), exif=exif), language="en", rules=RULES)

    assert _finding(report, "photo:camera").excerpt == "Canon EOS R6"


def test_gps_position_in_xmp_is_found_too():
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
        b'exif:GPSLatitude="50,50.5N" exif:GPSLongitude="4,21.25E"/></rdf:RDF></x:xmpmeta>'
    )
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", xmp.decode())
    report = analyze_photo(_encode(_astronaut(), "PNG", pnginfo=info), language="en", rules=RULES)

    assert report.metadata.latitude == pytest.approx(50.841667, abs=1e-5)
    assert report.metadata.longitude == pytest.approx(4.354167, abs=1e-5)
    assert "photo:gps" in _rules_of(report)


def test_a_blank_photo_has_nothing_to_report():
    report = analyze_photo(_encode(Image.new("RGB", (800, 600), "white"), "PNG"), language="en", rules=RULES)

    assert (report.ocr_text, report.faces, report.codes, report.findings) == ("", 0, (), ())


def test_a_photo_without_metadata_has_no_metadata_findings():
    report = analyze_photo(_encode(_text_image(["Hello"])), language="en", rules=RULES)

    assert report.metadata.is_empty
    assert not [finding for finding in report.findings if finding.source == "photo-metadata"]


def test_photo_messages_come_from_the_rules_of_the_requested_language(photo_with_exif):
    rules = load_default_rules()
    for language in LANGUAGES:
        report = analyze_photo(photo_with_exif, language=language, rules=rules)

        gps = _finding(report, "photo:gps")
        expected = rules.for_language(language).photo["gps"]
        assert (gps.category, gps.severity) == (Category.LOCATION, Severity.HIGH)
        assert (gps.explanation, gps.advice, gps.article) == (
            expected.explanation,
            expected.advice,
            expected.article,
        )


def test_a_customs_marking_next_to_a_face_is_high_and_alone_a_warning_with_their_own_texts():
    photo = Image.new("RGB", (1400, 512), "white")
    photo.paste(_astronaut(), (0, 0))
    ImageDraw.Draw(photo).text((600, 180), "DOUANE", font=ImageFont.truetype(VERA, 130), fill="black")

    report = analyze_photo(_encode(photo), language="en", rules=RULES)

    marking = _finding(report, "photo:marking")
    officer = _finding(report, "photo:face-marking")
    assert (marking.category, marking.severity) == (Category.IDENTIFIES_OFFICER, Severity.WARNING)
    assert (officer.category, officer.severity) == (Category.IDENTIFIES_OFFICER, Severity.HIGH)
    messages = RULES.for_language("en").photo
    assert marking.explanation == messages["marking"].explanation
    assert officer.explanation == messages["face-marking"].explanation


# --- Text in the photo --------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["DOUANE", "DOUANES", "ZOLL", "CUSTOMS"])
def test_customs_marking_read_in_the_photo_identifies_an_officer(word):
    report = analyze_photo(_encode(_text_image([word])), language="en", rules=RULES)

    assert word in report.ocr_text
    marking = _finding(report, "photo:marking")
    assert marking.category == Category.IDENTIFIES_OFFICER
    assert marking.source == "photo-content"
    assert marking.excerpt == word
    assert _overlaps(marking.box, (60, 60, 60 + 150 * len(word), 260))


def test_white_marking_on_a_dark_jacket_is_read():
    image = _text_image(["DOUANE"], background=(20, 30, 80), colour="white")

    report = analyze_photo(_encode(image), language="en", rules=RULES)

    assert "photo:marking" in _rules_of(report)


def test_text_read_in_the_photo_is_analysed_like_the_post_with_its_box():
    image = _text_image(["Screenshot intranet", "jan.peeters@example.be"], size=(1800, 500), points=100)

    report = analyze_photo(_encode(image, "PNG"), language="en", rules=RULES)

    internal = next(f for f in report.findings if f.category == Category.INTERNAL_DOCUMENT)
    assert internal.source == "photo-text"
    assert report.ocr_text[internal.span[0] : internal.span[1]].casefold() == "intranet"
    assert _overlaps(internal.box, (700, 60, 1800, 180))
    email = _finding(report, "identifier:email")
    assert email.excerpt == "jan.peeters@example.be"
    assert _overlaps(email.box, (60, 200, 1800, 320))


def test_boxes_are_in_the_pixels_of_the_original_photo():
    small = _text_image(["DOUANE"], size=(1400, 500))
    large = small.resize((5600, 2000))

    box_small = _finding(analyze_photo(_encode(small), language="en", rules=RULES), "photo:marking").box
    box_large = _finding(analyze_photo(_encode(large), language="en", rules=RULES), "photo:marking").box

    assert box_large[0] == pytest.approx(box_small[0] * 4, abs=40)
    assert box_large[2] == pytest.approx(box_small[2] * 4, abs=80)


# --- Faces ---------------------------------------------------------------------------------------------


def test_one_face_is_counted_with_its_box():
    report = analyze_photo(_encode(_astronaut()), language="en", rules=RULES)

    assert report.faces == 1
    assert _overlaps(report.face_boxes[0], (170, 40, 290, 190))
    faces = _finding(report, "photo:faces")
    assert (faces.category, faces.severity) == (Category.PERSONAL_DATA, Severity.INFO)


def test_several_faces_bring_advice_about_colleagues_consent():
    astronaut = _astronaut()
    group = Image.new("RGB", (1024, 512))
    group.paste(astronaut, (0, 0))
    group.paste(astronaut, (512, 0))

    report = analyze_photo(_encode(group), language="en", rules=RULES)

    assert report.faces == 2
    assert _finding(report, "photo:faces-several").severity == Severity.WARNING
    assert "photo:faces" not in _rules_of(report)


def test_a_face_with_a_customs_marking_identifies_an_officer_with_high_severity():
    photo = Image.new("RGB", (1400, 512), "white")
    photo.paste(_astronaut(), (0, 0))
    ImageDraw.Draw(photo).text((600, 180), "DOUANE", font=ImageFont.truetype(VERA, 130), fill="black")

    report = analyze_photo(_encode(photo), language="en", rules=RULES)

    officer = _finding(report, "photo:face-marking")
    assert (officer.category, officer.severity) == (Category.IDENTIFIES_OFFICER, Severity.HIGH)
    assert _overlaps(officer.box, (170, 40, 290, 190))
    assert "photo:faces" not in _rules_of(report)


def test_text_alone_is_not_taken_for_a_face():
    report = analyze_photo(_encode(_text_image(["DOUANE", "ZOLL 1742"])), language="en", rules=RULES)

    assert report.faces == 0


# --- Codes ---------------------------------------------------------------------------------------------


def _qr_photo(content):
    photo = Image.new("RGB", (1200, 900), (200, 200, 190))
    photo.paste(qrcode.make(content).get_image().convert("RGB").resize((500, 500)), (300, 200))
    return _encode(photo, quality=92)


def test_boarding_pass_barcode_is_a_high_personal_data_finding():
    pass_data = "M1PEETERS/JAN         EABC123 BRUJFKSN 0501 123Y012A0025 100"

    report = analyze_photo(_qr_photo(pass_data), language="en", rules=RULES)

    assert [code.text for code in report.codes] == [pass_data]
    boarding = _finding(report, "photo:boarding-pass")
    assert (boarding.category, boarding.severity, boarding.source) == (
        Category.PERSONAL_DATA,
        Severity.HIGH,
        "photo-code",
    )
    assert _overlaps(boarding.box, (300, 200, 800, 700))


def test_other_codes_such_as_a_badge_number_are_personal_data():
    report = analyze_photo(_qr_photo("BADGE 0042-7781"), language="en", rules=RULES)

    assert report.codes[0].kind == "QRCode"
    code = _finding(report, "photo:code")
    assert code.excerpt == "BADGE 0042-7781"
    assert "photo:boarding-pass" not in _rules_of(report)


# --- Formats and orientation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image_format", "options"),
    [("PNG", {}), ("WEBP", {"quality": 90}), ("GIF", {}), ("HEIF", {"quality": 90})],
)
def test_accepted_formats_are_analysed(image_format, options):
    report = analyze_photo(
        _encode(_text_image(["DOUANE"]), image_format, **options), language="en", rules=RULES
    )

    assert report.format == image_format
    assert (report.width, report.height) == (1400, 500)
    assert "photo:marking" in _rules_of(report)


def test_exif_orientation_is_applied_to_sizes_and_reading():
    upright = _text_image(["DOUANE"])
    stored_sideways = upright.transpose(Image.Transpose.ROTATE_90)  # displayed upright with orientation 6

    report = analyze_photo(_encode(stored_sideways, exif=_exif(orientation=6)), language="en", rules=RULES)

    assert (report.width, report.height) == (1400, 500)
    assert "DOUANE" in report.ocr_text


def test_a_twelve_megapixel_photo_is_analysed():
    photo = Image.new("RGB", (4000, 3000), (40, 50, 90))
    photo.paste(_astronaut().resize((2400, 2400)), (0, 300))
    ImageDraw.Draw(photo).text((2550, 1300), "DOUANE", font=ImageFont.truetype(VERA, 250), fill="white")

    report = analyze_photo(_encode(photo, quality=90), language="en", rules=RULES)

    assert (report.width, report.height) == (4000, 3000)
    assert report.faces == 1
    assert "photo:face-marking" in _rules_of(report)


# --- The preview the page draws its boxes on ----------------------------------------------------------


def test_a_preview_is_made_only_when_asked(photo_with_exif):
    assert analyze_photo(photo_with_exif, language="en", rules=RULES).preview == b""


def test_the_preview_is_a_small_upright_jpeg_without_metadata():
    upright = Image.new("RGB", (4000, 1500), "white")
    ImageDraw.Draw(upright).rectangle((0, 0, 1999, 1499), fill="black")  # the left half is black
    stored_sideways = upright.transpose(Image.Transpose.ROTATE_90)  # displayed upright with orientation 6
    photo = _encode(stored_sideways, exif=_exif(orientation=6), quality=90)

    report = analyze_photo(photo, language="en", rules=RULES, preview=True)

    preview = Image.open(io.BytesIO(report.preview))
    assert preview.format == "JPEG"
    assert preview.size == (PREVIEW_SIZE, 360)
    assert not preview.info.get("exif") and not preview.getexif()
    assert preview.getpixel((100, 180))[0] < 40 and preview.getpixel((PREVIEW_SIZE - 100, 180))[0] > 215


# --- The masked copy ----------------------------------------------------------------------------------


def _boxes(report):
    return [finding.box for finding in report.findings if finding.box is not None]


def test_a_masked_copy_cannot_be_read_where_something_was_found_and_is_unchanged_elsewhere():
    photo = _text_image(["DOUANE"], size=(2000, 1200))
    ImageDraw.Draw(photo).rectangle((1500, 900, 1900, 1100), fill=(200, 30, 30))  # far from the word
    data = _encode(photo, exif=_exif(), quality=95)
    report = analyze_photo(data, language="en", rules=RULES)
    assert "photo:marking" in _rules_of(report)

    masked = masked_photo(data, _boxes(report))

    assert "photo:marking" not in _rules_of(analyze_photo(masked, language="en", rules=RULES))
    image = Image.open(io.BytesIO(masked))
    assert image.size == (2000, 1200)
    assert not image.getexif() and "exif" not in image.info
    assert image.getpixel((1700, 1000)) == pytest.approx((200, 30, 30), abs=6)


def test_a_masked_copy_is_upright_with_the_boxes_where_they_are_displayed():
    upright = _text_image(["DOUANE"])
    stored_sideways = upright.transpose(Image.Transpose.ROTATE_90)  # displayed upright with orientation 6
    data = _encode(stored_sideways, exif=_exif(orientation=6))
    report = analyze_photo(data, language="en", rules=RULES)

    masked = masked_photo(data, _boxes(report))

    image = Image.open(io.BytesIO(masked))
    assert image.size == (1400, 500)
    assert "DOUANE" not in analyze_photo(masked, language="en", rules=RULES).ocr_text


@pytest.mark.parametrize("image_format", ["JPEG", "PNG"])
def test_a_large_photo_is_masked_at_a_size_social_networks_take(image_format):
    photo = Image.new("RGB", (8000, 4000), "white")
    ImageDraw.Draw(photo).text((400, 1200), "DOUANE", font=ImageFont.truetype(VERA, 900), fill="black")
    data = _encode(photo, image_format, **({"quality": 80} if image_format == "JPEG" else {}))
    report = analyze_photo(data, language="en", rules=RULES)
    assert "photo:marking" in _rules_of(report)

    masked = masked_photo(data, _boxes(report))

    width, height = Image.open(io.BytesIO(masked)).size
    assert MASKED_SIZE // 2 <= width <= MASKED_SIZE and width == 2 * height
    assert "photo:marking" not in _rules_of(analyze_photo(masked, language="en", rules=RULES))


def test_masking_a_photo_that_cannot_be_read_is_refused_as_its_check_is():
    with pytest.raises(InputRejected) as error:
        masked_photo(b"not an image at all", [(0, 0, 10, 10)])
    assert error.value.code == "not-an-image"


# --- The cleaned copy ---------------------------------------------------------------------------------


def test_cleaned_jpeg_has_no_metadata_and_the_same_pixels(photo_with_exif):
    cleaned, mime = clean_photo(photo_with_exif)

    assert mime == "image/jpeg"
    assert b"082024001234" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert not image.getexif()
        pixels = np.asarray(image)
    with Image.open(io.BytesIO(photo_with_exif)) as original:
        assert np.array_equal(pixels, np.asarray(original))
    assert analyze_photo(cleaned, language="en", rules=RULES).metadata.is_empty


def test_cleaned_jpeg_drops_xmp_comments_and_trailers_but_keeps_orientation():
    xmp = b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta exif:GPSLatitude='51,15.8N'/>"
    photo = _encode(_astronaut(), exif=_exif(orientation=6), comment=b"shift Zeebrugge 06:00")
    photo = photo[:2] + b"\xff\xe1" + struct.pack(">H", len(xmp) + 2) + xmp + photo[2:] + b"vendor trailer"

    cleaned, _ = clean_photo(photo)

    for secret in (b"GPSLatitude", b"Zeebrugge", b"vendor trailer", b"Canon"):
        assert secret not in cleaned
    assert piexif.load(cleaned)["0th"] == {piexif.ImageIFD.Orientation: 6}
    assert cleaned.endswith(b"\xff\xd9")


def test_cleaned_multi_picture_jpeg_keeps_only_the_first_picture():
    first, second = _astronaut(), _text_image(["ZOLL"])
    photo = _encode(first, "MPO", save_all=True, append_images=[second], exif=_exif())

    cleaned, mime = clean_photo(photo)

    assert mime == "image/jpeg"
    assert b"082024001234" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == "JPEG"
        assert image.size == first.size
        assert not image.getexif()
    assert analyze_photo(photo, language="en", rules=RULES).metadata.camera_serial == "082024001234"


def test_cleaned_png_and_webp_keep_their_format_without_metadata():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "badge 0042")
    image = _text_image(["ZOLL"])
    for photo, expected_mime in (
        (_encode(image, "PNG", pnginfo=info, exif=_exif()), "image/png"),
        (_encode(image, "WEBP", exif=_exif(), lossless=True), "image/webp"),
    ):
        cleaned, mime = clean_photo(photo)

        assert mime == expected_mime
        assert b"badge 0042" not in cleaned
        assert b"082024001234" not in cleaned
        with Image.open(io.BytesIO(cleaned)) as result:
            assert not result.getexif()
            assert np.array_equal(np.asarray(result.convert("RGB")), np.asarray(image))


def test_cleaned_gif_has_no_comment_and_heic_becomes_a_jpeg_without_exif():
    gif, gif_mime = clean_photo(_encode(_text_image(["ZOLL"]), "GIF", comment=b"badge 0042"))
    heic, heic_mime = clean_photo(_encode(_astronaut(), "HEIF", exif=_exif(), quality=80))

    assert gif_mime == "image/gif"
    assert b"badge 0042" not in gif
    assert heic_mime == "image/jpeg"
    with Image.open(io.BytesIO(heic)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()


# --- Bad input -----------------------------------------------------------------------------------------


def _png(width, height, idat):
    def chunk(kind, payload):
        return (
            struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _rejection(data):
    with pytest.raises(InputRejected) as analysed:
        analyze_photo(data, language="en", rules=RULES)
    with pytest.raises(InputRejected) as cleaned:
        clean_photo(data)
    assert analysed.value.code == cleaned.value.code
    assert analysed.value.message
    return analysed.value.code


def test_a_text_file_renamed_jpg_is_not_an_image():
    assert _rejection(b"Dit is geen foto maar een boodschappenlijstje.\n") == "not-an-image"


def test_a_truncated_jpeg_is_refused_as_damaged():
    photo = _encode(_astronaut(), quality=90)

    assert _rejection(photo[: len(photo) // 2]) == "not-an-image"


def test_a_decompression_bomb_is_refused_from_its_header():
    # 50,000 x 50,000 pixels declared in a file of a few dozen bytes whose picture data is cut short: had the
    # analyzer started decoding, it would fail on the missing data ("not-an-image") or exhaust memory; the
    # code says it stopped at the header, before any pixel was decoded.
    bomb = _png(50_000, 50_000, zlib.compress(b"\x00" * 6251))

    assert len(bomb) < 200
    assert _rejection(bomb) == "decompression-bomb"


def test_huge_dimensions_are_refused():
    huge = _encode(Image.new("1", (8000, 6000)), "PNG")

    assert _rejection(huge) == "too-many-pixels"


@pytest.mark.parametrize("image_format", ["TIFF", "BMP"])
def test_unsupported_image_formats_are_named_as_such(image_format):
    assert _rejection(_encode(_astronaut(), image_format)) == "unsupported-format"


def _animation_with_metadata():
    """A GIF of three frames that loops twice, with a comment, an XMP packet and bytes after its end."""
    frames = [_astronaut().resize((120, 90)).rotate(angle) for angle in (0, 90, 180)]
    gif = _encode(
        frames[0], "GIF", save_all=True, append_images=frames[1:], duration=[100, 200, 300], loop=2,
        comment=b"badge 0042",
    )  # fmt: skip
    colour_table = 3 << ((gif[10] & 7) + 1) if gif[10] & 0x80 else 0
    after_header = 13 + colour_table
    packet = b"<x:xmpmeta>jan.peeters@example.be</x:xmpmeta>"
    xmp = b"\x21\xff\x0bXMP DataXMP" + bytes([len(packet)]) + packet + b"\x00"
    return gif[:after_header] + xmp + gif[after_header:] + b"hidden after the end"


def test_a_cleaned_animation_keeps_its_frames_and_timing_and_loses_its_metadata_without_being_decoded(
    monkeypatch,
):
    animation = _animation_with_metadata()
    with Image.open(io.BytesIO(animation)) as original:
        expected = [np.asarray(frame.convert("RGB")) for frame in ImageSequence.Iterator(original)]
    monkeypatch.setattr(
        ImageFile.ImageFile, "load", lambda self: pytest.fail("a GIF was decoded to clean it")
    )

    cleaned, mime = clean_photo(animation)

    monkeypatch.undo()
    assert mime == "image/gif"
    for secret in (b"badge 0042", b"jan.peeters", b"XMP DataXMP", b"hidden after the end"):
        assert secret not in cleaned
    with Image.open(io.BytesIO(cleaned)) as result:
        assert result.info["loop"] == 2
        frames = [
            (frame.info["duration"], np.asarray(frame.convert("RGB")))
            for frame in ImageSequence.Iterator(result)
        ]
    assert [duration for duration, _ in frames] == [100, 200, 300]
    assert len(frames) == len(expected)
    assert all(np.array_equal(pixels, want) for (_, pixels), want in zip(frames, expected, strict=True))


def test_an_animation_cut_short_in_a_frame_is_refused_as_damaged():
    animation = _animation_with_metadata()

    with pytest.raises(InputRejected) as rejected:
        clean_photo(animation[: len(animation) // 2])

    assert rejected.value.code == "not-an-image"


@pytest.mark.filterwarnings("ignore::UserWarning:PIL.TiffImagePlugin")
@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "GIF", "HEIF"])
def test_damaged_photos_are_analysed_or_refused_never_a_crash(image_format):
    photo = _encode(
        _astronaut().resize((256, 256)), image_format, **({"exif": _exif()} if image_format != "GIF" else {})
    )
    rng = random.Random(image_format)
    for _ in range(25):
        damaged = bytearray(photo)
        if rng.random() < 0.5:
            for _ in range(rng.randint(1, 20)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        else:
            damaged = damaged[: rng.randrange(1, len(damaged))]
        for check in (lambda data: analyze_photo(data, language="en", rules=RULES), clean_photo):
            try:
                check(bytes(damaged))
            except InputRejected as rejected:
                assert rejected.code in (
                    "not-an-image",
                    "unsupported-format",
                    "too-many-pixels",
                    "decompression-bomb",
                )


def test_empty_and_oversized_files_are_refused():
    assert _rejection(b"") == "empty"
    assert _rejection(b"\xff\xd8" + b"\x00" * MAX_FILE_BYTES) == "too-large-file"


# --- Text and photo together --------------------------------------------------------------------------


def test_analyze_combines_text_and_photo_findings_most_serious_first(photo_with_exif):
    analysis = analyze(
        text="Mail me: jan.peeters@example.be", photo=photo_with_exif, language="en", rules=RULES
    )

    assert analysis.language == "en"
    assert analysis.photo is not None
    sources = {finding.source for finding in analysis.findings}
    assert {"text", "photo-metadata"} <= sources
    severities = [finding.severity.rank for finding in analysis.findings]
    assert severities == sorted(severities, reverse=True)
    assert analysis.to_dict()["photo"]["metadata"]["camera_serial"] == "082024001234"


def test_analyze_takes_a_photo_without_text_in_the_users_language(photo_with_exif):
    analysis = analyze(text="  ", photo=photo_with_exif, language=None, default_language="en", rules=RULES)

    assert analysis.language == "en"
    assert "photo:gps" in {finding.rule for finding in analysis.findings}


def test_analyze_needs_a_text_or_a_photo():
    with pytest.raises(InputRejected) as rejected:
        analyze(text="", photo=None, language="en", rules=RULES)

    assert rejected.value.code == "empty"
