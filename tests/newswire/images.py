"""Images drawn on demand with Pillow, memoised: article photos at their
declared size, publisher logos, and the broken or hostile images the image
cache must survive."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from functools import cache, lru_cache

from PIL import Image, ImageDraw


def _palette(key: str) -> list[tuple[int, int, int]]:
    digest = hashlib.sha256(key.encode()).digest()
    return [tuple(digest[i:i + 3]) for i in range(0, 18, 3)]  # type: ignore[misc]


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


@cache
def photo(key: str, width: int, height: int) -> bytes:
    """A flat abstract 'photo': a few coloured shapes, distinct per article,
    cheap to encode at low quality."""
    colours = _palette(key)
    image = Image.new("RGB", (width, height), colours[0])
    draw = ImageDraw.Draw(image)
    for i, colour in enumerate(colours[1:5]):
        x0 = (width * (i + 1)) // 6
        y0 = (height * ((i * 7) % 5)) // 6
        draw.ellipse([x0, y0, x0 + width // 3, y0 + height // 2], fill=colour)
    draw.rectangle([0, height - height // 8, width, height], fill=colours[5])
    return _encode(image, "JPEG", quality=35)


@cache
def logo(provider_id: str, name: str) -> bytes:
    colours = _palette("logo:" + provider_id)
    image = Image.new("RGB", (240, 60), colours[0])
    draw = ImageDraw.Draw(image)
    draw.rectangle([6, 6, 54, 54], fill=colours[1])
    draw.text((64, 22), name, fill=(255, 255, 255))
    return _encode(image, "PNG")


@lru_cache(maxsize=1)
def truncated_jpeg() -> bytes:
    whole = photo("trap:broken", 800, 600)
    return whole[: len(whole) // 2]


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@lru_cache(maxsize=1)
def pixel_bomb(side: int = 30000) -> bytes:
    """A few hundred bytes declaring side x side greyscale pixels: decoding
    it would need gigabytes, so a safe loader rejects it from the header."""
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * ((side + 1) * 8), 9)  # a few rows, then nothing
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", rows) + _png_chunk(b"IEND", b"")


@lru_cache(maxsize=1)
def huge_jpeg() -> bytes:
    return photo("trap:huge", 6000, 4000)


NOT_AN_IMAGE = (b"<!DOCTYPE html><html><head><title>Image not found</title></head>"
                b"<body><h1>404</h1><p>The image you requested has moved.</p></body></html>\n")
