"""The ground truth: what a correct crawler should extract from every
article page of the newswire served at ``base_url``."""

from __future__ import annotations

from newswire import trap_articles
from newswire.catalog import Catalog, Entry
from newswire.dates import utc_z


def _declared_by(entry: Entry) -> str | None:
    """Which page signal carries webUrl: 'canonical', 'og:url', or None
    when the page declares nothing and its own address is the answer."""
    if entry.canonical:
        return "canonical"
    return "og:url" if entry.og_url else None


def record(entry: Entry, catalog: Catalog) -> dict:
    art = entry.article
    pic = art.picture
    return {
        "url": entry.url,
        "id": art.id,
        "title": art.title,
        "description": art.description,
        "author": art.author,
        "publishedDateTime": utc_z(art.published),
        "updatedDateTime": utc_z(art.updated) if art.updated else None,
        "webUrl": entry.web_url,
        "webUrlFrom": _declared_by(entry),
        "provider": {"name": entry.provider.name, "domain": entry.provider.domain},
        "topics": list(art.topics),
        "entities": list(art.entities) if art.entities is not None else None,
        "story": art.story,
        "duplicate_of": entry.duplicate_of,
        "language": art.language,
        "kind": art.kind,
        "ampWebUrl": entry.amp_url,
        "body": entry.body_texts(),
        "image": {"url": entry.image_url, "width": pic.width, "height": pic.height} if pic else None,
        "feed": catalog.feed_url(entry.provider.id),
    }


def ground_truth(base_url: str) -> list[dict]:
    catalog = Catalog(base_url)
    return [record(entry, catalog) for entry in catalog.entries]


def trap_truth(base_url: str) -> list[dict]:
    """Expected extraction for the article-like traps (latin1.html, script-title)."""
    return trap_articles.truth(base_url.rstrip("/"))


def eval_records(base_url: str) -> list[dict]:
    """The ground truth as a `topicwire eval` truth file: each page as a
    record (title, excerpt, content, date, URL, provider) with its truth keys."""
    return [
        {
            "title": page["title"],
            "excerpt": page["description"],
            "content": "\n\n".join(page["body"]),
            "publishedDateTime": page["publishedDateTime"],
            "webUrl": page["webUrl"],
            "provider": page["provider"],
            "truth_topics": page["topics"],
            "truth_story": page["story"],
            "truth_duplicate_of": page["duplicate_of"],
            **({"truth_entities": page["entities"]} if page["entities"] is not None else {}),
        }
        for page in ground_truth(base_url)
    ]
