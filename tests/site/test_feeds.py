"""RSS, Atom and JSON Feed writers: what readers get back is what we meant."""

from __future__ import annotations

import calendar
import html
import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
from jsonschema import Draft202012Validator
import pytest
from feedparser.mixin import _FeedParserMixin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from topicwire.model import Article, Image, Provider
from topicwire.site.feeds import EPOCH, FeedInfo, atom, clean_text, json_feed, rss

INFO = FeedInfo(
    title="topicwire demo: AI Hardware",
    site_url="https://wire.example/topics/ai-hardware/",
    feed_url="https://wire.example/topics/ai-hardware/feed.xml",
    description="Chips & accelerators",
    language="en",
)

HOSTILE = "<script>alert(\"x\")</script> & 'quotes' \u201ccurly\u201d 🚀\x01 done"
UTC = timezone.utc


def articles() -> list[Article]:
    return [
        Article(
            id="a1",
            title="China homegrown AI chip development proceeding despite US ban",
            excerpt="China's chipmaking industry continues to advance.",
            published_date_time=datetime(2023, 10, 24, 1, 41, tzinfo=UTC),
            web_url="https://www.digitimes.com/news/a20231023PD228/chips.html",
            provider=Provider(name="Digi Times", domain="digitimes.com"),
            topics=["AI Hardware", "AI"],
            images=[Image(url="https://img.digitimes.com/newsshow/1_2b.png", width=1280, height=853)],
        ),
        Article(
            id="a2",
            title=HOSTILE,
            excerpt="<script>alert(1)</script> <b>bold</b> &amp; fish",
            published_date_time=datetime(2023, 10, 23, 8, 0, tzinfo=timezone(timedelta(hours=2))),
            updated_date_time=datetime(2023, 10, 25, 9, 30, tzinfo=UTC),
            web_url="https://zeitung.example/artikel?id=7&ref=a",
            provider=Provider(name="Süddeutsche Zeitung — 日本語", domain="zeitung.example"),
            topics=["AI & Ethics"],
            images=[Image(url="https://cdn.example/img?id=9&v=2")],
        ),
        Article(
            id="a3",
            title="An undated article without an image",
            web_url="https://blog.example/post",
        ),
    ]


def parse(text: str):
    parsed = feedparser.parse(io.BytesIO(text.encode("utf-8")))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def ts(value: datetime) -> int:
    return int(value.timestamp())


@pytest.mark.parametrize("write", [rss, atom])
def test_xml_feeds_round_trip(write):
    given_articles = articles()
    parsed = parse(write(INFO, given_articles))
    assert parsed.feed.title == INFO.title
    assert [e.title for e in parsed.entries] == [clean_text(a.title) for a in given_articles]
    # the hostile title is text again, not markup that was run or dropped
    assert parsed.entries[1].title == HOSTILE.replace("\x01", "")
    assert [e.link for e in parsed.entries] == [a.web_url for a in given_articles]
    assert [e.id for e in parsed.entries] == ["urn:topicwire:article:a1", "urn:topicwire:article:a2",
                                             "urn:topicwire:article:a3"]
    assert [[t.term for t in e.get("tags", [])] for e in parsed.entries] == [a.topics for a in given_articles]
    assert [e.get("author") for e in parsed.entries[:2]] == ["Digi Times", "Süddeutsche Zeitung — 日本語"]
    enclosures = [[(x.href, x.type) for x in e.get("enclosures", [])] for e in parsed.entries]
    assert enclosures == [
        [("https://img.digitimes.com/newsshow/1_2b.png", "image/png")],
        [("https://cdn.example/img?id=9&v=2", "image/jpeg")],
        [],
    ]
    # the feed's date defaults to the newest item's, never to "now"
    assert calendar.timegm(parsed.feed.updated_parsed) == ts(datetime(2023, 10, 25, 9, 30, tzinfo=UTC))


def test_rss_specifics():
    text = rss(INFO, articles())
    root = etree.fromstring(text.encode())
    guid = root.find("channel/item/guid")
    assert guid.get("isPermaLink") == "false"
    assert root.find("channel/item/enclosure").get("length") == "0"
    parsed = parse(text)
    assert parsed.version == "rss20"
    first, second, undated = parsed.entries
    assert calendar.timegm(first.published_parsed) == ts(articles()[0].published_date_time)
    assert calendar.timegm(second.published_parsed) == ts(articles()[1].published_date_time)
    assert "published_parsed" not in undated
    # description is HTML in RSS: the excerpt is escaped so readers show it as text
    assert html.unescape(second.summary) == articles()[1].excerpt
    assert "<script" not in second.summary


def test_atom_specifics():
    parsed = parse(atom(INFO, articles()))
    assert parsed.version == "atom10"
    first, second, undated = parsed.entries
    assert calendar.timegm(first.updated_parsed) == ts(articles()[0].published_date_time)
    assert calendar.timegm(second.published_parsed) == ts(articles()[1].published_date_time)
    assert calendar.timegm(second.updated_parsed) == ts(articles()[1].updated_date_time)
    assert calendar.timegm(undated.updated_parsed) == ts(EPOCH)
    assert second.summary == articles()[1].excerpt
    assert second.summary_detail.type == "text/plain"
    assert parsed.feed.language == "en"


SCHEMA = json.loads((Path(__file__).parents[1] / "data" / "schemas" / "jsonfeed-1.1.schema.json").read_text())


def assert_valid_json_feed(text: str) -> None:
    errors = [e.message for e in Draft202012Validator(SCHEMA).iter_errors(json.loads(text))]
    assert errors == []


def test_the_schema_catches_what_the_spec_forbids():
    bad = {"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [{"id": "1", "title": "no content"}]}
    assert list(Draft202012Validator(SCHEMA).iter_errors(bad))
    bad["items"][0].update(content_text="x", date_published="yesterday")
    assert list(Draft202012Validator(SCHEMA).iter_errors(bad))
    bad["items"][0].update(date_published="2026-10-01T08:00:00Z", _topicwire={"heat": 3})
    assert not list(Draft202012Validator(SCHEMA).iter_errors(bad))


def test_json_feed_follows_the_spec():
    given_articles = articles()
    assert_valid_json_feed(json_feed(INFO, given_articles))
    assert_valid_json_feed(json_feed(INFO, []))
    feed = json.loads(json_feed(INFO, given_articles))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert (feed["title"], feed["home_page_url"], feed["feed_url"]) == (INFO.title, INFO.site_url, INFO.feed_url)
    assert feed["language"] == "en"
    assert isinstance(feed["items"], list) and len(feed["items"]) == 3
    for item, article in zip(feed["items"], given_articles, strict=True):
        assert isinstance(item["id"], str) and item["id"]
        assert item["url"] == article.web_url
        assert item["title"] == clean_text(article.title)
        # one of content_text/content_html is required by 1.1
        assert isinstance(item.get("content_text"), str)
        for key in ("summary", "image", "date_published", "date_modified"):
            assert key not in item or isinstance(item[key], str)
        assert None not in item.values()
    first, second, undated = feed["items"]
    assert second["title"] == HOSTILE.replace("\x01", "")
    assert second["summary"] == given_articles[1].excerpt
    assert first["date_published"] == "2023-10-24T01:41:00Z"
    assert second["date_published"] == "2023-10-23T06:00:00Z"
    assert second["date_modified"] == "2023-10-25T09:30:00Z"
    assert first["tags"] == ["AI Hardware", "AI"]
    assert second["authors"] == [{"name": "Süddeutsche Zeitung — 日本語"}]
    assert first["image"] == "https://img.digitimes.com/newsshow/1_2b.png"
    assert "image" not in undated and "date_published" not in undated and "tags" not in undated
    assert "日本語" in json_feed(INFO, given_articles)  # not \u-escaped


@pytest.mark.parametrize("write", [rss, atom, json_feed])
def test_output_is_deterministic(write):
    assert write(INFO, articles()) == write(INFO, articles())
    # nothing dated: a fixed epoch, not the time of the run
    assert write(INFO, [articles()[2]]) == write(INFO, [articles()[2]])
    assert write(INFO, []) == write(INFO, [])


def test_explicit_updated_and_empty_feeds():
    info = FeedInfo(title="t", site_url="https://w.example/", feed_url="https://w.example/f",
                    updated=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC))
    for write in (rss, atom):
        parsed = parse(write(info, []))
        assert calendar.timegm(parsed.feed.updated_parsed) == ts(info.updated)
    empty = parse(atom(FeedInfo(title="t", site_url="https://w.example/", feed_url="https://w.example/f"), []))
    assert calendar.timegm(empty.feed.updated_parsed) == 0
    with pytest.raises(ValueError):
        rss(FeedInfo(title="t", site_url="https://w.example/", feed_url="https://w.example/f",
                     updated=datetime(2024, 1, 2)), [])


# printable text plus the characters XML cannot carry, which the writers drop
_text = st.text(
    st.one_of(
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from("<>&\"'\x00\x01\x0b\x1f\ufffe\uffff]]>"),
    ),
    max_size=40,
).filter(lambda s: clean_text(s))


def as_feedparser_reads(text: str | None) -> str | None:
    """feedparser "repairs" text that is valid UTF-8 misread as Latin-1
    (``Â¡`` becomes ``¡``): a reader's guess, mirrored rather than fought."""
    try:
        return text.encode("iso-8859-1").decode("utf-8")
    except (AttributeError, UnicodeError):
        return text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(titles=st.lists(st.tuples(_text, st.none() | _text), min_size=1, max_size=3))
def test_any_text_gives_wellformed_feeds(titles):
    given_articles = [
        Article(id=f"h{i}", title=title, excerpt=excerpt, web_url=f"https://h.example/{i}")
        for i, (title, excerpt) in enumerate(titles)
    ]
    expected = [clean_text(t) for t, _ in titles]
    expected_summaries = [clean_text(e) or None for _, e in titles]

    for write in (rss, atom):
        etree.fromstring(write(INFO, given_articles).encode("utf-8"))  # strict: raises if not well-formed

    atom_feed = parse(atom(INFO, given_articles))
    assert [e.title for e in atom_feed.entries] == list(map(as_feedparser_reads, expected))
    assert [e.get("summary") for e in atom_feed.entries] == list(map(as_feedparser_reads, expected_summaries))

    rss_feed = parse(rss(INFO, given_articles))
    for entry, title in zip(rss_feed.entries, expected, strict=True):
        # RSS cannot mark a title as plain text: feedparser takes one that
        # looks like harmless HTML for HTML, so only the others are compared
        if not _FeedParserMixin.looks_like_html(title):
            assert entry.title == as_feedparser_reads(title)

    assert_valid_json_feed(json_feed(INFO, given_articles))
    items = json.loads(json_feed(INFO, given_articles))["items"]
    assert [i["title"] for i in items] == expected
    assert [i.get("summary") for i in items] == expected_summaries
