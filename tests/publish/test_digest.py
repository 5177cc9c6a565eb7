"""`topicwire digest`: the newsletter's content (publish/digest.py) and its
Markdown and HTML renderings, over the crawled newswire and hand-made digests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import lxml.html
import pytest
from markdown_it import MarkdownIt
from sqlalchemy import func, select

from topicwire.errors import TopicwireError
from topicwire.publish.digest import (
    CoverageLink,
    Digest,
    DigestStory,
    Period,
    build_digest,
    parse_since,
    parse_until,
    render_html,
    render_markdown,
)
from topicwire.store.queries import get_story, list_stories, topic_by_key
from topicwire.store.schema import articles

SITE = "https://wire.example.org/"
# long enough to take in most of the newswire's stories
WIDE = timedelta(days=60)


@pytest.fixture(scope="module")
def wire(crawled_project):
    store = crawled_project.open_store()
    yield store
    store.close()


@pytest.fixture(scope="module")
def newest(wire) -> datetime:
    """The newest published article: the newswire is dated in the past, so
    digests are built for a period ending then rather than now."""
    with wire.connect() as conn:
        value = conn.execute(select(func.max(articles.c.published_at)).where(articles.c.published.is_(True))).scalar()
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def in_period(conn, start, end, topic_id=None):
    """The stories a digest of [start, end] should hold, hottest first, found
    by another road: every listed story, filtered by hand."""
    cards, _ = list_stories(conn, topic_id=topic_id, limit=100_000)
    return [c.id for c in cards if start <= c.last_seen <= end]


def test_the_digest_holds_the_hottest_stories_of_the_period_with_their_coverage(wire, newest):
    with wire.connect() as conn:
        digest = build_digest(conn, since=WIDE, until=newest, limit=12, name="Test wire")
        expected = in_period(conn, newest - WIDE, newest)
        timelines = {s.id: get_story(conn, s.id) for s in digest.stories}
    assert len(digest.stories) == 12 and digest.total == len(expected) > 12
    assert [s.id for s in digest.stories] == expected[:12]
    heats = [s.heat for s in digest.stories]
    assert heats == sorted(heats, reverse=True)
    for story in digest.stories:
        card, coverage = timelines[story.id]
        assert story.coverage == card.articles == len(coverage)
        assert story.providers == card.providers and story.headline == card.headline
        assert newest - WIDE <= story.last_seen <= newest
        assert story.excerpt and story.url and story.url.startswith(("http://", "https://"))
        assert len(story.others) == min(3, len(coverage) - 1)
        assert story.url not in {o.url for o in story.others}
    assert any(s.coverage > 1 for s in digest.stories)
    assert digest.title.startswith("Test wire digest") and digest.topic is None


def test_a_topic_keeps_only_stories_with_an_article_in_it(wire, newest):
    with wire.connect() as conn:
        topic_id, name = topic_by_key(conn, "ai hardware")
        everything = build_digest(conn, since=WIDE, until=newest, limit=100)
        digest = build_digest(conn, topic="AI Hardware", since=WIDE, until=newest, limit=100)
        by_id = build_digest(conn, topic=topic_id, since=WIDE, until=newest, limit=100)
        expected = in_period(conn, newest - WIDE, newest, topic_id)
    assert digest.topic == name == "AI Hardware" and "AI Hardware" in digest.title
    assert 0 < len(digest.stories) < len(everything.stories)
    assert [s.id for s in digest.stories] == expected == [s.id for s in by_id.stories]


def test_the_cli_prints_markdown_and_writes_html(cli, crawled_project, newest, tmp_path):
    until = newest.isoformat()
    result = cli("digest", "--config", crawled_project.settings, "--until", until, "--since", "60d", "--limit", "3")
    assert result.code == 0, result.err
    assert result.out.startswith("# topicwire demo digest, ")
    assert result.out.count("\n## ") == 3 and "The 3 hottest of " in result.out
    page = tmp_path / "digest.html"
    result = cli(
        "digest", "--config", crawled_project.settings, "--until", until, "--since", "60d", "--limit", "3",
        "--format", "html", "--out", page,
    )
    assert result.code == 0 and result.out == "" and "wrote 3 stories" in result.err
    document = lxml.html.document_fromstring(page.read_text(encoding="utf-8"))
    assert len(document.xpath("//h2")) == 3


def test_the_html_is_self_contained_and_styled_inline(wire, newest):
    with wire.connect() as conn:
        digest = build_digest(conn, since=WIDE, until=newest, limit=10)
    html = render_html(digest, SITE)
    assert "<script" not in html.lower() and "<style" not in html.lower()
    document = lxml.html.document_fromstring(html)
    assert not document.xpath("//script|//style|//link|//img|//iframe|//object|//embed|//form")
    assert not document.xpath("//*[@src]") and not document.xpath("//*[@onload or @onerror or @onclick]")
    for element in document.xpath("//body//table|//body//td|//body//p|//body//h1|//body//h2|//body//a"):
        assert element.get("style"), lxml.html.tostring(element)[:80]
    assert all(href.startswith(("http://", "https://")) for href in document.xpath("//a/@href"))
    headlines = [" ".join(h.text_content().split()) for h in document.xpath("//h2")]
    assert headlines == [f"{i}. {s.headline}" for i, s in enumerate(digest.stories, 1)]
    assert document.xpath("//table[@role='presentation']")


@pytest.mark.parametrize("key", ["Quantum Knitting", "no-such-topic"])
def test_an_unknown_topic_is_one_line(cli, crawled_project, key):
    result = cli("digest", "--config", crawled_project.settings, "--topic", key)
    assert result.code == 1 and result.out == ""
    assert result.err.count("\n") == 1 and "--topic" in result.err and key in result.err


@pytest.mark.parametrize("value", ["5x", "0d", "-1d", "1.5d", "d", "", "999w", "1 day"])
def test_a_bad_since_is_one_line_naming_the_option(cli, crawled_project, value):
    result = cli("digest", "--config", crawled_project.settings, "--since", value)
    assert result.code == 1 and result.out == ""
    assert result.err.count("\n") == 1 and result.err.startswith("error: --since:")


def test_a_bad_until_or_format_is_one_line(cli, crawled_project):
    for option, value in (("--until", "last tuesday"), ("--format", "pdf")):
        result = cli("digest", "--config", crawled_project.settings, option, value)
        assert result.code == 1 and result.err.count("\n") == 1 and option in result.err


@pytest.mark.parametrize("text, expected", [("12h", timedelta(hours=12)), ("1d", timedelta(days=1)),
                                            ("7D", timedelta(days=7)), ("2w", timedelta(weeks=2))])
def test_periods_are_read(text, expected):
    assert parse_since(text) == expected


def test_until_reads_dates_and_date_times_as_utc():
    utc = timezone.utc
    assert parse_until("2026-10-20") == datetime(2026, 10, 20, 23, 59, 59, 999999, tzinfo=utc)
    assert parse_until("2026-10-20T18:00") == datetime(2026, 10, 20, 18, tzinfo=utc)
    assert parse_until("2026-10-20T18:00+02:00") == datetime(2026, 10, 20, 16, tzinfo=utc)
    now = datetime(2027, 1, 1, tzinfo=utc)
    assert parse_until(None, now=now) == now
    with pytest.raises(TopicwireError, match="--until"):
        parse_until("2026-13-01")


def test_an_empty_period_says_there_was_nothing_new(cli, crawled_project, wire):
    args = ("digest", "--config", crawled_project.settings, "--until", "2001-01-01", "--since", "1w")
    result = cli(*args)
    assert result.code == 0, result.err
    assert "Nothing new in all topics between " in result.out and "\n## " not in result.out
    html = cli(*args, "--format", "html", "--topic", "AI Hardware")
    assert html.code == 0 and "Nothing new in AI Hardware" in html.out
    lxml.html.document_fromstring(html.out)


HOSTILE = "<script>alert('x')</script> & <img src=x onerror=alert(1)>"


def hostile_digest() -> Digest:
    when = datetime(2026, 10, 20, tzinfo=timezone.utc)
    story = DigestStory(
        id="st-1",
        headline=f"Breaking {HOSTILE}",
        url="javascript:alert(document.cookie)",
        heat=7,
        coverage=4,
        providers=["Evil </td></tr></table> Corp", "[Phish](https://phish.example/)"],
        excerpt=f"# Not a heading\n\n{HOSTILE} ~~struck~~ *bold* [link](javascript:alert(2))",
        last_seen=when,
        others=[
            CoverageLink("data link", "data:text/html;base64,PHNjcmlwdD4=", "P1"),
            CoverageLink("mixed case", " JaVaScRiPt:alert(3)", "P2"),
            CoverageLink("tab inside", "java\tscript:alert(4)", "P3"),
            CoverageLink("good) one", "https://news.example.com/a(b)c?x=1&y=\"2\"", "<b>P4</b>"),
        ],
    )
    safe = DigestStory("st-2", "1984. A plain headline", "https://ok.example.org/x", -1, 1, ["Fine"], None, when)
    return Digest(
        title=f"Wire {HOSTILE}", name="<i>Wire</i>", period=Period(when - timedelta(days=1), when),
        topic="AI & <Robots>", stories=[story, safe], total=2,
    )


def test_hostile_strings_are_escaped_and_bad_links_dropped_in_html():
    html = render_html(hostile_digest(), "javascript:alert(5)")
    lowered = html.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<i>" not in html and "<b>" not in html
    assert "data:" not in lowered
    document = lxml.html.document_fromstring(html)
    assert not document.xpath("//script|//img|//*[@onerror]|//*[@src]")
    # only the two http(s) links survive: the other coverage's good one, the second story's
    assert document.xpath("//a/@href") == ['https://news.example.com/a(b)c?x=1&y="2"', "https://ok.example.org/x"]
    first = " ".join(document.xpath("//h2")[0].text_content().split())
    assert first == " ".join(f"1. Breaking {HOSTILE}".split())
    assert "Evil </td></tr></table> Corp" in document.text_content()
    assert len(document.xpath("//h2")) == 2  # the provider name did not break the layout


def test_hostile_strings_are_escaped_and_bad_links_dropped_in_markdown():
    text = render_markdown(hostile_digest(), "javascript:alert(5)")
    assert "(javascript" not in text.lower().replace("\\](javascript:alert(2))", "")
    assert "(data:" not in text and "(java\tscript" not in text
    # rendered by a CommonMark renderer that passes raw HTML through, nothing executes
    html = MarkdownIt("commonmark").render(text)
    document = lxml.html.fragment_fromstring(html, create_parent="div")
    assert not document.xpath("//script|//img|//del|//s|//em|//strong|//*[@onerror]")
    assert [h.get("href") for h in document.xpath("//a")] == ["https://news.example.com/a%28b%29c?x=1&y=%222%22",
                                                             "https://ok.example.org/x"]
    headings = [" ".join(h.text_content().split()) for h in document.xpath("//h1|//h2")]
    assert headings == [f"Wire {HOSTILE}", f"1. Breaking {HOSTILE}", "2. 1984. A plain headline"]
    assert "# Not a heading" in document.text_content()  # the excerpt's '#' stayed text
    assert not document.xpath("//ol|//ul/li[contains(., 'Phish')]")


def test_links_outside_http_are_dropped_even_for_the_site():
    for url in ("javascript:alert(1)", "ftp://example.org/", "//example.org/", "https://", "https:\\\\evil.example"):
        document = lxml.html.document_fromstring(render_html(hostile_digest(), url))
        assert url not in document.xpath("//a/@href") and len(document.xpath("//a")) == 2
        assert f"]({url})" not in render_markdown(hostile_digest(), url)
