"""/api/news: the wire, filtered, searched and paged; /api/news/{id}: one
article with the other URLs it was found at."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from sqlalchemy import Connection, select

from topicwire.errors import StoreError
from topicwire.serve.errors import ApiError, store_error
from topicwire.serve.items import alternate_item, article_item, json_response
from topicwire.site.api_items import article_data_item
from topicwire.serve.params import parse_published, parse_when
from topicwire.store import Store
from topicwire.store.alternates import alternates_of
from topicwire.store.articles import get_article, load_article_data
from topicwire.store.entities import article_mentions
from topicwire.store.queries import NewsFilter, news_page, topic_by_key
from topicwire.store.schema import entities, providers

MAX_LIMIT = 100
MAX_PAGE = 100_000


def resolve_topic(conn: Connection, key: str | None) -> str | None:
    """A topic id from its id or name; an unknown topic is a 404, not an empty list."""
    if key is None:
        return None
    found = topic_by_key(conn, key.strip())
    if found is None:
        raise ApiError(404, f"topic: no topic {key[:100]!r}")
    return found[0]


def _require_provider(conn: Connection, provider_id: str | None) -> None:
    if provider_id is not None and not conn.execute(select(providers.c.id).where(providers.c.id == provider_id)).first():
        raise ApiError(404, f"provider: no provider {provider_id[:300]!r}")


def _require_entity(conn: Connection, kind: str, entity_id: str) -> str:
    group = "organization" if kind == "company" else "person"
    row = conn.execute(select(entities.c.grp).where(entities.c.id == entity_id)).first()
    if row is None or row.grp != group:
        raise ApiError(404, f"{kind}: no {kind} {entity_id[:100]!r}")
    return entity_id


def router(store: Store) -> APIRouter:
    api = APIRouter(tags=["news"])

    @api.get("/api/news", summary="The wire: articles, newest (or hottest, best, most relevant) first")
    def news(
        topic: Annotated[str | None, Query(description="Topic id or name (a child topic's articles count in its parents).")] = None,
        provider: Annotated[str | None, Query(description="Provider id, as listed by /api/providers.")] = None,
        company: Annotated[str | None, Query(description="Company id, as listed by /api/companies.", max_length=100)] = None,
        person: Annotated[str | None, Query(description="Person id, as listed by /api/people.", max_length=100)] = None,
        q: Annotated[str | None, Query(description="Full-text search; every word must match.", max_length=500)] = None,
        since: Annotated[str | None, Query(description="ISO date or datetime (a bare date is midnight UTC); inclusive.")] = None,
        until: Annotated[str | None, Query(description="ISO date or datetime; exclusive.")] = None,
        published: Annotated[str, Query(description="true (default), false or all.")] = "true",
        sort: Annotated[
            Literal["date", "heat", "quality", "relevance"] | None,
            Query(description="date (default), heat, quality, or relevance (the default with q; needs q)."),
        ] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Articles per page.")] = 20,
        page: Annotated[int | None, Query(ge=1, le=MAX_PAGE, description="Page number, from 1.")] = None,
        cursor: Annotated[
            str | None,
            Query(max_length=2000, description="nextCursor of the previous page: stable while new articles arrive."),
        ] = None,
    ) -> Response:
        if page is not None and cursor:
            raise ApiError(400, "page: give either page or cursor, not both")
        shown = parse_published(published)
        when_from, when_to = parse_when("since", since), parse_when("until", until)
        if when_from and when_to and when_to < when_from:
            raise ApiError(400, "until: comes before since")
        query = q.strip() if q and q.strip() else None
        order = sort or ("relevance" if query else "date")
        number = None if cursor else (page or 1)
        with store.connect() as conn:
            flt = NewsFilter(
                topic_id=resolve_topic(conn, topic),
                provider=provider,
                q=query,
                since=when_from,
                until=when_to,
                published=shown,
                entity_ids=tuple(_require_entity(conn, kind, key) for kind, key in (("company", company), ("person", person))
                                 if key is not None),
            )
            _require_provider(conn, provider)
            try:
                found = news_page(
                    conn, flt, sort=order, limit=limit, cursor=cursor or None,
                    offset=((number or 1) - 1) * limit, load=False,
                )
            except StoreError as exc:
                raise store_error(exc, "q") from None
            # the stored records as they are: validating them again for each
            # request was most of a listing's cost
            listed = load_article_data(conn, found.ids)
        body: dict[str, Any] = {
            "page": number,
            "value": [article_data_item(d, score=found.scores.get(d["id"]) if query else None) for d in listed],
            "nextPage": number + 1 if number is not None and number * limit < found.total else None,
            "total": found.total,
            "nextCursor": found.next_cursor,
        }
        return json_response(body)

    @api.get("/api/news/{article_id}", summary="One article, with the other URLs it was published at and who it names")
    def article(article_id: str) -> Response:
        with store.connect() as conn:
            found = get_article(conn, article_id)
            if found is None:
                raise ApiError(404, f"no article {article_id[:100]!r}")
            alternates = alternates_of(conn, article_id)
            named = article_mentions(conn, [article_id]).get(article_id, [])
        return json_response({
            **article_item(found), "alternates": [alternate_item(a) for a in alternates], "entities": named,
        })

    return api
