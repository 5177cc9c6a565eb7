"""Stories active in a period of time: what a newsletter covers.

A story counts when it is on the wire (it has a published, non-duplicate
article, in the topic when one is asked for) and its newest article falls
inside the period, so a digest for a past week can be rebuilt later and
shows the same stories (their heat aside, which keeps decaying).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, and_, func, literal, select

from topicwire.store.schema import UTCDateTime, article_topics, articles, stories


def stories_seen_between(
    conn: Connection, *, start: datetime, end: datetime, topic_id: str | None = None, limit: int = 10
) -> tuple[list[str], int]:
    """Ids of the stories whose ``last_seen`` is in [start, end], hottest
    first (then the most recently updated), and how many there are."""
    # the same notion of "on the wire" as queries.list_stories
    members = select(articles.c.story_id).where(
        articles.c.story_id.is_not(None), articles.c.duplicate_of.is_(None), articles.c.published.is_(True)
    )
    if topic_id is not None:
        members = members.where(
            articles.c.id.in_(select(article_topics.c.article_id).where(article_topics.c.topic_id == topic_id))
        )
    where = and_(
        stories.c.id.in_(members),
        stories.c.last_seen >= literal(start, UTCDateTime),
        stories.c.last_seen <= literal(end, UTCDateTime),
    )
    total = conn.execute(select(func.count()).select_from(stories).where(where)).scalar_one()
    rows = conn.execute(
        select(stories.c.id)
        .where(where)
        .order_by(stories.c.heat.desc(), stories.c.last_seen.desc(), stories.c.id)
        .limit(limit)
    )
    return [r.id for r in rows], total
