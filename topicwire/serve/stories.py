"""/api/stories: stories hottest first; /api/stories/{id}: one story and
its coverage as a timeline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from topicwire.serve.errors import ApiError
from topicwire.serve.items import article_item, json_response, story_item
from topicwire.serve.news import MAX_LIMIT, MAX_PAGE, resolve_topic
from topicwire.store import Store
from topicwire.store.queries import get_story, list_stories


def router(store: Store) -> APIRouter:
    api = APIRouter(tags=["stories"])

    @api.get("/api/stories", summary="Stories with published coverage, hottest first")
    def stories(
        topic: Annotated[str | None, Query(description="Topic id or name.")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Stories per page.")] = 20,
        page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1.")] = 1,
    ) -> Response:
        with store.connect() as conn:
            cards, total = list_stories(conn, topic_id=resolve_topic(conn, topic), limit=limit, offset=(page - 1) * limit)
        return json_response(
            {
                "page": page,
                "value": [story_item(c) for c in cards],
                "nextPage": page + 1 if page * limit < total else None,
                "total": total,
            }
        )

    @api.get("/api/stories/{story_id}", summary="One story and its published coverage, oldest first")
    def story(story_id: str) -> Response:
        with store.connect() as conn:
            found = get_story(conn, story_id)
        # a story with nothing published is not on the wire (nor in /api/stories)
        if found is None or not found[1]:
            raise ApiError(404, f"no story {story_id[:100]!r}")
        card, coverage = found
        return json_response({**story_item(card), "coverage": [article_item(a) for a in coverage]})

    return api
