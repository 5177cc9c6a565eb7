"""Hostile and broken input: entity attacks, local files, size, depth,
malformed XML and feedparser's own traps."""

from __future__ import annotations

import time
from pathlib import Path

import feedparser
import pytest

from topicwire.ingest.feeds import MAX_FEED_BYTES, MAX_XML_DEPTH, FeedError, ParsedFeed, parse_feed

FEEDS = Path(__file__).parent / "data" / "feeds"
PASSWD = Path("/etc/passwd")
# what must never show up anywhere: a line of the file the attacks aim at
SECRET = PASSWD.read_text().splitlines()[0] if PASSWD.exists() else "root:x:0:0:root"


def everything(feed: ParsedFeed) -> str:
    return repr(feed)


@pytest.mark.parametrize("name", ["billion-laughs.xml", "xxe-passwd.xml", "xxe-parameter.xml", "xxe-malformed.xml"])
def test_entity_declarations_are_refused(name: str):
    started = time.perf_counter()
    with pytest.raises(FeedError, match="entity declarations are not allowed") as caught:
        parse_feed((FEEDS / name).read_bytes(), url="https://evil.example/feed")
    assert time.perf_counter() - started < 1
    assert caught.value.source == "https://evil.example/feed"
    assert SECRET not in str(caught.value)
    assert "root:" not in str(caught.value)


def test_quadratic_blowup_is_refused_quickly():
    blob = "a" * 50_000
    content = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{blob}">]>'
        f'<rss version="2.0"><channel><title>{"&a;" * 50_000}</title></channel></rss>'
    ).encode()
    started = time.perf_counter()
    with pytest.raises(FeedError, match="entity declarations are not allowed"):
        parse_feed(content, url="https://evil.example/feed")
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize("variant", ["declared", "undeclared-lowercase"])
def test_malformed_documents_mentioning_entities_never_reach_the_lenient_parser(variant: str):
    # the safety check stops at the first syntax error, so a declaration
    # after it would go unchecked: such documents are refused outright
    content = (
        b'<?xml version="1.0" standalone="maybe"?>'
        + (b'<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>' if variant == "declared" else b"<!-- <!entity -->")
        + b'<rss version="2.0"><channel><item><title>&x;</title><link>https://e.example/1</link></item></channel></rss>'
    )
    with pytest.raises(FeedError, match="entity declarations are not allowed"):
        parse_feed(content, url="https://evil.example/feed")


def test_a_doctype_alone_is_fine_and_its_file_is_never_read():
    feed = parse_feed((FEEDS / "doctype-system-file.xml").read_bytes(), url="https://innocent.example/feed")
    assert [e.title for e in feed.entries] == ["Only the DOCTYPE is odd"]
    assert SECRET not in everything(feed)


def test_feedparser_is_never_handed_a_file_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # feedparser.parse(b"<rss>") opens a file called "<rss>" if there is one
    (tmp_path / "<rss>").write_text(
        '<rss version="2.0"><channel><item><title>read from a local file</title>'
        "<link>https://local.example/leak</link></item></channel></rss>"
    )
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FeedError):
        parse_feed(b"<rss>", url="https://evil.example/feed")


def test_feedparser_global_settings_are_left_alone():
    before = list(feedparser.api.PREFERRED_XML_PARSERS)
    parse_feed((FEEDS / "rss20.xml").read_bytes(), url="https://harbor-gazette.example/feed.xml")
    parse_feed((FEEDS / "malformed-rss20.xml").read_bytes(), url="https://broken-bell.example/feed.xml")
    assert feedparser.api.PREFERRED_XML_PARSERS == before


def test_oversized_content_is_refused_before_parsing():
    item = b"<item><title>padding</title><link>https://big.example/x</link></item>"
    content = b'<rss version="2.0"><channel>' + item * (25 * 1024 * 1024 // len(item)) + b"</channel></rss>"
    assert len(content) > 25_000_000
    started = time.perf_counter()
    with pytest.raises(FeedError, match=f"over the {MAX_FEED_BYTES:,}-byte limit"):
        parse_feed(content, url="https://big.example/feed")
    assert time.perf_counter() - started < 1


DEPTH = 100_000


@pytest.mark.parametrize(
    "content",
    [
        b'<rss version="2.0"><channel>' + b"<x>" * DEPTH + b"</x>" * DEPTH + b"</channel></rss>",
        b'<rss version="2.0"><channel><item><title>' + b"<b>" * DEPTH + b"</title></item>",
        b"<urlset>" + b"<url>" * DEPTH,
        b"[" * DEPTH + b"]" * DEPTH,
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [' + b'{"a":' * DEPTH,
    ],
    ids=["xml", "xml-unclosed", "sitemap", "json-array", "json-object"],
)
def test_deep_nesting_is_a_feed_error(content: bytes):
    started = time.perf_counter()
    with pytest.raises(FeedError, match="nested|JSON"):
        parse_feed(content, url="https://deep.example/feed")
    assert time.perf_counter() - started < 2


def test_nesting_up_to_the_limit_is_fine():
    depth = MAX_XML_DEPTH - 5
    content = (
        b'<rss version="2.0"><channel><item><link>https://deep.example/1</link><x>'
        + b"<x>" * depth + b"</x>" * depth
        + b"</x></item></channel></rss>"
    )
    assert len(parse_feed(content, url="https://deep.example/feed").entries) == 1


def test_deeply_nested_escaped_html_in_a_summary_is_harmless():
    content = (
        b'<rss version="2.0"><channel><item><link>https://deep.example/1</link><description>'
        + b"&lt;div&gt;" * DEPTH + b"deep text"
        + b"</description></item></channel></rss>"
    )
    feed = parse_feed(content, url="https://deep.example/feed")
    assert len(feed.entries) == 1


def test_malformed_but_recoverable_rss():
    feed = parse_feed((FEEDS / "malformed-rss20.xml").read_bytes(), url="https://broken-bell.example/feed.xml")
    assert [e.title for e in feed.entries] == ["Bell rings & rings", "Rope replaced", "Tower repainted"]
    assert feed.entries[2].summary == "Unclosed paragraph and a stray tag"
    assert feed.warnings[0].startswith("malformed XML at line 7, column 26")
    assert feed.warnings[0].endswith("recovered 3 items")


@pytest.mark.parametrize(
    "content, where",
    [
        (b"<<<< this is &&& not <a feed", "line 1"),
        (b'<?xml version="1.0"?>\n<rss version="2.0">\n<channel>\n<title>no items</ti', "line 4"),
        (b"<\x00\x01\x02\x03\xff\xfe garbage", "line 1"),
        (b'<?xml version="1.0"?>\n<urlset>\n<url><loc>https://s.example/a</loc></url>\n<url', "line 4"),
    ],
)
def test_hopeless_garbage_is_a_feed_error_naming_the_line(content: bytes, where: str):
    with pytest.raises(FeedError, match=f"malformed XML at {where}.*no items could be recovered"):
        parse_feed(content, url="https://garbage.example/feed")


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 4,
        b"\x00" * 1000,
        b"\xff\xfe" + "just some text".encode("utf-16-le"),
        b"{not json at all",
        b"[1, 2, 3]",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    ],
)
def test_binary_and_other_junk_is_a_feed_error(content: bytes):
    with pytest.raises(FeedError):
        parse_feed(content, url="https://garbage.example/feed")
