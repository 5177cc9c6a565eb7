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
from topicwire.store.entities import EntityCard, EntityView
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
    # an entity (group "organization" or "person", id), and its articles
    entity: Callable[[str, str], str]
    entity_news: Callable[[str, str], str]


# the API's name for each group of entities, in paths and filters
ENTITY_PATHS = {"organization": "companies", "person": "people"}
ENTITY_FILTERS = {"organization": "company", "person": "person"}


def _provider_key(provider_id: str) -> str:
    # provider ids are domains or "name:<slug>": ':' and '.' stay readable
    return quote(provider_id, safe=":.")


LIVE = ApiPaths(
    article=lambda i: f"/api/news/{i}",
    story=lambda i: f"/api/stories/{i}",
    provider=lambda i: f"/api/providers/{_provider_key(i)}",
    provider_news=lambda i: f"/api/news?provider={_provider_key(i)}",
    entity=lambda g, i: f"/api/{ENTITY_PATHS[g]}/{i}",
    entity_news=lambda g, i: f"/api/news?{ENTITY_FILTERS[g]}={i}",
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


def entity_item(card: EntityCard, paths: ApiPaths = LIVE) -> dict[str, Any]:
    """A company or person: the registry's entry and what coverage says."""
    record = card.record
    item: dict[str, Any] = {
        "id": card.id,
        "name": card.name,
        "type": card.group,
        "kind": card.kind,
        "heat": card.heat,
        "articles": card.articles,
    }
    for key in ("aliases", "overview", "website", "domains", "role", "affiliations", "parent", "tier", "social",
                "images", "topics"):
        if key in record:
            item[key] = record[key]
    item["path"] = paths.entity(card.group, card.id)
    item["news"] = paths.entity_news(card.group, card.id)
    return item


def entity_detail_item(view: EntityView, paths: ApiPaths = LIVE) -> dict[str, Any]:
    """``entity_item`` with what its page shows: topics from its coverage,
    stories hottest first, entities named beside it, and its heat by day."""
    return {
        **entity_item(view.card, paths),
        "coverageTopics": [{"id": t, "name": name, "articles": n} for t, name, n in view.topics],
        "stories": [
            {"id": s, "headline": headline, "heat": heat, "mentioning": n, "path": paths.story(s)}
            for s, headline, heat, n in view.stories
        ],
        "related": [{**entity_item(card, paths), "shared": shared} for card, shared in view.related],
        "heatHistory": [{"day": day.isoformat(), "heat": heat} for day, heat in view.history],
    }
