"""The read side for readers: news listings with filters and stable paging,
stories with their coverage, providers with their heat, topic heat history.

The live API, the website and the static publisher all read through these
functions, so they list the same things in the same order.
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Literal

from sqlalchemy import Connection, and_, case, false, func, literal, or_, select, true

from topicwire.enrich.heat import NO_SIGNAL, article_heat, provider_heat
from topicwire.errors import StoreError
from topicwire.model import Article, Provider
from topicwire.store.articles import load_articles
from topicwire.store.schema import (
    UTCDateTime,
    article_entities,
    article_topics,
    articles,
    images,
    providers,
    stories,
    topic_heat,
    topics,
)
from topicwire.store.search import search_scores

NewsSort = Literal["date", "heat", "quality", "relevance"]
NEWS_SORTS: tuple[str, ...] = ("date", "heat", "quality", "relevance")
# search results considered before ranking and paging
SEARCH_CANDIDATES = 2000


@dataclass(frozen=True)
class NewsFilter:
    topic_id: str | None = None
    provider: str | None = None
    q: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    published: bool | None = True
    story_id: str | None = None
    # articles naming all of these registry entities (companies, people)
    entity_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewsPage:
    # the page's articles, or with ``load=False`` nothing (see ids)
    articles: list[Article]
    total: int
    next_cursor: str | None
    # relevance × heat per article id when searching, for explanations
    scores: dict[str, float] = field(default_factory=dict)
    # the page's article ids, in order
    ids: list[str] = field(default_factory=list)


def _date_key() -> Any:
    # undated articles sort by when they were first seen
    return func.coalesce(articles.c.published_at, articles.c.first_seen)


# pinned articles lead every listing; as a number, so that it compares
_PINNED = case((articles.c.pinned.is_(True), 1), else_=0)


def _sort_keys(sort: NewsSort) -> list[tuple[Any, str]]:
    """(expression, direction) pairs; the last one, the id, makes the order total."""
    keys: list[tuple[Any, str]] = [(_PINNED, "desc")]
    if sort == "heat":
        keys.append((func.coalesce(articles.c.heat, NO_SIGNAL), "desc"))
    elif sort == "quality":
        keys.append((func.coalesce(articles.c.quality, -1), "desc"))
    keys += [(_date_key(), "desc"), (articles.c.id, "asc")]
    return keys


def _conditions(conn: Connection, flt: NewsFilter, matched: list[str] | None) -> list[Any]:
    conditions: list[Any] = []
    if flt.topic_id is not None:
        conditions.append(
            articles.c.id.in_(select(article_topics.c.article_id).where(article_topics.c.topic_id == flt.topic_id))
        )
    if flt.published is True:
        conditions.append(articles.c.published.is_(True))
    elif flt.published is False:
        conditions.append(or_(articles.c.published.is_(False), articles.c.published.is_(None)))
    if flt.provider is not None:
        conditions.append(articles.c.provider_id == flt.provider)
    if flt.story_id is not None:
        conditions.append(articles.c.story_id == flt.story_id)
    for entity_id in flt.entity_ids:
        conditions.append(
            articles.c.id.in_(select(article_entities.c.article_id).where(article_entities.c.entity_id == entity_id))
        )
    if flt.since is not None:
        conditions.append(_date_key() >= literal(flt.since, UTCDateTime))
    if flt.until is not None:
        conditions.append(_date_key() < literal(flt.until, UTCDateTime))
    if matched is not None:
        conditions.append(articles.c.id.in_(matched) if matched else false())
    return conditions


def _encode_cursor(sort: str, values: list[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    raw = json.dumps([sort, plain], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str, keys: list[tuple[Any, str]]) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        kind, values = json.loads(raw)
        if kind != sort or not isinstance(values, list) or len(values) != len(keys):
            raise ValueError
    except (ValueError, TypeError):
        raise StoreError("not a cursor this listing gave out (or one from another sort order)", field="cursor") from None
    return values


def _after(keys: list[tuple[Any, str]], values: list[Any], sort: str) -> Any:
    """Rows strictly after the cursor row in the listing's order (keyset
    paging: new articles arriving before the cursor do not shift later pages)."""
    typed = []
    for (expr, _), value in zip(keys, values, strict=True):
        if isinstance(value, str) and expr is not articles.c.id and sort != "relevance":
            try:
                typed.append(literal(datetime.fromisoformat(value), UTCDateTime))
            except ValueError:
                raise StoreError("a cursor with a broken date", field="cursor") from None
        else:
            typed.append(literal(value))
    alternatives = []
    for i, (expr, direction) in enumerate(keys):
        same = [keys[j][0] == typed[j] for j in range(i)]
        beyond = expr < typed[i] if direction == "desc" else expr > typed[i]
        alternatives.append(and_(*same, beyond))
    return or_(*alternatives)


def news_page(
    conn: Connection,
    flt: NewsFilter,
    *,
    sort: NewsSort = "date",
    limit: int = 20,
    cursor: str | None = None,
    offset: int = 0,
    load: bool = True,
) -> NewsPage:
    """One page of articles. Page either by ``cursor`` (the ``next_cursor``
    of the previous page: stable while new articles arrive) or by ``offset``.
    With a search (``flt.q``) the default order is relevance × heat.
    ``load=False`` leaves the articles unloaded, for callers that read them
    another way (the API serves their stored data: store.articles.load_article_data)."""
    if sort not in NEWS_SORTS:
        raise StoreError(f"unknown sort {sort!r} (use {', '.join(NEWS_SORTS)})", field="sort")
    if limit < 1:
        raise StoreError("limit must be at least 1", field="limit")
    scores: dict[str, float] = {}
    matched = None
    if flt.q is not None:
        scores = search_scores(conn, flt.q, limit=SEARCH_CANDIDATES)
        matched = list(scores)
    elif sort == "relevance":
        raise StoreError("sorting by relevance needs a search (q)", field="sort")
    conditions = _conditions(conn, flt, matched)
    total = conn.execute(select(func.count()).select_from(articles).where(and_(true(), *conditions))).scalar_one()
    if sort == "relevance":
        return _relevance_page(
            conn, conditions, scores, limit=limit, cursor=cursor, offset=offset, total=total, load=load
        )
    keys = _sort_keys(sort)
    query = select(*(k for k, _ in keys)).where(and_(true(), *conditions))
    if cursor:
        query = query.where(_after(keys, _decode_cursor(cursor, sort, keys), sort))
    elif offset:
        query = query.offset(offset)
    order = [k.desc() if d == "desc" else k.asc() for k, d in keys]
    rows = conn.execute(query.order_by(*order).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    ids = [r[-1] for r in rows]
    next_cursor = _encode_cursor(sort, [_plain(v) for v in rows[-1]]) if more and rows else None
    kept = {i: scores[i] for i in ids if i in scores}
    return NewsPage(load_articles(conn, ids) if load else [], total, next_cursor, kept, ids)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] in " T":
        # SQLite hands coalesce() back as the stored text, not a datetime
        return datetime.fromisoformat(value).replace(tzinfo=timezone.utc)
    return value


def ranked_score(relevance: float, heat: int | None) -> float:
    """Search ranking: relevance weighted by heat, so that among equally
    relevant articles the trending one comes first, and a cold article
    still ranks by relevance alone."""
    return relevance * (1.0 + math.log1p(max(heat or 0, 0)) / 5.0)


def _relevance_page(
    conn: Connection, conditions: list[Any], scores: dict[str, float], *, limit: int, cursor: str | None, offset: int,
    total: int, load: bool,
) -> NewsPage:
    rows = conn.execute(select(articles.c.id, articles.c.heat).where(and_(true(), *conditions))).all()
    ranked = sorted(((ranked_score(scores[r.id], r.heat), r.id) for r in rows), key=lambda p: (-p[0], p[1]))
    if cursor:
        raw = _decode_cursor(cursor, "relevance", [(None, ""), (None, "")])
        offset = int(raw[1]) if isinstance(raw[1], int) else 0
    chosen = ranked[offset : offset + limit]
    more = offset + limit < len(ranked)
    next_cursor = _encode_cursor("relevance", [None, offset + limit]) if more else None
    ids = [i for _, i in chosen]
    return NewsPage(
        load_articles(conn, ids) if load else [], total, next_cursor, {i: round(s, 4) for s, i in chosen}, ids
    )


@dataclass(frozen=True)
class StoryCard:
    id: str
    headline: str
    heat: int
    articles: int
    providers: list[str]
    first_seen: datetime
    last_seen: datetime
    representative_id: str | None


def _story_members(published_only: bool) -> Any:
    condition = and_(articles.c.story_id.is_not(None), articles.c.duplicate_of.is_(None))
    if published_only:
        condition = and_(condition, articles.c.published.is_(True))
    return condition


def list_stories(
    conn: Connection, *, topic_id: str | None = None, limit: int = 20, offset: int = 0, since: datetime | None = None
) -> tuple[list[StoryCard], int]:
    """Stories with at least one published article, hottest first, and how
    many there are; with ``topic_id`` only those with a published article in it."""
    members = select(articles.c.story_id).where(_story_members(True))
    if topic_id is not None:
        members = members.where(
            articles.c.id.in_(select(article_topics.c.article_id).where(article_topics.c.topic_id == topic_id))
        )
    if since is not None:
        members = members.where(_date_key() >= literal(since, UTCDateTime))
    where = stories.c.id.in_(members)
    total = conn.execute(select(func.count()).select_from(stories).where(where)).scalar_one()
    ids = [
        r.id
        for r in conn.execute(
            select(stories.c.id)
            .where(where)
            .order_by(stories.c.heat.desc(), stories.c.last_seen.desc(), stories.c.id)
            .limit(limit)
            .offset(offset)
        )
    ]
    return story_cards(conn, ids), total


def story_cards(conn: Connection, ids: list[str]) -> list[StoryCard]:
    """The cards of these stories, in this order."""
    if not ids:
        return []
    rows = {r.id: r for r in conn.execute(select(stories).where(stories.c.id.in_(ids)))}
    coverage: dict[str, list[tuple[datetime | None, str | None]]] = {i: [] for i in ids}
    for r in conn.execute(
        select(articles.c.story_id, articles.c.published_at, providers.c.name)
        .outerjoin(providers, providers.c.id == articles.c.provider_id)
        .where(articles.c.story_id.in_(ids), _story_members(True))
        .order_by(articles.c.published_at, articles.c.id)
    ):
        coverage[r.story_id].append((r.published_at, r.name))
    cards = []
    for story_id in ids:
        row = rows[story_id]
        names: list[str] = []
        for _, name in coverage[story_id]:
            if name and name not in names:
                names.append(name)
        cards.append(
            StoryCard(
                row.id, row.headline, row.heat, len(coverage[story_id]), names, row.first_seen, row.last_seen,
                row.representative_id,
            )
        )
    return cards


def get_story(conn: Connection, story_id: str) -> tuple[StoryCard, list[Article]] | None:
    """A story with its published coverage, oldest first (a timeline)."""
    cards = story_cards(conn, [story_id]) if conn.execute(
        select(stories.c.id).where(stories.c.id == story_id)
    ).first() else []
    if not cards:
        return None
    ids = [
        r.id
        for r in conn.execute(
            select(articles.c.id)
            .where(articles.c.story_id == story_id, _story_members(True))
            .order_by(_date_key(), articles.c.id)
        )
    ]
    return cards[0], load_articles(conn, ids)


@dataclass(frozen=True)
class ProviderCard:
    id: str
    name: str
    domain: str | None
    tier: int | None
    articles: int
    published: int
    heat: int
    record: Provider


def list_providers(conn: Connection, *, now: datetime | None = None) -> list[ProviderCard]:
    """Every provider with its article counts and heat, hottest first."""
    return _provider_cards(conn, None, now)


def get_provider(conn: Connection, provider_id: str, *, now: datetime | None = None) -> ProviderCard | None:
    found = _provider_cards(conn, provider_id, now)
    return found[0] if found else None


def _provider_cards(conn: Connection, only: str | None, now: datetime | None) -> list[ProviderCard]:
    now = now or datetime.now(timezone.utc)
    published = func.sum(case((articles.c.published.is_(True), 1), else_=0))
    query = (
        select(
            providers.c.id, providers.c.name, providers.c.domain, providers.c.tier, providers.c.record,
            func.count(articles.c.id).label("n"), published.label("p"),
        )
        .outerjoin(articles, articles.c.provider_id == providers.c.id)
        # the key alone: the other columns depend on it (PostgreSQL cannot
        # compare the JSON record for grouping, and need not)
        .group_by(providers.c.id)
    )
    if only is not None:
        query = query.where(providers.c.id == only)
    rows = conn.execute(query).all()
    heats = _provider_heats(conn, [r.id for r in rows], now)
    cards = [
        ProviderCard(
            r.id, r.name, r.domain, r.tier, r.n, int(r.p or 0), heats.get(r.id, NO_SIGNAL),
            Provider.model_validate(r.record),
        )
        for r in rows
    ]
    cards.sort(key=lambda c: (-c.heat, -c.published, c.name.lower()))
    return cards


def _provider_heats(conn: Connection, ids: list[str], now: datetime) -> dict[str, int]:
    """Provider heat (see enrich.heat): the mean heat of its articles that
    have signal, each article's heat derived from its story's current heat
    (story heat is kept decaying; a stored article heat is as of its scoring)."""
    if not ids:
        return {}
    rows = conn.execute(
        select(articles.c.provider_id, articles.c.published_at, stories.c.heat)
        .join(stories, stories.c.id == articles.c.story_id)
        .where(articles.c.provider_id.in_(ids), stories.c.heat >= 0, articles.c.duplicate_of.is_(None))
    )
    per: dict[str, list[int]] = {}
    for r in rows:
        per.setdefault(r.provider_id, []).append(article_heat(r.published_at, r.heat, now))
    return {pid: provider_heat(values) for pid, values in per.items()}


def topic_heat_history(conn: Connection, topic_id: str, *, days: int = 30, end: date | None = None) -> list[tuple[date, int]]:
    """A topic's recorded heat per day, oldest first, ``days`` days ending
    with ``end`` (today by default); a day with nothing recorded is 0."""
    last = end or datetime.now(timezone.utc).date()
    first = last - timedelta(days=days - 1)
    recorded = dict(
        conn.execute(
            select(topic_heat.c.day, topic_heat.c.heat).where(
                topic_heat.c.topic_id == topic_id, topic_heat.c.day >= first, topic_heat.c.day <= last
            )
        ).all()
    )
    return [(first + timedelta(days=i), max(0, recorded.get(first + timedelta(days=i), 0))) for i in range(days)]


def topic_by_key(conn: Connection, key: str) -> tuple[str, str] | None:
    """(id, name) of a topic given its id or its name, case-insensitively."""
    row = conn.execute(
        select(topics.c.id, topics.c.name).where(or_(topics.c.id == key, func.lower(topics.c.name) == key.lower()))
    ).first()
    return (row.id, row.name) if row else None


# -- reads for the website (topicwire.site) -------------------------------------


@dataclass(frozen=True)
class PublishedStamp:
    """What the website needs to list a published article's pages without
    loading the record: where it belongs and when it last changed."""

    id: str
    provider_id: str | None
    story_id: str | None
    topic_ids: tuple[str, ...]
    changed: datetime


def published_stamps(conn: Connection) -> list[PublishedStamp]:
    """Every published article that is not a duplicate, newest first."""
    rows = conn.execute(
        select(
            articles.c.id, articles.c.provider_id, articles.c.story_id, articles.c.updated_at, _date_key().label("at")
        )
        .where(articles.c.published.is_(True), articles.c.duplicate_of.is_(None))
        .order_by(_date_key().desc(), articles.c.id)
    ).all()
    placed: dict[str, list[str]] = {}
    for r in conn.execute(
        select(article_topics.c.article_id, article_topics.c.topic_id)
        .join(articles, articles.c.id == article_topics.c.article_id)
        .where(articles.c.published.is_(True), articles.c.duplicate_of.is_(None))
        .order_by(article_topics.c.article_id, article_topics.c.rank)
    ):
        placed.setdefault(r.article_id, []).append(r.topic_id)
    stamps = []
    for r in rows:
        at = _plain(r.at)
        changed = max(at, r.updated_at) if r.updated_at is not None else at
        stamps.append(PublishedStamp(r.id, r.provider_id, r.story_id, tuple(placed.get(r.id, ())), changed))
    return stamps


def published_story_ids(conn: Connection, ids: list[str]) -> dict[str, str | None]:
    """Of ``ids``, the published articles that are not duplicates, each with
    its story id: which other coverage has a page of its own."""
    if not ids:
        return {}
    rows = conn.execute(
        select(articles.c.id, articles.c.story_id).where(
            articles.c.id.in_(ids), articles.c.published.is_(True), articles.c.duplicate_of.is_(None)
        )
    )
    return {r.id: r.story_id for r in rows}


def cached_image_paths(conn: Connection, urls: list[str]) -> dict[str, str]:
    """Image URL → the path of its cached copy (relative to the images
    folder), for the URLs that have one. The cache is content-addressed, so
    any row that cached a URL names the same file."""
    if not urls:
        return {}
    rows = conn.execute(
        select(images.c.url, images.c.path)
        .where(images.c.url.in_(set(urls)), images.c.is_cached.is_(True), images.c.path.is_not(None))
        .order_by(images.c.url, images.c.id)
    )
    found: dict[str, str] = {}
    for r in rows:
        found.setdefault(r.url, r.path)
    return found


def latest_heat_day(conn: Connection) -> date | None:
    """The last day topic heat was recorded for: where a heat chart ends,
    so that a page drawn twice from the same store is the same page."""
    return conn.execute(select(func.max(topic_heat.c.day))).scalar_one_or_none()
