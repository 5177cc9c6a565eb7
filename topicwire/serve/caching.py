"""Conditional GET: every GET answer carries a strong ETag (a hash of its
body) and a Cache-Control, and a client that already has the body gets a
304 without it.

Hashing the body rather than asking each endpoint for a version keeps the
ETag right by construction: the same bytes, the same tag, whatever changed
in the store to produce them.
"""

from __future__ import annotations

import hashlib

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

NO_STORE = "no-store"
# what a 304 repeats of the full answer (RFC 9110 15.4.5)
KEPT_ON_304 = ("etag", "cache-control", "vary", "content-location", "expires")


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """If-None-Match uses the weak comparison: W/ prefixes do not count."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    plain = tag.removeprefix("W/")
    return any(t.strip().removeprefix("W/") == plain for t in if_none_match.split(","))


def default_cache_control(method: str, status: int, cache_seconds: int) -> str:
    """Listings may be reused for ``cache_seconds``; writes and errors never
    (an error is usually fixed by the next request)."""
    if method not in ("GET", "HEAD") or not 200 <= status < 300:
        return NO_STORE
    return f"public, max-age={cache_seconds}"


class ConditionalGetMiddleware:
    """Endpoints may set their own Cache-Control; the rest get the default."""

    def __init__(self, app: ASGIApp, cache_seconds: int):
        self.app = app
        self.cache_seconds = cache_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method not in ("GET", "HEAD"):
            await self.app(scope, receive, self._with_default(method, send))
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffer(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        # FastAPI routes answer GET only; HEAD is the same answer without
        # its body. The scope is changed in place (and put back) because
        # the router records the matched route in it for the metrics.
        scope["method"] = "GET"
        try:
            await self.app(scope, receive, buffer)
        finally:
            scope["method"] = method
        if start is None:
            return
        body = b"".join(chunks)
        headers = MutableHeaders(raw=list(start["headers"]))
        status = start["status"]
        if "cache-control" not in headers:
            headers["Cache-Control"] = default_cache_control(method, status, self.cache_seconds)
        if body and "etag" not in headers:
            headers["ETag"] = etag(body)
        if status == 200 and "etag" in headers and matches(Headers(scope=scope).get("if-none-match"), headers["etag"]):
            kept = [(k, v) for k, v in headers.raw if k.decode("latin-1").lower() in KEPT_ON_304]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": status, "headers": headers.raw})
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})

    def _with_default(self, method: str, send: Send) -> Send:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message["headers"]))
                if "cache-control" not in headers:
                    headers["Cache-Control"] = default_cache_control(method, message["status"], self.cache_seconds)
                message = {**message, "headers": headers.raw}
            await send(message)

        return sending
