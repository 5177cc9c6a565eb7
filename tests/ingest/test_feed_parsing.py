"""parse_feed on one fixture per kind and version, and the rules shared by
all kinds: links, text, dates, limits and kind detection."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from topicwire.ingest.feeds import (
    SUMMARY_LIMIT,
    TITLE_LIMIT,
    FeedError,
    ParsedFeed,
    parse_feed,
    parse_w3c_datetime,
    plain_text,
)

FEEDS = Path(__file__).parent / "data" / "feeds"


def parse(name: str, url: str, **kwargs) -> ParsedFeed:
    return parse_feed((FEEDS / name).read_bytes(), url=url, **kwargs)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "name, kind, version, title, count",
    [
        ("rss090.rdf", "rss", "rss090", "Pebble Beach Bulletin", 2),
        ("rss091.xml", "rss", "rss091", "Café Notes", 2),
        ("rss092.xml", "rss", "rss092", "Orchard Radio", 2),
        ("rss10.rdf", "rss", "rss10", "Valley Ledger", 2),
        ("rss20.xml", "rss", "rss20", "Harbor Gazette & Friends", 6),
        ("atom03.xml", "atom", "atom03", "Moss & Lichen Weekly", 2),
        ("atom10.xml", "atom", "atom10", "Fjord Post", 3),
        ("jsonfeed10.json", "jsonfeed", "jsonfeed10", "Kiln & Glaze", 2),
        ("jsonfeed11.json", "jsonfeed", "jsonfeed11", "Tramline Daily", 3),
        ("sitemap.xml", "sitemap", None, None, 5),
        ("news-sitemap.xml", "news-sitemap", None, "The Quarry Times", 3),
        ("sitemap-index.xml", "sitemap-index", None, None, 0),
        ("urls.txt", "urls", None, None, 4),
    ],
)
def test_every_kind_and_version_is_recognised(name: str, kind: str, version: str | None, title: str | None, count: int):
    feed = parse(name, "https://feeds.example/source")
    assert (feed.kind, feed.version, feed.title, len(feed.entries)) == (kind, version, title, count)
    for entry in feed.entries:
        assert entry.url.startswith(("http://", "https://"))
        for value in (entry.published, entry.updated):
            assert value is None or value.utcoffset().total_seconds() == 0


def test_the_content_type_is_only_a_hint():
    rss = (FEEDS / "rss20.xml").read_bytes()
    assert parse_feed(rss, url="https://h.example/f", content_type="application/json").kind == "rss"
    assert parse_feed(rss, url="https://h.example/f", content_type="text/plain").kind == "rss"
    urls = (FEEDS / "urls.txt").read_bytes()
    assert parse_feed(urls, url="https://h.example/f", content_type="application/rss+xml").kind == "urls"


# --- RSS ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def rss20() -> ParsedFeed:
    return parse("rss20.xml", "https://harbor-gazette.example/feed.xml")


def test_rss20_channel(rss20: ParsedFeed):
    assert rss20.site_url == "https://harbor-gazette.example/"
    assert rss20.language == "en-us"
    assert rss20.children == []


def test_rss20_links_are_absolute_unique_http_and_keep_their_tracking(rss20: ParsedFeed):
    assert [e.url for e in rss20.entries] == [
        "https://harbor-gazette.example/2026/03/tide-tables?utm_source=rss&utm_medium=feed",
        "https://harbor-gazette.example/2026/03/ferry-fares",
        "https://harbor-gazette.example/2026/03/lighthouse",
        "https://harbor-gazette.example/2026/03/council",
        "https://harbor-gazette.example/2026/03/market-day",
        # no <link>, but a permalink guid
        "https://harbor-gazette.example/2026/03/gulls",
    ]
    assert "1 item without a link skipped" in rss20.warnings
    assert "1 item with a link that is not an http(s) URL skipped (first: 'javascript:alert(1)')" in rss20.warnings
    assert "1 item with a link seen before skipped" in rss20.warnings


def test_rss20_text_is_plain(rss20: ParsedFeed):
    tide, ferry, lighthouse = rss20.entries[:3]
    assert tide.title == "Tide tables rewritten for the new pier"
    assert tide.summary == "The harbour office published new tables. Boats may dock again."
    assert ferry.title == "Ferry fares frozen until autumn"
    assert ferry.summary == "Fares stay at €4 — for now."
    # the script's text is dropped, not kept as words of the title
    assert lighthouse.title == "Lighthouse reopens after repairs"


def test_rss20_dates_are_utc_and_never_guessed(rss20: ParsedFeed):
    dates = {e.url.rsplit("/", 1)[-1]: e.published for e in rss20.entries}
    assert dates["tide-tables?utm_source=rss&utm_medium=feed"] == utc(2026, 3, 3, 7, 15)  # +0100
    assert dates["ferry-fares"] == utc(2026, 3, 4, 22, 0)  # EST
    assert dates["lighthouse"] == utc(2026, 3, 5, 6, 30)  # ISO with Z inside RSS
    assert dates["council"] is None  # no zone
    assert dates["market-day"] is None  # "sometime last week"
    assert dates["gulls"] is None  # CEST, which feedparser would silently take as UTC
    assert all(e.updated is None for e in rss20.entries)
    assert "2 dates without a time zone (or with an unknown one) left out" in rss20.warnings
    assert "1 date that could not be read left out" in rss20.warnings


def test_rss20_authors_images_guids(rss20: ParsedFeed):
    tide, ferry, lighthouse = rss20.entries[:3]
    assert tide.authors == ["Mara Lind"]
    # "email (Name)": feedparser alone would make this "ple (Olav Berg"
    assert ferry.authors == ["Olav Berg"]
    assert tide.image_url == "https://harbor-gazette.example/img/pier.jpg"  # relative media:content
    assert ferry.image_url == "https://cdn.harbor-gazette.example/ferry.png"  # image enclosure
    # the audio enclosure is not an image; the thumbnail is
    assert lighthouse.image_url == "https://cdn.harbor-gazette.example/lighthouse-small.jpg"
    assert tide.guid == "hg-1001"
    assert lighthouse.guid is None
    assert {e.language for e in rss20.entries} == {"en-us"}


def test_rss091_in_latin1_with_the_netscape_doctype():
    feed = parse("rss091.xml", "https://cafe-notes.example/rss")
    assert feed.language == "fr"
    assert [e.title for e in feed.entries] == ["Crépes return on Sundays", "New espresso machine"]
    assert feed.entries[0].summary == "The griddle is fixed & hot."
    assert feed.warnings == []


def test_rss092_item_without_title():
    feed = parse("rss092.xml", "http://orchard-radio.example/rss")
    assert feed.entries[0].summary == "Candles between the rows really work."
    assert feed.entries[0].image_url is None  # an mp3 enclosure
    assert feed.entries[1].title is None
    assert feed.entries[1].summary == "An item with a description but no title."


def test_rss10_dc_date_is_the_publication_date():
    feed = parse("rss10.rdf", "https://valley-ledger.example/rss")
    bridge, mill = feed.entries
    assert bridge.title == "Brücke wird saniert"
    assert bridge.published == utc(2026, 2, 10, 13, 20)
    assert bridge.authors == ["Lena Sommer"]
    assert bridge.summary == "Die Arbeiten dauern drei Wochen."
    assert (bridge.language, mill.language) == ("de", "en")
    assert mill.published is None  # a bare date in a feed has no zone
    assert bridge.guid == "https://valley-ledger.example/a/bridge"


def test_rss090_has_titles_and_links_only():
    feed = parse("rss090.rdf", "http://pebble-bulletin.example/rss")
    assert feed.entries[1].url == "http://pebble-bulletin.example/skipping"
    assert feed.entries[1].summary is None


# --- Atom --------------------------------------------------------------------


@pytest.fixture(scope="module")
def atom10() -> ParsedFeed:
    return parse("atom10.xml", "https://fjordpost.example/atom.xml")


def test_atom10_feed(atom10: ParsedFeed):
    assert atom10.site_url == "https://fjordpost.example/"
    assert atom10.language == "nb"


def test_atom10_links_follow_xml_base(atom10: ParsedFeed):
    assert [e.url for e in atom10.entries] == [
        "https://fjordpost.example/nyheter/2026/04/pass-closed",
        "https://fjordpost.example/sport/2026/04/night-jumps",
        "https://fjordpost.example/nyheter/2026/04/ferry",
    ]


def test_atom10_entries(atom10: ParsedFeed):
    pass_closed, night, ferry = atom10.entries
    assert pass_closed.title == "Snow & ice close the mountain pass"
    assert pass_closed.summary == "Road crews expect to reopen it by Friday."
    assert pass_closed.published == utc(2026, 4, 1, 5, 45)
    assert pass_closed.updated == utc(2026, 4, 1, 7, 10, 30)
    assert pass_closed.authors == ["Ingrid Dahl", "Per Vik"]
    assert pass_closed.image_url == "https://img.fjordpost.example/pass.jpg"
    assert pass_closed.guid == "tag:fjordpost.example,2026:101"
    assert night.summary == "Floodlights were installed last winter."  # from <content>
    assert night.published is None and night.updated == utc(2026, 4, 1, 21)
    assert night.image_url == "https://fjordpost.example/thumbs/night.jpg"
    assert night.language == "en"
    assert ferry.updated is None
    assert atom10.warnings == ["1 date without a time zone (or with an unknown one) left out"]


def test_atom03():
    feed = parse("atom03.xml", "https://moss-weekly.example/atom.xml")
    north, rain = feed.entries
    assert north.summary == "Botanists count three new colonies."
    assert north.published == utc(2025, 11, 19, 13)
    assert north.updated == utc(2025, 11, 19, 20, 30)
    assert rain.title == "Rain helps the moss"
    assert rain.url == "https://moss-weekly.example/2025/11/rain"  # relative, against the feed URL


# --- JSON Feed ---------------------------------------------------------------


def test_jsonfeed10():
    feed = parse("jsonfeed10.json", "https://kiln-glaze.example/feed.json")
    ash, raku = feed.entries
    assert feed.site_url == "https://kiln-glaze.example/"
    assert ash.title == "Ash glaze from the village bonfire"
    assert ash.summary == "We sieved the ash twice."
    assert ash.published == utc(2025, 12, 1, 17)
    assert ash.updated == datetime(2025, 12, 2, 10, 30, 0, 500000, tzinfo=timezone.utc)
    assert ash.authors == ["Ada Potter"]
    assert ash.image_url == "https://kiln-glaze.example/img/ash.jpg"
    assert raku.url == "https://kiln-glaze.example/posts/raku-night"
    assert raku.guid == "1002"  # a numeric id, coerced as the spec says
    assert raku.summary == "Sparks, smoke and one cracked bowl."
    assert raku.image_url == "https://cdn.kiln-glaze.example/raku.webp"
    assert feed.warnings == []


def test_jsonfeed11():
    feed = parse("jsonfeed11.json", "https://tramline.example/feed.json")
    night, elsewhere, depot = feed.entries
    assert feed.language == "en-GB"
    assert night.url == "https://tramline.example/2026/05/night-service?utm_source=jsonfeed"
    assert night.summary == "The route 7 night service starts in June."  # summary before content
    assert night.authors == ["Rosa Quay", "Tom Rail"]
    assert night.published == utc(2026, 5, 4, 22, 30)
    assert (night.language, elsewhere.language) == ("cy", "en-GB")
    assert elsewhere.url == "https://elsewhere.example/report/trams"  # external_url
    assert elsewhere.published is None and depot.published is None
    assert feed.warnings == [
        "1 item without a link skipped",
        "2 dates without a time zone (or with an unknown one) left out",
    ]


def test_jsonfeed_with_wrong_types_keeps_what_it_can_and_says_what_it_ignored():
    feed = parse("jsonfeed-wrong-types.json", "https://wrong-types.example/feed.json")
    assert [e.url for e in feed.entries] == [
        "https://wrong-types.example/a",
        "https://wrong-types.example/b",
        "https://wrong-types.example/c",
    ]
    assert feed.title is None and feed.site_url is None
    assert feed.entries[0].title is None
    assert feed.entries[1].guid is None
    assert feed.entries[2].summary == "Fine summary"
    assert "title: expected a string, found an array; ignored" in feed.warnings
    assert "items[0]: expected an object, found a string; skipped" in feed.warnings
    assert "items[1].title: expected a string, found a number; ignored" in feed.warnings
    assert "items[2].id: expected a string, found a boolean; ignored" in feed.warnings
    assert "1 date that could not be read left out" in feed.warnings


@pytest.mark.parametrize(
    "content, field, message",
    [
        (b'["https://jsonfeed.org/version/1.1"]', None, "a JSON Feed is an object, this is an array"),
        (b'{"title": "no version", "items": []}', "version", "must be a https://jsonfeed.org/version/ URL"),
        (b'{"version": "https://example.com/v1", "items": []}', "version", "jsonfeed.org"),
        (b'{"version": "https://jsonfeed.org/version/1", "items": {"a": 1}}', "items", "this is an object"),
        (b'{"version": "https://jsonfeed.org/version/1"}', "items", "this is null"),
        (b'{"version": "https://jsonfeed.org/version/1",\n "items": [,]}', None, "broken JSON at line 2"),
        (b'{"version": "\xff\xfe"}', None, "UTF-8"),
    ],
)
def test_jsonfeed_shape_errors_are_clear(content: bytes, field: str | None, message: str):
    with pytest.raises(FeedError) as caught:
        parse_feed(content, url="https://j.example/feed.json")
    assert caught.value.field == field
    assert caught.value.source == "https://j.example/feed.json"
    assert message in str(caught.value)


def test_jsonfeed_unknown_version_is_read_with_a_warning():
    feed = parse_feed(
        b'{"version": "https://jsonfeed.org/version/2", "items": [{"id": "1", "url": "https://j.example/1"}]}',
        url="https://j.example/feed.json",
    )
    assert feed.version is None and len(feed.entries) == 1
    assert feed.warnings == ["unknown JSON Feed version 2, read as 1.1"]


# --- sitemaps and URL lists -------------------------------------------------


def test_sitemap():
    feed = parse("sitemap.xml", "https://quarry-times.example/sitemap.xml")
    assert [e.url for e in feed.entries] == [
        "https://quarry-times.example/",
        "https://quarry-times.example/news/granite-prices",
        "https://quarry-times.example/news/blasting-schedule",
        "https://quarry-times.example/news/old-drill",
        "https://quarry-times.example/news/lunch",
    ]
    updated = [e.updated for e in feed.entries]
    # a bare date is midnight UTC in a sitemap; reduced or broken dates are None
    assert updated == [utc(2026, 3, 1), utc(2026, 3, 2, 9, 15), utc(2026, 3, 3, 7), None, None]
    assert feed.entries[1].image_url == "https://quarry-times.example/img/granite.jpg"
    assert feed.warnings == [
        "1 URL without a link skipped",
        "1 URL with a link seen before skipped",
        "2 dates that could not be read left out",
    ]


def test_sitemap_index_lists_its_children():
    feed = parse("sitemap-index.xml", "https://quarry-times.example/sitemap_index.xml")
    assert feed.entries == []
    assert feed.children == [
        "https://quarry-times.example/sitemap-news.xml",
        "https://quarry-times.example/sitemap-2026-02.xml",
    ]
    assert len(feed.warnings) == 2


def test_news_sitemap():
    feed = parse("news-sitemap.xml", "https://quarry-times.example/sitemap-news.xml")
    crusher, dust, night = feed.entries
    assert feed.language == "en"
    assert crusher.title == "New crusher & conveyor arrive"
    assert crusher.published == utc(2026, 3, 4, 11, 45)
    assert crusher.image_url == "https://quarry-times.example/img/crusher.jpg"
    assert crusher.language == "en"
    assert dust.published == utc(2026, 3, 4)
    assert night.published is None  # a time without a zone
    assert feed.warnings == ["1 date without a time zone (or with an unknown one) left out"]


def test_sitemaps_without_the_standard_namespace():
    content = b"<urlset><url><loc>https://n.example/a</loc><lastmod>2026-01-02</lastmod></url></urlset>"
    feed = parse_feed(content, url="https://n.example/sitemap.xml")
    assert feed.kind == "sitemap"
    assert feed.entries[0].updated == utc(2026, 1, 2)


def test_url_list():
    feed = parse("urls.txt", "https://quarry-times.example/list.txt")
    assert [e.url for e in feed.entries] == [
        "https://quarry-times.example/news/granite-prices",
        "https://quarry-times.example/news/blasting-schedule?utm_source=list",
        "https://other-paper.example/2026/03/stone-walls",
        "http://plain-http.example/old-story",
    ]
    assert feed.warnings == [
        "3 lines without an http(s) URL skipped (first: line 7)",
        "1 URL with a link seen before skipped",
    ]


def test_a_list_of_comments_is_an_empty_list():
    assert parse_feed(b"# nothing yet\n\n", url="https://l.example/x").entries == []


def test_text_that_is_no_url_list_is_an_error():
    with pytest.raises(FeedError, match="line 1 is not an http"):
        parse_feed(b"Dear reader,\nthis is a letter.\n", url="https://l.example/x")


# --- limits, encodings, odd documents ------------------------------------------


def test_max_entries_cuts_with_a_warning():
    items = "".join(f"<item><link>https://m.example/{i}</link></item>" for i in range(30))
    feed = parse_feed(f'<rss version="2.0"><channel>{items}</channel></rss>'.encode(), url="https://m.example/f", max_entries=10)
    assert [e.url for e in feed.entries] == [f"https://m.example/{i}" for i in range(10)]
    assert feed.warnings == ["30 items, only the first 10 kept"]


def test_max_entries_applies_to_lists_and_sitemap_indexes():
    lines = "\n".join(f"https://m.example/{i}" for i in range(7)).encode()
    assert len(parse_feed(lines, url="https://m.example/l", max_entries=3).entries) == 3
    index = "".join(f"<sitemap><loc>https://m.example/s{i}.xml</loc></sitemap>" for i in range(7))
    feed = parse_feed(f"<sitemapindex>{index}</sitemapindex>".encode(), url="https://m.example/i", max_entries=3)
    assert len(feed.children) == 3 and feed.warnings == ["7 sitemaps, only the first 3 kept"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-8-sig", "utf-32"])
def test_wide_and_marked_encodings(codec: str):
    text = (FEEDS / "atom10.xml").read_text("utf-8").replace('encoding="utf-8"', f'encoding="{codec}"')
    feed = parse_feed(text.encode(codec), url="https://fjordpost.example/atom.xml")
    assert feed.version == "atom10" and len(feed.entries) == 3


def test_utf8_labelled_latin1_is_read_as_utf8():
    content = '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Smørbrød</title></channel></rss>'
    feed = parse_feed(content.encode("utf-8"), url="https://s.example/f")
    assert feed.title == "Smørbrød"
    assert feed.warnings == ["declared ISO-8859-1 but is UTF-8, read as UTF-8"]


def test_control_characters_do_not_break_a_feed():
    content = b'<rss version="2.0"><channel><item><title>Bad\x0b byte\x01s</title><link>https://c.example/1</link></item></channel></rss>'
    feed = parse_feed(content, url="https://c.example/f")
    assert feed.entries[0].title == "Bad bytes"
    assert feed.warnings == ["2 characters not allowed in XML removed"]


def test_junk_before_the_xml_is_dropped_when_served_as_xml():
    content = b"Warning: headers already sent in feed.php on line 3\n" + (FEEDS / "rss092.xml").read_bytes()
    feed = parse_feed(content, url="http://orchard-radio.example/rss", content_type="application/rss+xml")
    assert len(feed.entries) == 2
    assert feed.warnings == ["52 bytes of junk before the XML were dropped"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b"<!DOCTYPE html><html><head><title>x</title></head><body></body></html>", "HTML page"),
        (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', "HTML page"),
        ((FEEDS / "subscriptions.opml").read_bytes(), "OPML"),
        (b'<?xml version="1.0"?><inventory><widget/></inventory>', "root element is <inventory>"),
    ],
)
def test_documents_that_are_no_feed(content: bytes, message: str):
    with pytest.raises(FeedError, match=message):
        parse_feed(content, url="https://o.example/x")


def test_a_feed_without_items_is_a_feed():
    feed = parse_feed(b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>', url="https://q.example/f")
    assert (feed.kind, feed.title, feed.entries, feed.warnings) == ("rss", "Quiet", [], [])


def test_links_are_stripped_and_resolved_against_the_feed_url_only():
    content = b"""<rss version="2.0"><channel><link>/home</link>
      <item><link>  relative/one  </link></item>
      <item><link>../two?b=1&amp;utm_campaign=x</link></item>
      <item><link>https://other.example/three with space</link></item>
      <item><link>//cdn.example/four</link></item>
      <item><link>mailto:desk@r.example</link></item>
    </channel></rss>"""
    feed = parse_feed(content, url="https://r.example/feeds/main.xml")
    assert feed.site_url == "https://r.example/home"
    assert [e.url for e in feed.entries] == [
        "https://r.example/feeds/relative/one",
        "https://r.example/two?b=1&utm_campaign=x",
        "https://other.example/three%20with%20space",
        "https://cdn.example/four",
    ]


# --- text and dates ------------------------------------------------------------


@pytest.mark.parametrize(
    "value, text",
    [
        ("Plain title", "Plain title"),
        ("<p>One</p><p>Two</p>", "One Two"),
        ("Line<br>break", "Line break"),
        ("A <b>bold</b> move", "A bold move"),
        ("&lt;b&gt;escaped&lt;/b&gt; markup", "<b>escaped</b> markup"),
        ("AT&amp;T &amp; 5 &lt; 6", "AT&T & 5 < 6"),
        ("Fish &amp; chips", "Fish & chips"),
        ("x<script>steal()</script>y<style>p{}</style>z", "xyz"),
        ("  lots \n\n of\t\u00a0space  ", "lots of space"),
        ("<!-- hidden -->shown", "shown"),
        ("nul\x00 and bell\x07", "nul and bell"),
        ("", None),
        ("<p> </p>", None),
        (None, None),
        (42, None),
    ],
)
def test_plain_text(value, text):
    assert plain_text(value, 100) == text


def test_plain_text_is_capped_at_a_word_boundary():
    long_title = plain_text("word " * 400, TITLE_LIMIT)
    assert len(long_title) <= TITLE_LIMIT and long_title.endswith("word…")
    assert len(plain_text("x" * 9000, SUMMARY_LIMIT)) == SUMMARY_LIMIT


def test_long_titles_and_summaries_in_a_feed_are_capped():
    title, summary = "T" * 3000, "<p>" + "s " * 6000 + "</p>"
    content = f'<rss version="2.0"><channel><item><title>{title}</title><description><![CDATA[{summary}]]></description><link>https://c.example/1</link></item></channel></rss>'
    entry = parse_feed(content.encode(), url="https://c.example/f").entries[0]
    assert len(entry.title) == TITLE_LIMIT and len(entry.summary) <= SUMMARY_LIMIT


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-03-04T05:06:07Z", utc(2026, 3, 4, 5, 6, 7)),
        ("2026-03-04t05:06:07z", utc(2026, 3, 4, 5, 6, 7)),
        ("2026-03-04T05:06:07.123456789+02:00", datetime(2026, 3, 4, 3, 6, 7, 123456, tzinfo=timezone.utc)),
        ("2026-03-04 05:06-0530", utc(2026, 3, 4, 10, 36)),
        ("2026-12-31T23:59:60Z", utc(2026, 12, 31, 23, 59, 59)),
        ("2026-03-04T05:06:07", None),
        ("2026-03-04", None),
    ],
)
def test_w3c_datetimes(value: str, expected: datetime | None):
    assert parse_w3c_datetime(value) == expected


def test_w3c_date_only_is_midnight_utc_only_when_asked():
    assert parse_w3c_datetime("2026-03-04", date_only_utc=True) == utc(2026, 3, 4)
    assert parse_w3c_datetime("2026-03-04T10:00:00", date_only_utc=True) is None


@pytest.mark.parametrize(
    "value",
    ["2026-02-30", "2026-13-01T00:00Z", "2026-03-04T25:00Z", "0001-01-01T00:00+01:00", "tomorrow", "2026-03-04T05:06+24:00"],
)
def test_w3c_nonsense_is_a_value_error(value: str):
    with pytest.raises(ValueError):
        parse_w3c_datetime(value)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Tue, 03 Mar 2026 08:15:00 +0100", utc(2026, 3, 3, 7, 15)),
        ("Tue, 03 Mar 2026 08:15:00 GMT", utc(2026, 3, 3, 8, 15)),
        ("Tue, 03 Mar 2026 08:15:00 UT", utc(2026, 3, 3, 8, 15)),
        ("Tue, 03 Mar 2026 08:15:00 PDT", utc(2026, 3, 3, 15, 15)),
        ("Tue, 3 Mar 2026 08:15 -0330", utc(2026, 3, 3, 11, 45)),
        ("2026-03-03T08:15:00+01:00", utc(2026, 3, 3, 7, 15)),
        ("Tue, 03 Mar 2026 08:15:00 -0000", None),  # RFC 5322: zone unknown
        ("Tue, 03 Mar 2026 08:15:00 IST", None),  # ambiguous and unknown to feedparser
        ("2026-03-03T08:15:00", None),
        ("2026-03-03", None),
        ("yesterday", None),
    ],
)
def test_feed_dates(raw: str, expected: datetime | None):
    content = f'<rss version="2.0"><channel><item><link>https://d.example/1</link><pubDate>{raw}</pubDate></item></channel></rss>'
    feed = parse_feed(content.encode(), url="https://d.example/f")
    assert feed.entries[0].published == expected
    assert (feed.warnings == []) == (expected is not None)
