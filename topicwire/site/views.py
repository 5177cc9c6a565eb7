"""What the templates are given: small, flat records with every link
already worked out, so that templates only lay things out and never build
a URL from a stored value."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from topicwire.site.images import Picture


@dataclass(frozen=True)
class TopicItem:
    id: str
    name: str
    href: str
    depth: int
    published: int
    heat: int


@dataclass(frozen=True)
class StoryItem:
    headline: str
    href: str | None
    heat: int
    coverage: int
    providers: list[str]
    first_seen: datetime
    last_seen: datetime
    # the representative article: the lead the story is shown with
    excerpt: str | None = None
    picture: Picture | None = None


@dataclass(frozen=True)
class ArticleItem:
    title: str
    # our page for it, when it has one; else only the source's page
    href: str | None
    web_url: str | None
    excerpt: str | None = None
    provider: str | None = None
    provider_href: str | None = None
    published: datetime | None = None
    quality: int | None = None
    heat: int | None = None
    picture: Picture | None = None


@dataclass(frozen=True)
class ProviderGroup:
    name: str
    href: str | None
    articles: list[ArticleItem] = field(default_factory=list)


@dataclass(frozen=True)
class Pager:
    page: int
    pages: int
    previous: str | None
    next: str | None


@dataclass(frozen=True)
class AlternateItem:
    url: str
    provider: str | None
