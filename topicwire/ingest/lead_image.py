"""The lead image: the one the publisher picked for sharing, with the real
size wherever the page states it, else the first large picture of the
article itself."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from topicwire.ingest.metadata import PageMeta
from topicwire.model import Image

# Smaller pictures in an article are icons, avatars and buttons.
MIN_WIDTH = 300
MIN_HEIGHT = 150
MAX_DIMENSION = 100_000
_NUMBER_RE = re.compile(r"^\s*(\d{1,6})(?:\.\d+)?\s*(?:px)?\s*$")


def _dimension(value: object) -> int | None:
    if isinstance(value, dict):
        value = value.get("value")
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = int(value)
    elif isinstance(value, str) and (match := _NUMBER_RE.match(value)):
        number = int(match.group(1))
    else:
        return None
    return number if 1 <= number <= MAX_DIMENSION else None


def _absolute(src: object, base: str) -> str | None:
    if not isinstance(src, str) or not src.strip() or src.strip().startswith("data:"):
        return None
    try:
        url = urljoin(base, src.strip())
        parts = urlsplit(url)
    except ValueError:
        # e.g. "http://[x": urlsplit refuses a broken IPv6 literal; a
        # hostile page's bad address is skipped, never fatal
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 4096 or any(c.isspace() for c in url):
        return None
    return url


def _jsonld_images(value: object) -> list[tuple[object, object, object]]:
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        if isinstance(item, dict):
            found.append((item.get("url") or item.get("contentUrl"), item.get("width"), item.get("height")))
        else:
            found.append((item, None, None))
    return found


def _candidates(page: PageMeta, article: dict | None) -> list[tuple[str, object, object, object]]:
    """(source, url, width, height) in order of preference."""
    out: list[tuple[str, object, object, object]] = []
    width = page.first("og:image:width")
    height = page.first("og:image:height")
    og = page.first("og:image:secure_url", "og:image", "og:image:url")
    if og is not None:
        out.append(("og:image", og[1], width and width[1], height and height[1]))
    twitter = page.first("twitter:image", "twitter:image:src")
    if twitter is not None:
        out.append(("twitter:image", twitter[1], None, None))
    if article is not None:
        out.extend(("json-ld image", *image) for image in _jsonld_images(article.get("image"))[:3])
    return out


def find_lead_image(
    page: PageMeta, article: dict | None, tree: HtmlElement, base: str
) -> tuple[Image | None, str | None]:
    """The lead image and the signal it came from."""
    # the same picture is often declared twice, with its size said only once
    sizes: dict[str, tuple[int, int]] = {}
    chosen: tuple[str, str] | None = None
    for source, src, w, h in _candidates(page, article):
        url = _absolute(src, base)
        if url is None:
            continue
        width, height = _dimension(w), _dimension(h)
        if width and height:
            sizes.setdefault(url, (width, height))
        if chosen is None:
            chosen = (url, source)
    if chosen is not None:
        url, source = chosen
        width, height = sizes.get(url) or _size_in_page(tree, url, base)
        return Image(url=url, width=width, height=height), source
    return _article_image(page.article if page.article is not None else tree, base)


def _size_in_page(tree: HtmlElement, url: str, base: str) -> tuple[int | None, int | None]:
    """The size an <img> showing ``url`` declares, if one does."""
    for img in tree.iter("img"):
        width, height = _dimension(img.get("width")), _dimension(img.get("height"))
        if width and height and _absolute(img.get("src") or img.get("data-src"), base) == url:
            return width, height
    return None, None


def _article_image(scope: HtmlElement, base: str) -> tuple[Image | None, str | None]:
    for img in scope.iter("img"):
        width, height = _dimension(img.get("width")), _dimension(img.get("height"))
        if not (width and height) or width < MIN_WIDTH or height < MIN_HEIGHT:
            continue
        url = _absolute(img.get("src") or img.get("data-src"), base)
        if url is not None:
            return Image(url=url, width=width, height=height), "<img> in article"
    return None, None
