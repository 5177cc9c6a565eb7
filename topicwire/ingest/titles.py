"""The headline: the page's declared titles, with the site name that pages
append (``Headline | Provider``) taken off."""

from __future__ import annotations

import re

from topicwire.ingest.jsonld import text_of
from topicwire.ingest.metadata import PageMeta
from topicwire.ingest.text import plain_text

SEPARATORS = (" | ", " - ", " — ", " – ", " :: ", " · ", " • ", " » ", " : ")
MAX_TITLE = 500
_TRUNCATED = ("…", "...")
_BYLINE_RE = re.compile(r"^\s*by\s+\S+(?:\s+\S+){0,4}\s*$", re.IGNORECASE)
_GENERIC = {
    "news", "online", "com", "couk", "newsonline", "media", "magazine", "channel", "digital", "tv", "live",
    "today", "daily", "network", "group", "us", "uk", "world", "newsroom", "blog",
}


def _key(text: str) -> str:
    key = re.sub(r"[\W_]+", "", text.casefold())
    return key.removeprefix("the") if len(key) > 5 else key


class SiteNames:
    """The ways a page names its own site (its names, its domain), to tell
    them apart from the headline they are appended to."""

    def __init__(self, names: list[str], domain: str | None):
        keys = {_key(n) for n in names if n}
        self.label = _key(domain.split(".")[0]) if domain else None
        if domain:
            keys.update((_key(domain), self.label))
        self.keys = {k for k in keys if k and len(k) >= 2}

    def _is_segment(self, segment: str) -> bool:
        if _BYLINE_RE.match(segment):  # "Headline | Site | by Jane Doe"
            return True
        key = _key(segment)
        if not key:
            return False
        if key in self.keys:
            return True
        # "BBC News" on bbc.co.uk: the domain's name plus a generic word
        label = self.label
        return bool(label) and len(label) >= 3 and key.startswith(label) and key[len(label):] in _GENERIC

    def is_name(self, text: str) -> bool:
        """Whether ``text`` is only the site's name (some templates fill a
        title or a description with it)."""
        return not _BYLINE_RE.match(text) and self._is_segment(text)

    def strip(self, title: str) -> str:
        """``title`` without a leading or trailing site name; a title that
        is nothing but the site name is returned unchanged."""
        for _ in range(4):  # "Headline | Site | by Author" and the like
            before = title
            for sep in SEPARATORS:
                head, found, tail = title.rpartition(sep)
                if found and head.strip() and self._is_segment(tail):
                    title = head.strip()
                    break
                head, found, tail = title.partition(sep)
                if found and tail.strip() and sep != " : " and self._is_segment(head):
                    title = tail.strip()
                    break
            if title == before:
                break
        return title


def choose_title(page: PageMeta, article: dict | None, site: SiteNames) -> tuple[str, str] | None:
    """The best title and the signal it came from: the first declared one
    that is more than the site name, unless a later one is the full text
    of which it is a truncation."""
    candidates: list[tuple[str, str]] = []
    for name in ("og:title", "twitter:title"):
        candidates.extend((name, plain_text(v)) for v in page.meta.get(name, ())[:1])
    if article is not None:
        candidates.insert(1, ("json-ld headline", text_of(article.get("headline") or article.get("name"))))
    candidates.extend(("<h1>", h) for h in page.headings[:2])
    candidates.extend(("microdata headline", plain_text(v)) for v in page.itemprops.get("headline", ())[:1])
    if page.title:
        candidates.append(("<title>", plain_text(page.title)))

    usable = []
    for source, raw in candidates:
        title = site.strip(raw) if raw else ""
        if len(title) < 2 or len(title) > MAX_TITLE or site.is_name(title):
            continue
        usable.append((title, source))
    if not usable:
        return None
    title, source = usable[0]
    if title.endswith(_TRUNCATED):
        stem = _key(title.rstrip(".…"))
        for other, other_source in usable[1:]:
            if len(other) > len(title) and _key(other).startswith(stem) and not other.endswith(_TRUNCATED):
                return other, other_source
    return title, source
