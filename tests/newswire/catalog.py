"""Where every article lives and what its page declares about itself.

This is the single place that decides URLs, canonical policy, AMP and
images; the page templates render these decisions and the ground truth
reports them, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from newswire.corpus import Article, Block, Provider, load_corpus
from newswire.dates import zone
from newswire.profiles import Profile, profile

# Pages that only declare og:url: a steady sprinkle across providers, so a
# crawler that insists on rel=canonical is caught on ordinary pages.
OG_ONLY_EVERY = 12


@dataclass(frozen=True)
class Entry:
    article: Article
    provider: Provider
    profile: Profile
    path: str
    url: str
    site_url: str
    canonical: str | None      # the rel=canonical href, if the page has one
    og_url: str | None
    web_url: str               # what a crawler should settle on as the canonical URL
    amp_url: str | None
    amp_href: str | None       # rel=amphtml exactly as written in the page
    image_url: str | None
    duplicate_of: str | None
    source: Entry | None       # the original of a syndicated copy

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def body(self) -> tuple[Block, ...]:
        """The blocks shown as article text; a paywall's closing prompt moves
        into the subscribe box instead."""
        blocks = self.article.blocks
        return blocks[:-1] if self.article.kind == "paywall" else blocks

    @property
    def paywall_prompt(self) -> str | None:
        if self.article.kind != "paywall":
            return None
        return " ".join(self.article.blocks[-1].lines)

    def body_texts(self) -> list[str]:
        return [text for block in self.body for text in block.texts()]


def article_path(article: Article, provider_zone: str) -> str:
    day = article.published.astimezone(zone(provider_zone))
    return f"/{article.provider}/{day:%Y/%m/%d}/{article.slug}/"


def _og_only_ids(articles: tuple[Article, ...]) -> set[str]:
    eligible = sorted(
        a.id for a in articles
        if profile(a.provider).canonical and a.provider != "dailysyndicate"
    )
    return {aid for i, aid in enumerate(eligible) if i % OG_ONLY_EVERY == OG_ONLY_EVERY - 1}


def _copies_pointing_home(articles: tuple[Article, ...]) -> set[str]:
    """Every other syndicated copy names the original as its canonical."""
    copies = sorted(a.id for a in articles if a.syndicated_from)
    return set(copies[::2])


class Catalog:
    """Every article's entry for one server base URL."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.corpus = load_corpus()
        self.entries: list[Entry] = []
        self._build()
        self.by_path = {e.path: e for e in self.entries}
        self.by_id = {e.id: e for e in self.entries}

    def _build(self) -> None:
        articles = self.corpus.articles
        og_only = _og_only_ids(articles)
        home_pointing = _copies_pointing_home(articles)
        originals = [a for a in articles if not a.syndicated_from]
        copies = [a for a in articles if a.syndicated_from]
        made: dict[str, Entry] = {}
        for article in originals + copies:  # originals first: copies point at them
            made[article.id] = self._entry(article, og_only, home_pointing, made)
        self.entries = [made[a.id] for a in articles]

    def _entry(self, article: Article, og_only: set[str], home_pointing: set[str], made: dict[str, Entry]) -> Entry:
        provider = self.corpus.providers[article.provider]
        prof = profile(article.provider)
        path = article_path(article, prof.zone)
        url = self.base_url + path
        site_url = provider.site + path[len(provider.id) + 1:]
        source = made[article.syndicated_from] if article.syndicated_from else None
        if not prof.canonical:
            canonical, og_url, web_url = None, None, url
        elif article.id in og_only:
            canonical, og_url, web_url = None, site_url, site_url
        elif source is not None and article.id in home_pointing:
            canonical, og_url, web_url = source.web_url, site_url, source.web_url
        else:
            canonical, og_url, web_url = site_url, site_url, site_url
        amp_url = amp_href = None
        if prof.amp:
            amp_url = url + "amp/"
            amp_href = {"relative": "amp/", "root": path + "amp/", "absolute": amp_url}[prof.amp]
        image_url = f"{self.base_url}/{provider.id}/media/{article.id}.jpg" if article.picture else None
        return Entry(
            article=article, provider=provider, profile=prof, path=path, url=url, site_url=site_url,
            canonical=canonical, og_url=og_url, web_url=web_url, amp_url=amp_url, amp_href=amp_href,
            image_url=image_url, duplicate_of=source.web_url if source else None, source=source,
        )

    @cached_property
    def by_provider(self) -> dict[str, list[Entry]]:
        grouped: dict[str, list[Entry]] = {pid: [] for pid in self.corpus.providers}
        for entry in self.entries:
            grouped[entry.provider.id].append(entry)
        for group in grouped.values():
            group.sort(key=lambda e: e.article.published, reverse=True)
        return grouped

    @property
    def providers(self) -> dict[str, Provider]:
        return self.corpus.providers

    def home_url(self, provider_id: str) -> str:
        return f"{self.base_url}/{provider_id}/"

    def feed_url(self, provider_id: str) -> str:
        return f"{self.base_url}/{provider_id}{profile(provider_id).feed.path}"

    def logo_url(self, provider_id: str) -> str:
        return f"{self.base_url}/{provider_id}/logo.png"
