from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select, text

from topicwire.errors import StoreError
from topicwire.model import Article, Image, Provider
from topicwire.pipeline.imports import prepare
from topicwire.records import read_record
from topicwire.store import Store
from topicwire.store.articles import (
    count_articles,
    find_article,
    get_article,
    list_articles,
    mark_image_cached,
    save_article,
    uncached_images,
)
from topicwire.store.db import needs_migration
from topicwire.store.schema import articles, include_name, metadata, providers
from topicwire.store.search import search_ids
from topicwire.store.topics import sync_taxonomy, topic_counts

from conftest import EXAMPLE

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)


def make(taxonomy, n: int, **fields) -> Article:
    base = dict(
        title=f"Story number {n}",
        web_url=f"https://news.example/{n}",
        published_date_time=T0 + timedelta(hours=n),
        provider=Provider(name="Example News", domain="news.example"),
        topics=["AI Hardware"],
        quality=50 + n,
        heat=n,
    )
    base.update(fields)
    return prepare(Article(**base), taxonomy, source=f"test-{n}")


def test_migrations_build_exactly_the_schema(store: Store):
    with store.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"include_name": include_name}), metadata)
    assert diff == []
    assert not needs_migration(store.engine)


@pytest.mark.sqlite_only
def test_sqlite_runs_in_wal_mode_with_foreign_keys(store: Store):
    with store.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_opening_twice_migrates_once(new_database):
    url = new_database(empty=True)
    Store(url).close()
    with Store(url) as again, again.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0006"


def test_upgrading_an_older_store_keeps_its_articles(new_database, taxonomy):
    from alembic import command

    from topicwire.store.db import _alembic_config, create_store_engine

    url = new_database(empty=True)
    article = make(taxonomy, 1)
    engine = create_store_engine(url)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001")
        conn.execute(
            text(
                "INSERT INTO articles (id, web_url, title, type, category, record, record_hash, first_seen, changed_at)"
                " VALUES (:id, :url, 'Kept', 'article', 'news', :record, 'h', '2026-01-01', '2026-01-01')"
            ),
            {"id": article.id, "url": article.web_url, "record": '{"title": "Kept", "webUrl": "https://news.example/1"}'},
        )
    engine.dispose()
    with Store(url) as s, s.connect() as conn:
        assert get_article(conn, article.id).title == "Kept"
        assert conn.execute(text("SELECT editor_published, duplicate_of FROM articles")).one() == (None, None)


def test_example_record_is_stored_and_read_back_whole(store, taxonomy):
    article = prepare(read_record(EXAMPLE), taxonomy, source=str(EXAMPLE))
    with store.begin() as conn:
        assert save_article(conn, article) == "new"
    with store.connect() as conn:
        again = get_article(conn, article.id)
    assert again.to_data() == article.to_data()


def test_same_record_twice_is_one_row_and_writes_nothing(store, taxonomy):
    a = make(taxonomy, 1)
    with store.begin() as conn:
        assert save_article(conn, a) == "new"
    with store.begin() as conn:
        before = conn.execute(select(articles)).all()
        assert save_article(conn, a) == "unchanged"
        assert conn.execute(select(articles)).all() == before


def test_a_changed_record_updates_and_keeps_first_seen(store, taxonomy):
    a = make(taxonomy, 1)
    with store.begin() as conn:
        save_article(conn, a, now=T0)
    changed = a.model_copy(update={"title": "Corrected headline", "topics": ["Computer Vision", "Machine Learning", "AI"]})
    with store.begin() as conn:
        assert save_article(conn, changed, now=T0 + timedelta(days=1)) == "updated"
        row = conn.execute(select(articles).where(articles.c.id == a.id)).one()
        assert row.first_seen == T0 and row.changed_at == T0 + timedelta(days=1)
        assert conn.execute(select(func.count()).select_from(articles)).scalar() == 1
        again = get_article(conn, a.id)
    assert again.title == "Corrected headline"
    assert again.topics == ["Computer Vision", "Machine Learning", "AI"]


def test_unknown_topics_are_refused_and_nothing_is_written(store, taxonomy):
    a = make(taxonomy, 1).model_copy(update={"topics": ["AI", "Basket Weaving"]})
    with pytest.raises(StoreError, match=r"topics\[1\]: unknown topic 'Basket Weaving'"):
        with store.begin() as conn:
            save_article(conn, a)
    with store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(articles)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(providers)).scalar() == 0


def test_listing_filters_and_sorts(store, taxonomy):
    with store.begin() as conn:
        save_article(conn, make(taxonomy, 1, quality=90, heat=-1))
        save_article(conn, make(taxonomy, 2, quality=40, heat=30, topics=["Computer Vision"]))
        save_article(conn, make(taxonomy, 3, quality=None, heat=None, published=True))
    with store.connect() as conn:
        ids = lambda rows: [a.title[-1] for a in rows]  # noqa: E731
        assert ids(list_articles(conn)) == ["3", "2", "1"]
        assert ids(list_articles(conn, sort="quality")) == ["1", "2", "3"]
        assert ids(list_articles(conn, sort="heat")) == ["2", "1", "3"]
        assert ids(list_articles(conn, topic_id="computer-vision")) == ["2"]
        assert ids(list_articles(conn, topic_id="ai")) == ["3", "2", "1"]
        assert ids(list_articles(conn, published=True)) == ["3"]
        assert ids(list_articles(conn, limit=1, offset=1)) == ["2"]
        assert count_articles(conn, topic_id="ai-hardware") == 2
        counts = {c.name: (c.articles, c.published) for c in topic_counts(conn)}
        assert counts["AI"] == (3, 1) and counts["Machine Learning"] == (1, 0) and counts["AI Ethics"] == (0, 0)


def test_find_by_prefix_or_url(store, taxonomy):
    a = make(taxonomy, 1, original_url="https://news.example/1?utm_source=rss&page=2")
    with store.begin() as conn:
        save_article(conn, a)
    with store.connect() as conn:
        assert find_article(conn, a.id[:6]).id == a.id
        assert find_article(conn, "https://news.example/1").id == a.id
        assert find_article(conn, "https://news.example/1?page=2").id == a.id
        with pytest.raises(StoreError, match="no such article"):
            find_article(conn, "ffff0000")
        with pytest.raises(StoreError, match="not an article id"):
            find_article(conn, "x")


def test_images_and_provider_are_kept(store, taxonomy):
    a = make(taxonomy, 1, images=[Image(url="https://news.example/a.jpg", width=10, height=20, is_cached=False)])
    with store.begin() as conn:
        save_article(conn, a)
        again = get_article(conn, a.id)
        assert again.images[0].width == 10 and again.images[0].is_cached is False
        assert conn.execute(select(providers.c.id, providers.c.name)).all() == [("news.example", "Example News")]


def test_full_text_search_ranks_title_matches_first(store, taxonomy):
    with store.begin() as conn:
        for n, title, body in (
            (1, "Quiet week", "A neuromorphic chip was mentioned."),
            (2, "Neuromorphic chip ships", "Details."),
            (3, "Unrelated", "Nothing to see."),
        ):
            save_article(conn, make(taxonomy, n, title=title, content=body), ring=store.keys)
    with store.connect() as conn:
        hits = search_ids(conn, "neuromorph")
        assert [get_article(conn, h).title for h in hits] == ["Neuromorphic chip ships", "Quiet week"]
        assert len(search_ids(conn, '"chip* (')) == 2  # FTS syntax is neutralised, not an error
        with pytest.raises(StoreError, match="no words"):
            search_ids(conn, "  ?! ")


def test_the_search_contract_holds_on_every_backend(store, taxonomy):
    """One contract for SQLite's FTS5 and PostgreSQL's tsvector: every word
    must match, the last also as a prefix; case and accents do not matter;
    title beats excerpt beats body; the body's words are found though only
    its distinct words are kept."""
    with store.begin() as conn:
        for n, fields in enumerate((
            dict(title="Café robots learn to pour", excerpt="Baristas watch.", content="Steam and milk."),
            dict(title="Weekly notes", excerpt="The cafe robots were late.", content="Nothing else."),
            dict(title="Weekly digest", excerpt="Other things.", content="Robots robots in a CAFÉ again."),
            dict(title="Robots alone", excerpt="No drinks here.", content="Only machines."),
        ), start=1):
            save_article(conn, make(taxonomy, n, **fields), ring=store.keys)
    with store.connect() as conn:
        titles = lambda q: [get_article(conn, h).title for h in search_ids(conn, q)]  # noqa: E731
        expected = ["Café robots learn to pour", "Weekly notes", "Weekly digest"]
        assert titles("cafe robots") == expected
        assert titles("CAFÉ Robo") == expected  # case, accents, prefix on the last word
        assert titles("robots cafe") == expected  # word order does not matter
        assert titles("machines") == ["Robots alone"]  # a body word
        assert titles("robots zebra") == []  # every word must match
        assert titles("robo caf") == []  # only the last word is a prefix


def test_taxonomy_sync_is_idempotent(store, taxonomy):
    with store.begin() as conn:
        assert sync_taxonomy(conn, taxonomy) == 0


def test_cached_images_get_their_real_size(store, taxonomy):
    a = make(taxonomy, 1, images=[Image(url="https://news.example/a.jpg", width=10, height=20)])
    with store.begin() as conn:
        save_article(conn, a)
        assert uncached_images(conn, a.id) == [(0, "https://news.example/a.jpg")]
        mark_image_cached(conn, a.id, 0, width=1600, height=900, path="ab/cd/abcd.jpg")
        assert uncached_images(conn, a.id) == []
        again = get_article(conn, a.id)
    assert (again.images[0].width, again.images[0].height, again.images[0].is_cached) == (1600, 900, True)


@pytest.mark.sqlite_only
def test_a_new_sqlite_database_is_private_to_its_owner(tmp_path):
    import stat

    with Store(f"sqlite:///{tmp_path / 'private.db'}") as store, store.begin() as conn:
        conn.execute(text("SELECT 1"))
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    assert modes["private.db"] == 0o600
    assert all(mode == 0o600 for mode in modes.values()), modes
