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

from sqlalchemy import Connection, delete, func, insert, or_, select, update

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
    components: dict[str, Any],
    published: bool,
    heat: int,
    story_id: str | None,
    duplicate_of: str | None,
    related: list[dict[str, Any]],
) -> None:
    """Store what the stages computed for one article. An editor's choices
    win over them: publish/hide, topics and story set by hand (see
    store/editorial.py) are kept, so that they survive every re-scoring."""
    row = conn.execute(
        select(articles.c.record, articles.c.editor_published, articles.c.editor_topics, articles.c.editor_story).where(
            articles.c.id == article_id
        )
    ).first()
    if row is None:
        return
    decided = row.editor_published if row.editor_published is not None else published
    if row.editor_topics is not None:
        topic_rows = [TopicRow(name, 1.0, "editor") for name in row.editor_topics]
    # a story removed since the editor chose it cannot be pointed at
    if row.editor_story is not None and conn.execute(select(stories.c.id).where(stories.c.id == row.editor_story)).first():
        story_id = row.editor_story
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


@dataclass(frozen=True)


class StorySummary:
    id: str
    headline: str
    heat: int
    articles: int
    providers: int


def hottest_stories(conn: Connection, *, topic_id: str | None = None, limit: int = 5) -> list[StorySummary]:
    """Stories by heat (with their coverage), optionally only those with an
    article in ``topic_id``; duplicates do not count as coverage."""

    query = (
        select(
            stories.c.id,
            stories.c.headline,
            stories.c.heat,
            func.count(articles.c.id).label("n"),
            func.count(articles.c.provider_id.distinct()).label("p"),
        )
        .join(articles, articles.c.story_id == stories.c.id)
        .where(articles.c.duplicate_of.is_(None))
        .group_by(stories.c.id, stories.c.headline, stories.c.heat)
        .order_by(stories.c.heat.desc(), func.count(articles.c.id).desc(), stories.c.id)
        .limit(limit)
    )
    if topic_id is not None:
        in_topic = select(article_topics.c.article_id).where(article_topics.c.topic_id == topic_id)
        query = query.where(stories.c.id.in_(select(articles.c.story_id).where(articles.c.id.in_(in_topic))))
    return [StorySummary(r.id, r.headline, r.heat, r.n, r.p) for r in conn.execute(query)]


def latest_topic_heat(conn: Connection) -> dict[str, int]:
    """Each topic's heat on the latest day it was computed."""

    latest = select(topic_heat.c.topic_id, func.max(topic_heat.c.day).label("day")).group_by(topic_heat.c.topic_id).subquery()
    rows = conn.execute(
        select(topic_heat.c.topic_id, topic_heat.c.heat).join(
            latest, (latest.c.topic_id == topic_heat.c.topic_id) & (latest.c.day == topic_heat.c.day)
        )
    )
    return {r.topic_id: r.heat for r in rows}


def warm_stories_outside(conn: Connection, story_ids: set[str]) -> dict[str, list[tuple[datetime, str]]]:
    """Stories that still have heat but none of whose members were in the
    window just scored, with their members' (published, provider): their
    heat must still decay."""
    warm = [r.id for r in conn.execute(select(stories.c.id).where(stories.c.heat > 0)) if r.id not in story_ids]
    members: dict[str, list[tuple[datetime, str]]] = {sid: [] for sid in warm}
    if warm:
        rows = conn.execute(
            select(articles.c.story_id, articles.c.published_at, articles.c.provider_id).where(
                articles.c.story_id.in_(warm), articles.c.duplicate_of.is_(None), articles.c.published_at.is_not(None)
            )
        )
        for r in rows:
            members[r.story_id].append((r.published_at, r.provider_id or "unknown"))
    return members


def set_story_heat(conn: Connection, story_id: str, heat: int) -> None:
    conn.execute(update(stories).where(stories.c.id == story_id).values(heat=heat))


def record_topic_heat(conn: Connection, day: date) -> None:
    """Each topic's heat for ``day``: the sum of the heat of the stories with
    an article in it, or -1 when none of them has any signal."""
    per_topic = (
        select(article_topics.c.topic_id, stories.c.id.label("story"), stories.c.heat)
        .join(articles, articles.c.id == article_topics.c.article_id)
        .join(stories, stories.c.id == articles.c.story_id)
        .distinct()
        .subquery()
    )
    # the larger of two values: max() on SQLite, greatest() on PostgreSQL
    larger = func.max if conn.dialect.name == "sqlite" else func.greatest
    rows = conn.execute(
        select(per_topic.c.topic_id, func.sum(larger(per_topic.c.heat, 0)), func.max(per_topic.c.heat)).group_by(
            per_topic.c.topic_id
        )
    )
    conn.execute(delete(topic_heat).where(topic_heat.c.day == day))
    values = [{"topic_id": t, "day": day, "heat": int(total) if top >= 0 else -1} for t, total, top in rows]
    if values:
        conn.execute(insert(topic_heat), values)


def set_editor_choice(conn: Connection, article_id: str, published: bool | None) -> None:
    """An editor's publish (True) or hide (False), or None to hand the
    decision back to the rule (applied at the next scoring)."""
    values: dict[str, Any] = {"editor_published": published}
    if published is not None:
        values["published"] = published
        row = conn.execute(select(articles.c.record).where(articles.c.id == article_id)).first()
        if row is not None:
            values["record"] = {**row.record, "published": published}
    conn.execute(update(articles).where(articles.c.id == article_id).values(**values))


def changed_since(conn: Connection, since: datetime) -> list[tuple[str, datetime, str | None]]:
    """(id, when, provider id) of the articles stored or changed since
    ``since``; ``when`` is the publication time, or for an undated article
    when it changed (what the scoring window is placed by)."""
    rows = conn.execute(
        select(articles.c.id, articles.c.published_at, articles.c.changed_at, articles.c.provider_id)
        .where(articles.c.changed_at >= since)
        .order_by(articles.c.id)
    )
    return [(r.id, r.published_at or r.changed_at, r.provider_id) for r in rows]
