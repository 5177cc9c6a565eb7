"""/metrics in the Prometheus text format: requests by route template and
status, their latency, and the size of the wire.

Each app has its own registry, so that several apps in one process (the
tests make many) never share or collide over counters.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Iterator

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import case, func, select
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from topicwire.store import Store
from topicwire.store.schema import articles, stories

log = logging.getLogger(__name__)
# requests that matched no route share one label: paths are the client's
# to invent, and a label per path would grow without bound
UNMATCHED = "unmatched"
METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"}


class WireCollector(Collector):
    """Counts read from the store at each scrape (cheap COUNT queries), so
    they are right even while a crawl in another process writes."""

    def __init__(self, store: Store):
        self.store = store

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            with self.store.connect() as conn:
                stored, published = conn.execute(
                    select(func.count(), func.coalesce(func.sum(case((articles.c.published.is_(True), 1), else_=0)), 0))
                ).one()
                story_count = conn.execute(select(func.count()).select_from(stories)).scalar_one()
        except SQLAlchemyError as exc:
            log.error("metrics: database unreachable: %s", type(exc).__name__)
            return
        family = GaugeMetricFamily("topicwire_articles", "Articles in the store", labels=["state"])
        family.add_metric(["stored"], stored)
        family.add_metric(["published"], published)
        yield family
        yield GaugeMetricFamily("topicwire_stories", "Stories in the store", value=story_count)


class Metrics:
    def __init__(self, store: Store):
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "topicwire_http_requests", "HTTP requests answered", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "topicwire_http_request_duration_seconds", "Time to answer an HTTP request", ["method", "route"],
            registry=self.registry,
        )
        self.registry.register(WireCollector(store))

    def render(self) -> bytes:
        return generate_latest(self.registry)


def _route(scope: Scope) -> str:
    route: Any = scope.get("route")
    return getattr(route, "path", None) or UNMATCHED


class MetricsMiddleware:
    """Counts every response, including 304s and the errors that the inner
    layers turned into responses."""

    def __init__(self, app: ASGIApp, metrics: Metrics):
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def counting(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, counting)
        finally:
            method = scope["method"] if scope["method"] in METHODS else "other"
            route = _route(scope)
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(time.perf_counter() - started)


def router(metrics: Metrics) -> APIRouter:
    api = APIRouter(tags=["operations"])

    @api.get("/metrics", summary="Prometheus metrics", response_class=Response)
    def render() -> Response:
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})

    return api
