"""What a crawl decided, in a form two stores can be compared by, whatever
their backends: read through the schema's tables, so that times, JSON and
booleans come back as the same Python values from SQLite and PostgreSQL.

Story ids are replaced by the sets of articles in the stories; heat, the
one value that moves with the clock between two runs, is kept apart, and
so is what differs by key ring (the sealed text).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from topicwire.store import Store
from topicwire.store.schema import alternates, article_topics, articles, stories, topic_heat

# Heat decays with the wall clock (recency R = 2 ** (-hours / half-life)),
# and two runs score seconds or minutes apart: over a minute R changes by a
# factor of 2 ** (-1 / 1440) (half-life 24 h), under 0.05 % of any heat
# below 1000, which can move a rounded heat by one.
HEAT_TOLERANCE = 1
# what a record holds that is not the crawl's decision
_RECORD_NOISE = ("heat", "secured", "securedKey")


def wire_snapshot(store: Store) -> dict[str, Any]:
    with store.connect() as conn:
        rows = conn.execute(
            select(
                articles.c.id, articles.c.web_url, articles.c.original_url, articles.c.title, articles.c.provider_id,
                articles.c.published_at, articles.c.quality, articles.c.published, articles.c.duplicate_of,
                articles.c.record, articles.c.story_id, articles.c.heat,
            )
        ).all()
        story_rows = conn.execute(
            select(stories.c.id, stories.c.headline, stories.c.representative_id, stories.c.heat)
        ).all()
        topic_rows = conn.execute(
            select(article_topics.c.article_id, article_topics.c.topic_id, article_topics.c.rank,
                   article_topics.c.confidence, article_topics.c.signal)
            .order_by(article_topics.c.article_id, article_topics.c.rank)
        ).all()
        latest = select(topic_heat.c.topic_id, func.max(topic_heat.c.day).label("day")).group_by(topic_heat.c.topic_id)
        latest = latest.subquery()
        topic_heats = conn.execute(
            select(topic_heat.c.topic_id, topic_heat.c.heat).join(
                latest, (latest.c.topic_id == topic_heat.c.topic_id) & (latest.c.day == topic_heat.c.day)
            )
        ).all()
        alternate_rows = conn.execute(
            select(alternates.c.url, alternates.c.article_id, alternates.c.provider_id).order_by(alternates.c.url)
        ).all()
    found: dict[str, tuple] = {}
    story_of: dict[str, str | None] = {}
    heat: dict[str, int | None] = {}
    for r in rows:
        record = {k: v for k, v in r.record.items() if k not in _RECORD_NOISE}
        found[r.id] = (r.web_url, r.original_url, r.title, r.provider_id, r.published_at, r.quality, r.published,
                       r.duplicate_of, record)
        story_of[r.id], heat[r.id] = r.story_id, r.heat
    members: dict[str | None, set[str]] = {}
    for article_id, story in story_of.items():
        members.setdefault(story, set()).add(article_id)
    topics: dict[str, list[tuple]] = {}
    for t in topic_rows:
        topics.setdefault(t.article_id, []).append((t.topic_id, t.rank, round(t.confidence, 9), t.signal))
    return {
        "articles": found,
        "heat": heat,
        "partition": {frozenset(m) for s, m in members.items() if s is not None},
        "unscored": members.get(None, set()),
        "stories": {
            frozenset(members.get(s.id, ())): (s.headline, s.representative_id, s.heat) for s in story_rows
        },
        "topics": topics,
        "topic_heat": {t.topic_id: t.heat for t in topic_heats},
        "alternates": [tuple(a) for a in alternate_rows],
    }


def assert_same_wire(got: dict[str, Any], expected: dict[str, Any]) -> None:
    """The same articles, records, topics, quality and stories; heat within
    HEAT_TOLERANCE (a topic's, which sums its stories', within that per story)."""
    assert set(got["articles"]) == set(expected["articles"]), "articles lost or added"
    for article_id, fields in expected["articles"].items():
        assert got["articles"][article_id] == fields, article_id
    assert got["topics"] == expected["topics"]
    assert got["unscored"] == expected["unscored"] == set()
    assert got["partition"] == expected["partition"]
    assert set(got["stories"]) == set(expected["stories"])
    for members, (*fields, heat) in expected["stories"].items():
        *got_fields, got_heat = got["stories"][members]
        assert got_fields == fields and abs(got_heat - heat) <= HEAT_TOLERANCE, members
    for article_id, heat in expected["heat"].items():
        assert abs((got["heat"][article_id] or 0) - (heat or 0)) <= HEAT_TOLERANCE, article_id
    assert set(got["topic_heat"]) == set(expected["topic_heat"])
    for topic, heat in expected["topic_heat"].items():
        in_topic = {a for a, rows in expected["topics"].items() if any(row[0] == topic for row in rows)}
        count = sum(1 for members in expected["partition"] if members & in_topic)
        assert abs(got["topic_heat"][topic] - heat) <= HEAT_TOLERANCE * max(1, count), topic
    assert got["alternates"] == expected["alternates"]
