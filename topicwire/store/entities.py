"""Entities in the store: the registry synced in, the mentions scoring
finds, entity heat, the review list, and the queries pages and the API
read them with.

Entity heat is topic heat's sibling (see enrich/heat.py): the sum, over the
stories with an article that mentions the entity, of the story's heat times
the share of the story's articles that mention it; -1 when none of those
stories has signal. A company named in every report of a hot story takes
its heat; one named in passing in one report of twenty takes a twentieth.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Connection, and_, delete, func, insert, select, true, update

from topicwire.enrich.entities import Mention
from topicwire.enrich.heat import NO_SIGNAL
from topicwire.model import now_utc
from topicwire.registry import Entity, Person, Registry, group_of
from topicwire.store.schema import (
    article_entities,
    article_topics,
    articles,
    dismissed_candidates,
    entities,
    entity_candidates,
    entity_heat,
    stories,
    topics,
)

Group = Literal["organization", "person"]


def entity_record(entity: Entity) -> dict[str, Any]:
    """What pages and the API show of a registry entry (front matter style)."""
    data: dict[str, Any] = {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "aliases": [a.name for a in entity.aliases],
        "website": entity.website,
        "overview": entity.overview,
        "topics": list(entity.topics),
        "social": {name or url: url for name, url in entity.social},
        "images": [img.to_data(json=True) for img in entity.images],
    }
    if isinstance(entity, Person):
        data.update(role=entity.role, affiliations=list(entity.affiliations))
    else:
        data.update(domains=list(entity.domains), tier=entity.tier, parent=entity.parent)
    return {k: v for k, v in data.items() if v not in (None, [], {})}


def sync_registry(conn: Connection, registry: Registry, now: datetime | None = None) -> None:
    """Make the store's entities the registry's: new ones added, changed
    ones updated (heat kept), removed ones dropped with their mentions."""
    now = now or now_utc()
    stored = {r.id: r for r in conn.execute(select(entities.c.id, entities.c.name, entities.c.kind,
                                                   entities.c.grp, entities.c.record))}
    wanted = {e.id: e for e in registry}
    gone = set(stored) - set(wanted)
    if gone:
        conn.execute(delete(entities).where(entities.c.id.in_(gone)))
    for entity_id, entity in wanted.items():
        values = {"name": entity.name, "grp": group_of(entity), "kind": entity.kind, "record": entity_record(entity)}
        old = stored.get(entity_id)
        if old is None:
            conn.execute(insert(entities).values(id=entity_id, heat=NO_SIGNAL, updated_at=now, **values))
        elif (old.name, old.grp, old.kind, old.record) != (values["name"], values["grp"], values["kind"],
                                                            values["record"]):
            conn.execute(update(entities).where(entities.c.id == entity_id).values(updated_at=now, **values))


def save_mentions(conn: Connection, article_id: str, mentions: list[Mention]) -> None:
    conn.execute(delete(article_entities).where(article_entities.c.article_id == article_id))
    if mentions:
        conn.execute(insert(article_entities), [
            {"article_id": article_id, "entity_id": m.entity_id, "in_title": m.counts["title"],
             "in_excerpt": m.counts["excerpt"], "in_body": m.counts["body"], "weight": m.weight}
            for m in mentions
        ])


def save_candidates(conn: Connection, article_id: str, names: Counter[str], now: datetime) -> None:
    conn.execute(delete(entity_candidates).where(entity_candidates.c.article_id == article_id))
    if names:
        conn.execute(insert(entity_candidates), [
            {"name": name[:300], "article_id": article_id, "mentions": n, "seen_at": now} for name, n in names.items()
        ])


def record_entity_heat(conn: Connection, day: date) -> None:
    """Every entity's heat now (entities.heat) and for ``day`` (entity_heat)."""
    sizes = dict(conn.execute(
        select(articles.c.story_id, func.count()).where(articles.c.story_id.is_not(None)).group_by(articles.c.story_id)
    ).all())
    rows = conn.execute(
        select(article_entities.c.entity_id, stories.c.id, stories.c.heat, func.count())
        .join(articles, articles.c.id == article_entities.c.article_id)
        .join(stories, stories.c.id == articles.c.story_id)
        .group_by(article_entities.c.entity_id, stories.c.id, stories.c.heat)
    ).all()
    total: dict[str, float] = defaultdict(float)
    signal: set[str] = set()
    for entity_id, story_id, heat, mentioning in rows:
        if heat is not None and heat >= 0:
            signal.add(entity_id)
            total[entity_id] += heat * mentioning / max(1, sizes.get(story_id, 1))
    heats = {e: (round(total[e]) if e in signal else NO_SIGNAL) for e in {r[0] for r in rows}}
    conn.execute(update(entities).values(heat=NO_SIGNAL))
    for entity_id, heat in heats.items():
        conn.execute(update(entities).where(entities.c.id == entity_id).values(heat=heat))
    conn.execute(delete(entity_heat).where(entity_heat.c.day == day))
    if heats:
        conn.execute(insert(entity_heat), [{"entity_id": e, "day": day, "heat": h} for e, h in heats.items()])


# -- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntityCard:
    id: str
    name: str
    group: str
    kind: str | None
    heat: int
    articles: int
    record: dict[str, Any]


def _card(row: Any) -> EntityCard:
    return EntityCard(row.id, row.name, row.grp, row.kind, row.heat, row.n or 0, row.record)


def _counted():  # type: ignore[no-untyped-def]
    published = select(article_entities.c.entity_id, func.count().label("n")).join(
        articles, articles.c.id == article_entities.c.article_id
    ).where(articles.c.published.is_(True)).group_by(article_entities.c.entity_id).subquery()
    return published


def list_entities(
    conn: Connection, group: Group | None = None, *, sort: str = "heat", limit: int | None = 50, offset: int = 0,
    mentioned_only: bool = False,
) -> tuple[list[EntityCard], int]:
    """A page of entities (hottest first, or by name) and how many there are."""
    counted = _counted()
    query = select(entities, counted.c.n).outerjoin(counted, counted.c.entity_id == entities.c.id)
    conditions = []
    if group is not None:
        conditions.append(entities.c.grp == group)
    if mentioned_only:
        conditions.append(counted.c.n > 0)
    query = query.where(and_(true(), *conditions))
    total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    order = [entities.c.heat.desc(), func.coalesce(counted.c.n, 0).desc(), entities.c.id] if sort == "heat" else [
        entities.c.name, entities.c.id]
    query = query.order_by(*order).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [_card(r) for r in conn.execute(query)], total


def _cards(conn: Connection, ids: list[str]) -> dict[str, EntityCard]:
    counted = _counted()
    rows = conn.execute(
        select(entities, counted.c.n).outerjoin(counted, counted.c.entity_id == entities.c.id)
        .where(entities.c.id.in_(ids))
    )
    return {r.id: _card(r) for r in rows}


def get_entity(conn: Connection, entity_id: str) -> EntityCard | None:
    return _cards(conn, [entity_id]).get(entity_id)


def entity_topics(conn: Connection, entity_id: str, *, limit: int = 5) -> list[tuple[str, str, int]]:
    """(topic id, name, articles) of the topics its published coverage is
    in, most first: an entity's topics come from what is written about it."""
    rows = conn.execute(
        select(topics.c.id, topics.c.name, func.count().label("n"))
        .select_from(article_entities)
        .join(articles, articles.c.id == article_entities.c.article_id)
        .join(article_topics, article_topics.c.article_id == articles.c.id)
        .join(topics, topics.c.id == article_topics.c.topic_id)
        .where(article_entities.c.entity_id == entity_id, articles.c.published.is_(True))
        .group_by(topics.c.id, topics.c.name)
        .order_by(func.count().desc(), topics.c.id)
        .limit(limit)
    )
    return [(r.id, r.name, r.n) for r in rows]


def related_entities(conn: Connection, entity_id: str, *, limit: int = 8) -> list[tuple[EntityCard, int]]:
    """Entities named in the same published articles, with how many."""
    mine = select(article_entities.c.article_id).where(article_entities.c.entity_id == entity_id)
    rows = conn.execute(
        select(article_entities.c.entity_id, func.count().label("shared"))
        .join(articles, articles.c.id == article_entities.c.article_id)
        .where(article_entities.c.article_id.in_(mine), article_entities.c.entity_id != entity_id,
               articles.c.published.is_(True))
        .group_by(article_entities.c.entity_id)
        .order_by(func.count().desc(), article_entities.c.entity_id)
        .limit(limit)
    ).all()
    cards = _cards(conn, [r.entity_id for r in rows])
    return [(cards[r.entity_id], r.shared) for r in rows if r.entity_id in cards]


def entity_stories(conn: Connection, entity_id: str, *, limit: int = 10) -> list[tuple[str, str, int, int]]:
    """(story id, headline, heat, articles naming the entity) of the stories
    its published coverage belongs to, hottest first."""
    rows = conn.execute(
        select(stories.c.id, stories.c.headline, stories.c.heat, func.count().label("n"))
        .select_from(article_entities)
        .join(articles, articles.c.id == article_entities.c.article_id)
        .join(stories, stories.c.id == articles.c.story_id)
        .where(article_entities.c.entity_id == entity_id, articles.c.published.is_(True))
        .group_by(stories.c.id, stories.c.headline, stories.c.heat)
        .order_by(stories.c.heat.desc(), stories.c.id)
        .limit(limit)
    )
    return [(r.id, r.headline, r.heat, r.n) for r in rows]


def entity_heat_history(conn: Connection, entity_id: str, *, days: int = 30, until: date | None = None
                        ) -> list[tuple[date, int]]:
    until = until or now_utc().date()
    rows = conn.execute(
        select(entity_heat.c.day, entity_heat.c.heat)
        .where(entity_heat.c.entity_id == entity_id, entity_heat.c.day > until - timedelta(days=days),
               entity_heat.c.day <= until)
        .order_by(entity_heat.c.day)
    )
    return [(r.day, r.heat) for r in rows]


def article_mentions(conn: Connection, article_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each article's entities for the API: id, name, group, mentions and
    where, heaviest first."""
    if not article_ids:
        return {}
    rows = conn.execute(
        select(article_entities, entities.c.name, entities.c.grp)
        .join(entities, entities.c.id == article_entities.c.entity_id)
        .where(article_entities.c.article_id.in_(article_ids))
        .order_by(article_entities.c.article_id, article_entities.c.weight.desc(), article_entities.c.entity_id)
    )
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        places = {"title": r.in_title, "excerpt": r.in_excerpt, "body": r.in_body}
        found[r.article_id].append({
            "id": r.entity_id, "name": r.name, "type": r.grp,
            "mentions": sum(places.values()), "in": [p for p, n in places.items() if n],
        })
    return dict(found)


@dataclass(frozen=True)
class Candidate:
    name: str
    mentions: int
    articles: int
    example: str
    last_seen: datetime


def review_list(conn: Connection, *, limit: int = 50, min_articles: int = 1) -> list[Candidate]:
    """Proposed organizations, most covered first, without dismissed ones."""
    dismissed = select(dismissed_candidates.c.name)
    rows = conn.execute(
        select(
            entity_candidates.c.name, func.sum(entity_candidates.c.mentions).label("mentions"),
            func.count().label("articles"), func.min(entity_candidates.c.article_id).label("example"),
            func.max(entity_candidates.c.seen_at).label("last_seen"),
        )
        .where(entity_candidates.c.name.not_in(dismissed))
        .group_by(entity_candidates.c.name)
        .having(func.count() >= min_articles)
        .order_by(func.count().desc(), func.sum(entity_candidates.c.mentions).desc(), entity_candidates.c.name)
        .limit(limit)
    )
    return [Candidate(r.name, int(r.mentions), int(r.articles), r.example, r.last_seen) for r in rows]


def dismiss_candidate(conn: Connection, name: str, now: datetime | None = None) -> bool:
    """Stop proposing ``name``; False when nothing proposed it."""
    if conn.execute(select(entity_candidates.c.name).where(entity_candidates.c.name == name).limit(1)).first() is None:
        return False
    if conn.execute(select(dismissed_candidates.c.name).where(dismissed_candidates.c.name == name)).first() is None:
        conn.execute(insert(dismissed_candidates).values(name=name, dismissed_at=now or now_utc()))
    return True


@dataclass(frozen=True)
class EntityView:
    """An entity's page: the card, its topics from coverage, its stories,
    the entities named beside it, and its daily heat."""

    card: EntityCard
    topics: list[tuple[str, str, int]]
    stories: list[tuple[str, str, int, int]]
    related: list[tuple[EntityCard, int]]
    history: list[tuple[date, int]]


def entity_view(conn: Connection, entity_id: str, *, until: date | None = None) -> EntityView | None:
    card = get_entity(conn, entity_id)
    if card is None:
        return None
    return EntityView(card, entity_topics(conn, entity_id), entity_stories(conn, entity_id),
                      related_entities(conn, entity_id), entity_heat_history(conn, entity_id, until=until))
