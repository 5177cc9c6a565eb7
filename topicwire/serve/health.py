"""/healthz: whether the server can read its database, for load balancers
and process supervisors."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Response
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from topicwire.serve.items import json_response
from topicwire.store import Store
from topicwire.store.schema import articles

log = logging.getLogger(__name__)
# a probe must see the state now, not a copy a proxy kept
NO_STORE = {"Cache-Control": "no-store"}


def router(store: Store) -> APIRouter:
    api = APIRouter(tags=["operations"])

    @api.get("/healthz", summary="ok with the number of stored articles, or 503 when the database is unreachable")
    def healthz() -> Response:
        try:
            with store.connect() as conn:
                count = conn.execute(select(func.count()).select_from(articles)).scalar_one()
        except SQLAlchemyError as exc:
            # the reason goes to the log only: it may hold paths or hosts
            log.error("health check: database unreachable: %s", type(exc).__name__)
            return json_response({"status": "error", "database": "unreachable"}, status=503, headers=NO_STORE)
        return json_response({"status": "ok", "articles": count, "database": "ok"}, headers=NO_STORE)

    return api
