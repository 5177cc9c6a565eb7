"""A bug in a reader (an exception the readers did not foresee) costs the
feed or page it happened on, with the reason recorded, never the cycle."""

from __future__ import annotations

from sqlalchemy import select
from test_cycle import newswire_sources, policy_for, run_cycle

import topicwire.pipeline.cycle as cycle_module
from topicwire.store.schema import articles, fetch_state


def test_an_unforeseen_reader_error_costs_one_page_or_feed(store, taxonomy, newswire, monkeypatch):
    sources = newswire_sources(newswire)[:3]
    broken_feed, pages_feed = sources[0].url, sources[1:]
    real_parse, real_extract = cycle_module.parse_feed, cycle_module.extract
    victims: list[str] = []

    def parse(content, *, url, content_type=None):
        if url == broken_feed:
            raise KeyError("a bug in the feed reader")
        return real_parse(content, url=url, content_type=content_type)

    def extract(text, *, url, **kwargs):
        if not victims:
            victims.append(url)
            raise RuntimeError("a bug in\nthe extractor")
        return real_extract(text, url=url, **kwargs)

    monkeypatch.setattr(cycle_module, "parse_feed", parse)
    monkeypatch.setattr(cycle_module, "extract", extract)
    summary = run_cycle(store, taxonomy, [sources[0], *pages_feed], policy_for(newswire))
    assert summary.feeds_failed == {"internal": 1}
    assert summary.articles_skipped.get("internal") == 1
    assert summary.articles_new > 5
    with store.connect() as conn:
        errors = dict(conn.execute(select(fetch_state.c.url, fetch_state.c.last_error)).all())
        stored = set(conn.execute(select(articles.c.original_url)).scalars())
    assert "internal error" in errors[broken_feed] and "KeyError" in errors[broken_feed]
    assert "RuntimeError: a bug in the extractor" in errors[victims[0]]
    assert "\n" not in errors[victims[0]] and victims[0] not in stored
