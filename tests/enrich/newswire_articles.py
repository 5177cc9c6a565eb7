"""The offline newswire's articles as Article records, with the truth's
story labels and duplicate links beside them (shared by the enrich tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from newswire.truth import ground_truth

from topicwire.model import Article, Provider, article_id


@dataclass(frozen=True)
class Labelled:
    article: Article
    story: str
    duplicate_of: str | None  # id of the original for a syndicated copy
    kind: str


def to_article(record: dict) -> Article:
    return Article(
        id=article_id(record["webUrl"]),
        title=record["title"],
        excerpt=record["description"],
        content="\n\n".join(record["body"]),
        published_date_time=datetime.fromisoformat(record["publishedDateTime"]),
        web_url=record["webUrl"],
        provider=Provider(**record["provider"]),
    )


@cache
def newswire() -> tuple[Labelled, ...]:
    records = ground_truth("http://127.0.0.1:1")
    return tuple(
        Labelled(
            article=to_article(r),
            story=r["story"],
            duplicate_of=article_id(r["duplicate_of"]) if r["duplicate_of"] else None,
            kind=r["kind"],
        )
        for r in records
    )
