"""The JSON shapes of the API, shared by the live server and the static
publisher: articles in the record format (never with their full text) and
small cards for stories and providers. Only the addresses they link to
differ between the two, so those come from an ``ApiPaths``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import quote

from topicwire.model import Article, format_datetime
from topicwire.store.alternates import Alternate
from topicwire.store.queries import ProviderCard, StoryCard


# record fields that never go out in the JSON API
PRIVATE_FIELDS = ("content", "secured", "securedKey")


@dataclass(frozen=True)
class ApiPaths:
    article: Callable[[str], str]
    story: Callable[[str], str]
    provider: Callable[[str], str]
    # where a provider's articles are listed
    provider_news: Callable[[str], str]


def _provider_key(provider_id: str) -> str:
    # provider ids are domains or "name:<slug>": ':' and '.' stay readable
    return quote(provider_id, safe=":.")


LIVE = ApiPaths(
    article=lambda i: f"/api/news/{i}",
    story=lambda i: f"/api/stories/{i}",
    provider=lambda i: f"/api/providers/{_provider_key(i)}",
    provider_news=lambda i: f"/api/news?provider={_provider_key(i)}",
)


def article_item(article: Article, paths: ApiPaths = LIVE, *, score: float | None = None) -> dict[str, Any]:
    return article_data_item(article.to_data(json=True), paths, score=score)


def article_data_item(data: dict[str, Any], paths: ApiPaths = LIVE, *, score: float | None = None) -> dict[str, Any]:
    """``article_item`` from the article's record data (``to_data(json=True)``
    or store.articles.load_article_data); ``data`` is changed in place."""
    # the full text stays in the store, sealed: readers follow webUrl to the
    # source, and the ciphertext is of no use to them (the record files
    # carry it, for other topicwire instances that hold the key)
    for key in PRIVATE_FIELDS:
        data.pop(key, None)
    data["path"] = paths.article(data.get("id") or "")
    if score is not None:
        data["score"] = score
    return data


def alternate_item(alternate: Alternate) -> dict[str, Any]:
    provider = None
    if alternate.provider_id or alternate.provider_name:
        provider = {"id": alternate.provider_id, "name": alternate.provider_name}
    return {"url": alternate.url, "provider": provider}


def story_item(card: StoryCard, paths: ApiPaths = LIVE) -> dict[str, Any]:
    return {
        "id": card.id,
        "headline": card.headline,
        "heat": card.heat,
        "articles": card.articles,
        "providers": card.providers,
        "firstSeen": format_datetime(card.first_seen),
        "lastSeen": format_datetime(card.last_seen),
        "representative": paths.article(card.representative_id) if card.representative_id else None,
        "path": paths.story(card.id),
    }


def provider_item(card: ProviderCard, paths: ApiPaths = LIVE) -> dict[str, Any]:
    return {
        "id": card.id,
        "name": card.name,
        "domain": card.domain,
        "tier": card.tier,
        "articles": card.articles,
        "published": card.published,
        "heat": card.heat,
        "images": [i.to_data(json=True) for i in card.record.images],
        "path": paths.provider(card.id),
        "news": paths.provider_news(card.id),
    }
