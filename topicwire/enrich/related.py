"""The ``related`` list: other coverage of an article's story first, then
close stories of the same week, each as a small record."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from topicwire.enrich.stories import StoryClusterer
from topicwire.model import Article, Related


def quality_factor(quality: int | None) -> float:
    """A multiplier around 1.0: a score of 50 (or none yet) leaves the
    similarity as it is, 100 raises it by half, 0 halves it."""
    return 1.0 if quality is None else 0.5 + quality / 100


def related_for(
    article: Article,
    clusterer: StoryClusterer,
    articles_by_id: Mapping[str, Article],
    *,
    limit: int = 4,
    days: float = 7,
    duplicates: Mapping[str, str] | None = None,
) -> list[Related]:
    """Up to ``limit`` related records for ``article``: same-story pieces
    from other providers (most similar and best first), then the
    representatives of close stories within ``days``. Never the article
    itself, a copy of it, or what it is a copy of. ``duplicates`` maps a
    copy's id to the id of the article kept in its place."""
    duplicates = duplicates or {}
    story = clusterer.story_of(article.id or "")
    if story is None or article.published_date_time is None:
        return []
    own = _copy_group(article, duplicates)
    own_provider = article.provider.name if article.provider else None
    picked: list[Article] = []

    def usable(other: Article | None) -> bool:
        return (
            other is not None
            and other.id not in own
            and _copy_group(other, duplicates).isdisjoint(own)
            and other.canonical_url != article.canonical_url
            and all(other.id != p.id and other.canonical_url != p.canonical_url for p in picked)
        )

    same = [articles_by_id.get(mid) for mid in story.member_ids]
    ranked = [
        (clusterer.similarity(article, other) * quality_factor(other.quality), other)
        for other in same
        if usable(other) and (other.provider.name if other.provider else None) != own_provider
    ]
    for _, other in sorted(ranked, key=lambda item: -item[0]):
        if len(picked) >= limit:
            return [a.to_related() for a in picked]
        if usable(other):
            picked.append(other)

    window = timedelta(days=days)
    close = []
    for sid, similarity in clusterer.close_stories(story.id, around=article.published_date_time, days=days, limit=4 * limit):
        rep = articles_by_id.get(clusterer.stories[sid].representative_id)
        if rep is None or rep.published_date_time is None:
            continue
        if abs(rep.published_date_time - article.published_date_time) > window:
            continue
        close.append((similarity * quality_factor(rep.quality), rep))
    for _, rep in sorted(close, key=lambda item: -item[0]):
        if len(picked) >= limit:
            break
        if usable(rep):
            picked.append(rep)
    return [a.to_related() for a in picked]


def _copy_group(article: Article, duplicates: Mapping[str, str]) -> set[str]:
    """The article's id and that of the original it copies, if any."""
    ids = {article.id} if article.id else set()
    if article.id in duplicates:
        ids.add(duplicates[article.id])
    return ids
