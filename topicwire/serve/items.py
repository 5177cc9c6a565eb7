"""The JSON the API serves: articles in the record format (camelCase, as
the static API publishes them, never with the full text), and small cards
for stories, topics and providers that link to their own resources."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from fastapi import Response

from topicwire.model import Article, format_datetime
from topicwire.store.alternates import Alternate
from topicwire.store.queries import ProviderCard, StoryCard

JSON_TYPE = "application/json"


def article_path(article_id: str) -> str:
    return f"/api/news/{article_id}"


def story_path(story_id: str) -> str:
    return f"/api/stories/{story_id}"


def provider_path(provider_id: str) -> str:
    # provider ids are domains or "name:<slug>": ':' and '.' stay readable
    return f"/api/providers/{quote(provider_id, safe=':.')}"


def article_item(article: Article, *, score: float | None = None) -> dict[str, Any]:
    data = article.to_data(json=True)
    # the full text stays in the store: readers follow webUrl to the source
    data.pop("content", None)
    data["path"] = article_path(article.id or "")
    if score is not None:
        data["score"] = score
    return data


def alternate_item(alternate: Alternate) -> dict[str, Any]:
    provider = None
    if alternate.provider_id or alternate.provider_name:
        provider = {"id": alternate.provider_id, "name": alternate.provider_name}
    return {"url": alternate.url, "provider": provider}


def story_item(card: StoryCard) -> dict[str, Any]:
    return {
        "id": card.id,
        "headline": card.headline,
        "heat": card.heat,
        "articles": card.articles,
        "providers": card.providers,
        "firstSeen": format_datetime(card.first_seen),
        "lastSeen": format_datetime(card.last_seen),
        "representative": article_path(card.representative_id) if card.representative_id else None,
        "path": story_path(card.id),
    }


def provider_item(card: ProviderCard) -> dict[str, Any]:
    return {
        "id": card.id,
        "name": card.name,
        "domain": card.domain,
        "tier": card.tier,
        "articles": card.articles,
        "published": card.published,
        "heat": card.heat,
        "images": [i.to_data(json=True) for i in card.record.images],
        "path": provider_path(card.id),
        "news": f"/api/news?provider={quote(card.id, safe=':.')}",
    }


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot serve {type(value).__name__} as JSON")


def encode(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_default).encode("utf-8")


def json_response(data: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(encode(data), status_code=status, media_type=JSON_TYPE, headers=headers)
