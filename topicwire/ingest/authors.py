"""Bylines: the people the page names as its authors."""

from __future__ import annotations

import re

from topicwire.ingest.jsonld import names_of
from topicwire.ingest.metadata import PageMeta
from topicwire.ingest.text import plain_text

MAX_AUTHORS = 20
_BY_RE = re.compile(r"^by\s+", re.IGNORECASE)
# "Jane Doe and John Roe", "Jane Doe, John Roe"
_SPLIT_RE = re.compile(r"\s*(?:,|;|\band\b|&)\s*")


def find_authors(page: PageMeta, article: dict | None) -> list[str]:
    # structured data names people one by one; meta tags are read only
    # without it, as they often hold the publisher or a list in one string
    names = names_of(article.get("author")) if article is not None else []
    for key in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl"):
        if names:
            break
        for value in page.meta.get(key, ()):
            names += _SPLIT_RE.split(_BY_RE.sub("", plain_text(value)))
    seen: dict[str, str] = {}
    for name in names:
        name = _BY_RE.sub("", name).strip(" ,;")
        # profile links and handles are not names
        if not name or "://" in name or name.startswith("@") or len(name) > 100:
            continue
        seen.setdefault(name.casefold(), name)
    return list(seen.values())[:MAX_AUTHORS]
