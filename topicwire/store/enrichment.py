"""Writing what the enrichment stages decided: topics with confidence and
signal, quality and its parts, the publishing decision, heat, stories,
related coverage, duplicate links, and topic heat per day.

The record's hash is left alone: it belongs to what was ingested, so an
unchanged page stays unchanged however often it is re-scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, or_, select, update

from topicwire.model import Article
from topicwire.store.articles import load_articles
from topicwire.store.schema import article_topics, articles, stories, topic_heat, topics


@dataclass(frozen=True)
class TopicRow:
    name: str
    confidence: float | None
    signal: str


def articles_since(conn: Connection, since: datetime) -> list[Article]:
    """Articles published (or, undated, first seen) since ``since``, oldest first."""
    rows = conn.execute(
        select(articles.c.id)
        .where(or_(articles.c.published_at >= since, (articles.c.published_at.is_(None)) & (articles.c.first_seen >= since)))
        .order_by(articles.c.published_at.is_(None), articles.c.published_at, articles.c.id)
    )
    return load_articles(conn, [r.id for r in rows])


def save_story(
    conn: Connection, story_id: str, *, headline: str, representative_id: str, heat: int, first_seen: datetime, last_seen: datetime
) -> None:
    values = dict(headline=headline, representative_id=representative_id, heat=heat, first_seen=first_seen, last_seen=last_seen)
    if conn.execute(select(stories.c.id).where(stories.c.id == story_id)).first():
        conn.execute(update(stories).where(stories.c.id == story_id).values(**values))
    else:
        conn.execute(insert(stories).values(id=story_id, **values))


def save_enrichment(
    conn: Connection,
    article_id: str,
    *,
    topic_rows: list[TopicRow],
    quality: int,
    components: dict[str, float],
    published: bool,
    heat: int,
    story_id: str,
    duplicate_of: str | None,
    related: list[dict[str, Any]],
) -> None:
    row = conn.execute(select(articles.c.record, articles.c.editor_published).where(articles.c.id == article_id)).first()
    if row is None:
        return
    decided = row.editor_published if row.editor_published is not None else published
    record = dict(row.record)
    record.update(
        topics=[t.name for t in topic_rows], quality=quality, heat=heat, published=decided, related=related
    )
    conn.execute(
        update(articles)
        .where(articles.c.id == article_id)
        .values(
            quality=quality,
            quality_components=components,
            published=decided,
            heat=heat,
            story_id=story_id,
            duplicate_of=duplicate_of,
            record=record,
        )
    )
    ids = dict(conn.execute(select(topics.c.name, topics.c.id).where(topics.c.name.in_([t.name for t in topic_rows]))).all())
    conn.execute(delete(article_topics).where(article_topics.c.article_id == article_id))
    rows = [
        {"article_id": article_id, "topic_id": ids[t.name], "rank": rank, "confidence": t.confidence, "signal": t.signal}
        for rank, t in enumerate(topic_rows)
        if t.name in ids
    ]
    if rows:
        conn.execute(insert(article_topics), rows)


def save_topic_heat(conn: Connection, topic_name: str, day: date, heat: int) -> None:
    topic_id = conn.execute(select(topics.c.id).where(topics.c.name == topic_name)).scalar()
    if topic_id is None:
        return
    conn.execute(delete(topic_heat).where(topic_heat.c.topic_id == topic_id, topic_heat.c.day == day))
    conn.execute(insert(topic_heat).values(topic_id=topic_id, day=day, heat=heat))


def explanation(conn: Connection, article_id: str) -> dict[str, Any] | None:
    """What `topicwire explain` shows: the stored decisions for one article."""
    row = conn.execute(
        select(
            articles.c.quality, articles.c.quality_components, articles.c.published, articles.c.editor_published,
            articles.c.heat, articles.c.story_id, articles.c.duplicate_of,
        ).where(articles.c.id == article_id)
    ).first()
    if row is None:
        return None
    topic_rows = conn.execute(
        select(topics.c.name, article_topics.c.confidence, article_topics.c.signal)
        .join(topics, topics.c.id == article_topics.c.topic_id)
        .where(article_topics.c.article_id == article_id)
        .order_by(article_topics.c.rank)
    ).all()
    story = conn.execute(select(stories).where(stories.c.id == row.story_id)).first() if row.story_id else None
    members = (
        conn.execute(select(articles.c.id).where(articles.c.story_id == row.story_id)).scalars().all() if story else []
    )
    return {
        "quality": row.quality,
        "components": row.quality_components or {},
        "published": row.published,
        "editor_published": row.editor_published,
        "heat": row.heat,
        "duplicate_of": row.duplicate_of,
        "topics": [TopicRow(r.name, r.confidence, r.signal) for r in topic_rows],
        "story": None if story is None else {"id": story.id, "headline": story.headline, "heat": story.heat, "members": len(members)},
    }
