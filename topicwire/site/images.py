"""Which pictures a page may show: only copies in the project's own image
cache, served from the site as ``images/<path>``. A remote image is never
linked (hotlinking leaks readers to the source and breaks the page's
content security policy), so an image that was not cached is not shown.

Listings use the cache's 480-pixel thumbnail when there is one; an article
page shows the full image. Every picture has alt text: the image's own
title, else the article's headline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from topicwire.ingest.images import THUMB_WIDTH, thumbnail_path
from topicwire.model import Image
from topicwire.site.sanitize import xml_text

__all__ = ["Picture", "LocalImages", "safe_image_path"]

# what the cache writes: hex folders and a digest file name; anything else
# in the path column is not ours to publish
_SAFE_PATH = re.compile(r"^[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*(?:\.[A-Za-z0-9]+)?$")
_DIGEST_NAME = re.compile(r"^([0-9a-f]{64})\.[a-z]+$")


@dataclass(frozen=True)
class Picture:
    path: str  # relative to the images folder (and to the site's images/)
    width: int | None
    height: int | None
    alt: str
    caption: str | None = None
    credit: str | None = None


def safe_image_path(path: str | None) -> str | None:
    """``path`` if it is a plain relative path inside the images folder."""
    if not path or not _SAFE_PATH.match(path):
        return None
    return path


def _thumbnail(path: str, width: int | None, height: int | None) -> tuple[str, int | None, int | None] | None:
    match = _DIGEST_NAME.match(PurePosixPath(path).name)
    if match is None:
        return None
    thumb = thumbnail_path(match.group(1)).as_posix()
    if width and height and width > THUMB_WIDTH:
        return thumb, THUMB_WIDTH, max(1, round(height * THUMB_WIDTH / width))
    return thumb, width, height


class LocalImages:
    """Turns an article's images into pictures from the local cache and
    remembers every file it handed out, so that the static publisher copies
    exactly the images the pages show.

    ``folder`` is the project's images folder: a picture is offered only
    when its file is there. Without a folder no picture is offered (a page
    never points at a file nobody will serve)."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.used: set[str] = set()

    def _exists(self, path: str) -> bool:
        return self.folder is not None and (self.folder / path).is_file()

    def pictures(
        self, images: list[Image], cached: dict[str, str], *, headline: str, thumbnails: bool = False, limit: int = 4
    ) -> list[Picture]:
        """``images`` (an article's) that have a cached copy; ``cached`` maps
        an image URL to its path in the cache."""
        found: list[Picture] = []
        for image in images:
            path = safe_image_path(cached.get(image.url))
            if path is None or not self._exists(path):
                continue
            width, height = image.width, image.height
            if thumbnails:
                thumb = _thumbnail(path, width, height)
                if thumb is not None and self._exists(thumb[0]):
                    path, width, height = thumb
            # alt text must say something: the caption, the headline, or at least that it is a picture
            alt = xml_text(image.title or "").strip() or xml_text(headline).strip() or "Picture"
            self.used.add(path)
            found.append(Picture(path, width, height, alt, image.title, image.attribution))
            if len(found) >= limit:
                break
        return found
