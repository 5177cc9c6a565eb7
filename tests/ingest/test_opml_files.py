"""OPML subscription lists: reading, writing, and the round trip."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import fromstring

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from topicwire.ingest.feeds import FeedError
from topicwire.ingest.opml import OutlineSource, read_opml, write_opml

FEEDS = Path(__file__).parent / "data" / "feeds"


@pytest.fixture(scope="module")
def subscriptions() -> list[OutlineSource]:
    return read_opml((FEEDS / "subscriptions.opml").read_bytes(), source="subscriptions.opml")


def test_nested_outlines_are_flattened_with_their_folder_as_category(subscriptions: list[OutlineSource]):
    assert subscriptions == [
        OutlineSource("https://harbor-gazette.example/feed.xml", "Harbor Gazette", "rss", "https://harbor-gazette.example/", None),
        OutlineSource("https://fjordpost.example/atom.xml", "Fjord Post", "atom", "https://fjordpost.example/", "Nordic"),
        OutlineSource("https://fjordpost.example/sport/rss", "Ski news", "rss", None, "Norway / Sport"),
        # attribute names in the wrong case still count
        OutlineSource("https://valley-ledger.example/rss", "Valley Ledger", None, None, "Nordic"),
        # a folder named only by its title; an htmlUrl that is no URL is dropped
        OutlineSource("https://kiln-glaze.example/feed.json", "Kiln & Glaze", "JSONFeed", None, "Ceramics"),
        # a name that is just the URL is no name
        OutlineSource("https://tramline.example/feed.json", None, None, None, "Ceramics"),
        # feed:// is the old way of saying "this is a feed"
        OutlineSource("http://moss-weekly.example/atom.xml", "Old style link", None, None, "Ceramics"),
    ]


def test_the_fixture_reads_back_identically_after_writing(subscriptions: list[OutlineSource]):
    text = write_opml(subscriptions, title="Desk subscriptions")
    assert read_opml(text.encode("utf-8"), source="written.opml") == subscriptions


def test_write_opml_is_opml_2():
    sources = [
        OutlineSource("https://a.example/feed", "A <&> \"quoted\" 'feed'", "rss", "https://a.example/", "News & Views"),
        OutlineSource("https://b.example/feed.json", None, None, None, None),
    ]
    text = write_opml(sources, title="Mine & yours")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    root = fromstring(text)
    assert root.findtext("head/title") == "Mine & yours"
    folder, plain = list(root.find("body"))
    assert folder.attrib == {"text": "News & Views"}
    assert folder[0].attrib == {
        "text": "A <&> \"quoted\" 'feed'",
        "title": "A <&> \"quoted\" 'feed'",
        "type": "rss",
        "xmlUrl": "https://a.example/feed",
        "htmlUrl": "https://a.example/",
    }
    # every outline has its required text, even without a name
    assert plain.attrib == {"text": "https://b.example/feed.json", "xmlUrl": "https://b.example/feed.json"}


def test_order_survives_interleaved_categories():
    sources = [
        OutlineSource("https://a.example/1", "One", "rss", None, "X"),
        OutlineSource("https://a.example/2", "Two", "atom", None, "Y"),
        OutlineSource("https://a.example/3", "Three", None, None, "X"),
        OutlineSource("https://a.example/4", "Four", None, None, None),
        OutlineSource("https://a.example/5", "Five", None, None, "X"),
    ]
    assert read_opml(write_opml(sources, title="t").encode(), source="t") == sources


names = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zl", "Zp"]), min_size=1, max_size=30).map(
    lambda s: " ".join(s.split())
).filter(bool)
outline_sources = st.builds(
    OutlineSource,
    url=st.builds("https://{}.example/{}".format, st.text("abcxyz", min_size=1, max_size=8), st.text("ab12/", max_size=10)),
    name=st.none() | names,
    kind=st.none() | st.sampled_from(["rss", "atom", "jsonfeed", "sitemap", "urls"]),
    site_url=st.none() | st.just("https://site.example/"),
    category=st.none() | names,
)


@settings(max_examples=50, deadline=None, database=None)
@given(st.lists(outline_sources, max_size=8, unique_by=lambda s: s.url))
def test_round_trip(sources: list[OutlineSource]):
    assert read_opml(write_opml(sources, title="t").encode("utf-8"), source="t") == sources


@pytest.mark.parametrize(
    "content, message",
    [
        (b"<rss version='2.0'><channel/></rss>", "not an OPML document"),
        (b"<opml version='2.0'><head/></opml>", "needs a <body>"),
        (b"<opml version='2.0'><body><outline text='x' xmlUrl='javascript:alert(1)'/></body></opml>", r"not an http\(s\) URL"),
        (b"<opml version='2.0'><body><outline text='x'>\n<outline></body></opml>", "line 2"),
        (b"", "line 1"),
        ((FEEDS / "billion-laughs.xml").read_bytes().replace(b"rss", b"opml"), "entity declarations are not allowed"),
        ((FEEDS / "xxe-passwd.xml").read_bytes(), "entity declarations are not allowed"),
    ],
)
def test_bad_opml_is_a_feed_error(content: bytes, message: str):
    with pytest.raises(FeedError, match=message) as caught:
        read_opml(content, source="subs.opml")
    assert caught.value.source == "subs.opml"
    assert "root:" not in str(caught.value)


def test_deep_opml_is_refused():
    deep = b"<opml version='2.0'><body>" + b"<outline text='f'>" * 100_000
    with pytest.raises(FeedError, match="nested deeper"):
        read_opml(deep, source="deep.opml")


def test_an_empty_body_is_an_empty_list():
    assert read_opml(b"<opml version='1.0'><head/><body/></opml>", source="empty.opml") == []
