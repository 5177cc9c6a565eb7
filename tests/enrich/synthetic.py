"""A generated news stream: events told by several providers in their own
words, a few syndicated copies, over a span of days, with a Zipf-shaped
vocabulary. Used by the scaling tests and bench/enrich.py."""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from topicwire.model import Article, Provider, article_id

_SYLLABLES = "ka lo mi ne ru ta vo shi en dar pel qui sto ban ter gol fi um".split()
START = datetime(2026, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Item:
    article: Article
    event: int
    copy_of: str | None


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    seen: set[str] = set()
    while len(seen) < size:
        seen.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(seen)


def stream(count: int, *, days: float = 60, vocabulary: int = 20_000, seed: int = 7) -> Iterator[Item]:
    """``count`` articles in publication order."""
    rng = random.Random(seed)
    words = _vocabulary(rng, vocabulary)
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))
    providers = [Provider(name=f"Provider {i}", domain=f"p{i}.example") for i in range(40)]
    span = timedelta(days=days)
    made = 0
    event = 0
    pending: list[tuple[datetime, int, Item]] = []
    while made < count:
        event += 1
        start = START + span * (made / count)
        names = [w.capitalize() for w in rng.sample(words[2000:], 3)]
        topic = rng.sample(words[500:], 20)
        original: Article | None = None
        for member in range(min(rng.randint(1, 6), count - made)):
            when = start + timedelta(minutes=rng.randint(0, 36 * 60))
            provider = rng.choice(providers)
            if original is not None and rng.random() < 0.08:
                body = original.content or ""
                assert original.published_date_time is not None
                when = original.published_date_time + timedelta(minutes=rng.randint(5, 600))
                url = f"https://{provider.domain}/{event}/{member}"
                copy_of = original.id
                title = original.title
            else:
                title = " ".join([names[0], *rng.sample(topic, 4), *rng.choices(words, cum_weights=cumulative, k=3), names[1]])
                paragraphs = []
                for _ in range(4):
                    chosen = rng.choices(words, cum_weights=cumulative, k=24) + rng.sample(topic, 8) + [rng.choice(names)]
                    rng.shuffle(chosen)
                    paragraphs.append(" ".join(chosen).capitalize() + ".")
                body = "\n\n".join(paragraphs)
                url = f"https://{provider.domain}/{event}/{member}"
                copy_of = None
            art = Article(
                id=article_id(url),
                title=title,
                excerpt=f"{names[0]} and {names[2]} " + " ".join(rng.sample(topic, 6)) + ".",
                content=body,
                published_date_time=when,
                web_url=url,
                provider=provider,
                quality=rng.randint(20, 90),
            )
            if original is None:
                original = art
            heapq.heappush(pending, (when, made, Item(art, event, copy_of)))
            made += 1
        # events overlap in time, so release in order only what no later
        # event can precede
        while pending and pending[0][0] < start:
            yield heapq.heappop(pending)[2]
    while pending:
        yield heapq.heappop(pending)[2]
