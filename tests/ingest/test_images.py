from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from topicwire.ingest.images import ImageError, inspect, store_image


def jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 90)).save(out, "JPEG", quality=70)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares a huge canvas in a few hundred bytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_a_real_image_is_stored_once_with_a_thumbnail(tmp_path):
    data = jpeg(1600, 900)
    first = store_image(data, url="https://x.example/a.jpg", root=tmp_path)
    again = store_image(data, url="https://x.example/copy.jpg", root=tmp_path)
    assert first == again
    assert (first.width, first.height, first.format) == (1600, 900, "JPEG")
    assert (tmp_path / first.path).read_bytes() == data
    with Image.open(tmp_path / first.thumbnail) as thumb:
        assert thumb.width == 480 and thumb.height == 270
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == sorted(
        [first.path.name, first.thumbnail.name]
    )


@pytest.mark.parametrize(
    "data, message",
    [
        (b"<html>not an image</html>", "not an image"),
        (jpeg(800, 600)[:400], "broken image"),
        (png_header_only(30000, 30000), "decompression bomb|over the limit"),
        (png_header_only(9000, 9000), "declares 9000x9000 pixels, over the limit"),
        (jpeg(1, 1), "only 1x1"),
        (b"\0" * (16 * 1024 * 1024), "over the 15,728,640-byte limit"),
    ],
)
def test_bad_images_are_refused_with_a_reason(tmp_path, data, message):
    with pytest.raises(ImageError, match=r"https://x\.example/i: .*(" + message + ")"):
        store_image(data, url="https://x.example/i", root=tmp_path)
    assert list(tmp_path.rglob("*.jpg")) == []


def test_inspect_reads_real_sizes_not_declared_ones():
    assert inspect(jpeg(640, 360), url="u") == (640, 360, "JPEG")
