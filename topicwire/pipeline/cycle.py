"""One crawl cycle: sources → feeds → pages → articles in the store.

Failures are data: a feed or page that cannot be fetched, parsed or
extracted is recorded in its fetch state with the reason and tried again
later (with back-off), and counted in the run's summary; it never stops
the cycle. Each article is stored in a transaction of its own, so that a
cycle killed half-way keeps everything it finished.

A cycle killed anywhere (even by SIGKILL) loses nothing for the next one:

- a feed's validators (ETag, Last-Modified) are recorded only once every
  entry it listed has been handled, so the next cycle never hears "not
  modified" about a feed whose articles were not all stored;
- the work done after the articles are stored (their images, and the
  scoring of everything they touched) is redone by the next cycle for every
  article changed since the first cycle that did not finish.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import select

from topicwire.config import FetchSettings
from topicwire.errors import StoreError, TopicwireError
from topicwire.ingest.excerpt import cut
from topicwire.ingest.extract import extract
from topicwire.ingest.feeds import FeedEntry, parse_feed
from topicwire.ingest.fetch import Fetcher, FetchPolicy, FetchResult, HostGate
from topicwire.ingest.images import CachedImage, ImageError, store_image
from topicwire.ingest.urls import normalize_url
from topicwire.enrich.entities import EntityMatcher, article_entities, propose_names
from topicwire.enrich.heat import HeatInput, story_heat
from topicwire.model import Article, Provider, now_utc
from topicwire.organizations import Organizations
from topicwire.pipeline.enrichment import EnrichSettings, Enricher
from topicwire.pipeline.imports import prepare
from topicwire.registry import Registry
from topicwire.secure import KeyRing
from topicwire.sources import SourceSpec
from topicwire.store import Store
from topicwire.store.articles import (
    mark_image_cached,
    mark_logo_cached,
    provider_id,
    save_article,
    uncached_images,
    uncached_logos,
)
from topicwire.store.enrichment import (
    TopicRow,
    articles_since,
    changed_since,
    record_topic_heat,
    save_enrichment,
    save_story,
    set_story_heat,
    warm_stories_outside,
)
from topicwire.store.alternates import add_alternate, drop_alternate
from topicwire.store.entities import record_entity_heat, save_candidates, save_mentions, sync_registry
from topicwire.store.schema import articles
from topicwire.store.runs import finish_run, start_run, unfinished_since
from topicwire.store.sources import FetchState, get_states, record_failure, record_success, sync_sources
from topicwire.store.topics import sync_taxonomy
from topicwire.taxonomy import Taxonomy

# a sitemap index may point at further indexes; deeper than this is a loop
# or a mistake
MAX_SITEMAP_DEPTH = 3
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, text/plain;q=0.5, */*;q=0.1"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"

# For tests only (tests/pipeline/test_crash_safety.py); never set it
# otherwise. TOPICWIRE_TEST_CRASH_AT makes a cycle kill its own process with
# SIGKILL (no clean-up of any kind, like a power cut or the OOM killer) at a
# chosen point, so that the test stops `topicwire run` where it matters
# instead of hoping a timer lands there: "NAME:N" the N-th time the
# checkpoint NAME is reached, "timer:SECONDS" that long after the cycle
# began, wherever it is then; several, comma-separated: whichever comes
# first. Unset, a checkpoint costs one test of None.
ENV_TEST_CRASH_AT = "TOPICWIRE_TEST_CRASH_AT"
CRASH_CHECKPOINTS = {
    "feed": "a feed fetched and parsed, before any of its pages",
    "article": "an article's transaction committed, before its images",
    "image": "an image file written to the cache, before its row says so",
    "enrich": "inside the scoring transaction, some articles' rows written",
    "enriched": "the scoring committed, before the run is marked done",
}


class _CrashPlan:
    """Where TOPICWIRE_TEST_CRASH_AT says to die (see above)."""

    def __init__(self, spec: str):
        self.points: dict[str, float] = {}
        for part in spec.split(","):
            name, _, count = part.strip().partition(":")
            try:
                at = float(count)
            except ValueError:
                at = -1.0
            if (name not in CRASH_CHECKPOINTS and name != "timer") or at <= 0:
                raise TopicwireError(
                    f"not a crash point: {part!r} (NAME:N with NAME one of {', '.join(CRASH_CHECKPOINTS)}, "
                    "or timer:SECONDS)",
                    field=ENV_TEST_CRASH_AT,
                )
            self.points[name] = at
        self.reached: Counter[str] = Counter()

    @classmethod
    def from_env(cls) -> "_CrashPlan | None":
        spec = os.environ.get(ENV_TEST_CRASH_AT)
        return cls(spec) if spec else None

    def start(self) -> None:
        if "timer" in self.points:
            timer = threading.Timer(self.points["timer"], _die, args=(f"timer:{self.points['timer']:g}",))
            timer.daemon = True
            timer.start()

    def checkpoint(self, name: str) -> None:
        at = self.points.get(name)
        if at is not None:
            self.reached[name] += 1
            if self.reached[name] >= at:
                _die(f"{name}:{at:g}")


def _die(point: str) -> None:
    # one unbuffered line first, so that the test knows which point it was
    os.write(2, f"{ENV_TEST_CRASH_AT}: killed at {point}\n".encode())
    os.kill(os.getpid(), signal.SIGKILL)


def fetch_policy(settings: FetchSettings) -> FetchPolicy:
    # the settings section mirrors the policy field for field
    return FetchPolicy(**settings.model_dump(exclude={"allow"}), allow=frozenset(settings.allow))


@dataclass
class CycleStart:
    """What a cycle knows once it has begun: its run, when it began, the
    first cycle before it that did not finish (whose work it catches up on),
    and the fetch state of its sources."""

    run_id: int
    now: datetime
    interrupted: datetime | None
    states: dict[str, FetchState]


@dataclass(frozen=True)
class Listed:
    """A feed fetched and parsed this cycle: the validators to record for it
    once every entry it listed has been handled."""

    url: str
    source_id: str
    status: int | None
    etag: str | None
    last_modified: str | None


@dataclass
class CycleSummary:
    feeds_fetched: int = 0
    feeds_not_modified: int = 0
    feeds_resting: int = 0
    feeds_failed: Counter[str] = field(default_factory=Counter)
    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    articles_known: int = 0
    articles_alternate: int = 0
    articles_skipped: Counter[str] = field(default_factory=Counter)
    images_cached: int = 0
    images_failed: Counter[str] = field(default_factory=Counter)
    enriched: int = 0
    published: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "feeds": {
                "fetched": self.feeds_fetched,
                "not_modified": self.feeds_not_modified,
                "resting": self.feeds_resting,
                "failed": dict(self.feeds_failed),
            },
            "articles": {
                "new": self.articles_new,
                "updated": self.articles_updated,
                "unchanged": self.articles_unchanged,
                "known": self.articles_known,
                "alternate": self.articles_alternate,
                "skipped": dict(self.articles_skipped),
            },
            "images": {"cached": self.images_cached, "failed": dict(self.images_failed)},
            "enrichment": {"articles": self.enriched, "published": self.published},
        }

    def add(self, data: dict[str, Any]) -> None:
        """Count in another part's summary (``as_dict`` form): the pages a
        worker visited, added to the cycle that sent them."""
        feeds, found, images = data["feeds"], data["articles"], data["images"]
        self.feeds_fetched += feeds["fetched"]
        self.feeds_not_modified += feeds["not_modified"]
        self.feeds_resting += feeds["resting"]
        self.feeds_failed.update(feeds["failed"])
        for name in ("new", "updated", "unchanged", "known", "alternate"):
            setattr(self, f"articles_{name}", getattr(self, f"articles_{name}") + found[name])
        self.articles_skipped.update(found["skipped"])
        self.images_cached += images["cached"]
        self.images_failed.update(images["failed"])
        self.enriched += data["enrichment"]["articles"]
        self.published += data["enrichment"]["published"]


Progress = Callable[[str, str], None]


@dataclass
class Found:
    """An article URL a feed listed, with what the feed said about it."""

    entry: FeedEntry
    source: SourceSpec


class Cycle:
    def __init__(
        self,
        store: Store,
        taxonomy: Taxonomy,
        sources: list[SourceSpec],
        policy: FetchPolicy,
        *,
        organizations: Organizations | None = None,
        image_root: Path | None = None,
        enrich_settings: EnrichSettings | None = None,
        progress: Progress | None = None,
        politeness: HostGate | None = None,
        registry: Registry | None = None,
    ):
        self.store = store
        self.taxonomy = taxonomy
        self.sources = sources
        self.policy = policy
        self.organizations = organizations
        # the companies and people whose mentions scoring records
        self.registry = registry
        self._matcher: EntityMatcher | None = None
        self.image_root = image_root
        self._logos_tried: set[str] = set()
        self._changed: list[datetime] = []
        self.enrich_settings = enrich_settings or EnrichSettings()
        self.progress = progress or (lambda _kind, _detail: None)
        # per-host limits shared with other processes (workers), if any
        self.politeness = politeness
        self.summary = CycleSummary()
        # feeds fetched and parsed, whose validators wait until every entry
        # they listed has been handled (see record_listed)
        self.listed: list[Listed] = []
        # articles this cycle stored and took care of the images of
        self._stored: set[str] = set()
        self._crash = _CrashPlan.from_env()

    def _checkpoint(self, name: str) -> None:
        if self._crash is not None:
            self._crash.checkpoint(name)

    def _ring(self) -> KeyRing:
        """The store's key ring: pages are stored with their text sealed and
        scored with it opened, so a cycle needs one."""
        if self.store.keys is None:
            raise StoreError("a crawl stores full text, encrypted: open the store with the project's key ring")
        return self.store.keys

    async def run(self) -> CycleSummary:
        start = self.begin()
        status = "failed"
        try:
            async with self.fetching():
                found = await self.list_pages(start)
                await self.visit(found)
                self.record_listed()
                await self.catch_up(start)
            await asyncio.to_thread(self.enrich, now_utc())
            self._checkpoint("enriched")
            status = "done"
        finally:
            self.end(start.run_id, status)
        return self.summary

    # The stages below are run() in parts, for workers that share a cycle
    # (topicwire/workers): one lists the pages, many visit them, one
    # finishes. Each part is safe to run again after a crash.

    def begin(self) -> CycleStart:
        """Record the run and read what the cycle starts from."""
        self._ring()
        now = now_utc()
        with self.store.begin() as conn:
            sync_taxonomy(conn, self.taxonomy)
            sync_sources(conn, self.sources)
            # asked before this run is recorded, so that it does not count itself
            interrupted = unfinished_since(conn, "cycle")
            run_id = start_run(conn, "cycle")
            states = get_states(conn, [s.url for s in self.sources])
        if self._crash is not None:
            self._crash.start()
        return CycleStart(run_id, now, interrupted, states)

    def end(self, run_id: int, status: str) -> None:
        with self.store.begin() as conn:
            finish_run(conn, run_id, status, self.summary.as_dict())

    @asynccontextmanager
    async def fetching(self) -> AsyncIterator[Fetcher]:
        """A fetcher for the stages that fetch, closed when they are done."""
        async with Fetcher(self.policy, politeness=self.politeness) as fetcher:
            self.fetcher = fetcher
            yield fetcher

    async def list_pages(self, start: CycleStart) -> list[Found]:
        """Every source's feeds fetched and read: the article pages to visit."""
        listed = await asyncio.gather(*(self._source(s, start.states.get(s.url), start.now) for s in self.sources))
        found = self._unique([f for batch in listed for f in batch])
        self.progress("pages", str(len(found)))
        return found

    async def visit(self, found: list[Found]) -> None:
        """Fetch, read and store each page (with its images)."""
        self._ring()
        await asyncio.gather(*(self._page(f) for f in found))

    @property
    def changed(self) -> list[datetime]:
        """When the articles this cycle stored or changed were published:
        how far back the scoring must reach."""
        return list(self._changed)

    @property
    def stored(self) -> set[str]:
        """The articles this cycle stored and saw to the images of."""
        return set(self._stored)

    def add_visited(self, changed: list[datetime], stored: list[str]) -> None:
        """Count in pages that another process visited for this cycle."""
        self._changed.extend(changed)
        self._stored.update(stored)

    # -- feeds ---------------------------------------------------------------

    async def _source(self, spec: SourceSpec, state: FetchState | None, now: datetime) -> list[Found]:
        if state is not None and state.resting(now):
            self.summary.feeds_resting += 1
            self.progress("feed-resting", spec.url)
            return []
        if spec.kind == "page":
            return [Found(FeedEntry(url=spec.url), spec)]
        return await self._feed(spec, spec.url, state, depth=0, seen={spec.url})

    async def _feed(
        self, spec: SourceSpec, url: str, state: FetchState | None, *, depth: int, seen: set[str]
    ) -> list[Found]:
        result = await self.fetcher.fetch(
            url,
            etag=state.etag if state else None,
            last_modified=state.last_modified if state else None,
            accept=FEED_ACCEPT,
        )
        if result.not_modified:
            self.summary.feeds_not_modified += 1
            self._succeeded(url, spec, result)
            self.progress("feed-not-modified", url)
            return []
        if not result.ok:
            return self._feed_failed(url, spec, result.error or "error", result)
        try:
            parsed = parse_feed(result.content, url=result.final_url, content_type=result.content_type)
        except TopicwireError as exc:
            return self._feed_failed(url, spec, "parse", result, detail=str(exc))
        except Exception as exc:  # noqa: BLE001 - a reader's bug costs this feed, not the cycle
            return self._feed_failed(url, spec, "internal", result, detail=_internal(url, exc))
        self.summary.feeds_fetched += 1
        # Not recorded yet: with its new validators stored now, a cycle killed
        # before the feed's pages are all stored would hear "304 not modified"
        # next time and never fetch the rest. They are recorded once every
        # entry has been handled (record_listed); until then the next cycle
        # fetches the whole feed again and skips the pages already stored.
        self.listed.append(Listed(url, spec.id, result.status, result.etag, result.last_modified))
        self._checkpoint("feed")
        self.progress("feed", url)
        found = [Found(entry, spec) for entry in parsed.entries]
        if parsed.children and depth < MAX_SITEMAP_DEPTH:
            children = [c for c in parsed.children if c not in seen]
            seen.update(children)
            with self.store.connect() as conn:
                child_states = get_states(conn, children)
            batches = await asyncio.gather(
                *(self._feed(spec, c, child_states.get(c), depth=depth + 1, seen=seen) for c in children)
            )
            found.extend(f for batch in batches for f in batch)
        return found

    def _succeeded(self, url: str, spec: SourceSpec, result: FetchResult) -> None:
        with self.store.begin() as conn:
            record_success(
                conn, url, source_id=spec.id, status=result.status, etag=result.etag, last_modified=result.last_modified
            )

    def record_listed(self) -> None:
        """The validators of the feeds fetched this cycle, now that every
        entry they listed has been stored, found stored already, or failed
        with its reason (one transaction: all or none)."""
        with self.store.begin() as conn:
            for feed in self.listed:
                record_success(
                    conn, feed.url, source_id=feed.source_id, status=feed.status,
                    etag=feed.etag, last_modified=feed.last_modified,
                )
        self.listed.clear()

    async def catch_up(self, start: CycleStart) -> None:
        if start.interrupted is not None:
            await self._catch_up(start.interrupted)

    async def _catch_up(self, since: datetime) -> None:
        """Finish what cycles that did not finish left undone: the images
        (and logos) of the articles stored since ``since`` that were not
        cached yet, and the scoring of those articles, which this cycle's
        window now reaches back to. Without it, an article stored just
        before a kill is "already stored" from then on: its page is not
        visited again, and nothing else would cache its images or score it
        while it is older than the recent window."""
        with self.store.connect() as conn:
            changed = changed_since(conn, since)
        self._changed.extend(when for _id, when, _provider in changed)
        if self.image_root is None:
            return
        # the pages visited this cycle had their images seen to already
        left = [item for item in changed if item[0] not in self._stored]
        await asyncio.gather(*(self._cache_images(article_id) for article_id, _when, _provider in left))
        for provider_key in sorted({p for _id, _when, p in left if p is not None}):
            await self._cache_logos(provider_key)

    def _feed_failed(
        self, url: str, spec: SourceSpec, reason: str, result: FetchResult, *, detail: str | None = None
    ) -> list[Found]:
        self.summary.feeds_failed[reason] += 1
        with self.store.begin() as conn:
            record_failure(
                conn, url, source_id=spec.id, status=result.status,
                error=detail or result.detail or reason, retry_after=result.retry_after,
            )
        self.progress("feed-failed", detail or result.detail or f"{url}: {reason}")
        return []

    # -- pages ---------------------------------------------------------------

    def _unique(self, found: list[Found]) -> list[Found]:
        """One visit per article URL, whichever feeds listed it; URLs the
        store already has are counted and left alone unless the feed says
        the article changed since."""
        by_url: dict[str, Found] = {}
        for f in found:
            try:
                key = normalize_url(f.entry.url)
            except TopicwireError:
                self.summary.articles_skipped["bad-url"] += 1
                continue
            by_url.setdefault(key, f)
        with self.store.connect() as conn:
            states = get_states(conn, [f.entry.url for f in by_url.values()])
        now = now_utc()
        todo = []
        for f in by_url.values():
            state = states.get(f.entry.url)
            if state is not None and state.last_success_at is not None:
                changed = f.entry.updated is not None and f.entry.updated > state.last_success_at
                if not changed:
                    self.summary.articles_known += 1
                    continue
            if state is not None and state.resting(now):
                self.summary.articles_skipped["resting"] += 1
                continue
            todo.append(f)
        return todo

    async def _page(self, found: Found) -> None:
        url = found.entry.url
        result = await self.fetcher.fetch(url, accept=PAGE_ACCEPT)
        if not result.ok:
            self._page_failed(url, found.source, result.error or "error", result.detail, result)
            return
        if result.content_type and "html" not in result.content_type:
            self._page_failed(url, found.source, "not-html", f"{url}: served as {result.content_type}", result)
            return
        try:
            extraction = await asyncio.to_thread(
                extract, result.text(), url=result.final_url, organizations=self.organizations,
                default_locale=found.source.locale,
            )
            article = self._with_feed_hints(extraction.article, found.entry)
            article = prepare(article, self.taxonomy, source=url)
        except TopicwireError as exc:
            self._page_failed(url, found.source, "extract", str(exc), result)
            return
        except Exception as exc:  # noqa: BLE001 - a reader's bug costs this page, not the cycle
            self._page_failed(url, found.source, "internal", _internal(url, exc), result)
            return
        with self.store.begin() as conn:
            keeper, displaced = _claimed_by_other_page(conn, article)
            if keeper is None:
                status = save_article(conn, article, ring=self._ring())
                if displaced is not None:
                    add_alternate(conn, article.id, displaced[0], displaced[1], now_utc())
                if article.original_url:
                    drop_alternate(conn, article.original_url)
            elif article.original_url:
                add_alternate(conn, article.id, article.original_url, article.provider, now_utc())
            record_success(
                conn, url, source_id=found.source.id, status=result.status,
                etag=result.etag, last_modified=result.last_modified,
            )
        self._checkpoint("article")
        if keeper is not None:
            self.summary.articles_alternate += 1
            self.progress("article", article.title)
            return
        setattr(self.summary, f"articles_{status}", getattr(self.summary, f"articles_{status}") + 1)
        if status != "unchanged":
            self._changed.append(article.published_date_time or now_utc())
        self.progress("article", article.title)
        self._stored.add(article.id)
        if self.image_root is not None:
            await self._cache_images(article.id)
            if article.provider is not None:
                await self._cache_logos(provider_id(article.provider))

    async def _cache_logos(self, provider_key: str) -> None:
        if provider_key in self._logos_tried:
            return
        self._logos_tried.add(provider_key)
        with self.store.connect() as conn:
            todo = uncached_logos(conn, provider_key)
        for index, url in todo:
            cached = await self._fetch_image(url)
            if cached is not None:
                with self.store.begin() as conn:
                    mark_logo_cached(conn, provider_key, index, width=cached.width, height=cached.height)

    async def _fetch_image(self, url: str) -> CachedImage | None:
        """Fetch and keep one image; failures are counted by reason."""
        result = await self.fetcher.fetch(url, accept="image/*")
        if not result.ok:
            self.summary.images_failed[result.error or "error"] += 1
            return None
        try:
            cached = await asyncio.to_thread(store_image, result.content, url=url, root=self.image_root)
        except ImageError:
            self.summary.images_failed["not-an-image"] += 1
            return None
        self.summary.images_cached += 1
        return cached

    async def _cache_images(self, article_id: str) -> None:
        with self.store.connect() as conn:
            todo = uncached_images(conn, article_id)
        for position, image_url in todo:
            cached = await self._fetch_image(image_url)
            if cached is not None:
                self._checkpoint("image")
                with self.store.begin() as conn:
                    mark_image_cached(
                        conn, article_id, position, width=cached.width, height=cached.height, path=str(cached.path)
                    )

    # -- enrichment ------------------------------------------------------------

    def _tier(self, provider: Provider | None) -> int | None:
        return self._tier_of_domain(provider.domain) if provider is not None else None

    def _tier_of_domain(self, domain: str | None) -> int | None:
        if self.organizations is None or not domain:
            return None
        org = self.organizations.by_domain(domain)
        return org.tier if org is not None else None

    def rescore(self, since: datetime, now: datetime | None = None) -> CycleSummary:
        """Score again everything published since ``since``, fetching
        nothing: after the taxonomy, the weights or the registry changed."""
        self._ring()
        with self.store.begin() as conn:
            sync_taxonomy(conn, self.taxonomy)
        self.enrich(now or now_utc(), since=since)
        return self.summary

    def enrich(self, now: datetime, *, since: datetime | None = None) -> None:
        """Re-score the recent window: what changed this cycle, with the
        articles around it that stories, duplicates and heat compare it to.
        The window, not the store, bounds the work."""
        window = timedelta(hours=self.enrich_settings.story_window_hours)
        since = (since if since is not None else min([*self._changed, now])) - window
        # what comes before it is read as context only: one more story
        # window, so that a story that began earlier is continued, not
        # started again; and at least as far back as related coverage
        # reaches, or re-scoring an article would drop the related pieces
        # older than the context, and a second cycle that finds nothing new
        # would change what the first one decided
        context = max(window, timedelta(days=self.enrich_settings.related_days))
        with self.store.connect() as conn:
            recent = articles_since(conn, since - context)
        if not recent:
            return
        # the stages read the full text; what the ring cannot open (another
        # system's key) is scored on its title and excerpt
        ring = self._ring()
        recent = [ring.open_article(a) for a in recent]
        enricher = Enricher(self.taxonomy, tier_of=self._tier, settings=self.enrich_settings)
        enricher.add_many(recent)
        results = [r for r in enricher.finish(now) if (r.article.published_date_time or now) >= since]
        story_heats = {r.story: enricher.story_heats[r.story] for r in results}
        with self.store.begin() as conn:
            for sid, story in enricher.stories.stories.items():
                if sid in story_heats:
                    save_story(
                        conn, sid, headline=story.headline, representative_id=story.representative_id,
                        heat=story_heats[sid], first_seen=story.first_seen, last_seen=story.last_seen,
                    )
            for r in results:
                save_enrichment(
                    conn,
                    r.article.id,
                    topic_rows=[TopicRow(t.name, t.confidence, t.signal) for t in r.topics],
                    quality=r.quality.total,
                    components={
                        "parts": r.quality.components, "details": r.quality.details, "notes": r.quality.notes,
                    },
                    published=bool(r.article.published),
                    heat=r.article.heat if r.article.heat is not None else -1,
                    story_id=r.story,
                    duplicate_of=r.duplicate.of if r.duplicate else None,
                    related=[x.to_data(json=True) for x in r.article.related],
                )
                self._checkpoint("enrich")
            for sid, members in warm_stories_outside(conn, set(story_heats)).items():
                inputs = [HeatInput(when, provider, self._tier_of_domain(provider)) for when, provider in members]
                set_story_heat(
                    conn, sid, story_heat(inputs, now, half_life_hours=self.enrich_settings.heat_half_life_hours)
                )
            record_topic_heat(conn, now.date())
            if self.registry is not None:
                self._record_entities(conn, [r.article for r in results], now)
        self.summary.enriched = len(results)
        self.summary.published = sum(1 for r in results if r.article.published)

    def _record_entities(self, conn, scored: list[Article], now: datetime) -> None:  # type: ignore[no-untyped-def]
        """Who the scored articles are about, the names to review, and every
        entity's heat from the stories just scored."""
        assert self.registry is not None
        sync_registry(conn, self.registry, now)
        if self._matcher is None:
            self._matcher = EntityMatcher(self.registry)
        for article in scored:
            save_mentions(conn, article.id, article_entities(self._matcher, self.registry, article))
            text = "\n".join(t for t in (article.title, article.excerpt, article.content) if t)
            save_candidates(conn, article.id, propose_names(text, self._matcher), now)
        record_entity_heat(conn, now.date())

    @staticmethod
    def _with_feed_hints(article, entry: FeedEntry):  # type: ignore[no-untyped-def]
        """What the page left out and the feed said."""
        update = {}
        if article.published_date_time is None and entry.published is not None:
            update["published_date_time"] = entry.published
        if article.excerpt is None and entry.summary:
            update["excerpt"] = cut(entry.summary)
        return article.model_copy(update=update) if update else article

    def _page_failed(self, url: str, spec: SourceSpec, reason: str, detail: str | None, result: FetchResult) -> None:
        self.summary.articles_skipped[reason] += 1
        with self.store.begin() as conn:
            record_failure(
                conn, url, source_id=spec.id, status=result.status,
                error=detail or reason, retry_after=result.retry_after,
            )
        self.progress("page-failed", detail or f"{url}: {reason}")


def _internal(url: str, exc: Exception) -> str:
    """One line for a failure the readers did not foresee: a bug to report,
    recorded with the URL so that it can be reproduced."""
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return f"{url}: internal error while reading it (please report): {text[:300]}"


def _claimed_by_other_page(conn, article: Article) -> tuple[str | None, tuple[str, Provider | None] | None]:  # type: ignore[no-untyped-def]
    """When two pages declare the same canonical URL (a syndicated copy
    pointing at its original), one article is kept: the earlier published,
    then the one found at the lower URL, so that the outcome does not depend
    on which page was fetched first. Returns the kept page's URL when that
    is not this page; otherwise, when this page displaces another, that
    page's URL and provider (it becomes an alternate of the article)."""
    row = conn.execute(
        select(articles.c.original_url, articles.c.published_at, articles.c.record).where(articles.c.id == article.id)
    ).first()
    if row is None or row.original_url == article.original_url or row.original_url is None:
        return None, None
    far = datetime.max.replace(tzinfo=timezone.utc)
    mine = (article.published_date_time or far, article.original_url or "")
    theirs = (row.published_at or far, row.original_url)
    if theirs <= mine:
        return row.original_url, None
    provider = row.record.get("provider")
    return None, (row.original_url, Provider.model_validate(provider) if provider else None)
