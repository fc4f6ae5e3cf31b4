"""Large PNG and HEIC photos decoded a band at a time: the same pixels as decoding them whole, never a
full-size copy in Pillow, metadata read without decoding, and damage refused as before."""

import gc
import io
import random
import struct
import zlib

import numpy as np
import piexif
import pillow_heif
import pytest
import skimage.data
from PIL import Image, ImageFile

from deonto.postcheck.analyzers import photo as photo_module
from deonto.postcheck.analyzers import shrink
from deonto.postcheck.analyzers.findings import InputRejected
from deonto.postcheck.analyzers.photo import analyze_photo, clean_photo, masked_photo
from deonto.postcheck.analyzers.rules import load_default_rules
from deonto.postcheck.analyzers.shrink import on_white, png_metadata, shrunk

RULES = load_default_rules()
CHANNELS = {"L": 1, "LA": 2, "RGB": 3, "RGBA": 4, "P": 1}
COLOUR_TYPES = {"L": 0, "RGB": 2, "P": 3, "LA": 4, "RGBA": 6}


def _chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def _paeth(left, up, up_left):
    estimate = left.astype(int) + up - up_left
    distances = [np.abs(estimate - value) for value in (left, up, up_left)]
    return np.where(
        (distances[0] <= distances[1]) & (distances[0] <= distances[2]),
        left,
        np.where(distances[1] <= distances[2], up, up_left),
    )


def _filtered(row, above, kind, step):
    """`row` filtered with PNG filter `kind` (0 none, 1 sub, 2 up, 3 average, 4 Paeth)."""
    row = row.astype(int)
    above = above.astype(int)
    left = np.concatenate([np.zeros(step, int), row[:-step]])
    up_left = np.concatenate([np.zeros(step, int), above[:-step]])
    predicted = [0, left, above, (left + above) // 2, _paeth(left, above, up_left)][kind]
    return ((row - predicted) % 256).astype(np.uint8)


def _png_with_every_filter(pixels, mode, *, palette=None, transparency=None, after_pixels=b""):
    """A PNG whose rows use the five filters in turn, so a band starts on each kind; its picture data is split
    over several IDAT chunks, and `after_pixels` chunks follow them."""
    height, width = pixels.shape[:2]
    step = CHANNELS[mode]
    rows = pixels.reshape(height, width * step)
    raw = bytearray()
    above = np.zeros(width * step, np.uint8)
    for number, row in enumerate(rows):
        kind = number % 5
        raw += bytes([kind]) + _filtered(row, above, kind, step).tobytes()
        above = row
    compressed = zlib.compress(bytes(raw), 6)
    header = struct.pack(">IIBBBBB", width, height, 8, COLOUR_TYPES[mode], 0, 0, 0)
    chunks = [_chunk(b"IHDR", header)]
    if palette is not None:
        chunks.append(_chunk(b"PLTE", palette))
    if transparency is not None:
        chunks.append(_chunk(b"tRNS", transparency))
    chunks += [_chunk(b"IDAT", compressed[start : start + 4000]) for start in range(0, len(compressed), 4000)]
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks) + after_pixels + _chunk(b"IEND", b"")


def _interlaced_png(pixels):
    """An RGB PNG with Adam7 interlacing, which Pillow reads but does not write."""
    height, width = pixels.shape[:2]
    raw = bytearray()
    for left, top, step_x, step_y in (
        (0, 0, 8, 8),
        (4, 0, 8, 8),
        (0, 4, 4, 8),
        (2, 0, 4, 4),
        (0, 2, 2, 4),
        (1, 0, 2, 2),
        (0, 1, 1, 2),
    ):
        reduced = pixels[top::step_y, left::step_x]
        if reduced.size:
            for row in reduced:
                raw += b"\x00" + row.tobytes()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 1)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(raw)))
        + _chunk(b"IEND", b"")
    )


def _pixels(mode, width=301, height=157):
    astronaut = Image.fromarray(skimage.data.astronaut()).resize((width, height))  # type: ignore[no-untyped-call]
    if mode == "P":
        return np.asarray(astronaut.quantize(64))
    alpha = np.tile(np.linspace(0, 255, width, dtype=np.uint8), (height, 1))
    grey = np.asarray(astronaut.convert("L"))
    colour = np.asarray(astronaut)
    return {
        "L": grey,
        "LA": np.dstack([grey, alpha]),
        "RGB": colour,
        "RGBA": np.dstack([colour, alpha]),
    }[mode]


def _decoded_whole_and_reduced(data, factor):
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        if image.mode not in ("L", "LA", "RGB", "RGBA"):
            return on_white(image).reduce(factor)
        return on_white(image.reduce(factor))


@pytest.fixture
def small_bands(monkeypatch):
    """Bands of a few rows, so that a small photo is decoded in dozens of them."""
    monkeypatch.setattr(shrink, "BAND_PIXELS", 2000)


@pytest.mark.parametrize("mode", ["L", "LA", "RGB", "RGBA", "P"])
@pytest.mark.parametrize("factor", [2, 3])
def test_a_png_decoded_in_bands_has_the_pixels_of_the_png_decoded_whole(small_bands, mode, factor):
    pixels = _pixels(mode)
    palette = transparency = None
    if mode == "P":
        colours = Image.fromarray(skimage.data.astronaut()).resize((301, 157)).quantize(64).getpalette()  # type: ignore[no-untyped-call]
        palette = bytes(colours[: 64 * 3])
        transparency = bytes(range(0, 256, 8))[:20]
    data = _png_with_every_filter(pixels, mode, palette=palette, transparency=transparency)
    expected = _decoded_whole_and_reduced(data, factor)

    with Image.open(io.BytesIO(data)) as image:
        decoded = shrunk(image, data, factor)

    assert shrink._band_rows(301, factor) < 157 // 5, "the photo was decoded in many bands"
    assert decoded.mode == "RGB"
    assert decoded.size == expected.size == (-(-301 // factor), -(-157 // factor))
    assert decoded.tobytes() == expected.tobytes()


@pytest.mark.parametrize("kind", ["interlaced", "16 bits"])
def test_a_png_that_cannot_be_read_in_bands_is_decoded_whole_with_the_same_result(kind):
    image = Image.fromarray(skimage.data.astronaut()).resize((300, 200))  # type: ignore[no-untyped-call]
    if kind == "interlaced":
        data = _interlaced_png(np.asarray(image))
    else:
        buffer = io.BytesIO()
        Image.fromarray(np.asarray(image.convert("L")).astype(np.uint16) * 257).save(buffer, "PNG")
        data = buffer.getvalue()
    assert not shrink._png_in_bands(data)

    with Image.open(io.BytesIO(data)) as opened:
        decoded = shrunk(opened, data, 2)

    assert decoded.tobytes() == _decoded_whole_and_reduced(data, 2).tobytes()


def _heic(monkeypatch, *, grid, orientation=1, mode="RGB", size=(301, 157), bits=8, chroma=420):
    monkeypatch.setattr(pillow_heif.options, "GRID_TILE_SIZE", grid)
    image = Image.fromarray(skimage.data.astronaut()).resize(size).convert(mode)  # type: ignore[no-untyped-call]
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    if bits == 8:
        image.save(buffer, "HEIF", quality=80, exif=exif.tobytes(), chroma=chroma)
    else:  # as cameras write them: pillow_heif encodes 16-bit samples in 10 bits, or in 12
        monkeypatch.setattr(pillow_heif.options, "SAVE_HDR_TO_12_BIT", bits == 12)
        samples = np.asarray(image).astype(np.uint16) << 8
        pillow_heif.from_bytes(mode=f"{mode};16", size=size, data=samples.tobytes()).save(
            buffer, quality=80, exif=exif.tobytes(), chroma=chroma
        )
    return buffer.getvalue()


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("bits", [8, 10, 12])
def test_a_heic_of_tiles_decoded_a_row_of_tiles_at_a_time_has_the_pixels_pillow_decodes(
    monkeypatch, orientation, bits
):
    # 302 x 158 in tiles of 64: the last row and column of tiles stick out, and after a rotation or a flip
    # the first ones do; a factor of 3 does not divide the rows of a tile, so rows are carried between bands.
    data = _heic(monkeypatch, grid=64, orientation=orientation, size=(302, 158), bits=bits)
    assert Image.open(io.BytesIO(data)).info["bit_depth"] == bits
    with shrink._TiledHeif.open(data) as tiled:
        assert tiled is not None, "read a row of tiles at a time"
        assert (tiled.tiling.columns, tiled.tiling.rows) in ((5, 3), (3, 5))

    with Image.open(io.BytesIO(data)) as image:
        decoded = shrunk(image, data, 3)

    assert decoded.tobytes() == _decoded_whole_and_reduced(data, 3).tobytes()


@pytest.mark.parametrize("chroma", [422, 444])
def test_a_heic_of_tiles_with_more_colour_has_the_pixels_pillow_decodes_but_beside_tile_edges_once_rotated(
    monkeypatch, chroma
):
    # Cameras write 4:2:2. Turned a quarter, its colour is interpolated across tile edges when the picture is
    # decoded whole, within each tile when tile by tile: the rows on either side of an edge differ a little.
    for orientation in range(1, 9):
        data = _heic(monkeypatch, grid=64, orientation=orientation, size=(302, 158), chroma=chroma)
        with shrink._TiledHeif.open(data) as tiled:
            assert tiled is not None, "read a row of tiles at a time"
            bands = [np.asarray(band, dtype=int) for band in tiled.bands()]
        with Image.open(io.BytesIO(data)) as image:
            whole = np.asarray(image.convert("RGB"), dtype=int)
        difference = np.abs(np.vstack(bands) - whole).max(axis=2)

        if chroma == 444 or orientation < 5:
            assert not difference.any(), orientation
        else:
            tops = np.cumsum([0] + [len(band) for band in bands])
            beside_edges = {row for top in tops for row in (top - 1, top) if 0 <= row < len(whole)}
            assert set(np.nonzero(difference)[0]) <= beside_edges, orientation
            assert 0 < difference.max() <= 32, orientation


@pytest.mark.parametrize(
    ("grid", "mode", "bits", "orientation"),
    [(0, "RGB", 8, 1), (0, "RGB", 10, 1), (64, "RGBA", 8, 1), (64, "RGB", 8, 6)],
    ids=["whole", "whole 10-bit", "alpha", "odd"],
)
def test_other_heics_are_shrunk_from_the_whole_picture_with_the_pixels_pillow_decodes(
    small_bands, monkeypatch, grid, mode, bits, orientation
):
    data = _heic(monkeypatch, grid=grid, mode=mode, bits=bits, orientation=orientation, size=(301, 157))
    with shrink._TiledHeif.open(data) as tiled:
        assert tiled is None, "not tiled, with transparency, or with a side of odd length"

    with Image.open(io.BytesIO(data)) as image:
        decoded = shrunk(image, data, 3)

    assert decoded.tobytes() == _decoded_whole_and_reduced(data, 3).tobytes()


def test_rows_carried_between_bands_of_any_height_fall_in_the_blocks_of_the_whole_image():
    image = Image.fromarray(skimage.data.astronaut()).resize((200, 157))  # type: ignore[no-untyped-call]
    heights = [5, 1, 64, 7, 2, 78]
    bands, top = [], 0
    for height in heights:
        bands.append(image.crop((0, top, 200, top + height)))
        top += height

    assert shrink._joined(iter(bands), 3).tobytes() == image.reduce(3).tobytes()


def test_a_sixteen_bit_grey_photo_keeps_its_greys():
    grey = np.asarray(Image.fromarray(skimage.data.astronaut()).convert("L"))  # type: ignore[no-untyped-call]
    buffer = io.BytesIO()
    Image.fromarray(grey.astype(np.uint16) * 257).save(buffer, "PNG")
    data = buffer.getvalue()

    for factor in (1, 2):
        with Image.open(io.BytesIO(data)) as image:
            assert image.mode == "I;16"
            decoded = shrunk(image, data, factor)
        expected = Image.fromarray(grey).convert("RGB").reduce(factor)
        assert np.abs(np.asarray(decoded, int) - np.asarray(expected, int)).max() <= 1


def _allocations(monkeypatch):
    """The sizes of the images Pillow's decoders allocate."""
    sizes = []
    prepare = ImageFile.ImageFile.load_prepare

    def recorded(image):
        sizes.append(image.size)
        prepare(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load_prepare", recorded)
    return sizes


def test_a_large_png_is_checked_and_masked_without_ever_being_decoded_at_full_size(monkeypatch):
    photo = Image.new("RGB", (8000, 5000), (40, 80, 120))
    photo.paste((250, 250, 250), (1000, 1000, 3000, 2000))
    buffer = io.BytesIO()
    photo.save(buffer, "PNG")
    sizes = _allocations(monkeypatch)

    analyze_photo(buffer.getvalue(), language="en", rules=RULES)
    masked_photo(buffer.getvalue(), [(100, 100, 800, 400)])

    assert sizes, "the photo was decoded"
    assert max(width * height for width, height in sizes) <= shrink.BAND_PIXELS + 8000


def _exif_with_gps():
    return piexif.dump(
        {
            "0th": {piexif.ImageIFD.Orientation: 6},
            "GPS": {
                piexif.GPSIFD.GPSLatitudeRef: b"N",
                piexif.GPSIFD.GPSLatitude: ((51, 1), (15, 1), (4932, 100)),
                piexif.GPSIFD.GPSLongitudeRef: b"E",
                piexif.GPSIFD.GPSLongitude: ((4, 1), (24, 1), (436, 100)),
            },
        }
    )[len(b"Exif\x00\x00") :]


def test_metadata_after_the_pixels_of_a_png_is_read_without_decoding_them(small_bands, monkeypatch):
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>50,50.5N</exif:GPSLatitude></x:xmpmeta>'
    after = _chunk(b"eXIf", _exif_with_gps()) + _chunk(
        b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + xmp
    )
    data = _png_with_every_filter(_pixels("RGB", 3300, 40), "RGB", after_pixels=after)
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        expected = (
            dict(image.getexif().get_ifd(0x8825)),
            image.getexif()[0x0112],
            image.info["XML:com.adobe.xmp"],
        )
    sizes = _allocations(monkeypatch)

    stand_in = png_metadata(data)
    report = analyze_photo(data, language="en", rules=RULES)

    assert (dict(stand_in.getexif().get_ifd(0x8825)), stand_in.getexif()[0x0112]) == expected[:2]
    assert stand_in.info["XML:com.adobe.xmp"] == expected[2]
    assert report.metadata.latitude == pytest.approx(51.2637, abs=1e-3)
    assert (report.width, report.height) == (40, 3300), "the orientation after the pixels is applied"
    assert (3300, 40) not in sizes, "the metadata was read without decoding the photo whole"


def _assert_refused_as_damaged(data):
    for operation in (
        lambda: analyze_photo(data, language="en", rules=RULES),
        lambda: masked_photo(data, []),
    ):
        with pytest.raises(InputRejected) as rejected:
            operation()
        assert rejected.value.code == "not-an-image"


@pytest.mark.parametrize("damage", ["truncated", "checksum", "filter"])
def test_a_damaged_png_read_in_bands_is_refused_as_damaged(damage):
    data = bytearray(_png_with_every_filter(_pixels("RGB", 3300, 40), "RGB"))
    idat = data.index(b"IDAT")
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "checksum":
        data[idat + 20] ^= 0xFF
    else:
        raw = bytearray(zlib.decompress(b"".join(_idat_payloads(bytes(data)))))
        raw[(3300 * 3 + 1) * 7] = 9  # no such filter
        data = _png_with_payload(bytes(data), zlib.compress(bytes(raw)))

    _assert_refused_as_damaged(bytes(data))


def _idat_payloads(data):
    offset, payloads = 8, []
    while offset < len(data):
        (length,) = struct.unpack_from(">I", data, offset)
        if data[offset + 4 : offset + 8] == b"IDAT":
            payloads.append(data[offset + 8 : offset + 8 + length])
        offset += 12 + length
    return payloads


def _png_with_payload(data, payload):
    header = data[8 : 8 + 25]
    return b"\x89PNG\r\n\x1a\n" + header + _chunk(b"IDAT", payload) + _chunk(b"IEND", b"")


def test_heic_photos_are_decoded_on_one_thread_so_a_worker_does_not_grow_with_each():
    # libheif's decoding threads are new for each photo, and their malloc arenas kept what they had used: a
    # worker grew by about 35 MB for each 24 MP HEIC it checked (benchmarks/postcheck_speed.py measures it).
    import deonto.postcheck.analyzers.photo  # noqa: F401

    assert pillow_heif.options.DECODE_THREADS == 1


def test_a_damaged_heic_of_tiles_is_checked_or_refused_never_a_crash(monkeypatch):
    data = _heic(monkeypatch, grid=512, size=(3400, 600))
    with shrink._TiledHeif.open(data) as tiled:
        assert tiled is not None
    rng = random.Random(3400)
    outcomes = set()
    for _ in range(12):
        damaged = bytearray(data)
        start = rng.randrange(len(data) // 3, len(data) - 64)
        damaged[start : start + 48] = rng.randbytes(48)
        try:
            analyze_photo(bytes(damaged), language="en", rules=RULES)
            outcomes.add("checked")
        except InputRejected as rejected:
            outcomes.add(rejected.code)

    assert outcomes <= {"checked", "not-an-image"}


def _full_size_images_alive(size):
    return sum(
        1
        for thing in gc.get_objects()
        if isinstance(thing, Image.Image) and thing.size == size and getattr(thing, "_im", None) is not None
    )


@pytest.mark.parametrize("image_format", ["PNG", "GIF"])
def test_memory_freed_after_a_photo_is_handed_back_to_the_system_on_glibc(monkeypatch, image_format):
    assert shrink._malloc_trim() is not None, "Debian's glibc has malloc_trim"
    size = (200, 100)
    photo = _encoded(Image.fromarray(_pixels("RGB", *size)), image_format)  # a GIF is cleaned from its pixels
    trims = []  # at each trim, how many decoded images of the photo's size are still alive: none should be
    monkeypatch.setattr(
        shrink, "_malloc_trim", lambda: lambda pad: trims.append(_full_size_images_alive(size))
    )

    analyze_photo(photo, language="en", rules=RULES)
    masked_photo(photo, [])
    clean_photo(photo)

    assert trims == [0, 0, 0], "after the check, the masked copy and the cleaned copy"


def _encoded(image, image_format, **options):
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def test_the_pixels_a_photo_may_have_depend_on_how_much_of_it_is_decoded_at_once(monkeypatch):
    monkeypatch.setattr(photo_module, "MAX_PIXELS", 400_000)
    monkeypatch.setattr(photo_module, "MAX_PALETTE_PIXELS", 300_000)
    monkeypatch.setattr(photo_module, "MAX_WHOLE_PIXELS", 200_000)
    monkeypatch.setattr(photo_module, "MAX_PROGRESSIVE_JPEG_PIXELS", 150_000)
    monkeypatch.setattr(photo_module, "MAX_WHOLE_HEIC_PIXELS", 100_000)
    image = Image.fromarray(skimage.data.astronaut()).resize((600, 500))  # type: ignore[no-untyped-call]
    accepted = {  # 300,000 pixels, but where said
        "JPEG": _encoded(image, "JPEG"),
        "PNG": _encoded(image, "PNG"),
        "tiled HEIC": _heic(monkeypatch, grid=64, size=(600, 500)),
        "tiled 10-bit HEIC": _heic(monkeypatch, grid=64, size=(600, 500), bits=10),
        "GIF, a byte a pixel": _encoded(image, "GIF"),
        "interlaced PNG, 150,000 pixels": _interlaced_png(np.asarray(image.resize((300, 500)))),
        "HEIC of one piece, 100,000 pixels": _heic(monkeypatch, grid=0, size=(200, 500)),
        "progressive JPEG, 150,000 pixels": _encoded(image.resize((300, 500)), "JPEG", progressive=True),
    }
    refused = {
        "interlaced PNG": (_interlaced_png(np.asarray(image)), 200_000),
        "HEIC of one piece, 150,000 pixels": (_heic(monkeypatch, grid=0, size=(300, 500)), 100_000),
        "10-bit HEIC of one piece, 150,000 pixels": (
            _heic(monkeypatch, grid=0, size=(300, 500), bits=10),
            100_000,
        ),
        "transparent HEIC, 150,000 pixels": (
            _heic(monkeypatch, grid=64, size=(300, 500), mode="RGBA"),
            100_000,
        ),
        "GIF": (_encoded(image.resize((700, 500)), "GIF"), 300_000),
        "JPEG": (_encoded(image.resize((700, 600)), "JPEG"), 400_000),
        "progressive JPEG": (_encoded(image, "JPEG", progressive=True), 150_000),
    }

    for name, data in accepted.items():
        assert analyze_photo(data, language="en", rules=RULES).width in (600, 300, 200), name
        assert masked_photo(data, [(0, 0, 50, 50)]), name
    for name, (data, limit) in refused.items():
        with pytest.raises(InputRejected) as rejected:
            analyze_photo(data, language="en", rules=RULES)
        assert rejected.value.code == "too-many-pixels", name
        assert photo_module._pixel_limit(Image.open(io.BytesIO(data)), data) == limit, name


def _webp(size=(301, 157), *, transparent=False, frames=1, **options):
    image = Image.fromarray(skimage.data.astronaut()).resize(size)  # type: ignore[no-untyped-call]
    if transparent:
        image.putalpha(Image.linear_gradient("L").resize(size))
    others = [image.rotate(90 * turn) for turn in range(1, frames)]
    return _encoded(image, "WEBP", save_all=frames > 1, append_images=others, **options)


@pytest.mark.parametrize(
    "options",
    [
        {"quality": 80},
        {"lossless": True},
        {"quality": 80, "transparent": True},
        {"lossless": True, "transparent": True},
    ],
    ids=["lossy", "lossless", "lossy transparent", "lossless transparent"],
)
def test_a_still_webp_decoded_by_libwebp_has_the_pixels_pillow_decodes(small_bands, monkeypatch, options):
    # Pillow's WebP decoder holds about 16 bytes a pixel; libwebp's own buffer 3 or 4.
    data = _webp(**options)
    real_bands, decodes = shrink._webp_bands, []

    def webp_bands(*args):
        decodes.append(args)
        return real_bands(*args)

    monkeypatch.setattr(shrink, "_webp_bands", webp_bands)

    with Image.open(io.BytesIO(data)) as image:
        assert shrink.decoded_by_libwebp(image, data)
        decoded = shrunk(image, data, 3)

    assert decodes, "decoded by libwebp"
    assert decoded.tobytes() == _decoded_whole_and_reduced(data, 3).tobytes()


def _one_frame_animation(size):
    """A WebP animation of a single frame, as some tools write them (Pillow writes a still WebP for one)."""
    data = _webp(size, frames=2)
    chunks, position = [], 12
    while position < len(data):
        (length,) = struct.unpack("<I", data[position + 4 : position + 8])
        chunks.append(data[position : position + 8 + length + (length & 1)])
        position += 8 + length + (length & 1)
    body = b"".join(chunks[:-1])  # VP8X, ANIM, the first ANMF
    assert [chunk[:4] for chunk in chunks] == [b"VP8X", b"ANIM", b"ANMF", b"ANMF"]
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


def test_an_animated_webp_is_left_to_pillow_and_its_lower_limit(small_bands, monkeypatch):
    monkeypatch.setattr(photo_module, "MAX_WEBP_PIXELS", 100_000)
    monkeypatch.setattr(photo_module, "MAX_PILLOW_WEBP_PIXELS", 60_000)
    monkeypatch.setattr(photo_module, "MAX_WHOLE_HEIC_PIXELS", 10_000)  # below it, every photo is accepted
    monkeypatch.setattr(photo_module, "WORK_SIZE", 100)  # so that each is shrunk, by Pillow or by libwebp
    animations = {"two frames": _webp((240, 240), frames=2), "one frame": _one_frame_animation((240, 240))}
    for name, data in animations.items():  # 57,600 pixels
        with Image.open(io.BytesIO(data)) as image:
            assert not shrink.decoded_by_libwebp(image, data), name
        assert analyze_photo(data, language="en", rules=RULES).width == 240, name

    assert analyze_photo(_webp((300, 300)), language="en", rules=RULES).width == 300  # 90,000 pixels, still
    for data in (_webp((400, 300)), _webp((250, 250), frames=2), _one_frame_animation((250, 250))):
        with pytest.raises(InputRejected) as rejected:
            analyze_photo(data, language="en", rules=RULES)
        assert rejected.value.code == "too-many-pixels"


def test_a_damaged_webp_decoded_by_libwebp_is_refused_as_damaged():
    # Its headers read well, so it is opened; its lossless picture data are garbled.
    data = bytearray(_webp((2000, 1000), lossless=True))
    for offset in range(40, len(data), 50):
        data[offset] ^= 0xFF
    with Image.open(io.BytesIO(bytes(data))) as image:
        assert shrink.decoded_by_libwebp(image, bytes(data))

    _assert_refused_as_damaged(bytes(data))


@pytest.mark.parametrize("image_format", ["GIF", "PNG"])
def test_a_palette_photo_is_brought_to_rgb_a_band_at_a_time_with_the_pixels_of_the_whole(
    small_bands, image_format
):
    image = Image.fromarray(skimage.data.astronaut()).resize((301, 157)).quantize(64)  # type: ignore[no-untyped-call]
    data = _encoded(image, image_format, **({"bits": 4} if image_format == "PNG" else {}))

    with Image.open(io.BytesIO(data)) as opened:
        assert opened.mode == "P"
        decoded = shrunk(opened, data, 3)

    assert decoded.tobytes() == _decoded_whole_and_reduced(data, 3).tobytes()
