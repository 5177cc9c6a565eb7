"""The API's JSON on the wire: encoding and responses. The shapes of
articles, stories and providers live in topicwire.site.api_items, shared
with the static publisher."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from fastapi import Response

from topicwire.model import format_datetime
from topicwire.site.api_items import LIVE, alternate_item, article_item, provider_item, story_item

__all__ = ["alternate_item", "article_item", "article_path", "encode", "json_response", "provider_item", "story_item"]

JSON_TYPE = "application/json"


def article_path(article_id: str) -> str:
    return LIVE.article(article_id)


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
