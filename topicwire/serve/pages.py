"""The website, live: the same pages the static publisher writes, drawn
from the store per request, plus the search page with results.

Registered last: its catch-all route answers whatever the API did not.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from topicwire.errors import TopicwireError
from topicwire.site.assets import STATIC_FILES, static_file
from topicwire.site.pages import NotFound, Site

HTML = "text/html; charset=utf-8"


def router(site: Site) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    def missing() -> HTMLResponse:
        return HTMLResponse(site.not_found(), status_code=404, media_type=HTML)

    @r.get("/static/{name}")
    def static(name: str) -> Response:
        if name not in STATIC_FILES:
            return missing()
        return Response(static_file(name), media_type="text/css; charset=utf-8")

    @r.get("/search/")
    def search(
        q: str | None = Query(default=None, max_length=500), page: int = Query(default=1, ge=1, le=10_000)
    ) -> HTMLResponse:
        try:
            return HTMLResponse(site.search(q, page), media_type=HTML)
        except NotFound:
            return missing()

    @r.get("/{address:path}")
    def page(address: str) -> Response:
        if address.startswith(("api/", "feeds/", "images/")):
            # a missing API resource is answered as the API answers: JSON
            raise HTTPException(status_code=404, detail="no such resource")
        try:
            return HTMLResponse(site.render(address), media_type=HTML)
        except NotFound:
            pass
        except TopicwireError:
            return missing()
        # /topics/ai means /topics/ai/: send the reader there when it exists
        if address and not address.endswith("/"):
            try:
                site.render(address + "/")
            except TopicwireError:
                return missing()
            return RedirectResponse(site.url(address + "/"), status_code=308)
        return missing()

    return r
