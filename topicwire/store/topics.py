"""The taxonomy as stored: topics and their article counts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, case, func, insert, select, update

from topicwire.store.schema import article_topics, articles, topics
from topicwire.taxonomy import Taxonomy


def sync_taxonomy(conn: Connection, taxonomy: Taxonomy) -> int:
    """Write the taxonomy's topics (parents before children); topics that
    left the taxonomy stay, so that articles keep their history. Returns
    how many rows changed."""
    existing = {r.id: r for r in conn.execute(select(topics))}
    changed = 0
    for topic in taxonomy.topics:  # ordered by depth: parents first
        values = dict(
            taxonomy=topic.taxonomy,
            name=topic.name,
            parent_id=topic.parent,
            depth=taxonomy.depth(topic),
            definition=topic.to_data(json=True),
        )
        row = existing.get(topic.id)
        if row is None:
            conn.execute(insert(topics).values(id=topic.id, **values))
            changed += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            conn.execute(update(topics).where(topics.c.id == topic.id).values(**values))
            changed += 1
    return changed


@dataclass(frozen=True)
class TopicCount:
    id: str
    name: str
    parent_id: str | None
    depth: int
    articles: int
    published: int


def topic_counts(conn: Connection) -> list[TopicCount]:
    """Every stored topic with its number of articles and of published ones."""
    published = func.sum(case((articles.c.published.is_(True), 1), else_=0))
    query = (
        select(
            topics.c.id,
            topics.c.name,
            topics.c.parent_id,
            topics.c.depth,
            func.count(article_topics.c.article_id).label("n"),
            func.coalesce(published, 0).label("p"),
        )
        .select_from(topics)
        .outerjoin(article_topics, article_topics.c.topic_id == topics.c.id)
        .outerjoin(articles, articles.c.id == article_topics.c.article_id)
        .group_by(topics.c.id, topics.c.name, topics.c.parent_id, topics.c.depth)
        .order_by(topics.c.depth, topics.c.name)
    )
    return [TopicCount(r.id, r.name, r.parent_id, r.depth, r.n, int(r.p)) for r in conn.execute(query)]
