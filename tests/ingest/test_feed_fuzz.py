"""Whatever bytes arrive, parse_feed either reads them or raises FeedError."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from topicwire.ingest.feeds import FeedError, ParsedFeed, parse_feed

FEEDS = Path(__file__).parent / "data" / "feeds"
SEEDS = [(FEEDS / name).read_bytes() for name in ("rss20.xml", "atom10.xml", "jsonfeed11.json", "news-sitemap.xml")]
# pieces that steer a mutation towards the interesting paths
TOKENS = [
    b"<", b">", b"&", b"]]>", b"<![CDATA[", b"<!ENTITY x 'y'>", b"<!DOCTYPE rss>", b"&x;", b"&#0;", b"&#xD800;",
    b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b'"', b"{", b"[", b"</item>", b"<item>", b"xml:base='file:///'",
    b"<link>javascript:x</link>", b"<link>//h.example/a</link>", b"encoding='utf-16'", b"\n",
]

FUZZ = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def parses_or_refuses(content: bytes, content_type: str | None = None) -> None:
    try:
        feed = parse_feed(content, url="https://fuzz.example/feed", content_type=content_type)
    except FeedError:
        return
    assert isinstance(feed, ParsedFeed)
    for entry in feed.entries:
        assert entry.url.startswith(("http://", "https://"))


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from([None, "application/rss+xml", "application/json", "text/plain"]))
def test_random_bytes(content: bytes, content_type: str | None):
    parses_or_refuses(content, content_type)


@FUZZ
@given(st.sampled_from([b"<", b"<?xml version='1.0'?>", b"{", b"[", b"\xef\xbb\xbf<"]), st.binary(max_size=1000))
def test_random_bytes_behind_a_plausible_start(start: bytes, rest: bytes):
    parses_or_refuses(start + rest)


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "insert", "token", "delete", "truncate"]))
        if action == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=20))
        elif action == "token":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 200))]
        elif action == "truncate":
            del data[at:]
    return bytes(data)


@FUZZ
@given(mutated())
def test_mutated_feeds(content: bytes):
    parses_or_refuses(content)
