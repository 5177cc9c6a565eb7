"""The enrichment stages wired in their order, over a stream of records.

topics → duplicates → stories → quality and the publishing rule, article by
article in publication order; then, once the stream is in, heat per story
and the related coverage of each article. The evaluation command and the
crawl cycle run this same code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from topicwire.enrich.dedup import Duplicate, DuplicateIndex
from topicwire.enrich.heat import HeatInput, article_heat, story_heat
from topicwire.enrich.quality import QualityScore, QualityWeights, is_published, score_quality
from topicwire.enrich.related import related_for
from topicwire.enrich.stories import StoryClusterer
from topicwire.enrich.topics import TopicScore, TopicTagger, default_tagger
from topicwire.config import EnrichmentSettings
from topicwire.model import Article, Provider, now_utc
from topicwire.taxonomy import Taxonomy

TierOf = Callable[[Provider | None], "int | None"]


@dataclass
class Enriched:
    article: Article  # topics, quality, published, heat and related filled in
    topics: list[TopicScore]
    duplicate: Duplicate | None
    story: str
    quality: QualityScore


@dataclass
class EnrichSettings:
    publish_threshold: int = 55
    story_window_hours: float = 72
    heat_half_life_hours: float = 24
    related_limit: int = 4
    related_days: float = 7
    # blend sentence-embedding similarity into story matching; on the
    # newswire words alone score B-cubed F1 0.986 and the blend 0.980
    # (best threshold), so words alone are the default
    story_embeddings: bool = False
    weights: QualityWeights = field(default_factory=QualityWeights)


def enrich_settings(settings: EnrichmentSettings, *, source: str | None = None) -> EnrichSettings:
    """The stages' settings from the project's `enrichment` section."""
    return EnrichSettings(
        **settings.model_dump(exclude={"quality"}),
        weights=QualityWeights.from_mapping(settings.quality, source=source),
    )


def _no_tier(_provider: Provider | None) -> int | None:
    return None


class Enricher:
    """Feed articles in publication order with ``add``; ``finish`` adds
    what needs the whole stream (heat, related) and returns every result."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        *,
        tagger: TopicTagger | None = None,
        tier_of: TierOf = _no_tier,
        site_locale: str | None = None,
        settings: EnrichSettings | None = None,
    ):
        self.taxonomy = taxonomy
        self.tagger = tagger or default_tagger(taxonomy)
        self.tier_of = tier_of
        self.site_locale = site_locale
        self.settings = settings or EnrichSettings()
        self.duplicates = DuplicateIndex()
        embed = self.tagger.embedder.embed if self.settings.story_embeddings and self.tagger.embedder else None
        self.stories = StoryClusterer(window_hours=self.settings.story_window_hours, embed=embed)
        self.results: list[Enriched] = []
        self.story_heats: dict[str, int] = {}
        self._clock: datetime | None = None

    def add_many(self, articles: Iterable[Article]) -> None:
        batch = list(articles)
        for article, topics in zip(batch, self.tagger.tag_many(batch), strict=True):
            self._add(article, topics)

    def add(self, article: Article) -> Enriched:
        return self._add(article, self.tagger.tag(article))

    def _add(self, article: Article, topics: list[TopicScore]) -> Enriched:
        names = [t.name for t in topics]
        article = article.model_copy(update={"topics": names})
        duplicate = self.duplicates.check(article)
        if duplicate is None:
            self.duplicates.add(article)
        tier = self.tier_of(article.provider)
        quality = score_quality(
            article,
            provider_tier=tier,
            duplicate=duplicate is not None,
            topic_count=len(names),
            site_locale=self.site_locale,
            weights=self.settings.weights,
        )
        # an undated article is clustered as of when it arrived in the stream
        when = article.published_date_time or self._clock or now_utc()
        self._clock = max(self._clock or when, when)
        dated = article if article.published_date_time else article.model_copy(update={"published_date_time": when})
        story = self.stories.assign(dated, quality=quality.total, duplicate_of=duplicate.of if duplicate else None)
        # editors' overrides arrive with the publishing work; until then the
        # rule alone decides (a record's own `published` was someone's past call)
        published = is_published(
            quality.total,
            topics=len(names),
            duplicate=duplicate is not None,
            threshold=self.settings.publish_threshold,
        )
        article = article.model_copy(update={"quality": quality.total, "published": published})
        result = Enriched(article=article, topics=topics, duplicate=duplicate, story=story, quality=quality)
        self.results.append(result)
        return result

    def finish(self, now: datetime | None = None) -> list[Enriched]:
        now = now or max(
            (r.article.published_date_time for r in self.results if r.article.published_date_time),
            default=datetime.now(timezone.utc),
        )
        members: dict[str, list[Enriched]] = {}
        for r in self.results:
            members.setdefault(r.story, []).append(r)
        heats = self.story_heats = {
            story: story_heat(
                [
                    HeatInput(m.article.published_date_time, _provider_key(m.article.provider), self.tier_of(m.article.provider))
                    for m in group
                    if m.article.published_date_time is not None
                ],
                now,
                half_life_hours=self.settings.heat_half_life_hours,
            )
            for story, group in members.items()
        }
        by_id = {r.article.id: r.article for r in self.results if r.article.id}
        copies = {r.article.id: r.duplicate.of for r in self.results if r.duplicate and r.article.id}
        for r in self.results:
            heat = article_heat(
                r.article.published_date_time, heats[r.story], now, half_life_hours=self.settings.heat_half_life_hours
            )
            related = related_for(
                r.article,
                self.stories,
                by_id,
                limit=self.settings.related_limit,
                days=self.settings.related_days,
                duplicates=copies,
            )
            r.article = r.article.model_copy(update={"heat": heat, "related": related})
        return self.results


def _provider_key(provider: Provider | None) -> str:
    if provider is None:
        return "unknown"
    return (provider.domain or provider.name).lower()

