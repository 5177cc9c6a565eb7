"""/api/topics: the taxonomy with article counts, heat and a month of heat
history per topic (for charts)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from topicwire.serve.items import json_response
from topicwire.store import Store
from topicwire.store.enrichment import latest_topic_heat
from topicwire.store.queries import topic_heat_history
from topicwire.store.topics import topic_counts

HISTORY_DAYS = 30


def router(store: Store) -> APIRouter:
    api = APIRouter(tags=["topics"])

    @api.get("/api/topics", summary="Topics, parents first, with article counts, heat and 30 days of heat")
    def topics() -> Response:
        with store.connect() as conn:
            counts = topic_counts(conn)
            heat = latest_topic_heat(conn)
            history = {c.id: topic_heat_history(conn, c.id, days=HISTORY_DAYS) for c in counts}
        return json_response(
            [
                {
                    "id": c.id,
                    "name": c.name,
                    "parent": c.parent_id,
                    "depth": c.depth,
                    "articles": c.articles,
                    "published": c.published,
                    "heat": heat.get(c.id, -1),
                    "history": [{"date": day, "heat": value} for day, value in history[c.id]],
                    "news": f"/api/news?topic={c.id}",
                    "feeds": {ext: f"/feeds/{c.id}.{ext}" for ext in ("rss", "atom", "json")},
                }
                for c in counts
            ]
        )

    return api
