"""Endpoints under /trap/ that misbehave on purpose, for the fetcher's
defences: slowness, errors with Retry-After, redirects to private
addresses, oversized and compressed bodies, hostile XML and images.

Anything big is produced lazily: streamed bodies are generators, and the
gzip bomb and deep page are built on first request and then kept.
"""

from __future__ import annotations

import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from functools import lru_cache
from urllib.parse import parse_qs, urlencode

from newswire import images, trap_articles
from newswire.catalog import Catalog
from newswire.responses import Response, redirect

MB = 1024 * 1024
HUGE_BYTES = 200 * MB
BOMB_INFLATED = 200 * MB
DEEP_LEVELS = 100_000
DEFAULT_SLOW = 20.0


def _ok(title: str) -> Response:
    return Response(200, f"<!DOCTYPE html><html><head><title>{title}</title></head>"
                         f"<body><h1>{title}</h1><p>The request got through.</p></body></html>\n".encode())


def _xml(body: str) -> Response:
    return Response(200, body.encode("utf-8"), "application/rss+xml; charset=utf-8")


def _huge_chunks(total: int, chunk: int = 64 * 1024) -> Iterator[bytes]:
    head = b"<!DOCTYPE html><html><head><title>Huge</title></head><body>\n"
    line = b"<p>This page never ends; a careful fetcher stops reading long before it does.</p>\n"
    block = (head + line * (chunk // len(line) + 1))[:chunk]
    filler = (line * (chunk // len(line) + 1))[:chunk]
    sent = 0
    first = True
    while sent < total:
        piece = block if first else filler
        piece = piece[: total - sent]
        first = False
        sent += len(piece)
        yield piece


@lru_cache(maxsize=1)
def gzip_bomb() -> bytes:
    """~200 KB of gzip that inflates to ~200 MB of whitespace."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [squeeze.compress(b"<!DOCTYPE html><html><head><title>Bomb</title></head><body>")]
    blank = b" " * MB
    for _ in range(BOMB_INFLATED // MB):
        parts.append(squeeze.compress(blank))
    parts.append(squeeze.compress(b"</body></html>") + squeeze.flush())
    return b"".join(parts)


@lru_cache(maxsize=1)
def deep_page() -> bytes:
    return (b"<!DOCTYPE html><html><head><title>Deep</title></head><body>"
            + b"<div>" * DEEP_LEVELS + b"<p>The bottom of the page.</p>" + b"</div>" * DEEP_LEVELS
            + b"</body></html>\n")


def billion_laughs(base_url: str) -> str:
    levels = ["<!ENTITY l0 \"lol\">"]
    for i in range(1, 10):
        levels.append(f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">')
    return ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n ' + "\n ".join(levels) + "\n]>\n"
            f"<rss version=\"2.0\"><channel><title>&l9;</title><link>{base_url}/</link><description>x</description>"
            f"<item><title>&l9;</title><link>{base_url}/trap/deep.html</link></item></channel></rss>\n")


def external_entity(base_url: str) -> str:
    return ('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
            f"<rss version=\"2.0\"><channel><title>Feed</title><link>{base_url}/</link><description>x</description>"
            f"<item><title>&x;</title><link>{base_url}/trap/latin1.html</link><description>&x;</description></item>"
            "</channel></rss>\n")


def malformed(catalog: Catalog) -> str:
    """Three sound items around a broken one, and no closing tags: a
    recovering parser still finds the sound items."""
    good = catalog.by_provider["circuitledger"][:3]

    def item(e) -> str:
        return (f"<item><title>{e.article.title.replace('&', '&amp;')}</title><link>{e.url}</link>"
                f"<pubDate>Mon, 05 Oct 2026 12:00:00 GMT</pubDate></item>\n")

    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Broken feed</title>\n'
            f"<link>{catalog.base_url}/</link><description>Tags do not match</description>\n"
            + item(good[0]) + item(good[1])
            + "<item><title>Fish & chips <b>unclosed</title><link>not a url</item>\n"
            + item(good[2]) + "<item><title>cut off mid")


def sitemap_loop(base_url: str, other: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base_url}/trap/{other}</loc></sitemap></sitemapindex>\n")


def blocked_feed(catalog: Catalog) -> str:
    """A feed mixing one allowed article with two robots.txt-disallowed links."""
    allowed = catalog.by_provider["bytefront"][0]
    links = [allowed.url, f"{catalog.base_url}/trap/robots-blocked/story.html",
             f"{catalog.base_url}/sentinel/private/account/"]
    items = "".join(f"<item><title>Item {i}</title><link>{link}</link></item>" for i, link in enumerate(links, 1))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Mixed</title>'
            f"<link>{catalog.base_url}/</link><description>Some links are off limits</description>{items}"
            "</channel></rss>\n")


PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
       b"trailer << /Root 1 0 R >>\n%%EOF\n")


class Traps:
    def __init__(self, catalog: Catalog, stopping: threading.Event, private_url: str):
        self.catalog = catalog
        self.base = catalog.base_url
        self.stopping = stopping
        self.private_url = private_url
        self._hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._routes: dict[str, Callable[[dict[str, list[str]], str], Response]] = {
            "slow": self._slow, "drip": self._drip, "500": self._error, "429": self._too_many,
            "503-then-ok": self._unavailable, "redirect-chain": self._chain, "redirect-loop": self._loop,
            "redirect-private": lambda q, k: redirect(self.private_url),
            "redirect-metadata": lambda q, k: redirect("http://169.254.169.254/latest/meta-data/"),
            "file.pdf": lambda q, k: Response(200, PDF, "application/pdf"),
            "huge": self._huge, "gzip-bomb": self._gzip_bomb,
            "xml-bomb.xml": lambda q, k: _xml(billion_laughs(self.base)),
            "external-entity.xml": lambda q, k: _xml(external_entity(self.base)),
            "malformed.xml": lambda q, k: _xml(malformed(self.catalog)),
            "loop-a.xml": lambda q, k: Response(200, sitemap_loop(self.base, "loop-b.xml").encode(), "application/xml"),
            "loop-b.xml": lambda q, k: Response(200, sitemap_loop(self.base, "loop-a.xml").encode(), "application/xml"),
            "blocked-feed.xml": lambda q, k: _xml(blocked_feed(self.catalog)),
            # no charset in the header on purpose: only the <meta> tells
            "latin1.html": lambda q, k: Response(200, trap_articles.latin1_page(self.base), "text/html"),
            "deep.html": lambda q, k: Response(200, deep_page()),
            "script-title": lambda q, k: Response(200, trap_articles.script_page(self.base)),
            "script-title.xml": lambda q, k: _xml(trap_articles.script_feed(self.base).decode()),
            "broken.jpg": lambda q, k: Response(200, images.truncated_jpeg(), "image/jpeg"),
            "bomb.png": lambda q, k: Response(200, images.pixel_bomb(), "image/png"),
            "not-an-image.jpg": lambda q, k: Response(200, images.NOT_AN_IMAGE, "image/jpeg"),
            "huge.jpg": lambda q, k: Response(200, images.huge_jpeg(), "image/jpeg"),
        }

    def handle(self, name: str, query: str) -> Response | None:
        if name.startswith("robots-blocked/") or name == "robots-blocked":
            return _ok("You should not be here")
        route = self._routes.get(name)
        if route is None:
            return None
        return route(parse_qs(query), f"{name}?{query}")

    def _count(self, key: str) -> int:
        with self._lock:
            self._hits[key] += 1
            return self._hits[key]

    @staticmethod
    def _seconds(query: dict[str, list[str]]) -> float:
        try:
            return min(max(float(query.get("s", [DEFAULT_SLOW])[0]), 0.0), 600.0)
        except ValueError:
            return DEFAULT_SLOW

    def _slow(self, query, key) -> Response:
        # an Event, not time.sleep: stop() wakes every sleeper at once
        self.stopping.wait(self._seconds(query))
        return _ok("Finally")

    def _drip(self, query, key) -> Response:
        """Headers at once, then the body a few bytes at a time: only a
        whole-request deadline catches this, a read timeout does not."""
        seconds = self._seconds(query)
        pieces = [b"<!DOCTYPE html><html><body>"] + [b"<p>drip</p>"] * 9 + [b"</body></html>\n"]

        def body() -> Iterator[bytes]:
            for piece in pieces:
                yield piece
                if self.stopping.wait(seconds / len(pieces)):
                    return

        return Response(200, body(), length=sum(map(len, pieces)))

    def _error(self, query, key) -> Response:
        return Response(500, b"<!DOCTYPE html><html><body><h1>Internal Server Error</h1></body></html>\n")

    def _too_many(self, query, key) -> Response:
        if self._count(key) == 1:
            return Response(429, b"<html><body>Slow down</body></html>\n", headers=[("Retry-After", "1")])
        return _ok("Thanks for waiting")

    def _unavailable(self, query, key) -> Response:
        if self._count(key) == 1:
            return Response(503, b"<html><body>Down for maintenance</body></html>\n", headers=[("Retry-After", "1")])
        return _ok("Back again")

    def _chain(self, query, key) -> Response:
        try:
            hops = int(query.get("n", ["3"])[0])
        except ValueError:
            hops = 3
        if hops <= 0:
            return _ok("End of the chain")
        rest = {k: v[0] for k, v in query.items() if k != "n"}
        return redirect(f"{self.base}/trap/redirect-chain?" + urlencode({"n": hops - 1, **rest}))

    def _loop(self, query, key) -> Response:
        target = "/trap/redirect-loop" if "again" in query else "/trap/redirect-loop?again=1"
        return redirect(self.base + target)

    def _huge(self, query, key) -> Response:
        if query.get("chunked", ["0"])[0] == "1":
            return Response(200, _huge_chunks(HUGE_BYTES), length=None)
        return Response(200, _huge_chunks(HUGE_BYTES), length=HUGE_BYTES)

    def _gzip_bomb(self, query, key) -> Response:
        return Response(200, gzip_bomb(), headers=[("Content-Encoding", "gzip")])
