"""The stories and providers of the static JSON API:

    OUT/api/stories/page/<n>.json                 stories hottest first (20 a page)
    OUT/api/stories/<id>.json                     a story with its coverage, oldest first
    OUT/api/providers.json                        providers with counts and heat
    OUT/api/providers/<slug>/page/<n>.json        a provider's published articles, newest first

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
from topicwire.records import paginate
from topicwire.site.api_items import ApiPaths, article_item, provider_item, story_item
from topicwire.site.urls import provider_slug
from topicwire.store.queries import NewsFilter, get_story, latest_heat_day, list_providers, list_stories, news_page

STATIC = ApiPaths(
    article=lambda i: f"api/news/{i}.json",
    story=lambda i: f"api/stories/{i}.json",
    provider=lambda i: f"api/providers/{provider_slug(i)}/page/1.json",
    provider_news=lambda i: f"api/providers/{provider_slug(i)}/page/1.json",
)
# one listing of every story or of one provider's articles, read whole
ALL = 1_000_000


def write_catalog(conn: Connection, write_json: Callable[[str, Any], None], placed: dict[str, Article]) -> None:
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
