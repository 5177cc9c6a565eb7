"""Finding a site's feeds from its home page: the ``<link rel="alternate">``
elements of the page's head that announce a feed type."""

from __future__ import annotations

from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from topicwire.ingest.feeds import absolute_http_url

_FEED_TYPES = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "jsonfeed",
    "application/json": "jsonfeed",
}


def discover_feeds(html: str, base_url: str) -> list[tuple[str, str | None, str]]:
    """(absolute URL, title, kind) of each feed the page's head announces,
    in page order, each URL once. Relative addresses resolve against the
    page's ``<base href>`` when it has one, else against ``base_url``."""
    head = _head(html)
    if head is None:
        return []
    base = _base(head, base_url)
    found: list[tuple[str, str | None, str]] = []
    seen: set[str] = set()
    for link in head.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        mime = (link.get("type") or "").split(";")[0].strip().lower()
        kind = _FEED_TYPES.get(mime)
        if "alternate" not in rel or kind is None:
            continue
        url = absolute_http_url(link.get("href"), base)
        if url is None or url in seen:
            continue
        if mime == "application/json" and "/wp-json/" in urlsplit(url).path:
            # WordPress announces its REST API for every page as an
            # application/json alternate; it is not a feed
            continue
        seen.add(url)
        title = " ".join((link.get("title") or "").split()) or None
        found.append((url, title, kind))
    return found


def _head(html: str) -> etree._Element | None:
    if not isinstance(html, str) or not html.strip():
        return None
    try:
        # bytes with a stated encoding: lxml refuses a str that carries an
        # XML declaration (XHTML pages do)
        parser = lxml.html.HTMLParser(encoding="utf-8")
        root = lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.LxmlError, ValueError):
        return None
    return root.find("head")


def _base(head: etree._Element, base_url: str) -> str:
    for element in head.iter("base"):
        href = element.get("href")
        if href is not None:
            return absolute_http_url(href, base_url) or base_url
    return base_url
