"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 renderings of a list of articles.

Pure functions over Article records: the same input gives the same bytes,
so a republish with nothing new leaves the files untouched.

Every string taken from a source (title, excerpt, provider name, topics) is
published as plain text. Characters that XML 1.0 cannot carry (C0 controls
other than tab/newline/carriage return, lone surrogates, U+FFFE/U+FFFF) and
the DEL/C1 controls (U+007F-U+009F) are removed, and leading/trailing
whitespace is stripped (readers strip it anyway). All dates are written in UTC to the second.

Format notes:
- RSS ``<description>`` is HTML by convention, so the excerpt is
  HTML-escaped inside it: readers show ``<script>`` as text instead of
  running or dropping it. RSS ``<title>`` is written as plain text; note that
  RSS itself cannot say so, and some readers (feedparser among them) guess
  that a title which *looks* like harmless HTML (``<b>x</b>``, ``&amp;``) is
  HTML.
- The provider is the item's ``dc:creator`` (RSS ``<source>`` would need the
  provider's own feed URL, which records do not have).
- An entry without any date gets the epoch as its Atom ``<updated>`` (the
  element is required, and anything else would change between runs).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime as rfc822
from urllib.parse import urlsplit

from lxml import etree

from topicwire.model import Article, article_id

__all__ = ["FeedInfo", "rss", "atom", "json_feed", "clean_text", "EPOCH"]

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"

# the complement of XML 1.0's Char production, plus DEL and the C1 controls:
# XML only discourages those, but in news text they are always mojibake and
# readers (feedparser among them) turn them into Windows-1252 punctuation
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# image types by file extension, for feeds and for the live server's cached
# images: a fixed table rather than `mimetypes`, whose answers depend on the
# host's mime.types files and would make the output differ between machines
IMAGE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "jpe": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "avif": "image/avif",
    "svg": "image/svg+xml",
    "bmp": "image/bmp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
}
# news lead images without an extension (CDN URLs) are nearly always JPEG,
# and readers only show an enclosure as a picture when its type is image/*
_DEFAULT_IMAGE_TYPE = "image/jpeg"


@dataclass(frozen=True)
class FeedInfo:
    title: str
    site_url: str
    feed_url: str
    description: str = ""
    language: str | None = None
    # default: the newest item's date, else EPOCH, never "now"
    updated: datetime | None = None


def clean_text(text: str | None) -> str:
    """``text`` as the feeds publish it: without the characters XML forbids,
    stripped of surrounding whitespace."""
    if not text:
        return ""
    return _NOT_XML_CHAR.sub("", text).strip()


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"feed dates must carry a time zone, got {value!r}")
    return value.astimezone(timezone.utc).replace(microsecond=0)


def _rfc3339(value: datetime) -> str:
    return _utc(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def _rfc822(value: datetime) -> str:
    return rfc822(_utc(value), usegmt=True)


def _item_date(article: Article) -> datetime | None:
    return article.updated_date_time or article.published_date_time


def _feed_updated(info: FeedInfo, articles: list[Article]) -> datetime:
    if info.updated is not None:
        return _utc(info.updated)
    dates = [_utc(d) for d in map(_item_date, articles) if d is not None]
    return max(dates, default=EPOCH)


def _item_key(article: Article) -> str:
    """The article's id, or one derived from what identifies it, so that an
    article keeps its guid across runs even before it has been stored."""
    if article.id:
        return article.id
    return article_id(article.canonical_url or article.title)


def _item_id(article: Article) -> str:
    return f"urn:topicwire:article:{_item_key(article)}"


def _lead_image(article: Article) -> tuple[str, str] | None:
    if not article.images:
        return None
    url = article.images[0].url
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return url, IMAGE_TYPES.get(ext, _DEFAULT_IMAGE_TYPE)


def _topics(article: Article) -> list[str]:
    return [t for t in map(clean_text, article.topics) if t]


def _provider(article: Article) -> str:
    return clean_text(article.provider.name) if article.provider else ""


def _html_text(text: str) -> str:
    """Plain text as HTML that shows exactly that text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def _serialise(root: etree._Element) -> str:
    return '<?xml version="1.0" encoding="utf-8"?>\n' + etree.tostring(root, encoding="unicode", pretty_print=True)


def rss(info: FeedInfo, articles: list[Article]) -> str:
    """An RSS 2.0 document (with an Atom self link) listing ``articles`` in
    the order given."""
    root = etree.Element("rss", {"version": "2.0"}, nsmap={"atom": ATOM_NS, "dc": DC_NS})
    channel = _sub(root, "channel")
    title = clean_text(info.title)
    _sub(channel, "title", title)
    _sub(channel, "link", info.site_url)
    # required by RSS 2.0, so the title stands in for a missing description
    _sub(channel, "description", clean_text(info.description) or title)
    if info.language:
        _sub(channel, "language", info.language)
    _sub(channel, "lastBuildDate", _rfc822(_feed_updated(info, articles)))
    _sub(channel, f"{{{ATOM_NS}}}link", href=info.feed_url, rel="self", type="application/rss+xml")
    for article in articles:
        item = _sub(channel, "item")
        _sub(item, "title", clean_text(article.title))
        if article.canonical_url:
            _sub(item, "link", article.canonical_url)
        excerpt = clean_text(article.excerpt)
        if excerpt:
            _sub(item, "description", _html_text(excerpt))
        _sub(item, "guid", _item_id(article), isPermaLink="false")
        if article.published_date_time or article.updated_date_time:
            _sub(item, "pubDate", _rfc822(article.published_date_time or article.updated_date_time))
        for topic in _topics(article):
            _sub(item, "category", topic)
        provider = _provider(article)
        if provider:
            _sub(item, f"{{{DC_NS}}}creator", provider)
        image = _lead_image(article)
        if image:
            _sub(item, "enclosure", url=image[0], type=image[1], length="0")
    return _serialise(root)


def atom(info: FeedInfo, articles: list[Article]) -> str:
    """An Atom 1.0 document listing ``articles`` in the order given."""
    a = f"{{{ATOM_NS}}}"
    root = etree.Element(f"{a}feed", nsmap={None: ATOM_NS})
    if info.language:
        root.set("{http://www.w3.org/XML/1998/namespace}lang", info.language)
    title = clean_text(info.title)
    _sub(root, f"{a}id", info.feed_url)
    _sub(root, f"{a}title", title, type="text")
    description = clean_text(info.description)
    if description:
        _sub(root, f"{a}subtitle", description, type="text")
    _sub(root, f"{a}updated", _rfc3339(_feed_updated(info, articles)))
    _sub(root, f"{a}link", rel="self", type="application/atom+xml", href=info.feed_url)
    _sub(root, f"{a}link", rel="alternate", type="text/html", href=info.site_url)
    # Atom wants an author on the feed unless every entry has one; entries
    # without a provider inherit the wire itself as their author
    _sub(_sub(root, f"{a}author"), f"{a}name", title)
    for article in articles:
        entry = _sub(root, f"{a}entry")
        _sub(entry, f"{a}id", _item_id(article))
        _sub(entry, f"{a}title", clean_text(article.title), type="text")
        _sub(entry, f"{a}updated", _rfc3339(_item_date(article) or EPOCH))
        if article.published_date_time:
            _sub(entry, f"{a}published", _rfc3339(article.published_date_time))
        provider = _provider(article)
        if provider:
            _sub(_sub(entry, f"{a}author"), f"{a}name", provider)
        if article.canonical_url:
            _sub(entry, f"{a}link", rel="alternate", type="text/html", href=article.canonical_url)
        image = _lead_image(article)
        if image:
            _sub(entry, f"{a}link", rel="enclosure", type=image[1], href=image[0])
        for topic in _topics(article):
            _sub(entry, f"{a}category", term=topic)
        excerpt = clean_text(article.excerpt)
        if excerpt:
            _sub(entry, f"{a}summary", excerpt, type="text")
        if not article.canonical_url:
            # an entry needs an alternate link or content
            _sub(entry, f"{a}content", excerpt or clean_text(article.title), type="text")
    return _serialise(root)


def json_feed(info: FeedInfo, articles: list[Article]) -> str:
    """A JSON Feed 1.1 document listing ``articles`` in the order given.
    Values an article lacks are left out rather than written as null."""
    feed: dict[str, object] = {
        "version": JSON_FEED_VERSION,
        "title": clean_text(info.title),
        "home_page_url": info.site_url,
        "feed_url": info.feed_url,
    }
    description = clean_text(info.description)
    if description:
        feed["description"] = description
    if info.language:
        feed["language"] = info.language
    items = []
    for article in articles:
        title = clean_text(article.title)
        excerpt = clean_text(article.excerpt)
        item: dict[str, object] = {"id": _item_id(article)}
        if article.canonical_url:
            item["url"] = article.canonical_url
        item["title"] = title
        # 1.1 requires content_text or content_html; the wire links out to
        # the source rather than republishing the article's body
        item["content_text"] = excerpt or title
        if excerpt:
            item["summary"] = excerpt
        image = _lead_image(article)
        if image:
            item["image"] = image[0]
        if article.published_date_time:
            item["date_published"] = _rfc3339(article.published_date_time)
        if article.updated_date_time:
            item["date_modified"] = _rfc3339(article.updated_date_time)
        provider = _provider(article)
        if provider:
            item["authors"] = [{"name": provider}]
        topics = _topics(article)
        if topics:
            item["tags"] = topics
        items.append(item)
    feed["items"] = items
    return json.dumps(feed, ensure_ascii=False, indent=2) + "\n"
