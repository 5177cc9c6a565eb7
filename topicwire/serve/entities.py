"""/api/companies and /api/people: the registry's organizations and people
with their heat and coverage, hottest first; one each with its page's data."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from topicwire.serve.errors import ApiError
from topicwire.serve.items import json_response
from topicwire.site.api_items import article_data_item, entity_detail_item, entity_item
from topicwire.store import Store
from topicwire.store.articles import load_article_data
from topicwire.store.entities import entity_view, list_entities
from topicwire.store.queries import NewsFilter, news_page

MAX_LIMIT = 100
LATEST = 10
GROUPS: dict[str, Literal["organization", "person"]] = {"companies": "organization", "people": "person"}


def router(store: Store) -> APIRouter:
    api = APIRouter(tags=["companies and people"])
    for path, group in GROUPS.items():
        _routes(api, store, path, group)
    return api


def _routes(api: APIRouter, store: Store, path: str, group: Literal["organization", "person"]) -> None:
    noun = "company" if group == "organization" else "person"

    def listing(
        sort: Annotated[Literal["heat", "name"], Query(description="heat (default) or name.")] = "heat",
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        mentioned: Annotated[bool, Query(description="Only those named in published articles.")] = False,
    ) -> Response:
        with store.connect() as conn:
            cards, total = list_entities(conn, group, sort=sort, limit=limit, offset=(page - 1) * limit,
                                         mentioned_only=mentioned)
        return json_response({
            "page": page, "value": [entity_item(c) for c in cards],
            "nextPage": page + 1 if page * limit < total else None, "total": total,
        })

    def one(entity_id: str) -> Response:
        with store.connect() as conn:
            view = entity_view(conn, entity_id)
            if view is None or view.card.group != group:
                raise ApiError(404, f"no {noun} {entity_id[:100]!r}")
            latest = news_page(conn, NewsFilter(entity_ids=(entity_id,)), limit=LATEST, load=False)
            items = load_article_data(conn, latest.ids)
        return json_response({**entity_detail_item(view), "latest": [article_data_item(d) for d in items]})

    title = "Companies and organizations" if group == "organization" else "People"
    api.add_api_route(f"/api/{path}", listing, methods=["GET"], summary=f"{title}, hottest first")
    api.add_api_route(f"/api/{path}/{{entity_id}}", one, methods=["GET"],
                      summary=f"One {noun}: topics, stories, related, heat by day, latest articles")
