"""The read side (store/queries.py) over the crawled newswire."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from topicwire.errors import StoreError
from topicwire.model import Article, Provider
from topicwire.store.articles import save_article
from topicwire.store.enrichment import TopicRow, save_enrichment
from topicwire.store.schema import stories
from topicwire.store.queries import (
    NewsFilter,
    get_provider,
    get_story,
    list_providers,
    list_stories,
    news_page,
    topic_by_key,
    topic_heat_history,
)


@pytest.fixture(scope="module")
def wire(crawled_project):
    store = crawled_project.open_store()
    yield store
    store.close()


def walk(conn, flt, sort="date", limit=7):
    """Every page by cursor; the ids in listing order."""
    ids, cursor = [], None
    while True:
        page = news_page(conn, flt, sort=sort, limit=limit, cursor=cursor)
        ids += [a.id for a in page.articles]
        cursor = page.next_cursor
        if cursor is None:
            return ids, page.total


@pytest.mark.parametrize("sort", ["date", "heat", "quality"])
def test_cursor_pages_list_every_published_article_once_in_order(wire, sort):
    with wire.connect() as conn:
        ids, total = walk(conn, NewsFilter(), sort=sort)
        whole = news_page(conn, NewsFilter(), sort=sort, limit=1000)
        by_offset = news_page(conn, NewsFilter(), sort=sort, limit=7, offset=14)
    assert total > 100 and len(ids) == total == len(set(ids))
    assert ids == [a.id for a in whole.articles]
    assert [a.id for a in by_offset.articles] == ids[14:21]
    key = {"date": lambda a: a.published_date_time, "heat": lambda a: a.heat, "quality": lambda a: a.quality}[sort]
    values = [key(a) for a in whole.articles]
    assert values == sorted(values, reverse=True)
    assert all(a.published for a in whole.articles)


def test_pages_stay_stable_while_new_articles_arrive(crawled_project, tmp_path):
    store = crawled_project.copy_store(tmp_path)
    try:
        with store.connect() as conn:
            first = news_page(conn, NewsFilter(), limit=10)
            second = news_page(conn, NewsFilter(), limit=10, cursor=first.next_cursor)
        newest = first.articles[0].published_date_time
        with store.begin() as conn:
            for i in range(5):
                fresh = Article(
                    title=f"A fresh report number {i}", webUrl=f"https://fresh.example/{i}",
                    publishedDateTime=newest + timedelta(minutes=i + 1), provider=Provider(name="Fresh Daily"),
                )
                fresh.id = fresh.id or __import__("topicwire.model", fromlist=["article_id"]).article_id(fresh.web_url)
                save_article(conn, fresh)
                save_enrichment(
                    conn, fresh.id, topic_rows=[TopicRow("AI", 1.0, "record")], quality=80, components={},
                    published=True, heat=10, story_id=None, duplicate_of=None, related=[],
                )
        with store.connect() as conn:
            again = news_page(conn, NewsFilter(), limit=10, cursor=first.next_cursor)
            top = news_page(conn, NewsFilter(), limit=5)
        assert [a.id for a in again.articles] == [a.id for a in second.articles]
        assert again.total == second.total + 5
        assert [a.title for a in top.articles] == [f"A fresh report number {i}" for i in reversed(range(5))]
    finally:
        store.close()


def test_filters(wire):
    with wire.connect() as conn:
        topic = topic_by_key(conn, "ai in robotics")
        assert topic is not None and topic_by_key(conn, topic[0]) == topic
        in_topic = news_page(conn, NewsFilter(topic_id=topic[0]), limit=1000).articles
        assert in_topic and all("AI in Robotics" in a.topics for a in in_topic)
        provider = list_providers(conn)[0]
        theirs = news_page(conn, NewsFilter(provider=provider.id, published=None), limit=1000)
        assert theirs.total == provider.articles
        everything = news_page(conn, NewsFilter(published=None), limit=1000).articles
        middle = sorted(a.published_date_time for a in everything)[len(everything) // 2]
        since = news_page(conn, NewsFilter(since=middle, published=None), limit=1000).articles
        until = news_page(conn, NewsFilter(until=middle, published=None), limit=1000).articles
        assert all(a.published_date_time >= middle for a in since)
        assert all(a.published_date_time < middle for a in until)
        assert len(since) + len(until) == len(everything)
        hidden = news_page(conn, NewsFilter(published=False), limit=1000).articles
        assert hidden and not any(a.published for a in hidden)


def test_search_ranks_by_relevance_and_filters_like_a_listing(wire):
    with wire.connect() as conn:
        found = news_page(conn, NewsFilter(q="robot", published=None), sort="relevance", limit=1000)
        assert found.total == len(found.articles) > 0
        scores = [found.scores[a.id] for a in found.articles]
        assert scores == sorted(scores, reverse=True)
        # the title counts most: the best match names robots in its title
        assert "robot" in found.articles[0].title.lower()
        by_date = news_page(conn, NewsFilter(q="robot", published=None), sort="date", limit=1000).articles
        assert {a.id for a in by_date} == {a.id for a in found.articles}
        paged, _ = walk(conn, NewsFilter(q="robot", published=None), sort="relevance", limit=3)
        assert paged == [a.id for a in found.articles]
        assert news_page(conn, NewsFilter(q="zzzqqqxxy"), sort="relevance").total == 0


def test_bad_requests_are_refused(wire):
    with wire.connect() as conn:
        with pytest.raises(StoreError, match="cursor"):
            news_page(conn, NewsFilter(), cursor="not-a-cursor")
        heat_cursor = news_page(conn, NewsFilter(), sort="heat", limit=2).next_cursor
        with pytest.raises(StoreError, match="cursor"):
            news_page(conn, NewsFilter(), sort="date", cursor=heat_cursor)
        with pytest.raises(StoreError, match="relevance"):
            news_page(conn, NewsFilter(), sort="relevance")
        with pytest.raises(StoreError, match="sort"):
            news_page(conn, NewsFilter(), sort="loudness")  # type: ignore[arg-type]


def test_stories_hottest_first_with_their_coverage(wire):
    with wire.connect() as conn:
        cards, total = list_stories(conn, limit=500)
        assert total == len(cards) > 10
        heats = [c.heat for c in cards]
        assert heats == sorted(heats, reverse=True)
        broad = max(cards, key=lambda c: c.articles)
        assert broad.articles >= 3 and len(broad.providers) >= 2
        card, members = get_story(conn, broad.id)
        assert card == broad and len(members) == broad.articles
        dates = [a.published_date_time for a in members]
        assert dates == sorted(dates)
        assert get_story(conn, "no-such-story") is None
        topic = topic_by_key(conn, "ai in robotics")
        in_topic, _ = list_stories(conn, topic_id=topic[0], limit=500)
        assert in_topic and {c.id for c in in_topic} < {c.id for c in cards}


def test_providers_with_heat(crawled_project, tmp_path):
    # story heat decays with the wall clock from the crawl on, and the
    # newswire lies in the past: give every story a heat of its own here, so
    # that what is tested does not depend on when the suite runs
    wire = crawled_project.copy_store(tmp_path)
    with wire.begin() as conn:
        ids = conn.execute(select(stories.c.id).order_by(stories.c.id)).scalars().all()
        for n, story_id in enumerate(ids):
            conn.execute(update(stories).where(stories.c.id == story_id).values(heat=n % 40))
    with wire.connect() as conn:
        cards = list_providers(conn, now=datetime(2026, 10, 20, tzinfo=timezone.utc))
        everything = news_page(conn, NewsFilter(published=None), limit=1).total
        assert sum(c.articles for c in cards) == everything
        assert all(c.heat >= -1 for c in cards)
        assert any(c.heat > 0 for c in cards)
        assert [c.heat for c in cards] == sorted((c.heat for c in cards), reverse=True)
        one = get_provider(conn, cards[0].id, now=datetime(2026, 10, 20, tzinfo=timezone.utc))
        assert one == cards[0]
        assert get_provider(conn, "nowhere.example") is None
    wire.close()


def test_topic_heat_history_has_a_value_per_day(wire):
    with wire.connect() as conn:
        topic = topic_by_key(conn, "AI")
        series = topic_heat_history(conn, topic[0], days=30)
    assert len(series) == 30 and all(h >= 0 for _, h in series)
    assert [d for d, _ in series] == sorted(d for d, _ in series)


def test_stored_article_data_is_what_the_validated_articles_give(wire):
    """The API's fast path (the stored JSON, not validated again) gives the
    very same data, key order included, as loading and validating."""
    import json

    from sqlalchemy import select

    from topicwire.store.articles import load_article_data, load_articles
    from topicwire.store.schema import articles

    with wire.connect() as conn:
        ids = [r.id for r in conn.execute(select(articles.c.id))]
        slow = [json.dumps(a.to_data(json=True)) for a in load_articles(conn, ids)]
        fast = [json.dumps(d) for d in load_article_data(conn, ids)]
        assert load_article_data(conn, ["no-such-id", ids[0]]) == load_article_data(conn, [ids[0]])
    assert len(ids) > 150 and fast == slow
