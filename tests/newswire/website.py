"""Request path -> response for the whole fictional web.

(Named website, not site: a module called ``site`` would shadow the
standard library's when this folder is on sys.path.)

Rendered documents are kept per path after their first request, so the
server starts instantly and repeat fetches cost nothing.
"""

from __future__ import annotations

import re
import threading
from datetime import datetime

from newswire import feeds, images
from newswire.amp import render_amp
from newswire.catalog import Catalog
from newswire.layouts import render_article
from newswire.listing import render_home, render_private, render_root
from newswire.profiles import profile
from newswire.responses import HTML, Response, cacheable, not_found, redirect
from newswire.traps import Traps

_MEDIA = re.compile(r"^/([a-z0-9]+)/media/([A-Za-z0-9-]+)\.jpg$")
_TOPIC = re.compile(r"^/([a-z0-9]+)/topic/([a-z0-9-]+)/$")


class Website:
    def __init__(self, base_url: str, stopping: threading.Event, private_url: str):
        self.catalog = Catalog(base_url)
        self.traps = Traps(self.catalog, stopping, private_url)
        self._feeds = feeds.feed_routes(self.catalog)
        self._cache: dict[str, Response] = {}
        self._lock = threading.Lock()
        self._newest = max(e.article.updated or e.article.published for e in self.catalog.entries)

    def handle(self, path: str, query: str) -> Response:
        if path.startswith("/trap/"):
            return self.traps.handle(path[len("/trap/"):], query) or not_found()
        cached = self._cache.get(path)
        if cached is not None:
            return cached
        response = self._route(path)
        if response is None:
            return not_found()
        if response.status == 200 and not response.streamed:
            with self._lock:
                self._cache[path] = response
        return response

    def _route(self, path: str) -> Response | None:
        if path == "/":
            return self._html(render_root(self.catalog), self._newest)
        if path == "/robots.txt":
            return Response(200, feeds.robots(self.catalog).encode(), "text/plain; charset=utf-8")
        if path == "/feeds.opml":
            return cacheable(feeds.opml(self.catalog).encode(), "text/x-opml; charset=utf-8", self._newest)
        if path in self._feeds:
            doc = self._feeds[path]()
            return cacheable(doc.body, doc.content_type, doc.last_modified, doc.headers)
        parts = path.split("/")
        if len(parts) < 2 or parts[1] not in self.catalog.providers:
            return None
        return self._provider_route(parts[1], path)

    def _provider_route(self, pid: str, path: str) -> Response | None:
        entries = self.catalog.by_provider[pid]
        if path == f"/{pid}":
            return redirect(f"/{pid}/", 301)
        if path == f"/{pid}/":
            return self._html(render_home(self.catalog, pid), entries[0].article.published, pid)
        if path == f"/{pid}/logo.png":
            return cacheable(images.logo(pid, self.catalog.providers[pid].name), "image/png", self._newest)
        if path.startswith(f"/{pid}/private/"):
            return Response(200, render_private(pid).encode())
        if (media := _MEDIA.match(path)) is not None:
            return self._photo(pid, media.group(2))
        if (topic := _TOPIC.match(path)) is not None:
            page = render_home(self.catalog, pid, topic.group(2))
            return self._html(page, entries[0].article.published, pid) if page else None
        return self._article(path)

    def _article(self, path: str) -> Response | None:
        entry = self.catalog.by_path.get(path)
        if entry is not None:
            return self._html(render_article(entry, self.catalog), entry.article.updated or entry.article.published,
                              entry.provider.id)
        if path.endswith("/amp/"):
            main = self.catalog.by_path.get(path[: -len("amp/")])
            if main is not None and main.amp_url:
                return self._html(render_amp(main, self.catalog), main.article.updated or main.article.published)
        if self.catalog.by_path.get(path + "/") is not None:
            return redirect(path + "/", 301)
        return None

    def _photo(self, pid: str, article_id: str) -> Response | None:
        entry = self.catalog.by_id.get(article_id)
        if entry is None or entry.provider.id != pid or entry.article.picture is None:
            return None
        pic = entry.article.picture
        return cacheable(images.photo(entry.id, pic.width, pic.height), "image/jpeg", entry.article.published)

    def _html(self, page: str | None, modified: datetime, pid: str | None = None) -> Response | None:
        if page is None:
            return None
        content_type = HTML
        if pid is not None and not profile(pid).charset_in_header:
            content_type = "text/html"
        return cacheable(page.encode("utf-8"), content_type, modified)

