"""Companies on the crawled newswire: who is hottest, and the review list."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import delete

from topicwire.store.entities import list_entities
from topicwire.store.schema import articles

from databases import project_store


def test_the_company_at_the_centre_of_the_most_covered_story_is_hottest(crawled_project, tmp_path, cli):
    """The wire replayed as it stood just after the story most providers
    covered: its central company (named by most of its articles, by the
    corpus's labels) is the hottest company."""
    from newswire.corpus import load_corpus

    by_story: dict[str, list] = {}
    for article in load_corpus().articles:
        by_story.setdefault(article.story, []).append(article)
    story = max(by_story.values(), key=lambda arts: (len({a.provider for a in arts}), arts[0].story))
    central, _count = Counter(e for a in story for e in a.entities or ()).most_common(1)[0]
    moment = max(a.published for a in story) + timedelta(hours=1)
    settings = crawled_project.copy(tmp_path / "wire")
    with project_store(settings) as store, store.begin() as conn:
        conn.execute(delete(articles).where(articles.c.published_at > moment))
    result = cli("rescore", "--days", "90", "--now", moment.isoformat(), "--config", settings)
    assert result.code == 0, result.err
    with project_store(settings) as store, store.connect() as conn:
        ranked, _ = list_entities(conn, "organization", limit=5, mentioned_only=True)
    assert ranked[0].id == central, [(c.id, c.heat) for c in ranked]
    assert ranked[0].heat > ranked[1].heat > 0
