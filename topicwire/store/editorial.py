"""An editor's overrides: pinning, publishing by hand, topics and stories
chosen by hand.

Each override lives in its own column (``pinned``, ``editor_published``,
``editor_topics``, ``editor_story``) so that re-scoring, which rewrites the
computed ones, can put it back on top (see ``enrichment.save_enrichment``).
Every function checks the ids it is given before it changes anything, so a
refused request leaves the store as it was.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from topicwire.enrich.heat import HALF_LIFE_HOURS, HeatInput, story_heat
from topicwire.enrich.quality import is_published
from topicwire.errors import StoreError
from topicwire.model import now_utc
from topicwire.store.enrichment import save_story, set_editor_choice
from topicwire.store.schema import article_topics, articles, providers, stories, topics

EDITOR_SIGNAL = "editor"
# longer lists are a client bug, not an editorial decision
MAX_IDS = 500


class UnknownId(StoreError):
    """An id that names nothing in the store (the API answers 404)."""


def require_article(conn: Connection, article_id: str) -> None:
    if not conn.execute(select(articles.c.id).where(articles.c.id == article_id)).first():
        raise UnknownId("no such article", source=article_id)


def _require_articles(conn: Connection, ids: list[str], field: str) -> list[str]:
    unique = list(dict.fromkeys(ids))
    if not unique:
        raise StoreError("name at least one article", field=field)
    if len(unique) > MAX_IDS:
        raise StoreError(f"at most {MAX_IDS} articles at once", field=field)
    found = set(conn.execute(select(articles.c.id).where(articles.c.id.in_(unique))).scalars())
    for i, article_id in enumerate(ids):
        if article_id not in found:
            raise UnknownId(f"no such article {article_id!r}", field=f"{field}[{i}]")
    return unique


def _require_story(conn: Connection, story_id: str, field: str) -> None:
    if not conn.execute(select(stories.c.id).where(stories.c.id == story_id)).first():
        raise UnknownId(f"no such story {story_id!r}", field=field)


def set_pinned(conn: Connection, article_id: str, pinned: bool) -> None:
    """Keep an article on top of every listing it is in (or stop)."""
    require_article(conn, article_id)
    conn.execute(update(articles).where(articles.c.id == article_id).values(pinned=pinned))


def set_published(conn: Connection, article_id: str, choice: bool | None, *, threshold: int) -> bool:
    """An editor's publish (True) or hide (False); None hands the decision
    back to the publishing rule, applied at once to the stored score rather
    than at the next scoring, so the wire shows the rule's answer now.
    Returns whether the article is published."""
    require_article(conn, article_id)
    set_editor_choice(conn, article_id, choice)
    row = conn.execute(
        select(articles.c.quality, articles.c.published, articles.c.duplicate_of, articles.c.record).where(
            articles.c.id == article_id
        )
    ).one()
    if choice is not None or row.quality is None:
        return bool(row.published)
    count = conn.execute(
        select(func.count()).select_from(article_topics).where(article_topics.c.article_id == article_id)
    ).scalar_one()
    ruled = is_published(row.quality, topics=count, duplicate=row.duplicate_of is not None, threshold=threshold)
    conn.execute(
        update(articles)
        .where(articles.c.id == article_id)
        .values(published=ruled, record={**row.record, "published": ruled})
    )
    return ruled


def topic_names(conn: Connection, keys: list[str], *, field: str = "topics") -> list[str]:
    """The stored names of topics given by name or id (any case), in the
    order given, each once; an unknown one is refused."""
    names: list[str] = []
    for i, key in enumerate(keys):
        if not isinstance(key, str) or not key.strip():
            raise StoreError("a topic must be a non-empty name", field=f"{field}[{i}]")
        row = conn.execute(
            select(topics.c.name).where(or_(topics.c.id == key.strip(), func.lower(topics.c.name) == key.strip().lower()))
        ).first()
        if row is None:
            raise StoreError(f"unknown topic {key!r} (not in the stored taxonomy)", field=f"{field}[{i}]")
        if row.name not in names:
            names.append(row.name)
    return names


def write_topic_rows(conn: Connection, article_id: str, rows: list[tuple[str, float | None, str]]) -> None:
    """Replace an article's topic rows with (name, confidence, signal)
    triples, ranked in the order given; names not in the taxonomy are skipped."""
    wanted = [name for name, _, _ in rows]
    ids = dict(conn.execute(select(topics.c.name, topics.c.id).where(topics.c.name.in_(wanted))).all())
    conn.execute(delete(article_topics).where(article_topics.c.article_id == article_id))
    values = [
        {"article_id": article_id, "topic_id": ids[name], "rank": rank, "confidence": confidence, "signal": signal}
        for rank, (name, confidence, signal) in enumerate(r for r in rows if r[0] in ids)
    ]
    if values:
        conn.execute(insert(article_topics), values)


def set_editor_topics(conn: Connection, article_id: str, keys: list[str] | None) -> list[str]:
    """Put an article in exactly these topics (names or ids), whatever the
    classifier says; an empty list takes it out of every topic. None drops
    the override: the computed topics come back at the next scoring.
    Returns the stored topic names."""
    require_article(conn, article_id)
    if keys is None:
        conn.execute(update(articles).where(articles.c.id == article_id).values(editor_topics=None))
        return []
    names = topic_names(conn, keys)
    record = conn.execute(select(articles.c.record).where(articles.c.id == article_id)).scalar_one()
    conn.execute(
        update(articles)
        .where(articles.c.id == article_id)
        .values(editor_topics=names, record={**record, "topics": names})
    )
    write_topic_rows(conn, article_id, [(name, 1.0, EDITOR_SIGNAL) for name in names])
    return names


def editorial_story_id(article_ids: list[str]) -> str:
    """The id of a story an editor made from these articles: the same
    articles always make the same story, and it cannot collide with a
    computed story id (those hash one article id, these a sorted list)."""
    joined = "\n".join(sorted(set(article_ids)))
    return "st-ed-" + hashlib.blake2b(joined.encode("utf-8"), digest_size=8).hexdigest()


def merge_stories(
    conn: Connection, into: str, story_ids: list[str], *, now: datetime | None = None,
    half_life_hours: float = HALF_LIFE_HOURS,
) -> list[str]:
    """Move every article of ``story_ids`` into story ``into``, for good.
    The emptied stories are removed. Returns the ids of the moved articles."""
    _require_story(conn, into, "into")
    others = [s for s in dict.fromkeys(story_ids) if s != into]
    if not others:
        raise StoreError("name at least one story other than 'into'", field="stories")
    if len(others) > MAX_IDS:
        raise StoreError(f"at most {MAX_IDS} stories at once", field="stories")
    for i, sid in enumerate(story_ids):
        _require_story(conn, sid, f"stories[{i}]")
    # an article an editor put in one of those stories goes too, even if
    # its story row has gone meanwhile
    leaving = or_(articles.c.story_id.in_(others), articles.c.editor_story.in_(others))
    moved = list(conn.execute(select(articles.c.id).where(leaving).order_by(articles.c.id)).scalars())
    conn.execute(update(articles).where(leaving).values(story_id=into, editor_story=into))
    when = now or now_utc()
    for sid in [into, *others]:
        refresh_story(conn, sid, now=when, half_life_hours=half_life_hours)
    return moved


def split_story(
    conn: Connection, article_ids: list[str], *, now: datetime | None = None, half_life_hours: float = HALF_LIFE_HOURS
) -> str:
    """Make these articles a story of their own, led by the best of them,
    and take them out of the stories they were in. Returns the new story's id."""
    ids = _require_articles(conn, article_ids, "articles")
    left = set(
        conn.execute(
            select(articles.c.story_id).where(articles.c.id.in_(ids), articles.c.story_id.is_not(None))
        ).scalars()
    )
    sid = editorial_story_id(ids)
    when = now or now_utc()
    if not conn.execute(select(stories.c.id).where(stories.c.id == sid)).first():
        # a placeholder, filled in by refresh_story once the members are in
        conn.execute(insert(stories).values(id=sid, headline="", heat=-1, first_seen=when, last_seen=when))
    conn.execute(update(articles).where(articles.c.id.in_(ids)).values(story_id=sid, editor_story=sid))
    refresh_story(conn, sid, now=when, half_life_hours=half_life_hours, lead_from_best=True)
    for old in sorted(left - {sid}):
        refresh_story(conn, old, now=when, half_life_hours=half_life_hours)
    return sid


def _best(members: list[Any]) -> Any:
    """The story's lead: the best quality, then the earliest, then the lowest id."""
    return min(members, key=lambda m: (-(m.quality if m.quality is not None else -1), _when(m), m.id))


def _when(member: Any) -> datetime:
    return member.published_at or member.first_seen


def refresh_story(
    conn: Connection, story_id: str, *, now: datetime, half_life_hours: float = HALF_LIFE_HOURS,
    lead_from_best: bool = False,
) -> None:
    """Bring a story's lead, span and heat in line with its members after
    they changed by hand; a story left without members is removed. The
    headline stays unless its lead article left (or ``lead_from_best``)."""
    members = conn.execute(
        select(
            articles.c.id, articles.c.title, articles.c.quality, articles.c.published_at, articles.c.first_seen,
            articles.c.provider_id, articles.c.duplicate_of, providers.c.tier,
        )
        .outerjoin(providers, providers.c.id == articles.c.provider_id)
        .where(articles.c.story_id == story_id)
    ).all()
    if not members:
        conn.execute(delete(stories).where(stories.c.id == story_id))
        return
    # copies ride along with their original but are not coverage of their own
    kept = [m for m in members if m.duplicate_of is None] or members
    best = _best(kept)
    current = conn.execute(select(stories.c.headline, stories.c.representative_id).where(stories.c.id == story_id)).first()
    keep_headline = (
        not lead_from_best and current is not None and current.headline and current.representative_id in {m.id for m in kept}
    )
    inputs = [HeatInput(m.published_at, m.provider_id or "unknown", m.tier) for m in kept if m.published_at is not None]
    save_story(
        conn,
        story_id,
        headline=current.headline if keep_headline else best.title,
        representative_id=current.representative_id if keep_headline else best.id,
        heat=story_heat(inputs, now, half_life_hours=half_life_hours),
        first_seen=min(_when(m) for m in kept),
        last_seen=max(_when(m) for m in kept),
    )


def editor_state(conn: Connection, article_id: str) -> dict[str, Any]:
    """An article's overrides as they stand (None where the computation decides)."""
    row = conn.execute(
        select(
            articles.c.editor_published, articles.c.pinned, articles.c.editor_topics, articles.c.editor_story,
            articles.c.story_id,
        ).where(articles.c.id == article_id)
    ).first()
    if row is None:
        raise UnknownId("no such article", source=article_id)
    return {
        "published": row.editor_published,
        "pinned": bool(row.pinned),
        "topics": row.editor_topics,
        "story": row.editor_story,
        "storyId": row.story_id,
    }
