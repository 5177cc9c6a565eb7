"""sitemap.xml (sitemaps.org protocol 0.9) for the website's pages.

Locations are absolute, built from the site's published address; ``lastmod``
is written where the page's content has a known date (W3C datetime, UTC).
The same pages give the same bytes, so a republish leaves the file alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

from lxml import etree

__all__ = ["SITEMAP_NS", "MAX_URLS", "sitemap_xml"]

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# the protocol's limit for one file; a bigger site needs a sitemap index
MAX_URLS = 50_000


def _lastmod(value: datetime) -> str:
    value = value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def sitemap_xml(site_url: str, entries: Iterable[tuple[str, datetime | None]]) -> str:
    """``entries`` are (URL relative to ``site_url``, last change or None);
    only the first ``MAX_URLS`` are written."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS})
    for count, (relative, lastmod) in enumerate(entries):
        if count >= MAX_URLS:
            break
        url = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = base + relative.lstrip("/")
        if lastmod is not None:
            etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = _lastmod(lastmod)
    body = etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)
    return body.decode("utf-8")
