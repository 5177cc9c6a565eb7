"""parse_feed under hostile input: arbitrary bytes and feed documents that
are structured but mangled (RSS, RDF, Atom, JSON Feed, sitemaps, URL
lists). Each gives a ParsedFeed whose every part is usable and bounded, or
a FeedError with a one-line message, in bounded time.

tests/ingest/test_feed_fuzz.py mutates the sample feeds byte by byte; this
module builds documents from their grammar, so that most examples get far
into the parsers before something odd happens.
"""

from __future__ import annotations

from datetime import timedelta
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import given
from hypothesis import strategies as st

from topicwire.errors import RecordError
from topicwire.ingest.feeds import MAX_XML_DEPTH, SUMMARY_LIMIT, TITLE_LIMIT, FeedError, ParsedFeed, parse_feed
from topicwire.ingest.urls import normalize_url

from fuzz_inputs import (
    BAD_UTF8,
    damaged,
    fuzz_settings,
    json_value,
    outcome,
    text_piece,
    to_json,
    url_piece,
    utf8_ok,
)

FUZZ = fuzz_settings(examples=60, deadline_s=5)
SECONDS = 15
FEED_URL = "https://feeds.example/news/feed.xml"
KINDS = {"rss", "atom", "jsonfeed", "sitemap", "news-sitemap", "sitemap-index", "urls"}
CONTENT_TYPES = st.sampled_from(
    [None, "application/rss+xml", "application/atom+xml; charset=utf-8", "application/json", "text/xml",
     "text/plain", "text/html", "application/xml; charset=bogus"]
)
DATES = st.one_of(
    st.sampled_from([
        "Tue, 03 Mar 2026 08:15:00 +0100", "Wed, 04 Mar 2026 17:00:00 EST", "2026-03-03T08:15:00Z",
        "2026-03-03T08:15:00", "2026-03-03", "2026-02-30T10:00:00Z", "Mon, 32 Foo 2026 99:99:99 +9999",
        "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+14:00", "0000-00-00", "10000-01-01T00:00:00Z",
        "2026-03-03T08:15:00 CEST", "Tue, 03 Mar 2026 08:15:00 -0000", "1970-01-01T00:00:00.9999999999Z",
        "yesterday", "",
    ]),
    st.text(max_size=25),
)
TOKENS = [
    b"<", b">", b"&", b"&x;", b"&#0;", b"&#xD800;", b"&#1114112;", b"]]>", b"<![CDATA[", b"<!--", b"-->",
    b"</item>", b"<item>", b"</entry>", b"<entry>", b"<link>", b"</link>", b"<!DOCTYPE rss>", b"\"", b"'",
    b"xml:base='javascript:x'", b"xml:base='//evil.example/'", b"{", b"}", b"[", b"]", b",", b"\\u0000",
    b"\\ud800", b"\xef\xbb\xbf", b"\x00", *BAD_UTF8,
]


def text_node(draw: st.DrawFn, value: str) -> str:
    """Text the way feeds carry it: escaped, in CDATA, escaped twice, or raw."""
    mode = draw(st.sampled_from(["escaped", "cdata", "twice", "raw"]))
    if mode == "escaped":
        return escape(value)
    if mode == "cdata":
        return "<![CDATA[" + value + "]]>"
    if mode == "twice":
        return escape(escape(value))
    return value


def element(draw: st.DrawFn, name: str, value: str, attrs: str = "") -> str:
    return f"<{name}{attrs}>{text_node(draw, value)}</{name}>"


@st.composite
def nested(draw: st.DrawFn) -> str:
    """Markup nested deeply, sometimes past what the parser accepts."""
    depth = draw(st.sampled_from([3, 40, MAX_XML_DEPTH - 10, MAX_XML_DEPTH + 5, 3000]))
    tag = draw(st.sampled_from(["div", "x:y", "b", "span"]))
    return f"<{tag}>" * depth + escape(draw(text_piece)) + f"</{tag}>" * depth


@st.composite
def rss_item(draw: st.DrawFn) -> str:
    parts = []
    if draw(st.booleans()):
        parts.append(element(draw, "title", draw(text_piece)))
    for _ in range(draw(st.integers(0, 2))):
        parts.append(element(draw, "link", draw(url_piece)))
    if draw(st.booleans()):
        parts.append(element(draw, "guid", draw(st.one_of(url_piece, text_piece)),
                             draw(st.sampled_from(["", ' isPermaLink="false"', ' isPermaLink="true"']))))
    for name in draw(st.lists(st.sampled_from(["pubDate", "dc:date", "atom:updated"]), max_size=2)):
        parts.append(element(draw, name, draw(DATES)))
    for name in draw(st.lists(st.sampled_from(["description", "content:encoded", "author", "dc:creator",
                                               "category", "dc:language"]), max_size=3)):
        parts.append(element(draw, name, draw(text_piece)))
    if draw(st.booleans()):
        kind = draw(st.sampled_from(["image/png", "audio/mpeg", "", "IMAGE/JPEG"]))
        parts.append(f"<enclosure url={quoteattr(draw(url_piece))} type={quoteattr(kind)} length=\"-1\"/>")
    if draw(st.booleans()):
        parts.append(f"<media:content url={quoteattr(draw(url_piece))} medium={quoteattr(draw(st.sampled_from(['image', 'video', ''])))}"
                     f" width={quoteattr(draw(st.sampled_from(['1200', '-5', 'x', '99999999999'])))}/>")
    if draw(st.integers(0, 9)) == 0:
        parts.append(f"<description>{draw(nested())}</description>")
    return "<item>" + "".join(draw(st.permutations(parts))) + "</item>"


@st.composite
def rss_document(draw: st.DrawFn) -> str:
    version = draw(st.sampled_from(['version="2.0"', 'version="0.91"', 'version="0.92"', 'version="9"', ""]))
    channel = "".join([
        element(draw, "title", draw(text_piece)),
        element(draw, "link", draw(url_piece)),
        element(draw, "language", draw(st.sampled_from(["en", "en-US", "x" * 100, ""]))),
        *draw(st.lists(rss_item(), max_size=6)),
    ])
    namespaces = (' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"'
                  ' xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom"')
    if draw(st.booleans()):
        # RSS 1.0: items beside the channel, under rdf:RDF
        return (f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"'
                f"{namespaces}><channel>{element(draw, 'title', draw(text_piece))}</channel>"
                + "".join(draw(st.lists(rss_item(), max_size=4))) + "</rdf:RDF>")
    return f"<rss {version}{namespaces}><channel>{channel}</channel></rss>"


@st.composite
def atom_entry(draw: st.DrawFn) -> str:
    parts = []
    base = draw(st.one_of(st.just(""), url_piece.map(lambda u: f" xml:base={quoteattr(u)}")))
    if draw(st.booleans()):
        kind = draw(st.sampled_from(["text", "html", "xhtml"]))
        inner = (f'<div xmlns="http://www.w3.org/1999/xhtml">{escape(draw(text_piece))}</div>' if kind == "xhtml"
                 else text_node(draw, draw(text_piece)))
        parts.append(f'<title type="{kind}">{inner}</title>')
    for _ in range(draw(st.integers(0, 3))):
        rel = draw(st.sampled_from(["", ' rel="alternate"', ' rel="enclosure" type="image/jpeg"', ' rel="self"']))
        parts.append(f"<link{rel} href={quoteattr(draw(url_piece))}/>")
    for name in draw(st.lists(st.sampled_from(["published", "updated", "issued", "modified"]), max_size=2)):
        parts.append(element(draw, name, draw(DATES)))
    if draw(st.booleans()):
        parts.append(element(draw, "id", draw(st.one_of(url_piece, text_piece))))
    if draw(st.booleans()):
        parts.append(element(draw, draw(st.sampled_from(["summary", "content"])), draw(text_piece),
                             draw(st.sampled_from(["", ' type="html"', ' type="text"']))))
    if draw(st.integers(0, 9)) == 0:
        parts.append(f'<content type="xhtml">{draw(nested())}</content>')
    if draw(st.booleans()):
        parts.append(f"<author><name>{escape(draw(text_piece))}</name></author>")
    return f"<entry{base}>" + "".join(draw(st.permutations(parts))) + "</entry>"


@st.composite
def atom_document(draw: st.DrawFn) -> str:
    namespace = draw(st.sampled_from(['xmlns="http://www.w3.org/2005/Atom"', 'xmlns="http://purl.org/atom/ns#" version="0.3"', ""]))
    base = draw(st.one_of(st.just(""), url_piece.map(lambda u: f" xml:base={quoteattr(u)}")))
    head = element(draw, "title", draw(text_piece)) + f"<link href={quoteattr(draw(url_piece))}/>"
    return f"<feed {namespace}{base}>{head}" + "".join(draw(st.lists(atom_entry(), max_size=6))) + "</feed>"


@st.composite
def sitemap_document(draw: st.DrawFn) -> str:
    namespace = draw(st.sampled_from(['xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"', 'xmlns="urn:other"', ""]))
    news = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
    if draw(st.booleans()):
        children = "".join(f"<sitemap><loc>{escape(u)}</loc></sitemap>" for u in draw(st.lists(url_piece, max_size=5)))
        return f"<sitemapindex {namespace}>{children}</sitemapindex>"
    urls = []
    for _ in range(draw(st.integers(0, 6))):
        parts = [element(draw, "loc", draw(url_piece)), element(draw, "lastmod", draw(DATES))]
        if draw(st.booleans()):
            parts.append("<news:news><news:publication><news:name>" + escape(draw(text_piece))
                         + "</news:name><news:language>" + escape(draw(text_piece)) + "</news:language>"
                         "</news:publication><news:publication_date>" + escape(draw(DATES))
                         + "</news:publication_date><news:title>" + escape(draw(text_piece)) + "</news:title></news:news>")
        urls.append("<url>" + "".join(parts) + "</url>")
    return f"<urlset {namespace}{news}>" + "".join(urls) + "</urlset>"


@st.composite
def json_feed(draw: st.DrawFn) -> bytes:
    version = draw(st.sampled_from(["https://jsonfeed.org/version/1", "https://jsonfeed.org/version/1.1",
                                    "https://jsonfeed.org/version/2", "http://jsonfeed.org/version/1.1/"]))
    if draw(st.integers(0, 5)) == 0:
        version = draw(json_value)

    def maybe(plausible: st.SearchStrategy) -> object:
        return draw(st.one_of(plausible, json_value)) if draw(st.integers(0, 3)) else draw(json_value)

    items = []
    for _ in range(draw(st.integers(0, 6))):
        item = {"id": maybe(st.text(max_size=10)), "url": maybe(url_piece)}
        for key in draw(st.lists(st.sampled_from(["title", "summary", "content_html", "content_text", "external_url",
                                                  "date_published", "date_modified", "image", "banner_image",
                                                  "authors", "author", "language", "tags"]), max_size=5)):
            item[key] = maybe(DATES if key.startswith("date") else url_piece if "image" in key else text_piece)
        items.append(item)
    doc = {"version": version, "title": maybe(text_piece), "home_page_url": maybe(url_piece),
           "items": items if draw(st.integers(0, 5)) else draw(json_value)}
    text = to_json(doc)
    if draw(st.integers(0, 5)) == 0:
        # deep nesting inside an item: past what json (and a careful reader) takes
        depth = draw(st.sampled_from([50, 5000, 200_000]))
        text = text.replace('"items": [', '"items": [' + "[" * depth + "]" * depth + ",", 1)
    return text.encode("utf-8", "surrogatepass")


@st.composite
def url_list(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(st.one_of(url_piece, st.sampled_from(["# comment", "", "https://a.example/x # note",
                                                                "not a url"])), max_size=10))
    return draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines).encode("utf-8", "surrogatepass")


@st.composite
def xml_bytes(draw: st.DrawFn, body: st.SearchStrategy[str]) -> bytes:
    """An XML document in one of the encodings feeds arrive in (declared
    truly, falsely or not at all), sometimes behind junk or a DOCTYPE."""
    text = draw(body)
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "utf-16-le", "latin-1", "cp1252", "utf-32"]))
    declared = draw(st.sampled_from([encoding, "utf-8", "iso-8859-1", "bogus-7", None]))
    prolog = f'<?xml version="1.0" encoding="{declared}"?>' if declared else ""
    if draw(st.integers(0, 4)) == 0:
        prolog += draw(st.sampled_from(['<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
                                        '"http://my.netscape.com/publish/formats/rss-0.91.dtd">',
                                        '<!DOCTYPE rss SYSTEM "file:///etc/passwd">', "<!DOCTYPE x []>"]))
    junk = draw(st.sampled_from(["", "", "", "", "", "\ufeff", "  \n", "garbage before <", "\x00\x00"]))
    data = (junk + prolog + text).encode(encoding, "replace")
    return draw(damaged(data, tokens=TOKENS)) if draw(st.booleans()) else data


documents = st.one_of(
    xml_bytes(rss_document()), xml_bytes(atom_document()), xml_bytes(sitemap_document()),
    json_feed().flatmap(lambda d: st.one_of(st.just(d), damaged(d, tokens=TOKENS))),
    url_list().flatmap(lambda d: st.one_of(st.just(d), damaged(d, tokens=TOKENS))),
)


def check_feed(feed: ParsedFeed, max_entries: int) -> None:
    assert isinstance(feed, ParsedFeed) and feed.kind in KINDS
    assert len(feed.entries) <= max_entries and len(feed.children) <= max_entries
    urls = [e.url for e in feed.entries]
    assert len(set(urls)) == len(urls), "an entry listed twice"
    for url in [*urls, *feed.children, *[e.image_url for e in feed.entries if e.image_url], feed.site_url]:
        if url is None:
            continue
        assert url.lower().startswith(("http://", "https://")) and len(url) <= 4096 and utf8_ok(url), url
        # the crawl cycle normalises every link next: a refusal is fine, a crash is not
        outcome(lambda u=url: normalize_url(u), kind=RecordError, seconds=SECONDS)
    for text, limit in [(feed.title, TITLE_LIMIT), (feed.language, 64)]:
        assert text is None or (0 < len(text) <= limit and utf8_ok(text))
    for entry in feed.entries:
        assert entry.title is None or (0 < len(entry.title) <= TITLE_LIMIT and "\n" not in entry.title)
        assert entry.summary is None or 0 < len(entry.summary) <= SUMMARY_LIMIT
        for text in [entry.title, entry.summary, entry.guid, entry.language, *entry.authors]:
            assert utf8_ok(text), repr(text)
        assert len(entry.authors) <= 20
        for when in (entry.published, entry.updated):
            assert when is None or when.utcoffset() == timedelta(0)
    assert len(feed.warnings) <= 40
    for warning in feed.warnings:
        assert "\n" not in warning and len(warning) <= 1000 and utf8_ok(warning), warning


def parses_or_refuses(content: bytes, content_type: str | None = None, max_entries: int = 5000) -> None:
    feed = outcome(
        lambda: parse_feed(content, url=FEED_URL, content_type=content_type, max_entries=max_entries),
        kind=FeedError,
        seconds=SECONDS,
    )
    if feed is not None:
        check_feed(feed, max_entries)


@fuzz_settings(examples=150, deadline_s=5)
@given(documents, CONTENT_TYPES, st.sampled_from([1, 3, 5000]))
def test_mangled_feed_documents(content: bytes, content_type: str | None, max_entries: int):
    parses_or_refuses(content, content_type, max_entries)


@FUZZ
@given(st.binary(max_size=3000), CONTENT_TYPES)
def test_arbitrary_bytes(content: bytes, content_type: str | None):
    parses_or_refuses(content, content_type)


@FUZZ
@given(st.sampled_from([rss_document(), atom_document()]).flatmap(lambda s: s), st.sampled_from(["x", "y"]))
def test_entity_declarations_are_always_refused(body: str, name: str):
    """Whatever the rest of the document holds, an entity declaration is
    refused outright: no entity is ever expanded."""
    doctype = f'<!DOCTYPE feed [<!ENTITY {name} "EXPANDED-ENTITY">]>'
    content = ('<?xml version="1.0"?>' + doctype + body.replace("</title>", f"&{name};</title>", 1)).encode()
    feed = outcome(lambda: parse_feed(content, url=FEED_URL), kind=FeedError, seconds=SECONDS)
    assert feed is None


@FUZZ
@given(st.sampled_from([rss_document(), atom_document()]).flatmap(lambda s: s), st.binary(min_size=1, max_size=8))
def test_invalid_utf8_in_a_feed_is_replaced_not_fatal(body: str, bad: bytes):
    """Bytes that are not UTF-8 in a document that says it is: the parser
    reads the document with them replaced (or refuses it), never fails."""
    data = ('<?xml version="1.0" encoding="utf-8"?>' + body).encode()
    at = data.find(b"<title>")
    content = data[: at + 7] + bad + data[at + 7 :] if at >= 0 else data + bad
    parses_or_refuses(content)


# -- regressions: inputs that made parse_feed raise something else than FeedError


@pytest.mark.parametrize(("content", "expected"), [
    # feedparser's loose parser stores <links> as a string; item["enclosures"] then raised TypeError
    (b'<rss version="2.0"><channel><item><link>https://a.example/1</link><links>x</links></item></channel></rss>',
     ["https://a.example/1"]),
    # an enclosure without a type whose URL urlsplit refuses: ValueError from the image check
    (b'<rss version="2.0"><channel><item><link>https://a.example/2</link><enclosure url="http://[x"/></item>'
     b"</channel></rss>", ["https://a.example/2"]),
    # a JSON escape makes a lone surrogate: the link was kept, and normalising it raised UnicodeEncodeError
    (b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"url": "https://a.example/\\ud800"},'
     b' {"url": "https://a.example/3"}]}', ["https://a.example/3"]),
    # a NUL before the scheme: urlsplit ignores it, so the link passed, NUL and all
    (b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"url": "\\u0000https://a.example/4"}]}',
     ["https://a.example/4"]),
])
def test_hostile_items_are_skipped_or_cleaned_not_fatal(content: bytes, expected: list[str]):
    feed = parse_feed(content, url=FEED_URL)
    assert [e.url for e in feed.entries] == expected
    check_feed(feed, 5000)
