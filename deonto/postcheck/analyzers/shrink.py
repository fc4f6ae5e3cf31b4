"""A large photo decoded already shrunk by a whole factor, without ever holding it at full size.

A 40-megapixel photo takes 160 MB once decoded into a Pillow image (four bytes a pixel), more than a worker can
spare. JPEGs are decoded at reduced scale by their own decoder (`Image.draft`, in the callers); PNG and HEIC
cannot be, so `shrunk` decodes them a band of rows at a time and keeps only the shrunk result:

- a PNG (8 bits a sample, not interlaced: what phones, cameras and screenshots give) is read from its zlib
  stream a band at a time. Each band becomes a small PNG of its own that Pillow decodes, headed by the last row
  of the band before as an unfiltered row, since a row's filter refers to the row above it;
- a HEIC is decoded by libheif into its own buffer and shrunk from there a band at a time, without the copy
  into a full-size Pillow image that opening it with Pillow makes.

The bands are a whole multiple of the factor high, so the result is exactly `image.reduce(factor)` laid on
white. Other photos are decoded whole, then reduced.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator

import pillow_heif
from PIL import Image

BAND_PIXELS = 1_000_000  # decoded at a time, at the least one row of blocks of `factor` rows

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # by colour type: grey, RGB, palette, grey + alpha, RGBA


def shrunk(image: Image.Image, data: bytes, factor: int) -> Image.Image:
    """`image`, opened from `data` and not loaded yet, decoded and reduced by `factor`, in RGB with any
    transparency laid on white. An image of another mode (palette, bilevel, 16 bits) is brought to RGB before it
    is reduced.

    Raises what the decoders raise on damaged data (OSError, ValueError, SyntaxError, EOFError, zlib.error).
    """
    if factor > 1 and image.format == "PNG" and _png_in_bands(data):
        return _joined(_png_bands(data, _band_rows(image.width, factor)), factor)
    if factor > 1 and image.format == "HEIF":
        return _joined(_heif_bands(data, factor), factor)
    image.load()
    return _reduced(image, factor)


def on_white(image: Image.Image) -> Image.Image:
    """`image` in RGB, any transparency laid on white, 16 bits a sample brought to 8."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
        # Pillow's own conversion clips at 255, which would turn a 16-bit photo white.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _reduced(image: Image.Image, factor: int) -> Image.Image:
    if factor == 1:
        return on_white(image)
    if image.mode not in ("L", "LA", "RGB", "RGBA"):
        return on_white(image).reduce(factor)
    return on_white(image.reduce(factor))


def _band_rows(width: int, factor: int) -> int:
    return factor * max(1, BAND_PIXELS // (width * factor))


def _joined(bands: Iterator[Image.Image], factor: int) -> Image.Image:
    shrunk_bands = [_reduced(band, factor) for band in bands]
    result = Image.new("RGB", (shrunk_bands[0].width, sum(band.height for band in shrunk_bands)))
    top = 0
    for band in shrunk_bands:
        result.paste(band, (0, top))
        top += band.height
    return result


# --- PNG ----------------------------------------------------------------------------------------------------


def _png_chunks(data: bytes) -> Iterator[tuple[bytes, memoryview]]:
    """The chunks of a PNG up to IEND, each checked against its CRC."""
    view = memoryview(data)
    offset = len(_PNG_SIGNATURE)
    while offset + 12 <= len(data):
        (length,) = struct.unpack_from(">I", data, offset)
        kind = data[offset + 4 : offset + 8]
        end = offset + 12 + length
        if end > len(data):
            raise OSError("image file is truncated")
        payload = view[offset + 8 : end - 4]
        if zlib.crc32(payload, zlib.crc32(kind)) != struct.unpack_from(">I", data, end - 4)[0]:
            raise SyntaxError(f"broken PNG file (bad checksum in {kind!r})")
        yield kind, payload
        if kind == b"IEND":
            return
        offset = end
    raise OSError("image file is truncated")


def png_metadata(data: bytes) -> Image.Image:
    """A one-pixel PNG holding the metadata chunks (EXIF, text, XMP) of the PNG `data`, wherever they were.

    A PNG's metadata may follow its pixels, and Pillow decodes every pixel to reach it (`getexif` loads the
    image); from this stand-in Pillow reads the same metadata without decoding the photo.
    """
    chunks = b"".join(
        _png_chunk(kind, payload)
        for kind, payload in _png_chunks(data)
        if kind in (b"eXIf", b"tEXt", b"zTXt", b"iTXt")
    )
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    stand_in = b"".join(
        (
            _PNG_SIGNATURE,
            _png_chunk(b"IHDR", header),
            chunks,
            _png_chunk(b"IDAT", zlib.compress(b"\x00\x00")),
            _png_chunk(b"IEND", b""),
        )
    )
    return Image.open(io.BytesIO(stand_in), formats=["PNG"])


def _png_header(data: bytes) -> tuple[int, int, int, int, int]:
    """Width, height, bit depth, colour type and interlace method."""
    width, height, depth, colour, _, _, interlace = struct.unpack_from(">IIBBBBB", data, 16)
    return width, height, depth, colour, interlace


def _png_in_bands(data: bytes) -> bool:
    if len(data) < 33 or not data.startswith(_PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return False
    _, _, depth, colour, interlace = _png_header(data)
    return depth == 8 and colour in _PNG_CHANNELS and interlace == 0


def _png_chunk(kind: bytes, payload: bytes | memoryview) -> bytes:
    crc = zlib.crc32(payload, zlib.crc32(kind))
    return struct.pack(">I", len(payload)) + kind + bytes(payload) + struct.pack(">I", crc)


def _png_bands(data: bytes, rows_per_band: int) -> Iterator[Image.Image]:
    """The PNG's rows, `rows_per_band` at a time (the last band may be shorter)."""
    width, height, _, colour, _ = _png_header(data)
    row_bytes = 1 + width * _PNG_CHANNELS[colour]
    kept = b"".join(
        _png_chunk(kind, payload) for kind, payload in _png_chunks(data) if kind in (b"PLTE", b"tRNS")
    )
    compressed = (bytes(payload) for kind, payload in _png_chunks(data) if kind == b"IDAT")
    inflate = zlib.decompressobj()

    def read(size: int) -> bytes:
        rows = bytearray()
        while len(rows) < size:
            source = inflate.unconsumed_tail or next(compressed, b"")
            if not source or inflate.eof:
                raise OSError("image file is truncated")
            rows += inflate.decompress(source, size - len(rows))
        return bytes(rows)

    above = b""  # the last row decoded, unfiltered, with the filter byte of "none"
    for top in range(0, height, rows_per_band):
        rows = min(rows_per_band, height - top)
        raw = above + read(rows * row_bytes)
        band_height = rows + (1 if above else 0)
        header = struct.pack(">IIBBBBB", width, band_height, 8, colour, 0, 0, 0)
        png = b"".join(
            (
                _PNG_SIGNATURE,
                _png_chunk(b"IHDR", header),
                kept,
                _png_chunk(b"IDAT", zlib.compress(raw, 0)),
                _png_chunk(b"IEND", b""),
            )
        )
        with Image.open(io.BytesIO(png), formats=["PNG"]) as decoded:
            decoded.load()
            band = decoded.crop((0, band_height - rows, width, band_height))
        above = b"\x00" + band.crop((0, rows - 1, width, rows)).tobytes()
        yield band


# --- HEIC ---------------------------------------------------------------------------------------------------


def _heif_bands(data: bytes, factor: int) -> Iterator[Image.Image]:
    """The primary image's rows, a band at a time, as Pillow's HEIF plugin would decode it (orientation
    applied, high dynamic range brought to 8 bits)."""
    heif = pillow_heif.open_heif(io.BytesIO(data), convert_hdr_to_8bit=True, remove_stride=False)
    primary = heif[heif.primary_index]
    pixels = memoryview(primary.data)  # decodes; the size may change with the orientation
    width, height = primary.size
    stride = primary.stride
    rows_per_band = _band_rows(width, factor)
    for top in range(0, height, rows_per_band):
        rows = min(rows_per_band, height - top)
        yield Image.frombytes(
            primary.mode,
            (width, rows),
            pixels[top * stride : (top + rows) * stride],
            "raw",
            primary.mode,
            stride,
        )
