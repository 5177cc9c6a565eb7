"""The stories, providers, companies and people of the static JSON API:

    OUT/api/stories/page/<n>.json                 stories hottest first (20 a page)
    OUT/api/stories/<id>.json                     a story with its coverage, oldest first
    OUT/api/providers.json                        providers with counts and heat
    OUT/api/providers/<slug>/page/<n>.json        a provider's published articles, newest first
    OUT/api/companies/page/<n>.json               companies and organizations named in published
    OUT/api/people/page/<n>.json                  articles (and people), hottest first
    OUT/api/companies/<id>.json, .../people/<id>.json   one, with its topics, stories, related, heat by day
    OUT/api/companies/<id>/page/<n>.json ...      the published articles naming it, newest first
    OUT/companies/<id>.md, OUT/people/<id>.md     its record: front matter, then the overview

The shapes are the live API's (topicwire.site.api_items); links point at
the published files. Heat of providers is taken as of the end of the last
day heat was recorded, not the moment of publishing, so that publishing
twice with nothing new writes the same bytes.
"""

from __future__ import annotations

from datetime import datetime, time, timezone
from typing import Any, Callable

from sqlalchemy import Connection

from topicwire.model import Article
from topicwire.records import dump_front_matter, paginate
from topicwire.site.api_items import (
    ENTITY_PATHS,
    ApiPaths,
    article_item,
    entity_detail_item,
    entity_item,
    provider_item,
    story_item,
)
from topicwire.store.entities import EntityCard, entity_view, list_entities
from topicwire.site.urls import provider_slug
from topicwire.store.queries import NewsFilter, get_story, latest_heat_day, list_providers, list_stories, news_page

STATIC = ApiPaths(
    article=lambda i: f"api/news/{i}.json",
    story=lambda i: f"api/stories/{i}.json",
    provider=lambda i: f"api/providers/{provider_slug(i)}/page/1.json",
    provider_news=lambda i: f"api/providers/{provider_slug(i)}/page/1.json",
    entity=lambda g, i: f"api/{ENTITY_PATHS[g]}/{i}.json",
    entity_news=lambda g, i: f"api/{ENTITY_PATHS[g]}/{i}/page/1.json",
)
# one listing of every story or of one provider's articles, read whole
ALL = 1_000_000


def entity_record_text(card: EntityCard) -> str:
    """A company's or person's record file: the registry entry and its
    coverage as front matter, the overview as the body."""
    record = dict(card.record)
    overview = record.pop("overview", None)
    front = {"id": card.id, "name": card.name, "type": card.group, **{k: v for k, v in record.items() if k not in
             ("id", "name")}, "heat": card.heat, "articles": card.articles}
    return dump_front_matter(front, overview)


def write_catalog(
    conn: Connection, write_json: Callable[[str, Any], None], placed: dict[str, Article],
    write_text: Callable[[str, str], None] | None = None,
) -> None:
    """Writes the files above with ``write_json(relative_path, data)``;
    ``placed`` maps article ids to the published articles (with their
    record file's path), which the listings show."""

    def item(article: Article) -> dict[str, Any]:
        shown = placed.get(article.id or "", article)
        return {**article_item(shown, STATIC), "path": shown.path} if shown.path else article_item(shown, STATIC)

    cards, _ = list_stories(conn, limit=ALL)
    for page in paginate(story_item(c, STATIC) for c in cards):
        write_json(f"api/stories/page/{page['page']}.json", page)
    for card in cards:
        found = get_story(conn, card.id)
        if found is not None:
            write_json(f"api/stories/{card.id}.json", {**story_item(card, STATIC), "coverage": [item(a) for a in found[1]]})
    day = latest_heat_day(conn)
    as_of = datetime.combine(day, time.max, tzinfo=timezone.utc) if day else datetime(1970, 1, 1, tzinfo=timezone.utc)
    providers = [p for p in list_providers(conn, now=as_of) if p.published]
    write_json("api/providers.json", [provider_item(p, STATIC) for p in providers])
    for provider in providers:
        listing = news_page(conn, NewsFilter(provider=provider.id), limit=ALL).articles
        for page in paginate(item(a) for a in listing):
            write_json(f"api/providers/{provider_slug(provider.id)}/page/{page['page']}.json", page)
    for group, folder in ENTITY_PATHS.items():
        named, _ = list_entities(conn, group, limit=None, mentioned_only=True)  # type: ignore[arg-type]
        for page in paginate(entity_item(c, STATIC) for c in named):
            write_json(f"api/{folder}/page/{page['page']}.json", page)
        for card in named:
            view = entity_view(conn, card.id, until=day)
            listing = news_page(conn, NewsFilter(entity_ids=(card.id,)), limit=ALL).articles
            if view is not None:
                write_json(f"api/{folder}/{card.id}.json", entity_detail_item(view, STATIC))
            for page in paginate(item(a) for a in listing):
                write_json(f"api/{folder}/{card.id}/page/{page['page']}.json", page)
            if write_text is not None:
                write_text(f"{folder}/{card.id}.md", entity_record_text(card))
