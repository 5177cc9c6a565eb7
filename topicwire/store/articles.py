"""Writing and reading article records.

An article row keeps the record as JSON; its topics and images also live in
their own tables, which are what counts (editors and the image cache change
them there), and the record is put back together from all three when read.

The full text is never written in plain: ``save_article`` seals it with
the key ring's active key into the row's ``secured`` and ``key_id``, and
``load_articles`` opens it again only when given the ring.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from typing import Any, Iterator, Literal

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from topicwire.errors import SecureError, StoreError
from topicwire.model import Article, Image, Provider, arrange, now_utc
from topicwire.secure import KeyRing
from topicwire.store import search
from topicwire.store.schema import alternates, article_topics, articles, images, providers, topics

SaveStatus = Literal["new", "updated", "unchanged"]
Sort = Literal["date", "heat", "quality"]


# the full text and its sealed form are compared apart (see _same_text)
_TEXT_FIELDS = ("id", "content", "secured", "securedKey")


def record_hash(article: Article) -> str:
    """A hash of the record without its full text: a hash of the plain text
    would let anyone holding the database confirm a guess of it, and the
    sealed text changes with every encryption (a fresh nonce each time)."""
    data = article.to_data(json=True)
    for key in _TEXT_FIELDS:
        data.pop(key, None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def provider_id(provider: Provider) -> str:
    if provider.domain:
        return provider.domain.lower()
    slug = re.sub(r"[^a-z0-9]+", "-", provider.name.lower()).strip("-")
    return f"name:{slug or 'unnamed'}"


def save_provider(conn: Connection, provider: Provider, now: datetime) -> str:
    key = provider_id(provider)
    record = provider.to_data(json=True)
    row = conn.execute(select(providers.c.record).where(providers.c.id == key)).first()
    if row is not None and record.get("images"):
        # a logo already cached stays cached: pages keep naming it uncached
        cached = {i["url"]: i for i in row.record.get("images", []) if i.get("isCached")}
        record["images"] = [cached.get(i["url"], i) for i in record["images"]]
    if row is None:
        conn.execute(
            insert(providers).values(
                id=key, name=provider.name, domain=provider.domain, record=record, first_seen=now, updated_at=now
            )
        )
    elif row.record != record:
        conn.execute(
            update(providers)
            .where(providers.c.id == key)
            .values(name=provider.name, domain=provider.domain, record=record, updated_at=now)
        )
    return key


def save_article(
    conn: Connection,
    article: Article,
    *,
    signal: str = "record",
    now: datetime | None = None,
    ring: KeyRing | None = None,
) -> SaveStatus:
    """Insert or update one article; the same record twice writes nothing.

    The caller has given the article its id and canonical ``web_url``. Topic
    names must exist in the stored taxonomy. A plain ``content`` is sealed
    with ``ring``'s active key (and refused without a ring), replacing any
    ``secured`` value it came with; a ``secured`` value that comes without
    content is kept as it is, whoever sealed it."""
    if not article.id or not article.web_url:
        raise StoreError("an article needs an id and a webUrl before it is stored", field="webUrl")
    if article.content is not None and ring is None:
        raise StoreError("the full text is stored only encrypted, and no key ring was given", source=article.id)
    now = now or now_utc()
    digest = record_hash(article)
    existing = conn.execute(
        select(
            articles.c.record_hash, articles.c.first_seen, articles.c.secured, articles.c.key_id, articles.c.content
        ).where(articles.c.id == article.id)
    ).first()
    if existing is not None and existing.record_hash == digest and _same_text(existing, article, ring):
        return "unchanged"

    topic_ids = _topic_ids(conn, article.topics)
    body = article.content
    if body is None and ring is not None:
        body = ring.open_article(article).content  # a re-import of our own sealed text: index its words
    sealed = ring.seal_article(article) if ring is not None else article
    record = article.to_data(json=True)
    for key in _TEXT_FIELDS:
        record.pop(key, None)
    values: dict[str, Any] = dict(
        web_url=article.web_url,
        original_url=article.original_url,
        title=article.title,
        type=article.type,
        category=article.category,
        locale=article.locale,
        provider_id=save_provider(conn, article.provider, now) if article.provider else None,
        published_at=article.published_date_time,
        updated_at=article.updated_date_time,
        quality=article.quality,
        heat=article.heat,
        published=article.published,
        record=record,
        content=None,
        secured=sealed.secured,
        key_id=sealed.secured_key,
        record_hash=digest,
        changed_at=now,
    )
    if existing is None:
        conn.execute(insert(articles).values(id=article.id, first_seen=now, **values))
    else:
        conn.execute(update(articles).where(articles.c.id == article.id).values(**values))
        conn.execute(delete(article_topics).where(article_topics.c.article_id == article.id))
        conn.execute(delete(images).where(images.c.article_id == article.id))
    if topic_ids:
        conn.execute(
            insert(article_topics),
            [
                {"article_id": article.id, "topic_id": tid, "rank": rank, "confidence": None, "signal": signal}
                for rank, tid in enumerate(topic_ids)
            ],
        )
    if article.images:
        conn.execute(
            insert(images),
            [
                {
                    "article_id": article.id,
                    "position": i,
                    "url": img.url,
                    "width": img.width,
                    "height": img.height,
                    "title": img.title,
                    "attribution": img.attribution,
                    "is_cached": img.is_cached,
                }
                for i, img in enumerate(article.images)
            ],
        )
    search.index_article(conn, article, body=body)
    return "new" if existing is None else "updated"


def _same_text(row: Any, article: Article, ring: KeyRing | None) -> bool:
    """Whether the stored full text is the one ``article`` brings: the same
    sealed value, or (for plain content) a stored value that opens to it."""
    if article.content is None:
        return row.content is None and row.secured == article.secured and row.key_id == article.secured_key
    if row.content is not None or row.secured is None or ring is None:
        return False  # plain text from before encryption is sealed by an update
    try:
        return ring.open(row.secured, key_id=row.key_id, article_id=article.id or "") == article.content
    except SecureError:
        return False  # foreign or damaged: the text brought now replaces it


def _topic_ids(conn: Connection, names: list[str]) -> list[str]:
    if not names:
        return []
    rows = conn.execute(select(topics.c.id, topics.c.name).where(topics.c.name.in_(names))).all()
    by_name = {r.name: r.id for r in rows}
    for i, name in enumerate(names):
        if name not in by_name:
            raise StoreError(f"unknown topic {name!r} (not in the stored taxonomy)", field=f"topics[{i}]")
    return [by_name[n] for n in names]


def load_articles(conn: Connection, ids: list[str], *, ring: KeyRing | None = None) -> list[Article]:
    """Articles by id, in the order asked, missing ids left out. They carry
    their sealed text (``secured``, ``securedKey``); with ``ring`` their
    ``content`` is the plain text too, where the ring can open it."""
    if not ids:
        return []
    rows, names, image_rows = _rows(conn, ids)
    pics: dict[str, list[Image]] = {}
    for r in image_rows:
        pics.setdefault(r.article_id, []).append(
            Image(
                url=r.url,
                width=r.width,
                height=r.height,
                title=r.title,
                attribution=r.attribution,
                is_cached=r.is_cached,
            )
        )
    out = []
    for row, data in _stored_data(ids, rows, names, pics):
        if ring is not None and row.content is not None:
            data["content"] = row.content  # plain, from a store made before encryption
        article = Article.model_validate(data)
        article.id = row.id
        out.append(ring.open_article(article) if ring is not None else article)
    return out


def _rows(conn: Connection, ids: list[str]) -> tuple[dict[str, Any], dict[str, list[str]], list[Any]]:
    """The article rows of ``ids``, their topic names (most specific first)
    and their image rows (in position order)."""
    rows = {r.id: r for r in conn.execute(select(articles).where(articles.c.id.in_(ids)))}
    topic_rows = conn.execute(
        select(article_topics.c.article_id, topics.c.name)
        .join(topics, topics.c.id == article_topics.c.topic_id)
        .where(article_topics.c.article_id.in_(ids))
        .order_by(article_topics.c.article_id, article_topics.c.rank)
    )
    names: dict[str, list[str]] = {}
    for r in topic_rows:
        names.setdefault(r.article_id, []).append(r.name)
    image_rows = conn.execute(
        select(images).where(images.c.article_id.in_(ids)).order_by(images.c.article_id, images.c.position)
    ).all()
    return rows, names, image_rows


def load_article_data(conn: Connection, ids: list[str]) -> list[dict[str, Any]]:
    """Articles by id as ``load_articles(...)[i].to_data(json=True)`` gives
    them (sealed text included, never plain text), built from the stored
    JSON without validating it again: what listings serve, at a fraction of
    the cost. The records were validated when they were saved."""
    if not ids:
        return []
    rows, names, image_rows = _rows(conn, ids)
    pics: dict[str, list[dict[str, Any]]] = {}
    for r in image_rows:
        values = {"url": r.url, "width": r.width, "height": r.height, "title": r.title,
                  "attribution": r.attribution, "isCached": r.is_cached}
        pics.setdefault(r.article_id, []).append(arrange(Image, (), values))
    # the same data load_articles validates, in the same key order
    return [arrange(Article, tuple(data), {**data, "id": row.id}) for row, data in _stored_data(ids, rows, names, pics)]


def _stored_data(
    ids: list[str], rows: dict[str, Any], names: dict[str, list[str]], pics: dict[str, list[Any]]
) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(row, record data) for each of ``ids`` that was found, in order: the
    stored record with its topics, its images and its sealed text."""
    for article_id in ids:
        row = rows.get(article_id)
        if row is None:
            continue
        # topics and images kept in the record only hold their place in the
        # field order: their own tables are what counts
        data = {**row.record, "topics": names.get(row.id, []), "images": pics.get(row.id, [])}
        if row.secured is not None:
            data.update(secured=row.secured, securedKey=row.key_id)
        yield row, data


def get_article(conn: Connection, article_id: str, *, ring: KeyRing | None = None) -> Article | None:
    found = load_articles(conn, [article_id], ring=ring)
    return found[0] if found else None


def find_article(conn: Connection, key: str, *, ring: KeyRing | None = None) -> Article:
    """An article by id, unique id prefix (4+ characters) or URL."""
    key = key.strip()
    if key.startswith(("http://", "https://")):
        condition = or_(
            articles.c.web_url == key,
            articles.c.original_url == key,
            articles.c.id.in_(select(alternates.c.article_id).where(alternates.c.url == key)),
        )
    elif re.fullmatch(r"[0-9a-f]{4,40}", key):
        condition = articles.c.id.startswith(key, autoescape=True)
    else:
        raise StoreError("not an article id (4 or more hex characters) or an http(s) URL", source=key)
    ids = [r.id for r in conn.execute(select(articles.c.id).where(condition).limit(2))]
    if not ids:
        raise StoreError("no such article", source=key)
    if len(ids) > 1:
        raise StoreError("more than one article has an id starting so; give more characters", source=key)
    return load_articles(conn, ids, ring=ring)[0]


def _order(sort: Sort) -> list[Any]:
    column = {"date": articles.c.published_at, "heat": articles.c.heat, "quality": articles.c.quality}[sort]
    # nulls last on both backends; then newest, then id for a stable order
    return [column.is_(None), column.desc(), articles.c.published_at.desc(), articles.c.id]


def _filters(topic_id: str | None, published: bool | None, provider: str | None) -> list[Any]:
    conditions: list[Any] = []
    if topic_id is not None:
        conditions.append(
            articles.c.id.in_(select(article_topics.c.article_id).where(article_topics.c.topic_id == topic_id))
        )
    if published is not None:
        conditions.append(articles.c.published.is_(published) if published else or_(
            articles.c.published.is_(False), articles.c.published.is_(None)))
    if provider is not None:
        conditions.append(articles.c.provider_id == provider)
    return conditions


def list_articles(
    conn: Connection,
    *,
    topic_id: str | None = None,
    published: bool | None = None,
    provider: str | None = None,
    sort: Sort = "date",
    limit: int | None = 20,
    offset: int = 0,
) -> list[Article]:
    query = select(articles.c.id).where(and_(True, *_filters(topic_id, published, provider))).order_by(*_order(sort))
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    return load_articles(conn, [r.id for r in conn.execute(query)])


def count_articles(
    conn: Connection, *, topic_id: str | None = None, published: bool | None = None, provider: str | None = None
) -> int:
    query = select(func.count()).select_from(articles).where(and_(True, *_filters(topic_id, published, provider)))
    return conn.execute(query).scalar_one()


def iter_articles(
    conn: Connection, *, sort: Sort = "date", batch: int = 200, ring: KeyRing | None = None
) -> Iterator[Article]:
    """Every article, loaded a batch at a time (with their text given ``ring``)."""
    ids = [r.id for r in conn.execute(select(articles.c.id).order_by(*_order(sort)))]
    for start in range(0, len(ids), batch):
        yield from load_articles(conn, ids[start : start + batch], ring=ring)


def uncached_images(conn: Connection, article_id: str) -> list[tuple[int, str]]:
    """(position, url) of an article's images not cached yet."""
    rows = conn.execute(
        select(images.c.position, images.c.url)
        .where(images.c.article_id == article_id, images.c.is_cached.is_(False))
        .order_by(images.c.position)
    )
    return [(r.position, r.url) for r in rows]


def mark_image_cached(
    conn: Connection, article_id: str, position: int, *, width: int, height: int, path: str
) -> None:
    """Record a cached copy and the image's real size (pages often declare
    sizes that are wrong or missing)."""
    conn.execute(
        update(images)
        .where(images.c.article_id == article_id, images.c.position == position)
        .values(is_cached=True, width=width, height=height, path=path)
    )


def uncached_logos(conn: Connection, provider_key: str) -> list[tuple[int, str]]:
    """(index, url) of a provider's logos not cached yet."""
    row = conn.execute(select(providers.c.record).where(providers.c.id == provider_key)).first()
    if row is None:
        return []
    return [(i, img["url"]) for i, img in enumerate(row.record.get("images", [])) if not img.get("isCached")]


def mark_logo_cached(conn: Connection, provider_key: str, index: int, *, width: int, height: int) -> None:
    row = conn.execute(select(providers.c.record).where(providers.c.id == provider_key)).first()
    if row is None:
        return
    record = dict(row.record)
    images = [dict(i) for i in record.get("images", [])]
    if index < len(images):
        images[index].update(width=width, height=height, isCached=True)
        record["images"] = images
        conn.execute(update(providers).where(providers.c.id == provider_key).values(record=record))
