"""Reading what sources publish: RSS, Atom, JSON Feed, sitemaps and URL lists.

``parse_feed`` takes the bytes as fetched and returns one ``ParsedFeed``,
whatever the format; what could not be used is said in its ``warnings``,
what cannot be read at all is a ``FeedError``. Nothing here touches the
network or the file system.

XML is hostile input. Every XML document is first transcoded to UTF-8 and
checked with defusedxml (entity declarations and external references
refused, depth capped) before feedparser sees the very same bytes, so the
check and the parse cannot disagree about what the document says.
feedparser's global parser list is left alone (see DESIGN "Known pitfalls").

Dates are aware UTC datetimes or None, never a guess: a feed date without a
time zone (or with one feedparser cannot read, such as CEST, which it
silently takes as UTC) is left out with a warning. The one exception is a
sitemap's date-only ``lastmod``/``publication_date``, taken as midnight UTC,
as the sitemap protocol's W3C datetime profile allows.
"""

from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

import feedparser
import lxml.html
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from lxml import etree

from topicwire.errors import TopicwireError

MAX_FEED_BYTES = 20 * 1024 * 1024
# Real feeds nest a few dozen levels at most (inline XHTML included);
# feedparser needs seconds for a 100,000-deep document, so stop far earlier.
MAX_XML_DEPTH = 512
TITLE_LIMIT = 1000
SUMMARY_LIMIT = 5000
# Markup beyond this is not read for a summary: 5000 characters of text
# come from far less, and lxml's time grows with the input.
_MARKUP_LIMIT = 200_000
_URL_LIMIT = 4096
# whitespace and control characters around a link
_URL_EDGES = re.compile(r"^[\s\x00-\x20]+|[\s\x00-\x20]+$")
_MAX_AUTHORS = 20
_MAX_PROBLEMS = 10

_VERSIONS = {"rss091n": "rss091", "rss091u": "rss091"}
_SITEMAP_ROOTS = {"urlset", "sitemapindex"}
_NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
_IMAGE_NS = "{http://www.google.com/schemas/sitemap-image/1.1}"
_JSONFEED_VERSION = re.compile(r"^https?://jsonfeed\.org/version/([0-9.]+)/?$")
_JSONFEED_TAGS = {"1": "jsonfeed10", "1.0": "jsonfeed10", "1.1": "jsonfeed11"}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM it starts with
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_UNMARKED_WIDE = (
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
)
_XML_DECL = re.compile(r"""^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._:-]*)["']""")
_XML_DECL_ENCODING = re.compile(r"""^(<\?xml[^>]*?\sencoding\s*=\s*)(["'])[^"']*\2""")
# not allowed anywhere in an XML 1.0 document, and common in real feeds
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_START = re.compile(rb"<\?xml|<(?:rss|feed|rdf:RDF|urlset|sitemapindex)[\s>]")
_HTML_START = re.compile(r"<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)
_ENTITY_DECL = b"<!entity"

# A zone after a clock time: an offset other than "-00:00" (RFC 3339 and
# RFC 5322 both say that one means "zone unknown"), Z, or a name that
# feedparser converts correctly.
_ZONE_AFTER_TIME = re.compile(
    r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\s*"
    r"(?:(?!-00:?00(?!\d))[+-]\d{2}(?::?\d{2})?(?!\d)|z\b|(?:utc?|gmt|[ecmp][sd]?t|a[sd]?t|mest|met)\b)",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"\d:\d{2}")
_W3C_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$"
)
_HIDDEN_TAGS = ("script", "style", "noscript", "template")
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table td th tr ul".split()
)
_TAG = re.compile(r"<[^>]*>")
_IMAGE_SUFFIX = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)$", re.IGNORECASE)
_EMAIL_THEN_NAME = re.compile(r"^\S+@\S+\s*\((.+)\)$")
_NAME_THEN_EMAIL = re.compile(r"^(.+?)\s*[<(]\S+@\S+[>)]$")


class FeedError(TopicwireError):
    """A feed, sitemap or URL list that cannot be read; ``source`` is its URL."""


@dataclass
class FeedEntry:
    url: str
    title: str | None = None
    summary: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    authors: list[str] = field(default_factory=list)
    image_url: str | None = None
    guid: str | None = None
    language: str | None = None


@dataclass
class ParsedFeed:
    kind: str
    version: str | None = None
    title: str | None = None
    site_url: str | None = None
    language: str | None = None
    entries: list[FeedEntry] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_feed(
    content: bytes, *, url: str, content_type: str | None = None, max_entries: int = 5000
) -> ParsedFeed:
    """Read a feed, sitemap or URL list. The format is told from the content
    itself; ``content_type`` only helps with documents that carry junk
    before their XML. ``url`` is the address the content came from: links
    are resolved against it and errors name it."""
    if max_entries < 1:
        raise ValueError("max_entries must be at least 1")
    content = bytes(content)
    if len(content) > MAX_FEED_BYTES:
        raise FeedError(f"{len(content):,} bytes is over the {MAX_FEED_BYTES:,}-byte limit for a feed", source=url)
    try:
        return _dispatch(content, url, content_type, max_entries)
    except RecursionError:
        raise FeedError("nested too deeply to read", source=url) from None


def _dispatch(content: bytes, url: str, content_type: str | None, max_entries: int) -> ParsedFeed:
    head = _peek(content)
    if not head:
        raise FeedError("the document is empty", source=url)
    if head.startswith("<"):
        if _HTML_START.match(head):
            raise FeedError("this is an HTML page, not a feed (look for its feed links)", source=url)
        return _parse_xml(content, url, max_entries, [])
    if head[0] in "{[":
        return _parse_json_feed(content, url, max_entries)
    if _says_xml(content_type):
        found = _XML_START.search(content, 0, 65536)
        if found:
            note = f"{found.start():,} bytes of junk before the XML were dropped"
            return _parse_xml(content[found.start():], url, max_entries, [note])
    return _parse_url_list(content, url, max_entries)


def _says_xml(content_type: str | None) -> bool:
    mime = (content_type or "").split(";")[0].strip().lower()
    return mime.endswith(("/xml", "+xml"))


# --- encodings and the safety check -------------------------------------


def _wide_encoding(data: bytes) -> tuple[str | None, int]:
    """The encoding a BOM or a UTF-16/32 '<' announces, and the BOM's length."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    for start, name in _UNMARKED_WIDE:
        if data.startswith(start):
            return name, 0
    return None, 0


def _peek(content: bytes) -> str:
    encoding, skip = _wide_encoding(content)
    head = content[skip : skip + 2048].decode(encoding or "utf-8", "replace")
    return head.lstrip("\ufeff \t\r\n")


def _codec(name: str | None) -> str | None:
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None


def _utf8_xml(content: bytes) -> tuple[bytes, list[str]]:
    """The document as UTF-8 bytes that declare UTF-8, less the characters
    XML forbids, with what had to be done to get there."""
    notes: list[str] = []
    encoding, skip = _wide_encoding(content)
    body = content[skip:]
    if encoding is None:
        match = _XML_DECL.match(body[:1024].decode("latin-1").lstrip())
        declared = match.group(1) if match else None
        encoding = _codec(declared) or "utf-8"
        if declared and not _codec(declared):
            notes.append(f"unknown encoding {declared!r} declared, read as UTF-8")
        if encoding.startswith(("utf-16", "utf-32")) or encoding == "ascii":
            # a wide encoding without a BOM or a '<' to show it cannot be
            # right, and ASCII is a subset of UTF-8
            encoding = "utf-8"
        elif encoding in ("iso8859-1", "cp1252") and not body.isascii() and _is_utf8(body):
            # the most common mislabel: bytes that are valid UTF-8 are
            # almost never meant as Latin-1
            notes.append(f"declared {declared} but is UTF-8, read as UTF-8")
            encoding = "utf-8"
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        text = body.decode(encoding, "replace")
        notes.append(f"bytes that are not {encoding} replaced (first at byte {exc.start + skip:,})")
    text = text.lstrip("\ufeff \t\r\n")
    text, removed = _XML_INVALID.subn("", text)
    if removed:
        notes.append(f"{removed:,} characters not allowed in XML removed")
    text = _XML_DECL_ENCODING.sub(r'\1"utf-8"', text, count=1)
    return text.encode("utf-8"), notes


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class _TooDeep(Exception):
    pass


class _DepthLimitedBuilder(TreeBuilder):
    """ElementTree's builder, refusing documents nested past MAX_XML_DEPTH."""

    def __init__(self) -> None:
        super().__init__()
        self._depth = 0

    def start(self, tag: str, attrs: dict[str, str]) -> Element:  # type: ignore[override]
        self._depth += 1
        if self._depth > MAX_XML_DEPTH:
            raise _TooDeep
        return super().start(tag, attrs)

    def end(self, tag: str) -> Element:  # type: ignore[override]
        self._depth -= 1
        return super().end(tag)


def _check_xml(data: bytes, source: str) -> tuple[Element | None, ParseError | None]:
    """The document's tree if it is well-formed, or the parse error if not;
    a FeedError for what must never be parsed at all. This is defusedxml's
    ``fromstring`` with a depth-limited builder."""
    parser = DefusedXMLParser(
        target=_DepthLimitedBuilder(), forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    try:
        parser.feed(data)
        return parser.close(), None
    except DefusedXmlException:
        raise FeedError(
            "refused: the XML declares entities or refers to external ones; "
            "entity declarations are not allowed",
            source=source,
        ) from None
    except _TooDeep:
        raise FeedError(f"XML nested deeper than {MAX_XML_DEPTH} levels", source=source) from None
    except ParseError as exc:
        return None, exc


def _where(error: ParseError) -> str:
    line, column = getattr(error, "position", (0, 0))
    reason = str(error).split(":")[0]
    return f"malformed XML at line {line}, column {column + 1}: {reason}"


def read_xml(content: bytes, *, source: str) -> Element:
    """The root element of a well-formed XML document, checked like a feed;
    for XML files with no lenient fallback (OPML)."""
    if len(content) > MAX_FEED_BYTES:
        raise FeedError(f"{len(content):,} bytes is over the {MAX_FEED_BYTES:,}-byte limit", source=source)
    data, _ = _utf8_xml(bytes(content))
    try:
        root, error = _check_xml(data, source)
    except RecursionError:
        raise FeedError("nested too deeply to read", source=source) from None
    if root is None:
        raise FeedError(_where(error) if error else "not XML", source=source)
    return root


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# --- XML feeds (feedparser) ---------------------------------------------


def _parse_xml(content: bytes, url: str, max_entries: int, notes: list[str]) -> ParsedFeed:
    data, encoding_notes = _utf8_xml(content)
    notes = notes + encoding_notes
    root, error = _check_xml(data, url)
    if root is not None:
        name = _local(root.tag)
        if name in _SITEMAP_ROOTS:
            return _parse_sitemap(root, url, max_entries, notes)
        if name == "opml":
            raise FeedError("this is an OPML subscription list, not a feed (import it instead)", source=url)
        if name.lower() == "html":
            raise FeedError("this is an HTML page, not a feed (look for its feed links)", source=url)
        return _parse_with_feedparser(data, url, max_entries, notes, root_name=name)
    # Only a document without a single entity declaration may take the
    # lenient path: there nothing checks declarations any more.
    if _ENTITY_DECL in data.lower():
        raise FeedError(f"{_where(error)}; entity declarations are not allowed", source=url)
    return _parse_with_feedparser(data, url, max_entries, notes, broken=error)


def _parse_with_feedparser(
    data: bytes,
    url: str,
    max_entries: int,
    notes: list[str],
    *,
    root_name: str | None = None,
    broken: ParseError | None = None,
) -> ParsedFeed:
    try:
        # A BytesIO, never bytes or str: feedparser opens a bytes or str
        # argument as a file name (or URL) when one by that name exists.
        # The content-location header is the only base it resolves links
        # against besides the document's own xml:base. Its HTML sanitizer
        # and its link rewriting inside HTML are off: every text comes out
        # of plain_text without any markup anyway, and both passes grow
        # faster than linearly with nested markup (a denial of service).
        result = feedparser.parse(
            io.BytesIO(data),
            response_headers={"content-location": url},
            resolve_relative_uris=False,
            sanitize_html=False,
        )
    except RecursionError:
        raise
    except Exception as exc:  # noqa: BLE001 - third-party parser fed hostile bytes; a failure is data
        raise FeedError(f"the feed parser gave up on this document ({type(exc).__name__})", source=url) from None
    raw_version = result.get("version") or ""
    version = _VERSIONS.get(raw_version, raw_version) or None
    if broken is None and not version and not result.entries:
        raise FeedError(f"not a feed: the root element is <{root_name}>", source=url)
    kind = "atom" if version and version.startswith("atom") else "rss"
    meta = result.get("feed", {})
    language = _token(meta.get("language"))
    collect = _Collector(url, max_entries)
    for item in result.entries:
        link = item.get("link") or _alternate_link(item)
        collect.add(link, lambda found, e=item: _sound_entry(e, found, kind, language, url, collect))
    warnings = notes + collect.warnings("item")
    if broken is not None:
        if not collect.entries:
            raise FeedError(f"{_where(broken)}; no items could be recovered", source=url)
        warnings.insert(0, f"{_where(broken)}; recovered {_count(len(collect.entries), 'item')}")
    return ParsedFeed(
        kind=kind,
        version=version,
        title=plain_text(meta.get("title"), TITLE_LIMIT),
        site_url=absolute_http_url(meta.get("link"), url),
        language=language,
        entries=collect.entries,
        warnings=warnings,
    )


def _alternate_link(item: Any) -> str | None:
    for link in item.get("links") or []:
        if isinstance(link, dict) and link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link["href"]
    return None


def _sound_entry(e: Any, link: str, kind: str, language: str | None, url: str, collect: _Collector) -> FeedEntry:
    """The entry, or only its link when feedparser's reading of the item
    trips up its own accessors: in a broken document its loose parser can
    store shapes they do not expect (an item's <links> element read as a
    string makes item["enclosures"] raise TypeError)."""
    try:
        return _feed_entry(e, link, kind, language, url, collect)
    except (TypeError, KeyError, AttributeError, IndexError, ValueError) as exc:
        collect.problem(f"an item's details could not be read ({type(exc).__name__}); kept its link only")
        return FeedEntry(url=link)


def _feed_entry(e: Any, link: str, kind: str, language: str | None, url: str, collect: _Collector) -> FeedEntry:
    published = collect.feed_date(e.get("published"), e.get("published_parsed"))
    # dict.get: FeedParserDict answers "updated" with the published date
    # when there is none (a deprecated fallback), which would count twice
    updated = collect.feed_date(dict.get(e, "updated"), dict.get(e, "updated_parsed"))
    if kind == "rss" and published is None:
        # feedparser files RSS's dc:date under "updated", though RSS feeds
        # use it for the publication date
        published = updated
    detail = e.get("title_detail") or e.get("summary_detail") or {}
    base = absolute_http_url(detail.get("base"), url) or url
    content = e.get("content") or [{}]
    return FeedEntry(
        url=link,
        title=plain_text(e.get("title"), TITLE_LIMIT),
        summary=plain_text(e.get("summary") or content[0].get("value"), SUMMARY_LIMIT),
        published=published,
        updated=updated,
        authors=_authors(e, kind),
        image_url=_image(e, base),
        guid=_token(e.get("id"), _URL_LIMIT),
        language=_token(e.get("language")) or _token(detail.get("language")) or language,
    )


def _authors(e: Any, kind: str) -> list[str]:
    names = [a.get("name") for a in e.get("authors") or [] if isinstance(a, dict)]
    raw = e.get("author")
    if kind == "rss" and isinstance(raw, str) and "@" in raw:
        # feedparser splits RSS's "email (Name)" with an e-mail pattern
        # that cuts long top-level domains short, mangling the name
        names[:1] = [_author_name(raw)]
    return _unique_texts(names, 200)[:_MAX_AUTHORS]


def _author_name(raw: str) -> str | None:
    text = raw.strip()
    for pattern in (_EMAIL_THEN_NAME, _NAME_THEN_EMAIL):
        match = pattern.match(text)
        if match:
            return match.group(1)
    return None if "@" in text else text


def _image(e: Any, base: str) -> str | None:
    candidates = []
    for media in e.get("media_content") or []:
        kind = (media.get("medium") or media.get("type") or "").lower()
        if kind == "image" or kind.startswith("image/") or (not kind and _looks_like_image(media.get("url"))):
            candidates.append(media.get("url"))
    candidates += [thumb.get("url") for thumb in e.get("media_thumbnail") or []]
    for enclosure in e.get("enclosures") or []:
        kind = (enclosure.get("type") or "").lower()
        if kind.startswith("image/") or (not kind and _looks_like_image(enclosure.get("href"))):
            candidates.append(enclosure.get("href"))
    itunes = e.get("image")
    if isinstance(itunes, dict):
        candidates.append(itunes.get("href"))
    for candidate in candidates:
        image = absolute_http_url(candidate, base)
        if image:
            return image
    return None


def _looks_like_image(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        path = urlsplit(value.strip()).path
    except ValueError:
        # e.g. "http://[x": urlsplit refuses a broken IPv6 literal; such a
        # link is no image (absolute_http_url refuses it too)
        return False
    return bool(_IMAGE_SUFFIX.search(path))


# --- JSON Feed ------------------------------------------------------------


def _parse_json_feed(content: bytes, url: str, max_entries: int) -> ParsedFeed:
    try:
        doc = json.loads(content)
    except json.JSONDecodeError as exc:
        raise FeedError(f"broken JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", source=url) from None
    except UnicodeDecodeError:
        raise FeedError("a JSON Feed must be UTF-8 text", source=url) from None
    except RecursionError:
        raise FeedError("JSON nested too deeply to read", source=url) from None
    except ValueError as exc:  # json's own detection of odd encodings
        raise FeedError(f"not JSON ({exc})", source=url) from None
    if not isinstance(doc, dict):
        raise FeedError(f"a JSON Feed is an object, this is {_json_type(doc)}", source=url)
    version = doc.get("version")
    match = _JSONFEED_VERSION.match(version) if isinstance(version, str) else None
    if not match:
        raise FeedError("not a JSON Feed: must be a https://jsonfeed.org/version/ URL", source=url, field="version")
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedError(f"must be an array of items, this is {_json_type(items)}", source=url, field="items")
    collect = _Collector(url, max_entries)
    tag = _JSONFEED_TAGS.get(match.group(1))
    if tag is None:
        collect.problem(f"unknown JSON Feed version {match.group(1)}, read as 1.1")
    title = plain_text(_typed(doc, "title", str, "", collect), TITLE_LIMIT)
    site_url = absolute_http_url(_typed(doc, "home_page_url", str, "", collect), url)
    language = _token(_typed(doc, "language", str, "", collect))
    for index, item in enumerate(items):
        where = f"items[{index}]"
        if not isinstance(item, dict):
            collect.problem(f"{where}: expected an object, found {_json_type(item)}; skipped")
            continue
        link = _typed(item, "url", str, where, collect) or _typed(item, "external_url", str, where, collect)
        collect.add(link, lambda found, i=item, w=where: _json_entry(i, w, found, language, collect))
    return ParsedFeed(
        kind="jsonfeed",
        version=tag,
        title=title,
        site_url=site_url,
        language=language,
        entries=collect.entries,
        warnings=collect.warnings("item"),
    )


def _json_entry(item: dict[str, Any], where: str, link: str, language: str | None, collect: _Collector) -> FeedEntry:
    def get(key: str, kind: type | tuple[type, ...] = str) -> Any:
        return _typed(item, key, kind, where, collect)

    guid = get("id", (str, int, float))  # the spec says to coerce a number to a string
    summary = get("summary") or get("content_text") or get("content_html")
    authors = get("authors", list) or []
    single = get("author", dict)  # JSON Feed 1.0
    names = [a.get("name") for a in [*authors, *([single] if single else [])] if isinstance(a, dict)]
    image = get("image") or get("banner_image")
    return FeedEntry(
        url=link,
        title=plain_text(get("title"), TITLE_LIMIT),
        summary=plain_text(summary, SUMMARY_LIMIT),
        published=collect.w3c_date(get("date_published")),
        updated=collect.w3c_date(get("date_modified")),
        authors=_unique_texts(names, 200)[:_MAX_AUTHORS],
        image_url=absolute_http_url(image, collect.base),
        guid=None if guid is None or isinstance(guid, bool) else _token(str(guid), _URL_LIMIT),
        language=_token(get("language")) or language,
    )


def _typed(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str, collect: _Collector) -> Any:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, kind) or isinstance(value, bool):
        expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        name = f"{where}.{key}" if where else key
        collect.problem(f"{name}: expected {_JSON_NAMES.get(expected, expected)}, found {_json_type(value)}; ignored")
        return None
    return value


_JSON_NAMES = {"str": "a string", "list": "an array", "dict": "an object", "str or int or float": "a string"}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


# --- sitemaps ---------------------------------------------------------------


def _parse_sitemap(root: Element, url: str, max_entries: int, notes: list[str]) -> ParsedFeed:
    collect = _Collector(url, max_entries)
    if _local(root.tag) == "sitemapindex":
        for node in root:
            if _local(node.tag) == "sitemap":
                collect.add(_child_text(node, "loc"), lambda found: FeedEntry(url=found))
        children = [entry.url for entry in collect.entries]
        return ParsedFeed(kind="sitemap-index", children=children, warnings=notes + collect.warnings("sitemap"))
    publication: dict[str, str | None] = {}
    for node in root:
        if _local(node.tag) == "url":
            collect.add(_child_text(node, "loc"), lambda found, n=node: _sitemap_entry(n, found, collect, publication))
    return ParsedFeed(
        kind="news-sitemap" if root.find(f"*/{_NEWS_NS}news") is not None else "sitemap",
        title=plain_text(publication.get("name"), TITLE_LIMIT),
        language=publication.get("language"),
        entries=collect.entries,
        warnings=notes + collect.warnings("URL"),
    )


def _sitemap_entry(node: Element, link: str, collect: _Collector, publication: dict[str, str | None]) -> FeedEntry:
    news = node.find(f"{_NEWS_NS}news")
    title = published = language = None
    if news is not None:
        title = plain_text(news.findtext(f"{_NEWS_NS}title"), TITLE_LIMIT)
        published = collect.w3c_date(news.findtext(f"{_NEWS_NS}publication_date"), date_only_utc=True)
        language = _token(news.findtext(f"{_NEWS_NS}publication/{_NEWS_NS}language"))
        name = news.findtext(f"{_NEWS_NS}publication/{_NEWS_NS}name")
        publication["name"] = publication.get("name") or name
        publication["language"] = publication.get("language") or language
    image = node.findtext(f"{_IMAGE_NS}image/{_IMAGE_NS}loc")
    return FeedEntry(
        url=link,
        title=title,
        published=published,
        updated=collect.w3c_date(_child_text(node, "lastmod"), date_only_utc=True),
        image_url=absolute_http_url(image, collect.base),
        language=language,
    )


def _child_text(node: Element, name: str) -> str | None:
    """The text of the first child called ``name`` in any namespace: sitemaps
    are published under several namespace URIs (or none)."""
    for child in node:
        if _local(child.tag) == name:
            return child.text
    return None


# --- URL lists ----------------------------------------------------------------


def _parse_url_list(content: bytes, url: str, max_entries: int) -> ParsedFeed:
    encoding, skip = _wide_encoding(content)
    text = content[skip:].decode(encoding or "utf-8", "replace")
    if "\x00" in text:
        raise FeedError("binary data, not a feed, sitemap or URL list", source=url)
    # only absolute URLs: a relative line in a list of addresses is a typo
    collect = _Collector(None, max_entries)
    junk: list[int] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        candidate, *rest = line.split(None, 1)
        if (rest and not rest[0].startswith("#")) or absolute_http_url(candidate) is None:
            junk.append(number)
            continue
        collect.add(candidate, lambda found: FeedEntry(url=found))
    if junk and not collect.entries:
        raise FeedError(f"not a feed, sitemap or URL list (line {junk[0]} is not an http(s) URL)", source=url)
    warnings = collect.warnings("URL")
    if junk:
        warnings.insert(0, f"{_count(len(junk), 'line')} without an http(s) URL skipped (first: line {junk[0]})")
    return ParsedFeed(kind="urls", entries=collect.entries, warnings=warnings)


# --- shared pieces ------------------------------------------------------------


class _Collector:
    """Gathers a feed's entries: usable links only, each once, at most
    ``limit``; counts what was left out so that one warning says it."""

    def __init__(self, base: str | None, limit: int):
        self.base = base
        self.limit = limit
        self.entries: list[FeedEntry] = []
        self._seen: set[str] = set()
        self._no_link = 0
        self._bad_links: list[str] = []
        self._duplicates = 0
        self._over = 0
        self._zoneless = 0
        self._unreadable = 0
        self._problems: list[str] = []
        self._more_problems = 0

    def add(self, raw_link: Any, make: Callable[[str], FeedEntry]) -> None:
        if not isinstance(raw_link, str) or not raw_link.strip():
            self._no_link += 1
            return
        link = absolute_http_url(raw_link, self.base)
        if link is None:
            self._bad_links.append(raw_link.strip()[:100])
        elif link in self._seen:
            self._duplicates += 1
        elif len(self.entries) >= self.limit:
            self._over += 1
        else:
            self._seen.add(link)
            self.entries.append(make(link))

    def problem(self, message: str) -> None:
        if len(self._problems) < _MAX_PROBLEMS:
            self._problems.append(message)
        else:
            self._more_problems += 1

    def feed_date(self, raw: Any, parsed: Any) -> datetime | None:
        """feedparser's UTC reading of a date, if the date said its zone."""
        if not isinstance(raw, str) or not raw.strip():
            return None
        has_zone = bool(_ZONE_AFTER_TIME.search(raw))
        if not parsed:
            # feedparser refuses some zoneless forms outright; say why
            if not has_zone and _CLOCK.search(raw):
                self._zoneless += 1
            else:
                self._unreadable += 1
            return None
        if not has_zone:
            self._zoneless += 1
            return None
        try:
            return datetime(*parsed[:6], tzinfo=timezone.utc)
        except (TypeError, ValueError, OverflowError):
            self._unreadable += 1
            return None

    def w3c_date(self, raw: Any, *, date_only_utc: bool = False) -> datetime | None:
        if not isinstance(raw, str) or not raw.strip():
            return None
        try:
            value = parse_w3c_datetime(raw, date_only_utc=date_only_utc)
        except (ValueError, OverflowError):
            self._unreadable += 1
            return None
        if value is None:
            self._zoneless += 1
        return value

    def warnings(self, what: str) -> list[str]:
        out = list(self._problems)
        if self._more_problems:
            out.append(f"and {_count(self._more_problems, 'more problem')} like these")
        if self._no_link:
            out.append(f"{_count(self._no_link, what)} without a link skipped")
        if self._bad_links:
            out.append(
                f"{_count(len(self._bad_links), what)} with a link that is not an http(s) URL skipped"
                f" (first: {self._bad_links[0]!r})"
            )
        if self._duplicates:
            out.append(f"{_count(self._duplicates, what)} with a link seen before skipped")
        if self._over:
            out.append(f"{_count(len(self.entries) + self._over, what)}, only the first {self.limit:,} kept")
        if self._zoneless:
            out.append(f"{_count(self._zoneless, 'date')} without a time zone (or with an unknown one) left out")
        if self._unreadable:
            out.append(f"{_count(self._unreadable, 'date')} that could not be read left out")
        return out


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def absolute_http_url(raw: Any, base: str | None = None) -> str | None:
    """``raw`` as an absolute http(s) URL, resolved against ``base``, or
    None. Surrounding whitespace and line breaks inside go; spaces become
    %20; nothing else changes (tracking parameters stay)."""
    if not isinstance(raw, str):
        return None
    # control characters and spaces around a URL go, as browsers (and
    # urlsplit) drop them: "\x00http://..." must not come back with its NUL
    text = re.sub(r"[\t\r\n]", "", _URL_EDGES.sub("", raw)).replace(" ", "%20")
    if not text or len(text) > _URL_LIMIT:
        return None
    try:
        url = urljoin(base, text) if base else text
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or len(url) > _URL_LIMIT:
        return None
    if not _is_text(url):  # the link or the base it was resolved against
        return None
    return url


def _is_text(value: str) -> bool:
    """False for a string holding lone surrogates: JSON's "\\ud800" escapes
    make them, and they cannot be encoded, stored or hashed downstream."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_w3c_datetime(value: str, *, date_only_utc: bool = False) -> datetime | None:
    """An RFC 3339 / W3C datetime as an aware UTC datetime. A datetime
    without a zone is None (it cannot be placed in time); a bare date is
    None too, unless ``date_only_utc`` (sitemaps) makes it midnight UTC.
    ValueError for anything that is not such a date."""
    match = _W3C_DATETIME.match(value.strip())
    if not match:
        raise ValueError(f"not a W3C datetime: {value!r}")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    midnight = datetime(int(year), int(month), int(day), tzinfo=timezone.utc)
    if hour is None:
        return midnight if date_only_utc else None
    if zone is None:
        return None
    stamp = datetime(
        midnight.year, midnight.month, midnight.day, int(hour), int(minute),
        min(int(second or 0), 59),  # a leap second is kept inside its minute
        int((fraction or "0")[:6].ljust(6, "0")),
        tzinfo=_zone(zone),
    )
    try:
        return stamp.astimezone(timezone.utc)
    except OverflowError:
        raise ValueError(f"out of range: {value!r}") from None


def _zone(text: str) -> timezone:
    if text in "Zz":
        return timezone.utc
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(f"not a time zone offset: {text!r}")
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if text[0] == "-" else offset)


def plain_text(value: Any, limit: int) -> str | None:
    """Feed text (often HTML, sometimes escaped twice) as one line of plain
    text: tags gone and script/style content with them, entities decoded,
    whitespace collapsed, at most ``limit`` characters."""
    if not isinstance(value, str):
        return None
    text = _XML_INVALID.sub("", value[:_MARKUP_LIMIT])
    if "<" in text or "&" in text:
        text = _strip_markup(text)
    text = " ".join(text.split())
    if not text:
        return None
    if len(text) > limit:
        cut = text[: limit - 1]
        space = cut.rfind(" ")
        text = (cut[:space] if space > limit * 0.8 else cut).rstrip() + "…"
    return text


def _strip_markup(text: str) -> str:
    try:
        root = lxml.html.fragment_fromstring(text, create_parent="div")
    except (etree.LxmlError, ValueError):
        return _TAG.sub(" ", text)
    etree.strip_elements(root, *_HIDDEN_TAGS, with_tail=False)
    for element in root.iter():
        if element.tag in _BLOCK_TAGS:
            element.tail = " " + (element.tail or "")
    return root.text_content()


def _token(value: Any, limit: int = 64) -> str | None:
    """A short identifier as found (language tag, guid), or None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    return text if text and len(text) <= limit else None


def _unique_texts(values: list[Any], limit: int) -> list[str]:
    out: list[str] = []
    for value in values:
        text = plain_text(value, limit)
        if text and text not in out:
            out.append(text)
    return out
