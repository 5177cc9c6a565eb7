"""Small hand-made articles for the enrich tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from topicwire.model import Article, Provider, article_id

DAY = datetime(2026, 10, 20, 9, 0, tzinfo=timezone.utc)


def make(
    slug: str,
    title: str,
    body: str,
    *,
    hours: float = 0,
    provider: str = "Example News",
    excerpt: str | None = None,
    url: str | None = None,
    quality: int | None = None,
) -> Article:
    web_url = url or f"https://{provider.lower().replace(' ', '')}.example/{slug}"
    return Article(
        id=article_id(web_url),
        title=title,
        excerpt=excerpt,
        content=body,
        published_date_time=DAY + timedelta(hours=hours),
        web_url=web_url,
        provider=Provider(name=provider),
        quality=quality,
    )
