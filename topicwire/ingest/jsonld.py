"""JSON-LD blocks: parsing them as forgivingly as browsers' consumers do,
and finding the object that describes the page's article."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from topicwire.ingest.text import plain_text

ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "reviewnewsarticle", "backgroundnewsarticle", "askpublicnewsarticle", "blogposting", "liveblogposting",
    "techarticle", "scholarlyarticle", "report", "socialmediaposting", "satiricalarticle", "advertisercontentarticle",
}
PAGE_TYPES = {"webpage", "itempage", "collectionpage"}
_WRAPPER_RE = re.compile(r"^\s*(?:<!--|<!\[CDATA\[|//\s*<!\[CDATA\[)|(?:-->|\]\]>|//\s*\]\]>)\s*$")
_MAX_OBJECTS = 500


def parse_jsonld(text: str) -> list[dict]:
    """Every object of one JSON-LD block, outermost first (``@graph``
    members and nested objects included); a broken block gives nothing."""
    text = _WRAPPER_RE.sub("", text).strip().rstrip(";")
    try:
        # strict=False: raw newlines inside strings are common and harmless
        data = json.loads(text, strict=False)
    except (ValueError, RecursionError):
        return []
    found: list[dict] = []
    try:
        for obj in _walk(data):
            found.append(obj)
            if len(found) >= _MAX_OBJECTS:
                break
    except RecursionError:
        pass
    return found


def _walk(value: Any) -> Iterator[dict]:
    if isinstance(value, dict):
        yield value
        for child in value.values():
            if isinstance(child, (dict, list)):
                yield from _walk(child)
    elif isinstance(value, list):
        for child in value:
            yield from _walk(child)


def types_of(obj: dict) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1].lower() for k in kinds if isinstance(k, str)}


def main_article(objects: list[dict], page_urls: set[str] = frozenset()) -> dict | None:
    """The article the page is about: the article-typed object that names
    one of ``page_urls`` (ignoring scheme and trailing slash), else the
    outermost one (a live blog's updates are articles too, but nested
    inside it), else a web page object, which some sites use to carry the
    article's dates."""
    wanted_urls = {_url_key(u) for u in page_urls}
    for wanted in (ARTICLE_TYPES, PAGE_TYPES):
        candidates = [obj for obj in objects if types_of(obj) & wanted]
        for obj in candidates:
            if wanted_urls & {_url_key(u) for u in _urls_of(obj)}:
                return obj
        if candidates:
            return candidates[0]
    return None


def _urls_of(obj: dict) -> list[str]:
    urls = [obj.get("url"), obj.get("@id")]
    page = obj.get("mainEntityOfPage")
    urls.append(page.get("@id") or page.get("url") if isinstance(page, dict) else page)
    return [u for u in urls if isinstance(u, str)]


def _url_key(url: str) -> str:
    return url.split("://", 1)[-1].split("#", 1)[0].rstrip("/").lower()


def text_of(value: Any) -> str:
    """A plain-text value: a string, or the first usable one of a list."""
    if isinstance(value, list):
        for item in value:
            text = text_of(item)
            if text:
                return text
        return ""
    if isinstance(value, dict):
        return text_of(value.get("@value") or value.get("name"))
    return plain_text(value, unescape=True) if isinstance(value, str) else ""


def names_of(value: Any) -> list[str]:
    """Names in a Person/Organization value, a list of them or plain strings."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        text = text_of(name)
        if text:
            names.append(text)
    return names
