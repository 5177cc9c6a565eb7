"""The website's URL scheme, in one place.

A page has a file path for static publishing and a live URL, the same path
without ``index.html``::

    index.html                               /
    topics/index.html                        /topics/
    topics/<topic-id>/index.html             /topics/<topic-id>/
    topics/<topic-id>/page/<n>/index.html    /topics/<topic-id>/page/<n>/   (n >= 2)
    stories/<story-id>/index.html            /stories/<story-id>/
    articles/<article-id>/index.html         /articles/<article-id>/
    providers/index.html                     /providers/
    providers/<provider-slug>/index.html     /providers/<provider-slug>/
    search/index.html                        /search/?q=…&page=…

Live URLs are prefixed with the site's base path (``/`` unless the site is
served from a sub-folder).

Provider ids are registrable domains (``bytefront.io``) or
``name:<slug>`` for a provider known only by name. A colon in a path
segment reads as a URL scheme in relative links and is not allowed in
Windows file names, so providers get a slug: the id with ``:`` written as
``~`` when the id is otherwise plain (lower-case letters, digits, ``.``,
``-``, ``_``), and ``x-`` plus a hash of the id for anything else (a
domain copied badly from a record). ``provider_id_from_slug`` turns the
first kind back directly; the hashed kind is found among known ids.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection

__all__ = ["provider_slug", "provider_id_from_slug", "page_url", "path_of_url", "PAGE_FILE"]

PAGE_FILE = "index.html"

_PLAIN_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*(?::[a-z0-9][a-z0-9._-]*)?$")
_PLAIN_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*(?:~[a-z0-9][a-z0-9._-]*)?$")
_HASHED = "x-"


def _hashed(provider_id: str) -> str:
    return _HASHED + hashlib.sha256(provider_id.encode("utf-8")).hexdigest()[:16]


def provider_slug(provider_id: str) -> str:
    """The URL-safe path segment of a provider."""
    if _PLAIN_ID.match(provider_id) and ".." not in provider_id:
        return provider_id.replace(":", "~")
    return _hashed(provider_id)


def provider_id_from_slug(slug: str, known: Collection[str] | None = None) -> str | None:
    """The provider id a slug stands for. Without ``known`` only a plain
    slug can be read (straight off the slug); with the known ids, the
    answer is always one of them (a hashed slug is looked up), else None."""
    candidate = None
    if _PLAIN_SLUG.match(slug) and ".." not in slug:
        candidate = slug.replace("~", ":")
        if provider_slug(candidate) != slug:
            candidate = None
    if known is None:
        return candidate
    if candidate is not None and candidate in known:
        return candidate
    return next((pid for pid in known if provider_slug(pid) == slug), None)


def page_url(path: str) -> str:
    """The live URL (relative to the base path) of a page's file path:
    ``topics/ai/index.html`` → ``topics/ai/``, ``index.html`` → ``""``."""
    if path == PAGE_FILE:
        return ""
    if path.endswith("/" + PAGE_FILE):
        return path[: -len(PAGE_FILE)]
    return path


def path_of_url(url: str) -> str:
    """The file path of a live URL relative to the base path (the inverse
    of ``page_url``; a query string or fragment is ignored)."""
    url = url.split("?", 1)[0].split("#", 1)[0].lstrip("/")
    if url == "" or url.endswith("/"):
        return url + PAGE_FILE
    return url
