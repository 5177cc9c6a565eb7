"""The newsletter's content: the hottest stories of a period, with their
coverage, as plain data that the Markdown and HTML renderers turn into text.

    digest = build_digest(conn, topic="AI Hardware", since=parse_since("7d"), until=parse_until(None), limit=10)
    render_markdown(digest, site_url), render_html(digest, site_url)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import Connection

from topicwire.durations import parse_duration
from topicwire.errors import StoreError, TopicwireError
from topicwire.model import Article
from topicwire.publish.digest_render import render_html, render_markdown
from topicwire.store.periods import stories_seen_between
from topicwire.store.queries import StoryCard, get_story, topic_by_key

__all__ = [
    "CoverageLink", "Digest", "DigestStory", "Period", "build_digest", "parse_since", "parse_until",
    "render_html", "render_markdown",
]

# other coverage listed under each story; the rest is one click away on the site
OTHER_LINKS = 3
# an e-mail is skimmed: long leads are cut at a word boundary
EXCERPT_CHARS = 320
# a longer "period" is an archive, not a digest (and keeps date arithmetic in range)
LONGEST_PERIOD = timedelta(days=366)



@dataclass(frozen=True)
class CoverageLink:
    title: str
    url: str | None
    provider: str | None


@dataclass(frozen=True)
class DigestStory:
    id: str
    headline: str
    url: str | None
    heat: int
    coverage: int
    providers: list[str]
    excerpt: str | None
    last_seen: datetime
    others: list[CoverageLink] = field(default_factory=list)


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime

    @property
    def label(self) -> str:
        return f"{_when(self.start)} – {_when(self.end)} UTC"

    @property
    def between(self) -> str:
        return f"between {_when(self.start)} and {_when(self.end)} UTC"


@dataclass(frozen=True)
class Digest:
    title: str
    name: str
    period: Period
    topic: str | None
    stories: list[DigestStory]
    # stories in the period, of which the hottest ``len(stories)`` are shown
    total: int = 0

    @property
    def scope(self) -> str:
        return self.topic or "all topics"


def _when(moment: datetime) -> str:
    moment = moment.astimezone(timezone.utc)
    return f"{moment.day} {moment:%b %Y %H:%M}"


def parse_since(text: str, *, option: str = "--since") -> timedelta:
    """'12h', '1d', '7d', '2w' as a timedelta; anything else is an error
    that names the option it came from."""
    period = parse_duration(text, units="hdw", whole=True)
    if period is None:
        raise TopicwireError(f"{text!r} is not a period such as 12h, 1d, 7d or 2w", field=option)
    if period > LONGEST_PERIOD:
        raise TopicwireError(f"{text!r} is longer than a digest can cover (at most {LONGEST_PERIOD.days}d)", field=option)
    return period


def parse_until(text: str | None, *, option: str = "--until", now: datetime | None = None) -> datetime:
    """An ISO 8601 date or date-time as an aware UTC datetime; none means
    now. A date alone means the end of that day, so '--until 2026-10-20'
    includes the 20th; a time without an offset is taken as UTC."""
    if text is None or not text.strip():
        return (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    text = text.strip()
    try:
        return datetime.combine(date.fromisoformat(text), time.max, tzinfo=timezone.utc)
    except ValueError:
        pass  # not a date alone: a date-time, or nothing valid
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise TopicwireError(
            f"{text!r} is not an ISO 8601 date or date-time such as 2026-10-20 or 2026-10-20T18:00Z", field=option
        ) from None
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def build_digest(
    conn: Connection,
    *,
    topic: str | None = None,
    since: timedelta,
    until: datetime,
    limit: int,
    name: str = "topicwire",
) -> Digest:
    """The ``limit`` hottest stories whose newest article is in
    [until - since, until], in ``topic`` (a name or id) or all topics."""
    if until.tzinfo is None:
        until = until.replace(tzinfo=timezone.utc)
    try:
        period = Period(start=until - since, end=until)
    except OverflowError:
        raise TopicwireError("the period would start before the year 1", field="--until") from None
    topic_id = topic_name = None
    if topic is not None:
        found = topic_by_key(conn, topic)
        if found is None:
            raise StoreError(f"unknown topic {topic!r} (see 'topicwire topics')", field="--topic")
        topic_id, topic_name = found
    ids, total = stories_seen_between(conn, start=period.start, end=period.end, topic_id=topic_id, limit=limit)
    chosen = []
    for story_id in ids:
        found_story = get_story(conn, story_id)
        if found_story is not None:  # gone between the two reads: leave it out
            chosen.append(_story(*found_story))
    title = f"{name} digest{f': {topic_name}' if topic_name else ''}, {until.day} {until:%b %Y}"
    return Digest(title=title, name=name, period=period, topic=topic_name, stories=chosen, total=total)


def _story(card: StoryCard, coverage: list[Article]) -> DigestStory:
    lead = _lead(card, coverage)
    excerpt = lead.excerpt if lead and lead.excerpt else next((a.excerpt for a in coverage if a.excerpt), None)
    return DigestStory(
        id=card.id,
        headline=card.headline,
        url=lead.canonical_url if lead else None,
        heat=card.heat,
        coverage=card.articles,
        providers=list(card.providers),
        excerpt=_shorten(excerpt) if excerpt else None,
        last_seen=card.last_seen,
        others=_others(lead, coverage),
    )


def _lead(card: StoryCard, coverage: list[Article]) -> Article | None:
    """The story's representative article, or its best published one when
    the representative is not (any longer) on the wire."""
    for article in coverage:
        if article.id == card.representative_id:
            return article
    return max(coverage, key=lambda a: a.quality or 0, default=None)


def _others(lead: Article | None, coverage: list[Article]) -> list[CoverageLink]:
    """Other coverage, one article per provider first (a reader wants other
    voices, not a second piece from the same desk), best first."""
    lead_provider = _provider(lead) if lead else None
    rest = sorted((a for a in coverage if a is not lead), key=lambda a: -(a.quality or 0))
    seen = {lead_provider}
    first_per_provider = []
    for article in rest:
        if _provider(article) not in seen:
            seen.add(_provider(article))
            first_per_provider.append(article)
    picked = {id(a) for a in first_per_provider}
    ordered = first_per_provider + [a for a in rest if id(a) not in picked]
    return [CoverageLink(a.title, a.canonical_url, _provider(a)) for a in ordered[:OTHER_LINKS]]


def _provider(article: Article) -> str | None:
    return article.provider.name if article.provider else None


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= EXCERPT_CHARS:
        return text
    cut = text[:EXCERPT_CHARS].rsplit(" ", 1)[0].rstrip(",;:.-–—")
    return f"{cut}…"
