"""The image cache: verified, content-addressed copies of lead images and
logos, with a thumbnail each.

Bytes come from the safe fetcher; this module only decides whether they
are an image worth keeping. Pillow reads the header first, so that a
decompression bomb (a small file declaring billions of pixels) is refused
before any pixel is decoded.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from topicwire.errors import TopicwireError

MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000  # e.g. 8000 x 5000; more is a bomb or a print master
MIN_SIDE = 16  # tracking pixels and spacers are not lead images
THUMB_WIDTH = 480
FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


class ImageError(TopicwireError):
    """Bytes that are not an image we keep; source names the image URL."""


@dataclass(frozen=True)
class CachedImage:
    digest: str
    path: Path  # relative to the cache root
    thumbnail: Path  # relative to the cache root
    width: int
    height: int
    format: str


def inspect(content: bytes, *, url: str) -> tuple[int, int, str]:
    """(width, height, format) of a real, complete image, or ImageError."""
    if len(content) > MAX_IMAGE_BYTES:
        raise ImageError(f"image is {len(content):,} bytes, over the {MAX_IMAGE_BYTES:,}-byte limit", source=url)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(content)) as img:
                width, height, fmt = img.width, img.height, img.format
                if fmt not in FORMATS:
                    raise ImageError(f"unsupported image format {fmt}", source=url)
                if width * height > MAX_PIXELS:
                    raise ImageError(f"image declares {width}x{height} pixels, over the limit", source=url)
                if min(width, height) < MIN_SIDE:
                    raise ImageError(f"image is only {width}x{height}", source=url)
                img.verify()
            # verify() checks structure only; a truncated body shows when decoding
            with PILImage.open(io.BytesIO(content)) as img:
                img.load()
    except ImageError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise ImageError("decompression bomb: the image declares far too many pixels", source=url) from None
    except UnidentifiedImageError:
        raise ImageError("not an image", source=url) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageError(f"broken image: {exc}", source=url) from None
    return width, height, fmt


def _write_once(path: Path, data: bytes) -> None:
    """Content-addressed files never change: write only when missing,
    atomically, so a crash leaves either nothing or the whole file."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".img.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _thumbnail(content: bytes) -> bytes:
    with PILImage.open(io.BytesIO(content)) as img:
        img.draft("RGB", (THUMB_WIDTH * 2, THUMB_WIDTH * 2))  # JPEG: decode at reduced scale
        img = img.convert("RGB")
        if img.width > THUMB_WIDTH:
            img = img.resize((THUMB_WIDTH, max(1, round(img.height * THUMB_WIDTH / img.width))))
        out = io.BytesIO()
        img.save(out, "JPEG", quality=80, optimize=True)
        return out.getvalue()


def thumbnail_path(digest: str) -> Path:
    """Where the thumbnail of the image with this digest lives under the
    cache root (the website shows it in listings)."""
    return Path("thumbs") / digest[:2] / f"{digest}-{THUMB_WIDTH}.jpg"


def store_image(content: bytes, *, url: str, root: Path) -> CachedImage:
    """Verify ``content`` and keep it (and a thumbnail) under ``root``."""
    width, height, fmt = inspect(content, url=url)
    digest = hashlib.sha256(content).hexdigest()
    rel = Path(digest[:2]) / digest[2:4] / f"{digest}.{FORMATS[fmt]}"
    thumb = thumbnail_path(digest)
    _write_once(root / rel, content)
    if not (root / thumb).exists():
        _write_once(root / thumb, _thumbnail(content))
    return CachedImage(digest=digest, path=rel, thumbnail=thumb, width=width, height=height, format=fmt)
