"""The live API as one FastAPI app over a project's store.

Layers, outermost first: metrics (sees every answer, 304s and errors
included), security headers (on every answer, even a crash's), conditional
GET (ETag, Cache-Control, 304), then the routes.
"""

from __future__ import annotations

from fastapi import FastAPI

from topicwire import __version__
from topicwire.config import Project
from topicwire.serve import docs, editor, entities, feeds, health, images, news, providers, stories, topics
from topicwire.serve import pages as website
from topicwire.serve.caching import ConditionalGetMiddleware
from topicwire.serve.errors import install_error_handlers
from topicwire.serve.headers import SecurityHeadersMiddleware
from topicwire.serve.metrics import Metrics, MetricsMiddleware
from topicwire.serve.metrics import router as metrics_router
from topicwire.site.pages import Site
from topicwire.store import Store

DESCRIPTION = (
    "The wire as JSON: articles (without their full text), stories, topics and providers, "
    "with feeds and cached images. Listings page by `page` or by `cursor` (stable while new "
    "articles arrive). Editor endpoints need `Authorization: Bearer <token>`."
)


def create_app(project: Project, store: Store, *, pages: Site | None = None) -> FastAPI:
    """The app serving ``store``: the API, and the website drawn by
    ``pages`` (by default the project's own site)."""
    if pages is None:
        pages = Site(
            store, name=project.settings.name, site_url=project.settings.site_url, images_dir=project.images_dir
        )
    app = FastAPI(
        title=project.settings.name,
        version=__version__,
        description=DESCRIPTION,
        # Swagger UI comes from a CDN: see serve/docs.py for the page served instead
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.project = project
    app.state.store = store
    app.state.pages = pages
    install_error_handlers(app)
    metrics = Metrics(store)
    app.state.metrics = metrics
    for router in (
        news.router(store),
        stories.router(store),
        topics.router(store),
        providers.router(store),
        entities.router(store),
        feeds.router(project, store),
        images.router(project.images_dir),
        health.router(store),
        metrics_router(metrics),
        editor.router(project, store),
        docs.router(app.openapi),
        # last: its catch-all route draws the website's pages
        website.router(pages),
    ):
        app.include_router(router)
    # added innermost first: Starlette wraps each new one around the last
    app.add_middleware(ConditionalGetMiddleware, cache_seconds=project.settings.serve.cache_seconds)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    return app
