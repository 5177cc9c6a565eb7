"""The website's pages, rendered from the store as complete HTML strings.

The same ``Site`` serves the static publisher (``paths()`` lists every
page, ``render(path)`` draws one) and the live server (one method per
page). Pages are XHTML-compatible HTML5 (every element closed, void
elements self-closed, attributes quoted), carry no script and no remote
asset, and read the same whenever they are drawn from the same store:
no "now" appears in them, and the heat chart ends on the last day heat was
recorded. See ``urls`` for the URL scheme.

An address with no page (unknown id, unpublished article, page number past
the end) raises ``NotFound``, which is both a ``TopicwireError`` and a
``LookupError``; the live server answers it with ``not_found()`` and 404.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Connection

from topicwire.errors import StoreError, TopicwireError
from topicwire.model import Article
from topicwire.site.charts import heat_chart_svg
from topicwire.site.formatting import FILTERS
from topicwire.site.images import LocalImages, Picture
from topicwire.site.sanitize import make_environment
from topicwire.site.urls import PAGE_FILE, page_url, path_of_url, provider_id_from_slug, provider_slug
from topicwire.site.views import AlternateItem, ArticleItem, Pager, ProviderGroup, StoryItem, TopicItem
from topicwire.store import Store
from topicwire.store.alternates import alternates_of
from topicwire.store.articles import get_article, load_articles, provider_id
from topicwire.store.enrichment import latest_topic_heat
from topicwire.store.entities import entity_view, list_entities
from topicwire.store.queries import (
    NewsFilter,
    StoryCard,
    cached_image_paths,
    get_provider,
    get_story,
    latest_heat_day,
    list_providers,
    list_stories,
    news_page,
    published_stamps,
    published_story_ids,
    story_cards,
    topic_heat_history,
)
from topicwire.store.topics import topic_counts

__all__ = ["Site", "NotFound", "PageRef"]

# the website's section for each group of entities, and its title
ENTITY_SECTIONS = {"organization": ("companies", "Companies"), "person": ("people", "People")}
GROUP_OF_SECTION = {section: group for group, (section, _title) in ENTITY_SECTIONS.items()}
ENTITY_ARTICLES = 20
HOME_STORIES = 12
STORIES_PER_PAGE = 20
PROVIDER_ARTICLES = 50
SEARCH_PER_PAGE = 20
CHART_DAYS = 30
# longer searches are cut, not refused: nobody types more by hand
MAX_QUERY = 200
# ids that become one path segment as they are (see urls for providers)
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.~-]*$")


class NotFound(TopicwireError, LookupError):
    """No page at this address; ``source`` names what was asked for."""


@dataclass(frozen=True)
class PageRef:
    """One page of the site: its file path for static publishing, when its
    content last changed (where known), and whether the sitemap lists it."""

    path: str
    lastmod: datetime | None = None
    in_sitemap: bool = True

    @property
    def url(self) -> str:
        """The live URL relative to the base path (``topics/ai/``)."""
        return page_url(self.path)


def _segment(value: str | None) -> str | None:
    return value if value and _SEGMENT.match(value) and ".." not in value else None


class Site:
    """The website of one store.

    ``site_url`` is the absolute address the site is published at (for the
    canonical links and the sitemap); ``base_path`` the path pages link to
    each other under (``/`` unless served from a sub-folder).
    ``images_dir`` is the project's image cache: a cached image is shown
    (as ``images/<path>``) only when its file is there, and without it no
    image is shown.
    With ``feeds`` the pages announce ``feeds/all.atom`` and
    ``feeds/<topic-id>.atom`` (which the static publisher writes)."""

    def __init__(
        self,
        store: Store,
        *,
        name: str,
        site_url: str,
        base_path: str = "/",
        images_dir: Path | None = None,
        feeds: bool = True,
        language: str = "en",
    ):
        self.store = store
        self.name = name
        self.site_url = site_url if site_url.endswith("/") else site_url + "/"
        self.base_path = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
        self.images = LocalImages(images_dir)
        self.feeds = feeds
        self.language = language
        self.env = make_environment()
        self.env.filters.update(FILTERS)
        self.env.globals.update(url=self.url, image_src=self.image_src)

    # -- addresses -------------------------------------------------------------

    def url(self, relative: str = "") -> str:
        """A site-relative link: the base path plus ``relative``."""
        return self.base_path + relative.lstrip("/")

    def image_src(self, picture: Picture) -> str:
        return self.url("images/" + picture.path)

    def topic_url(self, topic_id: str, page: int = 1) -> str | None:
        if _segment(topic_id) is None:
            return None
        return self.url(f"topics/{topic_id}/" + (f"page/{page}/" if page > 1 else ""))

    def story_url(self, story_id: str | None) -> str | None:
        return self.url(f"stories/{story_id}/") if _segment(story_id) else None

    def article_url(self, article_id: str | None) -> str | None:
        return self.url(f"articles/{article_id}/") if _segment(article_id) else None

    def provider_url(self, provider_key: str | None) -> str | None:
        return self.url(f"providers/{provider_slug(provider_key)}/") if provider_key else None

    def entity_url(self, group: str, entity_id: str | None) -> str | None:
        return self.url(f"{ENTITY_SECTIONS[group][0]}/{entity_id}/") if _segment(entity_id) else None

    def _search_url(self, q: str, page: int) -> str:
        return self.url("search/") + "?" + urlencode({"q": q, **({"page": page} if page > 1 else {})})

    # -- rendering -------------------------------------------------------------

    def _render(self, template: str, *, title: str, section: str, path: str | None, **context: Any) -> str:
        feeds = []
        if self.feeds:
            feeds.append((f"{self.name}: all topics", self.url("feeds/all.atom")))
            topic_feed = context.pop("topic_feed", None)
            if topic_feed:
                feeds.append((f"{self.name}: {topic_feed[1]}", self.url(f"feeds/{topic_feed[0]}.atom")))
        else:
            context.pop("topic_feed", None)
        return self.env.get_template(template).render(
            site_name=self.name,
            language=self.language,
            page_title=title,
            section=section,
            canonical=None if path is None else self.site_url + page_url(path),
            feeds=feeds,
            **context,
        )

    def render(self, address: str) -> str:
        """The page at ``address``: a file path from ``paths()`` or a live
        URL relative to the base path (``topics/ai/``, ``/topics/ai/page/2/``).
        Search is drawn without a query (the live server calls ``search``)."""
        parts = path_of_url(address).split("/")
        if parts[-1] != PAGE_FILE:
            raise NotFound("no such page", source=address)
        parts = parts[:-1]
        match parts:
            case []:
                return self.home()
            case ["topics"]:
                return self.topics_index()
            case ["topics", topic_id]:
                return self.topic(topic_id)
            case ["topics", topic_id, "page", number] if number.isdigit() and number == str(int(number)):
                return self.topic(topic_id, int(number))
            case ["stories", story_id]:
                return self.story(story_id)
            case ["articles", article_id]:
                return self.article(article_id)
            case ["providers"]:
                return self.providers_index()
            case ["providers", slug]:
                return self.provider(slug)
            case ["search"]:
                return self.search()
            case [section] if section in GROUP_OF_SECTION:
                return self.entities_index(GROUP_OF_SECTION[section])
            case [section, entity_id] if section in GROUP_OF_SECTION:
                return self.entity(GROUP_OF_SECTION[section], entity_id)
        raise NotFound("no such page", source=address)

    # -- the list of pages -----------------------------------------------------

    def pages(self) -> list[PageRef]:
        """Every page of the site, for the static publisher and the sitemap."""
        with self.store.connect() as conn:
            stamps = published_stamps(conn)
            counts = topic_counts(conn)
            story_cards, _ = list_stories(conn, limit=1_000_000)
            topic_totals = {c.id: list_stories(conn, topic_id=c.id, limit=1)[1] for c in counts}
            named = {group: list_entities(conn, group, limit=None, mentioned_only=True)[0] for group in ENTITY_SECTIONS}
        newest = max((s.changed for s in stamps), default=None)
        by_topic: dict[str, datetime] = {}
        by_provider: dict[str, datetime] = {}
        for s in stamps:
            for tid in s.topic_ids:
                by_topic[tid] = max(by_topic.get(tid, s.changed), s.changed)
            if s.provider_id:
                by_provider[s.provider_id] = max(by_provider.get(s.provider_id, s.changed), s.changed)
        refs = [PageRef(PAGE_FILE, newest), PageRef(f"topics/{PAGE_FILE}", newest)]
        for c in counts:
            if _segment(c.id) is None:
                continue
            refs.append(PageRef(f"topics/{c.id}/{PAGE_FILE}", by_topic.get(c.id)))
            pages = max(1, math.ceil(topic_totals[c.id] / STORIES_PER_PAGE))
            refs += [PageRef(f"topics/{c.id}/page/{n}/{PAGE_FILE}", by_topic.get(c.id), False) for n in range(2, pages + 1)]
        refs += [PageRef(f"stories/{c.id}/{PAGE_FILE}", c.last_seen) for c in story_cards if _segment(c.id)]
        refs += [PageRef(f"articles/{s.id}/{PAGE_FILE}", s.changed) for s in stamps if _segment(s.id)]
        refs.append(PageRef(f"providers/{PAGE_FILE}", newest))
        refs += [PageRef(f"providers/{provider_slug(p)}/{PAGE_FILE}", at) for p, at in sorted(by_provider.items())]
        for group, (section, _title) in ENTITY_SECTIONS.items():
            refs.append(PageRef(f"{section}/{PAGE_FILE}", newest))
            refs += [PageRef(f"{section}/{card.id}/{PAGE_FILE}", newest) for card in named[group] if _segment(card.id)]
        refs.append(PageRef(f"search/{PAGE_FILE}", None, False))
        return refs

    def paths(self) -> list[str]:
        """The file path of every page (``topics/ai/index.html``...)."""
        return [ref.path for ref in self.pages()]

    # -- pieces shared by pages ------------------------------------------------

    def _topic_items(self, conn: Connection) -> list[TopicItem]:
        heat = latest_topic_heat(conn)
        counts = topic_counts(conn)
        items = []
        for c in counts:
            href = self.topic_url(c.id)
            if href is not None:
                items.append(TopicItem(c.id, c.name, href, c.depth, c.published, heat.get(c.id, -1)))
        return _tree_order(items, {c.id: c.parent_id for c in counts})

    def _leads(self, conn: Connection, cards: list[StoryCard]) -> dict[str, Article]:
        """Each story's representative article, or its best published one
        when the representative is not published."""
        reps = {a.id: a for a in load_articles(conn, [c.representative_id for c in cards if c.representative_id])}
        leads: dict[str, Article] = {}
        for card in cards:
            rep = reps.get(card.representative_id or "")
            if rep is None or not rep.published:
                best = news_page(conn, NewsFilter(story_id=card.id), sort="quality", limit=1).articles
                rep = best[0] if best else None
            if rep is not None:
                leads[card.id] = rep
        return leads

    def _story_items(self, conn: Connection, cards: list[StoryCard], *, pictures: bool = True) -> list[StoryItem]:
        leads = self._leads(conn, cards)
        cached = cached_image_paths(conn, [i.url for a in leads.values() for i in a.images]) if pictures else {}
        items = []
        for card in cards:
            lead = leads.get(card.id)
            picture = None
            if lead is not None and pictures:
                found = self.images.pictures(lead.images, cached, headline=lead.title, thumbnails=True, limit=1)
                picture = found[0] if found else None
            items.append(
                StoryItem(
                    card.headline, self.story_url(card.id), card.heat, card.articles, card.providers,
                    card.first_seen, card.last_seen, lead.excerpt if lead else None, picture,
                )
            )
        return items

    def _article_item(
        self, article: Article, *, linked: bool = True, picture: Picture | None = None
    ) -> ArticleItem:
        provider = article.provider
        return ArticleItem(
            title=article.title,
            href=self.article_url(article.id) if linked else None,
            web_url=article.canonical_url,
            excerpt=article.excerpt,
            provider=provider.name if provider else None,
            provider_href=self.provider_url(provider_id(provider)) if provider else None,
            published=article.published_date_time,
            quality=article.quality,
            heat=article.heat,
            picture=picture,
        )

    def _article_items(self, conn: Connection, articles: list[Article]) -> list[ArticleItem]:
        cached = cached_image_paths(conn, [i.url for a in articles for i in a.images])
        items = []
        for a in articles:
            found = self.images.pictures(a.images, cached, headline=a.title, thumbnails=True, limit=1)
            items.append(self._article_item(a, picture=found[0] if found else None))
        return items

    # -- the pages -------------------------------------------------------------

    def home(self) -> str:
        with self.store.connect() as conn:
            cards, total = list_stories(conn, limit=HOME_STORIES)
            stories = self._story_items(conn, cards)
            topics = self._topic_items(conn)
        return self._render(
            "home.html", title="Top stories", section="home", path=PAGE_FILE,
            stories=stories, total=total, topics=topics,
        )

    def topics_index(self) -> str:
        with self.store.connect() as conn:
            topics = self._topic_items(conn)
        return self._render("topics.html", title="Topics", section="topics", path=f"topics/{PAGE_FILE}", topics=topics)

    def topic(self, topic_id: str, page: int = 1) -> str:
        with self.store.connect() as conn:
            counts = topic_counts(conn)
            topic = next((c for c in counts if c.id == topic_id), None)
            if topic is None or self.topic_url(topic_id) is None or page < 1:
                raise NotFound("no such topic", source=topic_id)
            cards, total = list_stories(
                conn, topic_id=topic_id, limit=STORIES_PER_PAGE, offset=(page - 1) * STORIES_PER_PAGE
            )
            if page > 1 and not cards:
                raise NotFound(f"the topic has no page {page}", source=topic_id)
            stories = self._story_items(conn, cards)
            series = topic_heat_history(conn, topic_id, days=CHART_DAYS, end=latest_heat_day(conn))
            heat = latest_topic_heat(conn).get(topic_id, -1)
        names = {c.id: c.name for c in counts}
        parent = topic.parent_id
        children = [
            TopicItem(c.id, c.name, self.topic_url(c.id) or "#", c.depth, c.published, -1)
            for c in counts
            if c.parent_id == topic_id and self.topic_url(c.id)
        ]
        pages = max(1, math.ceil(total / STORIES_PER_PAGE))
        pager = Pager(
            page, pages,
            self.topic_url(topic_id, page - 1) if page > 1 else None,
            self.topic_url(topic_id, page + 1) if page < pages else None,
        )
        path = f"topics/{topic_id}/{PAGE_FILE}" if page == 1 else f"topics/{topic_id}/page/{page}/{PAGE_FILE}"
        chart = heat_chart_svg(series, title=f"Heat of {topic.name}, last {CHART_DAYS} days")
        return self._render(
            "topic.html", title=topic.name + (f" (page {page})" if page > 1 else ""), section="topics", path=path,
            topic=topic, heat=heat, chart=chart, stories=stories, total=total, pager=pager, children=children,
            parent=(names[parent], self.topic_url(parent)) if parent in names else None,
            topic_feed=(topic_id, topic.name),
        )

    def story(self, story_id: str) -> str:
        with self.store.connect() as conn:
            found = get_story(conn, story_id)
            if found is None or not found[1]:
                raise NotFound("no such story", source=story_id)
            card, articles = found
            cached = cached_image_paths(conn, [i.url for a in articles for i in a.images])
            names = {c.name: c.id for c in topic_counts(conn)}
        lead = next((a for a in articles if a.id == card.representative_id), articles[0])
        pictures = self.images.pictures(lead.images, cached, headline=lead.title, limit=1)
        groups: dict[str, ProviderGroup] = {}
        for a in articles:
            key = provider_id(a.provider) if a.provider else ""
            if key not in groups:
                name = a.provider.name if a.provider else "Unknown provider"
                groups[key] = ProviderGroup(name, self.provider_url(key) if key else None)
            groups[key].articles.append(self._article_item(a))
        timeline = [self._article_item(a) for a in articles]
        topics = []
        for a in articles:
            for name in a.topics:
                if name in names and name not in [t[0] for t in topics]:
                    topics.append((name, self.topic_url(names[name])))
        return self._render(
            "story.html", title=card.headline, section="stories", path=f"stories/{story_id}/{PAGE_FILE}",
            story=card, lead=self._article_item(lead), picture=pictures[0] if pictures else None,
            groups=list(groups.values()), timeline=timeline, topics=topics,
        )

    def article(self, article_id: str) -> str:
        with self.store.connect() as conn:
            article = get_article(conn, article_id)
            if article is None or not article.published:
                raise NotFound("no such article", source=article_id)
            pages = published_story_ids(conn, [article_id, *(r.id for r in article.related if r.id)])
            if article_id not in pages:
                raise NotFound("no such article", source=article_id)
            story = get_story(conn, pages[article_id]) if pages[article_id] else None
            cached = cached_image_paths(conn, [i.url for i in article.images])
            alternates = alternates_of(conn, article_id)
            names = {c.name: c.id for c in topic_counts(conn)}
        pictures = self.images.pictures(article.images, cached, headline=article.title)
        related = [
            ArticleItem(
                title=r.title,
                href=self.article_url(r.id) if r.id in pages else None,
                web_url=r.web_url,
                excerpt=r.excerpt,
                provider=r.provider.name if r.provider else None,
                provider_href=self.provider_url(provider_id(r.provider)) if r.provider and r.id in pages else None,
                published=r.published_date_time,
                quality=r.quality,
            )
            for r in article.related
        ]
        topics = [(name, self.topic_url(names[name]) if name in names else None) for name in article.topics]
        return self._render(
            "article.html", title=article.title, section="articles", path=f"articles/{article_id}/{PAGE_FILE}",
            article=self._article_item(article, linked=False), pictures=pictures, topics=topics, related=related,
            alternates=[AlternateItem(a.url, a.provider_name) for a in alternates],
            story=None if story is None else (story[0], self.story_url(story[0].id)),
            amp_url=article.amp_web_url, updated=article.updated_date_time,
        )

    def _provider_key(self, conn: Connection, key: str) -> str:
        if get_provider(conn, key) is not None:
            return key
        found = provider_id_from_slug(key, [p.id for p in list_providers(conn)])
        if found is None:
            raise NotFound("no such provider", source=key)
        return found

    def provider(self, provider_key: str) -> str:
        """A provider's page, by its id or its slug."""
        with self.store.connect() as conn:
            key = self._provider_key(conn, provider_key)
            card = get_provider(conn, key)
            listing = news_page(conn, NewsFilter(provider=key), sort="date", limit=PROVIDER_ARTICLES)
            if card is None or not listing.articles:
                raise NotFound("no such provider", source=provider_key)
            articles = self._article_items(conn, listing.articles)
        return self._render(
            "provider.html", title=card.name, section="providers",
            path=f"providers/{provider_slug(key)}/{PAGE_FILE}",
            provider=card, articles=articles, total=listing.total,
        )

    def providers_index(self) -> str:
        with self.store.connect() as conn:
            cards = [c for c in list_providers(conn) if c.published > 0]
        # by what they published, not by heat: heat decays with the clock,
        # and the page must not change while the store does not
        cards.sort(key=lambda c: (-c.published, c.name.lower(), c.id))
        rows = [(c, self.provider_url(c.id)) for c in cards]
        return self._render(
            "providers.html", title="Providers", section="providers", path=f"providers/{PAGE_FILE}", providers=rows
        )

    def entities_index(self, group: str) -> str:
        """The companies (or people) named in published articles, hottest first."""
        section, title = ENTITY_SECTIONS[group]
        with self.store.connect() as conn:
            cards, _total = list_entities(conn, group, limit=None, mentioned_only=True)  # type: ignore[arg-type]
        rows = [(c, self.entity_url(group, c.id)) for c in cards]
        return self._render(
            "entities.html", title=title, section=section, path=f"{section}/{PAGE_FILE}", entities=rows,
            heading=title, people=group == "person",
        )

    def entity(self, group: str, entity_id: str) -> str:
        """A company's or person's page: overview and facts, heat chart,
        stories hottest first, latest articles, entities named beside it."""
        section, _title = ENTITY_SECTIONS[group]
        with self.store.connect() as conn:
            view = entity_view(conn, entity_id, until=latest_heat_day(conn))
            if view is None or view.card.group != group or not view.card.articles or self.entity_url(group, entity_id) is None:
                raise NotFound(f"no such {'company' if group == 'organization' else 'person'}", source=entity_id)
            stories = self._story_items(conn, story_cards(conn, [sid for sid, *_ in view.stories]), pictures=False)
            listing = news_page(conn, NewsFilter(entity_ids=(entity_id,)), sort="date", limit=ENTITY_ARTICLES)
            articles = self._article_items(conn, listing.articles)
            names = {c.id: c.name for c in topic_counts(conn)}
        card = view.card
        series = [(day, max(0, heat)) for day, heat in view.history]
        chart = heat_chart_svg(series, title=f"Heat of {card.name}, last {CHART_DAYS} days", id_prefix="entity-heat")
        topics = [(name, self.topic_url(tid)) for tid, name, _n in view.topics if tid in names]
        related = [(c, self.entity_url(c.group, c.id), shared) for c, shared in view.related]
        return self._render(
            "entity.html", title=card.name, section=section, path=f"{section}/{entity_id}/{PAGE_FILE}",
            entity=card, record=card.record, chart=chart if series else None, topics=topics, stories=stories,
            articles=articles, total=listing.total, related=related,
        )

    def search(self, q: str | None = None, page: int = 1) -> str:
        """The search form; with ``q``, the published articles matching it
        ranked by relevance × heat, ``SEARCH_PER_PAGE`` a page."""
        query = (q or "").strip()[:MAX_QUERY]
        page = max(1, page)
        results: list[ArticleItem] = []
        total = 0
        message = None
        pager = None
        if query and not re.search(r"\w", query):
            message = "Your search has no words in it. Try a name or a word from a headline."
        elif query:
            try:
                with self.store.connect() as conn:
                    found = news_page(
                        conn, NewsFilter(q=query), sort="relevance", limit=SEARCH_PER_PAGE,
                        offset=(page - 1) * SEARCH_PER_PAGE,
                    )
                    results = self._article_items(conn, found.articles)
                total = found.total
                pages = max(1, math.ceil(total / SEARCH_PER_PAGE))
                pager = Pager(
                    page, pages,
                    self._search_url(query, page - 1) if page > 1 else None,
                    self._search_url(query, page + 1) if page < pages else None,
                )
                if not results:
                    message = "Nothing published matches your search." if page == 1 else "No more results."
            except StoreError as exc:
                message = f"Search is not available: {exc.reason}"
        return self._render(
            "search.html", title=f"Search: {query}" if query else "Search", section="search",
            path=f"search/{PAGE_FILE}" if not query else None,
            q=query, results=results, total=total, message=message, pager=pager,
        )

    def not_found(self) -> str:
        return self._render("not_found.html", title="Page not found", section="", path=None)


def _tree_order(items: list[TopicItem], parents: dict[str, str | None]) -> list[TopicItem]:
    """Topics as an outline: each followed by its children, by name."""
    by_parent: dict[str | None, list[TopicItem]] = {}
    known = {t.id for t in items}
    for item in items:
        parent = parents.get(item.id)
        by_parent.setdefault(parent if parent in known else None, []).append(item)
    ordered: list[TopicItem] = []

    def walk(parent: str | None) -> None:
        for item in sorted(by_parent.get(parent, []), key=lambda t: t.name.lower()):
            ordered.append(item)
            walk(item.id)

    walk(None)
    return ordered
