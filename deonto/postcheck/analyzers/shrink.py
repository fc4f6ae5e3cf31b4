"""A large photo decoded already shrunk by a whole factor, without ever holding it at full size.

A 40-megapixel photo takes 160 MB once decoded into a Pillow image (four bytes a pixel), more than a worker can
spare. JPEGs are decoded at reduced scale by their own decoder (`Image.draft`, in the callers); PNG and HEIC
cannot be, so `shrunk` decodes them a band of rows at a time and keeps only the shrunk result:

- a PNG (8 bits a sample, not interlaced: what phones, cameras and screenshots give) is read from its zlib
  stream a band at a time. Each band becomes a small PNG of its own that Pillow decodes, headed by the last row
  of the band before as an unfiltered row, since a row's filter refers to the row above it;
- a HEIC made of tiles, as phones write them, is decoded a row of tiles at a time through libheif's tile API
  (called with ctypes: pillow_heif does not expose it). Other HEICs are decoded whole by libheif into its own
  buffer, as they must be, and shrunk from there a band at a time, without the copy into a full-size Pillow
  image that opening them with Pillow makes;
- a still WebP is decoded whole by libwebp (called with ctypes) into its own buffer, at 3 or 4 bytes a pixel
  where Pillow's decoder holds about 16, and shrunk from there a band at a time.

Rows are reduced in whole multiples of the factor, so the result is exactly `image.reduce(factor)` laid on
white (tests compare the two). Other photos are decoded whole, then reduced.
"""

from __future__ import annotations

import ctypes
import functools
import io
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import pillow_heif
from PIL import Image

_REDUCIBLE = ("L", "LA", "RGB", "RGBA")  # the modes `Image.reduce` takes
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
        with _TiledHeif.open(data) as tiled:
            return _joined(tiled.bands() if tiled else _heif_bands(data, factor), factor)
    if factor > 1 and decoded_by_libwebp(image, data):
        return _joined(_webp_bands(data, factor), factor)
    image.load()
    if factor > 1 and image.mode not in _REDUCIBLE:
        # A palette, bilevel or 16-bit image, brought to RGB a band at a time rather than at full size.
        rows = _band_rows(image.width, factor)
        height = image.height
        return _joined(
            (image.crop((0, top, image.width, min(top + rows, height))) for top in range(0, height, rows)),
            factor,
        )
    return _reduced(image, factor)


def decoded_in_parts(image: Image.Image, data: bytes) -> bool:
    """Whether `image` (opened from `data`) is decoded at reduced scale, a band or a tile at a time, never whole:
    a baseline JPEG, a PNG of 8 bits a sample not interlaced, a HEIC of tiles that `_TiledHeif` takes. A
    progressive JPEG is decoded at reduced scale too, but libjpeg holds all its coefficients until the last scan,
    2 to 6 bytes a pixel."""
    if image.format in ("JPEG", "MPO"):
        return not image.info.get("progressive")
    if image.format == "PNG":
        return _png_in_bands(data)
    if image.format == "HEIF":
        with _TiledHeif.open(data) as tiled:
            return tiled is not None
    return False


def decoded_by_libwebp(image: Image.Image, data: bytes) -> bool:
    """Whether `image`, opened from `data`, is a WebP decoded into libwebp's own buffer (`_webp_bands`): one that
    is not an animation, even of one frame (libwebp's decoder refuses those), when the libwebp inside Pillow's
    wheel is there. Pillow's WebP decoder holds about 16 bytes a pixel."""
    animation = data[12:16] == b"VP8X" and len(data) > 20 and bool(data[20] & 0x02)  # its flag in the header
    return image.format == "WEBP" and not animation and _libwebp() is not None


def give_back_memory() -> None:
    """Hand the memory a photo's decoding freed back to the system (glibc keeps it otherwise): a worker then
    holds the same after each photo instead of creeping up (benchmarks/postcheck_speed.py measures it)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Any:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


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
    if image.mode not in _REDUCIBLE:
        return on_white(image).reduce(factor)
    return on_white(image.reduce(factor))


def _band_rows(width: int, factor: int) -> int:
    return factor * max(1, BAND_PIXELS // (width * factor))


def _joined(bands: Iterator[Image.Image], factor: int) -> Image.Image:
    """The bands, of any heights, reduced and put one under the other: rows left over below a whole multiple of
    `factor` are carried into the next band, so the blocks fall where `reduce` puts them on the whole image."""
    shrunk_bands = []
    carried: Image.Image | None = None
    for band in bands:
        if carried is not None:
            band = _stacked(carried, band)
        whole = band.height - band.height % factor
        if whole:
            shrunk_bands.append(_reduced(band.crop((0, 0, band.width, whole)), factor))
        carried = band.crop((0, whole, band.width, band.height)) if whole < band.height else None
    if carried is not None:
        shrunk_bands.append(_reduced(carried, factor))
    result = Image.new("RGB", (shrunk_bands[0].width, sum(band.height for band in shrunk_bands)))
    top = 0
    for band in shrunk_bands:
        result.paste(band, (0, top))
        top += band.height
    return result


def _stacked(upper: Image.Image, lower: Image.Image) -> Image.Image:
    stacked = Image.new(lower.mode, (lower.width, upper.height + lower.height))
    stacked.paste(upper, (0, 0))
    stacked.paste(lower, (0, upper.height))
    stacked.info = lower.info
    return stacked


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
    chunks = list(_png_chunks(data))  # read and checked once: the payloads are views of `data`
    kept = b"".join(_png_chunk(kind, payload) for kind, payload in chunks if kind in (b"PLTE", b"tRNS"))
    compressed = (bytes(payload) for kind, payload in chunks if kind == b"IDAT")
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
    applied, high dynamic range brought to 8 bits), from libheif's decoding of the whole picture."""
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


def _shipped(package: ModuleType, folder: str, name: str) -> ctypes.CDLL | None:
    """The shared library `name` that the wheel of `package` ships in its `folder` beside it, if there."""
    found = sorted((Path(str(package.__file__)).parent.parent / folder).glob(f"{name}-*.so*"))
    return ctypes.CDLL(str(found[0])) if found else None


# --- WebP ---------------------------------------------------------------------------------------------------


class _WebPConfig(ctypes.Structure):
    """libwebp's WebPDecoderConfig (decode.h, ABI 0x0209): the features read, the output buffer, the options."""

    _fields_: ClassVar = [
        # WebPBitstreamFeatures
        *((name, ctypes.c_int) for name in ("width", "height", "has_alpha", "has_animation", "format")),
        ("features_pad", ctypes.c_uint32 * 5),
        # WebPDecBuffer, its union of RGBA and YUVA buffers taken as the larger (YUVA), RGBA at its start
        *((name, ctypes.c_int) for name in ("colorspace", "output_width", "output_height", "is_external")),
        ("rgba", ctypes.c_void_p),
        ("stride", ctypes.c_int),
        ("union_rest", ctypes.c_uint8 * (4 * ctypes.sizeof(ctypes.c_void_p) + 4 * 4 + 4 * 8 - 8 - 4)),
        ("buffer_pad", ctypes.c_uint32 * 4),
        ("private_memory", ctypes.c_void_p),
        # WebPDecoderOptions: 14 ints and padding, left as initialised
        ("options", ctypes.c_int * 14),
        ("options_pad", ctypes.c_uint32 * 5),
    ]


_WEBP_DECODER_ABI = 0x0209
_WEBP_MODES = {"RGB": 0, "RGBA": 1}  # MODE_RGB, MODE_RGBA (not premultiplied, as Pillow decodes)


@functools.cache
def _libwebp() -> ctypes.CDLL | None:
    """The libwebp shipped inside Pillow's wheel (the one Pillow decodes with)."""
    lib = _shipped(Image, "pillow.libs", "libwebp")
    if lib is None:
        return None
    config = ctypes.POINTER(_WebPConfig)
    lib.WebPInitDecoderConfigInternal.argtypes = [config, ctypes.c_int]
    lib.WebPInitDecoderConfigInternal.restype = ctypes.c_int
    for reader in (lib.WebPGetFeaturesInternal, lib.WebPDecode):
        reader.argtypes = [
            ctypes.c_char_p,
            ctypes.c_size_t,
            config,
            *([ctypes.c_int] * (reader is not lib.WebPDecode)),
        ]
        reader.restype = ctypes.c_int  # VP8StatusCode: 0 when all went well
    lib.WebPFreeDecBuffer.argtypes = [ctypes.c_void_p]
    lib.WebPFreeDecBuffer.restype = None
    return lib


def _webp_bands(data: bytes, factor: int) -> Iterator[Image.Image]:
    """A still WebP's rows, a band at a time, as Pillow decodes it, from libwebp's decoding of the whole picture
    into its own buffer: 3 bytes a pixel (4 with transparency)."""
    lib = _libwebp()
    if lib is None:  # `decoded_by_libwebp` says when it is there
        raise OSError("libwebp is not there")
    config = _WebPConfig()
    if not lib.WebPInitDecoderConfigInternal(ctypes.byref(config), _WEBP_DECODER_ABI):
        raise OSError("libwebp does not have the decoder interface this was written for")
    # The features first, to choose the output's mode: WebPGetFeatures is an inline function of decode.h.
    status = lib.WebPGetFeaturesInternal(data, len(data), ctypes.byref(config), _WEBP_DECODER_ABI)
    if status:
        raise OSError(f"libwebp cannot read this WebP (status {status})")
    mode = "RGBA" if config.has_alpha else "RGB"
    config.colorspace = _WEBP_MODES[mode]
    status = lib.WebPDecode(data, len(data), ctypes.byref(config))
    try:
        if status:
            raise OSError(f"libwebp cannot decode this WebP (status {status})")
        width, height, stride = config.output_width, config.output_height, config.stride
        rows_per_band = _band_rows(width, factor)
        for top in range(0, height, rows_per_band):
            rows = min(rows_per_band, height - top)
            pixels = ctypes.string_at(config.rgba + top * stride, rows * stride)
            yield Image.frombytes(mode, (width, rows), pixels, "raw", mode, stride)
    finally:
        lib.WebPFreeDecBuffer(ctypes.addressof(config) + _WebPConfig.colorspace.offset)


class _HeifError(ctypes.Structure):
    _fields_: ClassVar = [("code", ctypes.c_int), ("subcode", ctypes.c_int), ("message", ctypes.c_char_p)]


class _Tiling(ctypes.Structure):
    """libheif's heif_image_tiling, with room to spare for the fields later versions add."""

    _fields_: ClassVar = [
        ("version", ctypes.c_int),
        *((name, ctypes.c_uint32) for name in ("columns", "rows", "tile_width", "tile_height")),
        *((name, ctypes.c_uint32) for name in ("image_width", "image_height", "top_offset", "left_offset")),
        ("spare", ctypes.c_uint8 * 128),
    ]


# heif_colorspace_RGB, heif_chroma_interleaved_RGB (8 bits a sample, whatever the photo's), heif_channel_…
_RGB, _INTERLEAVED_RGB, _INTERLEAVED = 1, 10, 10


@functools.cache
def _libheif() -> ctypes.CDLL | None:
    """The libheif shipped inside pillow_heif (the one it decodes with), if it has the tile API."""
    lib = _shipped(pillow_heif, "pillow_heif.libs", "libheif")
    if lib is None or not hasattr(lib, "heif_image_handle_decode_image_tile"):
        return None
    pointer, handle_out = ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)
    signatures: dict[str, tuple[list[Any], Any]] = {
        "heif_context_alloc": ([], pointer),
        "heif_context_free": ([pointer], None),
        "heif_context_set_max_decoding_threads": ([pointer, ctypes.c_int], None),
        "heif_context_read_from_memory_without_copy": (
            [pointer, ctypes.c_char_p, ctypes.c_size_t, pointer],
            _HeifError,
        ),
        "heif_context_get_primary_image_handle": ([pointer, handle_out], _HeifError),
        "heif_image_handle_release": ([pointer], None),
        "heif_image_handle_has_alpha_channel": ([pointer], ctypes.c_int),
        "heif_image_handle_get_width": ([pointer], ctypes.c_int),
        "heif_image_handle_get_height": ([pointer], ctypes.c_int),
        "heif_image_handle_get_ispe_width": ([pointer], ctypes.c_int),
        "heif_image_handle_get_ispe_height": ([pointer], ctypes.c_int),
        "heif_image_handle_get_image_tiling": ([pointer, ctypes.c_int, ctypes.POINTER(_Tiling)], _HeifError),
        "heif_image_handle_decode_image_tile": (
            [pointer, handle_out, ctypes.c_int, ctypes.c_int, pointer, ctypes.c_uint32, ctypes.c_uint32],
            _HeifError,
        ),
        "heif_image_get_width": ([pointer, ctypes.c_int], ctypes.c_int),
        "heif_image_get_height": ([pointer, ctypes.c_int], ctypes.c_int),
        "heif_image_get_plane_readonly": (
            [pointer, ctypes.c_int, ctypes.POINTER(ctypes.c_int)],
            ctypes.POINTER(ctypes.c_uint8),
        ),
        "heif_image_release": ([pointer], None),
    }
    for name, (arguments, result) in signatures.items():
        function = getattr(lib, name)
        function.argtypes = arguments
        function.restype = result
    return lib


def _checked(error: _HeifError) -> None:
    if error.code:
        raise OSError(
            (error.message or b"").decode("utf-8", "replace") or "libheif could not decode the photo"
        )


class _TiledHeif:
    """A HEIC whose picture is a grid of tiles (as phones write them), decoded a row of tiles at a time through
    libheif's tile API, which pillow_heif does not expose. Used only where it gives what decoding the whole
    picture gives: no alpha, no crop, even sides (orientation is applied by libheif to each tile; with a
    side of odd length, a rotated or flipped tile's colours come out half a pixel apart from the whole picture's,
    as the test found). A photo of 10 or 12 bits a sample, as cameras write them, is brought to 8 bits by libheif
    tile by tile, as it is for the whole picture. One difference is kept: a photo in 4:2:2 (cameras again) turned a
    quarter has its colour interpolated within each tile, not across tile edges, so the row on either side of an
    edge differs by a few levels from the whole picture's (at most 17 in the test); refusing such photos above
    12 MP, as decoding them whole would need, would be worse."""

    def __init__(self, lib: ctypes.CDLL, data: bytes) -> None:
        self.lib = lib
        self.data = data  # libheif reads it in place for as long as the context lives
        self.context = lib.heif_context_alloc()
        self.handle = ctypes.c_void_p()
        self.tiling = _Tiling()

    @classmethod
    @contextmanager
    def open(cls, data: bytes) -> Iterator[_TiledHeif | None]:
        """The photo ready to be decoded tile by tile, or None when it is not tiled or not that simple."""
        lib = _libheif()
        if lib is None:
            yield None
            return
        tiled = cls(lib, data)
        lib.heif_context_set_max_decoding_threads(tiled.context, 1)
        try:
            # Anything unexpected here leaves the photo to pillow_heif, which decodes it whole or says why not.
            readable = (
                not lib.heif_context_read_from_memory_without_copy(tiled.context, data, len(data), None).code
                and not lib.heif_context_get_primary_image_handle(
                    tiled.context, ctypes.byref(tiled.handle)
                ).code
                and not lib.heif_image_handle_get_image_tiling(
                    tiled.handle, 1, ctypes.byref(tiled.tiling)
                ).code
            )
            yield tiled if readable and tiled.simple() else None
        finally:
            if tiled.handle:
                lib.heif_image_handle_release(tiled.handle)
            lib.heif_context_free(tiled.context)

    def simple(self) -> bool:
        lib, handle, tiling = self.lib, self.handle, self.tiling
        size = (lib.heif_image_handle_get_width(handle), lib.heif_image_handle_get_height(handle))
        coded = (lib.heif_image_handle_get_ispe_width(handle), lib.heif_image_handle_get_ispe_height(handle))
        return (
            tiling.columns * tiling.rows > 1
            and size == (tiling.image_width, tiling.image_height)
            and sorted(size) == sorted(coded)
            and size[0] % 2 == 0
            and size[1] % 2 == 0
            and not lib.heif_image_handle_has_alpha_channel(handle)
        )

    def bands(self) -> Iterator[Image.Image]:
        """A band for each row of tiles, as high as the part of it inside the picture."""
        tiling = self.tiling
        width, height = tiling.image_width, tiling.image_height
        # After a rotation the first row and column of tiles may stick out of the picture on the top or left:
        # libheif gives, as their offsets, how much of them is inside.
        shift_x = (tiling.tile_width - tiling.left_offset) % tiling.tile_width
        shift_y = (tiling.tile_height - tiling.top_offset) % tiling.tile_height
        for row in range(tiling.rows):
            top = row * tiling.tile_height - shift_y
            band_top, band_bottom = max(0, top), min(height, top + tiling.tile_height)
            if band_bottom <= band_top:
                continue
            band = Image.new("RGB", (width, band_bottom - band_top))
            for column in range(tiling.columns):
                band.paste(self._tile(column, row), (column * tiling.tile_width - shift_x, top - band_top))
            yield band

    def _tile(self, column: int, row: int) -> Image.Image:
        lib = self.lib
        image = ctypes.c_void_p()
        _checked(
            lib.heif_image_handle_decode_image_tile(
                self.handle, ctypes.byref(image), _RGB, _INTERLEAVED_RGB, None, column, row
            )
        )
        try:
            stride = ctypes.c_int()
            plane = lib.heif_image_get_plane_readonly(image, _INTERLEAVED, ctypes.byref(stride))
            width = lib.heif_image_get_width(image, _INTERLEAVED)
            height = lib.heif_image_get_height(image, _INTERLEAVED)
            if not plane or width <= 0 or height <= 0:
                raise OSError("libheif gave an empty tile")
            pixels = ctypes.string_at(plane, stride.value * height)
        finally:
            lib.heif_image_release(image)
        return Image.frombytes("RGB", (width, height), pixels, "raw", "RGB", stride.value)
