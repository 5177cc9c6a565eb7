"""A crawl cycle over the offline newswire, end to end through real HTTP."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy import text

from topicwire.config import FetchSettings
from topicwire.ingest.urls import normalize_url
from topicwire.pipeline.cycle import Cycle, fetch_policy
from topicwire.sources import SourceSpec
from topicwire.store import Store
from topicwire.store.alternates import alternates_of
from topicwire.store.articles import iter_articles
from topicwire.store.runs import last_runs


def newswire_sources(newswire) -> list[SourceSpec]:
    from newswire import feeds
    from newswire.catalog import Catalog

    return [SourceSpec(**s) for s in feeds.sources(Catalog(newswire.base_url))]


def policy_for(newswire, **overrides):
    # every publisher of the newswire is one host: politeness per host would
    # serialise the whole crawl, so the tests lift it
    values = dict(allow=[f"127.0.0.1:{newswire.port}"], per_host_delay=0, per_host_concurrency=8, retries=1)
    settings = FetchSettings(**{**values, **overrides})
    return fetch_policy(settings)


def run_cycle(store, taxonomy, sources, policy, image_root=None):
    return asyncio.run(Cycle(store, taxonomy, sources, policy, image_root=image_root).run())


def table(store: Store, sql: str) -> list[tuple]:
    with store.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


@pytest.fixture(scope="module")
def crawled(newswire, tmp_path_factory, taxonomy, ring, databases):
    """The newswire crawled twice into one store."""
    root = tmp_path_factory.mktemp("cycle")
    url = databases.new(root, "wire")
    store = Store(url, keys=ring)
    sources = newswire_sources(newswire)
    policy = policy_for(newswire)
    first = run_cycle(store, taxonomy, sources, policy, image_root=root / "images")
    before = table(store, "SELECT id, record_hash, changed_at FROM articles ORDER BY id")
    second = run_cycle(store, taxonomy, sources, policy, image_root=root / "images")
    after = table(store, "SELECT id, record_hash, changed_at FROM articles ORDER BY id")
    yield store, first, second, before, after, root
    store.close()
    databases.drop(url)


def test_every_article_page_is_stored_once(crawled, newswire):
    store, first, *_ = crawled
    assert first.feeds_failed == {} and first.articles_skipped == {}
    canonical = {page["webUrl"] for page in newswire.truth}
    with store.connect() as conn:
        stored = {a.web_url: a for a in iter_articles(conn)}
    assert set(stored) == {normalize_url(u) for u in canonical}
    # pages that share a canonical URL (syndicated copies pointing at their
    # original) are one article, the others one each
    assert first.articles_new == len(canonical)
    assert first.articles_new + first.articles_updated + first.articles_alternate == len(newswire.truth)


def test_syndicated_copies_are_kept_as_alternates(crawled, newswire):
    store, *_ = crawled
    pages: dict[str, list[dict]] = {}
    for page in newswire.truth:
        pages.setdefault(normalize_url(page["webUrl"]), []).append(page)
    shared = {url: group for url, group in pages.items() if len(group) > 1}
    assert shared, "the newswire has same-canonical copies"
    with store.connect() as conn:
        by_url = {a.web_url: a for a in iter_articles(conn)}
        for url, group in shared.items():
            article = by_url[url]
            found = {alt.url: alt for alt in alternates_of(conn, article.id)}
            copies = {normalize_url(p["url"]) for p in group} - {article.original_url}
            assert copies <= set(found), url
            for page in group:
                if normalize_url(page["url"]) in copies:
                    assert found[normalize_url(page["url"])].provider_name == page["provider"]["name"]


def test_stored_articles_match_the_ground_truth(crawled, newswire):
    store, *_ = crawled
    with store.connect() as conn:
        stored = {a.web_url: a for a in iter_articles(conn)}
    originals = [p for p in newswire.truth if p["duplicate_of"] is None or p["webUrl"] != p["duplicate_of"]]
    titles = dates = 0
    for page in originals:
        article = stored[normalize_url(page["webUrl"])]
        titles += article.title == page["title"]
        dates += article.published_date_time.isoformat().replace("+00:00", "Z") == page["publishedDateTime"]
        assert article.provider.domain == page["provider"]["domain"] or page["webUrl"].startswith(newswire.base_url)
    assert titles / len(originals) >= 0.98
    assert dates / len(originals) >= 0.95


def test_second_cycle_gets_304s_and_changes_nothing(crawled):
    _store, first, second, before, after, _root = crawled
    assert second.feeds_not_modified >= first.feeds_fetched - 3  # the Expires: 0 feed comes back whole
    assert second.articles_new == second.articles_updated == 0
    assert before == after


def test_images_are_cached_with_real_sizes(crawled):
    store, first, _second, _b, _a, root = crawled
    assert first.images_cached >= 150
    cached = table(store, "SELECT width, height, path FROM images WHERE is_cached")
    assert all((root / "images" / path).is_file() for _, _, path in cached)


def test_runs_are_recorded(crawled):
    store, *_ = crawled
    with store.connect() as conn:
        runs = last_runs(conn, 2)
    assert [r["status"] for r in runs] == ["done", "done"]
    assert runs[1]["summary"]["articles"]["new"] > 150


def test_failures_are_recorded_with_reasons_and_the_cycle_goes_on(newswire, new_database, taxonomy, ring):
    base = newswire.base_url
    sources = [
        SourceSpec(url=f"{base}/trap/500", kind="rss"),
        SourceSpec(url=f"{base}/trap/xml-bomb.xml", kind="rss"),
        SourceSpec(url=f"{base}/trap/external-entity.xml", kind="rss"),
        SourceSpec(url=f"{base}/trap/redirect-private", kind="rss"),
        SourceSpec(url=f"{base}/trap/blocked-feed.xml", kind="rss"),
        SourceSpec(url=f"{base}/trap/script-title", kind="page"),
        SourceSpec(url=f"{base}/trap/file.pdf", kind="page"),
        SourceSpec(url=f"{base}/bytefront/atom.xml", kind="atom"),
    ]
    with Store(new_database(), keys=ring) as store:
        summary = run_cycle(store, taxonomy, sources, policy_for(newswire, retries=0))
        states = dict(table(store, "SELECT url, last_error FROM fetch_state WHERE last_error IS NOT NULL"))
    assert summary.feeds_failed["http-500"] == 1
    assert summary.feeds_failed["parse"] == 2
    assert summary.feeds_failed["refused-address"] == 1
    assert summary.articles_skipped["robots"] >= 1
    assert summary.articles_skipped["not-html"] == 1
    assert summary.articles_new >= 10  # the good feed and the hostile page still went in
    assert newswire.canary_hits() == []
    assert "entity" in states[f"{base}/trap/xml-bomb.xml"]


def test_extract_command_prints_records_in_input_order(cli, newswire):
    import json

    pages = newswire.truth[:3]
    result = cli(
        "extract", "--json", "--allow", f"127.0.0.1:{newswire.port}",
        pages[0]["url"], f"{newswire.base_url}/trap/500", pages[1]["url"], "missing.html", pages[2]["url"],
    )
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert result.code == 1
    assert [line.get("title") for line in lines] == [pages[0]["title"], None, pages[1]["title"], None, pages[2]["title"]]
    assert "http-500" in lines[1]["error"] or "500" in lines[1]["error"]
    assert lines[3] == {"input": "missing.html", "error": "missing.html: cannot read: No such file or directory"}
    assert lines[0]["content"].split("\n\n")[0] == pages[0]["body"][0]
    refused = cli("extract", "--json", pages[0]["url"])  # without --allow the newswire is a private address
    assert "refused" in json.loads(refused.out)["error"]


def test_provider_logos_are_cached(crawled):
    store, *_ = crawled
    # SQLite hands JSON back as text, PostgreSQL as data
    records = [json.loads(r) if isinstance(r, str) else r for (r,) in table(store, "SELECT record FROM providers")]
    logos = [img for rec in records for img in rec.get("images", [])]
    assert len(records) >= 12 and logos
    assert all(img["isCached"] and img["width"] and img["height"] for img in logos)


def test_the_cycle_enriches_what_it_stores(crawled, newswire):
    db, first, *_ = crawled
    assert first.enriched >= 170
    scored = table(db, "SELECT COUNT(*) FROM articles WHERE quality IS NOT NULL AND story_id IS NOT NULL AND heat IS NOT NULL")
    assert scored[0][0] == first.articles_new
    signals = {s for (s,) in table(db, "SELECT DISTINCT signal FROM article_topics")}
    assert signals <= {"keywords", "classifier", "both", "parent"} and "parent" in signals
    assert table(db, "SELECT COUNT(*) FROM article_topics WHERE confidence IS NULL")[0][0] == 0
    # syndicated copies with their own URL are found and not published
    copies = [p for p in newswire.truth if p["duplicate_of"] and p["webUrl"] != p["duplicate_of"]]
    flagged = table(db, "SELECT web_url, published FROM articles WHERE duplicate_of IS NOT NULL")
    assert len(flagged) == len(copies) and not any(published for _, published in flagged)
    # several providers' coverage of one event is one story
    sizes = [n for (n,) in table(db, "SELECT COUNT(*) FROM articles GROUP BY story_id")]
    assert sum(1 for n in sizes if n >= 3) >= 20
    assert table(db, "SELECT COUNT(*) FROM topic_heat")[0][0] >= 10


def test_crawled_text_is_stored_sealed_and_opens_to_the_page_text(crawled, newswire, ring):
    store, *_ = crawled
    assert table(store, "SELECT COUNT(*) FROM articles WHERE content IS NOT NULL") == [(0,)]
    assert table(store, "SELECT COUNT(*) FROM articles WHERE secured IS NULL") == [(0,)]
    assert table(store, "SELECT DISTINCT key_id FROM articles") == [(ring.active_id,)]
    first_paragraphs = {normalize_url(p["webUrl"]): p["body"][0] for p in newswire.truth if p["body"]}
    with store.connect() as conn:
        sealed = list(iter_articles(conn))
        opened = {a.web_url: a for a in iter_articles(conn, ring=ring)}
    assert all(a.content is None and a.secured and a.secured_key == ring.active_id for a in sealed)
    found = [url for url, para in first_paragraphs.items() if url in opened and para in (opened[url].content or "")]
    assert len(found) >= 0.9 * len(first_paragraphs)
