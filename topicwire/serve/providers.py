"""/api/providers: the publishers on the wire with their standing and heat."""

from __future__ import annotations

from fastapi import APIRouter, Response

from topicwire.serve.errors import ApiError
from topicwire.serve.items import article_item, json_response, provider_item
from topicwire.store import Store
from topicwire.store.queries import NewsFilter, get_provider, list_providers, news_page

LATEST = 10


def router(store: Store) -> APIRouter:
    api = APIRouter(tags=["providers"])

    @api.get("/api/providers", summary="Providers, hottest first")
    def providers() -> Response:
        with store.connect() as conn:
            cards = list_providers(conn)
        return json_response([provider_item(c) for c in cards])

    # ids are domains or "name:<slug>": the path converter keeps them whole
    @api.get("/api/providers/{provider_id:path}", summary="One provider and its newest published articles")
    def provider(provider_id: str) -> Response:
        with store.connect() as conn:
            card = get_provider(conn, provider_id)
            if card is None:
                raise ApiError(404, f"no provider {provider_id[:300]!r}")
            latest = news_page(conn, NewsFilter(provider=provider_id), limit=LATEST).articles
        return json_response({**provider_item(card), "latest": [article_item(a) for a in latest]})

    return api
