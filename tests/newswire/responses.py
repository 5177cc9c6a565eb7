"""What a route hands back to the HTTP handler, and conditional GET."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from newswire.dates import http_date

HTML = "text/html; charset=utf-8"


@dataclass
class Response:
    status: int = 200
    body: bytes | Iterable[bytes] = b""
    content_type: str | None = HTML
    headers: list[tuple[str, str]] = field(default_factory=list)
    # for streamed bodies: the declared size, or None to send chunked
    length: int | None = None

    @property
    def streamed(self) -> bool:
        return not isinstance(self.body, bytes)


def redirect(location: str, status: int = 302) -> Response:
    return Response(status, b"", None, [("Location", location)])


def not_found() -> Response:
    return Response(404, b"<!DOCTYPE html><html><head><title>Not found</title></head>"
                         b"<body><h1>Not found</h1></body></html>\n")


def strong_etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:24] + '"'


def cacheable(body: bytes, content_type: str, last_modified: datetime,
              headers: Iterable[tuple[str, str]] = ()) -> Response:
    return Response(200, body, content_type,
                    [("ETag", strong_etag(body)), ("Last-Modified", http_date(last_modified)), *headers])


def _header(response: Response, name: str) -> str | None:
    return next((v for k, v in response.headers if k.lower() == name.lower()), None)


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    # If-None-Match compares weakly (RFC 9110 13.1.2): W/ prefixes do not matter
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return etag in tags


def _not_modified_since(header: str, last_modified: str) -> bool:
    try:
        since = parsedate_to_datetime(header)
        modified = parsedate_to_datetime(last_modified)
    except (TypeError, ValueError, IndexError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return modified <= since


def conditional(response: Response, request_headers) -> Response:
    """Turn a 200 into a 304 when the client's validators still match.
    If-None-Match wins over If-Modified-Since, as RFC 9110 says."""
    if response.status != 200:
        return response
    etag = _header(response, "ETag")
    last_modified = _header(response, "Last-Modified")
    if_none_match = request_headers.get("If-None-Match")
    if if_none_match is not None:
        fresh = etag is not None and _etag_matches(if_none_match, etag)
    else:
        since = request_headers.get("If-Modified-Since")
        fresh = since is not None and last_modified is not None and _not_modified_since(since, last_modified)
    if not fresh:
        return response
    kept = [(k, v) for k, v in response.headers if k.lower() in ("etag", "last-modified", "cache-control", "expires")]
    return replace(response, status=304, body=b"", content_type=None, headers=kept)
