"""/feeds/{all|topic id}.{rss|atom|json}: the newest published articles as
RSS 2.0, Atom 1.0 and JSON Feed 1.1, the same documents `topicwire publish`
writes (same writers, same URLs under site_url)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import select

from topicwire.config import Project
from topicwire.serve.errors import ApiError
from topicwire.site.feeds import FeedInfo, atom, json_feed, rss
from topicwire.store import Store
from topicwire.store.articles import list_articles
from topicwire.store.schema import topics

FEED_ITEMS = 50
WRITERS = {
    "rss": (rss, "application/rss+xml; charset=utf-8"),
    "atom": (atom, "application/atom+xml; charset=utf-8"),
    "json": (json_feed, "application/feed+json; charset=utf-8"),
}


def router(project: Project, store: Store) -> APIRouter:
    api = APIRouter(tags=["feeds"])
    name = project.settings.name
    base = project.settings.site_url if project.settings.site_url.endswith("/") else project.settings.site_url + "/"

    @api.get(
        "/feeds/{slug}.{ext}",
        summary="The 50 newest published articles of all topics (slug 'all') or of one topic (its id)",
        response_class=Response,
    )
    def feed(slug: str, ext: str) -> Response:
        if ext not in WRITERS:
            raise ApiError(404, f"no feed format {ext[:20]!r} (use rss, atom or json)")
        writer, media_type = WRITERS[ext]
        with store.connect() as conn:
            if slug == "all":
                topic_id, title = None, "all topics"
            else:
                row = conn.execute(select(topics.c.id, topics.c.name).where(topics.c.id == slug)).first()
                if row is None:
                    raise ApiError(404, f"no topic {slug[:100]!r}")
                topic_id, title = row.id, row.name
            articles = list_articles(conn, topic_id=topic_id, published=True, sort="date", limit=FEED_ITEMS)
        info = FeedInfo(title=f"{name}: {title}", site_url=base, feed_url=f"{base}feeds/{slug}.{ext}")
        return Response(writer(info, articles).encode("utf-8"), media_type=media_type)

    return api
