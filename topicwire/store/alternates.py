"""The other URLs an article was found at: syndicated copies that declare
the article's page as canonical. They stay one item on the wire, and the
copies' URLs and providers are kept with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update

from topicwire.model import Provider
from topicwire.store.articles import provider_id
from topicwire.store.schema import alternates, articles


@dataclass(frozen=True)
class Alternate:
    url: str
    provider_id: str | None
    provider_name: str | None


def add_alternate(conn: Connection, article_id: str, url: str, provider: Provider | None, now: datetime) -> None:
    values = {
        "article_id": article_id,
        "provider_id": provider_id(provider) if provider is not None else None,
        "provider_name": provider.name if provider is not None else None,
    }
    if conn.execute(select(alternates.c.url).where(alternates.c.url == url)).first():
        conn.execute(update(alternates).where(alternates.c.url == url).values(**values))
    else:
        conn.execute(insert(alternates).values(url=url, first_seen=now, **values))


def drop_alternate(conn: Connection, url: str) -> None:
    """The URL became the article's own page: it is no longer an alternate."""
    conn.execute(delete(alternates).where(alternates.c.url == url))


def alternates_of(conn: Connection, article_id: str) -> list[Alternate]:
    """The article's alternate URLs: same-canonical copies, then near-duplicate
    articles that were folded into it, each with its provider."""
    rows = conn.execute(
        select(alternates.c.url, alternates.c.provider_id, alternates.c.provider_name)
        .where(alternates.c.article_id == article_id)
        .order_by(alternates.c.first_seen, alternates.c.url)
    )
    found = [Alternate(r.url, r.provider_id, r.provider_name) for r in rows]
    copies = conn.execute(
        select(articles.c.web_url, articles.c.provider_id, articles.c.record)
        .where(articles.c.duplicate_of == article_id)
        .order_by(articles.c.published_at, articles.c.id)
    )
    for r in copies:
        name = (r.record.get("provider") or {}).get("name")
        found.append(Alternate(r.web_url, r.provider_id, name))
    return found
