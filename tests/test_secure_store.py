"""The full text in the store: sealed on the way in, never written in plain
(not in the rows, the search index, the WAL), opened only with the ring."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from topicwire.errors import SecureError, StoreError
from topicwire.model import Article, Provider
from topicwire.pipeline.imports import import_records, prepare
from topicwire.records import read_record, write_record
from topicwire.secure import KeyRing
from topicwire.store import Store
from topicwire.store.articles import get_article, save_article
from topicwire.store.schema import articles
from topicwire.store.sealing import key_usage, pending, reseal
from topicwire.store.search import body_terms, search_ids
from topicwire.store.topics import sync_taxonomy

from conftest import EXAMPLE
from databases import every_row

SENTENCE = "The quartz lantern whispered seventeen riddles to the sleeping harbour."


def body(n: int) -> str:
    return f"Report {n} opens here.\n\n{SENTENCE}\n\nIt closes with the zanzibarine detail number {n}."


def record(n: int, **fields) -> Article:
    values = dict(
        title=f"Harbour report {n}",
        excerpt=f"A short lead for report {n}.",
        web_url=f"https://harbour.example/news/{n}",
        published_date_time="2026-11-01T12:00:00Z",
        provider=Provider(name="Harbour Times", domain="harbour.example"),
        topics=["AI Hardware"],
        content=body(n),
    )
    values.update(fields)
    return Article(**values)


def file_bytes(db: Path) -> bytes:
    """The database as an attacker holding its files reads it: the main file
    and, when there are any, its WAL and shared-memory files."""
    return b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists())


def assert_no_plain_text(data: bytes) -> None:
    for needle in (SENTENCE, SENTENCE.lower(), "quartz lantern whispered", "Report 3 opens here"):
        assert needle.encode("utf-8") not in data, needle


def test_imported_text_is_sealed_and_no_table_of_the_database_holds_it(tmp_path, taxonomy, ring, new_database):
    folder = tmp_path / "records"
    for n in range(30):
        write_record(record(n), folder / f"{n:02d}.md")
    url = new_database("wire")
    # on SQLite, the files too: the main file, the WAL, the shared memory
    db = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite") else None
    store = Store(url, keys=ring)
    try:
        summary = import_records(store, taxonomy, [folder])
        assert summary.new == 30 and not summary.skipped
        if db is not None:
            assert Path(f"{db}-wal").exists()  # read while the store is open: the WAL holds the recent pages
            assert_no_plain_text(file_bytes(db))
        with store.connect() as conn:
            assert_no_plain_text(every_row(conn))
            rows = conn.execute(select(articles.c.content, articles.c.secured, articles.c.key_id)).all()
            assert all(r.content is None and r.secured and r.key_id == ring.active_id for r in rows)
            # search still finds a body word (prefix too) and the title
            assert len(search_ids(conn, "zanzibarine", limit=50)) == 30
            assert len(search_ids(conn, "zanzib", limit=50)) == 30
            some = conn.execute(select(articles.c.id).limit(1)).scalar_one()
            one = get_article(conn, some, ring=ring)
            assert one.content == body(int(one.title.split()[-1]))
    finally:
        store.close()
    if db is not None:
        assert_no_plain_text(file_bytes(db))


def test_the_index_keeps_words_not_the_text(store, taxonomy):
    article = prepare(record(1), taxonomy, source="t")
    with store.begin() as conn:
        save_article(conn, article, ring=store.keys)
        if store.dialect == "postgresql":
            # the body's lexemes are those of weight C
            stored = " ".join(conn.execute(text(
                "SELECT lexeme FROM articles_fts, unnest(document) WHERE 'C' = ANY(weights) ORDER BY lexeme"
            )).scalars())
        else:
            stored = conn.execute(text("SELECT body FROM articles_fts")).scalar_one()
    # distinct words, lower-cased, alphabetical: no order, no repetition, no case
    assert stored == (
        "1 closes detail harbour here it lantern number opens quartz report riddles seventeen sleeping the to "
        "whispered with zanzibarine"
    )


def test_without_a_ring_plain_text_is_refused(new_database, taxonomy):
    with Store(new_database()) as bare:
        with bare.begin() as conn:
            sync_taxonomy(conn, taxonomy)
        with pytest.raises(StoreError, match="stored only encrypted, and no key ring was given"):
            with bare.begin() as conn:
                save_article(conn, prepare(record(1), taxonomy, source="t"))


def test_the_same_text_again_writes_nothing_and_a_new_text_is_sealed_anew(store, taxonomy, ring):
    article = prepare(record(1), taxonomy, source="t")
    with store.begin() as conn:
        assert save_article(conn, article, ring=ring) == "new"
        first = conn.execute(select(articles.c.secured)).scalar_one()
        assert save_article(conn, article, ring=ring) == "unchanged"
        assert conn.execute(select(articles.c.secured)).scalar_one() == first
        changed = article.model_copy(update={"content": body(1) + " Corrected."})
        assert save_article(conn, changed, ring=ring) == "updated"
        assert conn.execute(select(articles.c.secured)).scalar_one() != first
        assert get_article(conn, article.id, ring=ring).content == body(1) + " Corrected."
        assert get_article(conn, article.id).content is None  # no ring, no text


def test_a_foreign_secured_value_is_kept_verbatim_and_decrypt_says_so(store, taxonomy, ring):
    example = read_record(EXAMPLE)
    article = prepare(example, taxonomy, source=str(EXAMPLE))
    with store.begin() as conn:
        assert save_article(conn, article, ring=ring) == "new"
        row = conn.execute(select(articles.c.secured, articles.c.key_id)).one()
        assert row == (example.secured, None)
        again = get_article(conn, article.id, ring=ring)
    assert again.secured == example.secured and again.content is None
    with pytest.raises(SecureError, match="encrypted by another system's key"):
        ring.reveal(again)
    with store.connect() as conn:
        assert key_usage(conn).foreign == 1


def test_our_own_sealed_record_comes_back_in_verbatim_and_searchable(store, taxonomy, ring, new_database):
    article = prepare(record(2), taxonomy, source="t")
    sealed = ring.seal_article(article)
    with Store(new_database("other"), keys=ring) as other:
        with other.begin() as conn:
            sync_taxonomy(conn, taxonomy)
            assert save_article(conn, sealed, ring=ring) == "new"
            assert conn.execute(select(articles.c.secured, articles.c.key_id)).one() == (sealed.secured, ring.active_id)
            assert search_ids(conn, "zanzibarine") == [article.id]
            assert save_article(conn, sealed, ring=ring) == "unchanged"
            assert get_article(conn, article.id, ring=ring).content == body(2)


def test_a_ciphertext_moved_to_another_record_does_not_open(store, taxonomy, ring):
    a, b = (prepare(record(n), taxonomy, source="t") for n in (1, 2))
    with store.begin() as conn:
        save_article(conn, a, ring=ring)
        save_article(conn, b, ring=ring)
        secured_a = conn.execute(select(articles.c.secured).where(articles.c.id == a.id)).scalar_one()
        conn.execute(update(articles).where(articles.c.id == b.id).values(secured=secured_a))
        moved = get_article(conn, b.id, ring=ring)
    assert moved.content is None  # never a's text under b's name
    with pytest.raises(SecureError, match="does not decrypt"):
        ring.reveal(moved)


@pytest.mark.sqlite_only
def test_secure_delete_is_on(store):
    with store.connect() as conn:
        assert conn.execute(text("PRAGMA secure_delete")).scalar() == 1


def test_resealing_moves_every_record_to_the_active_key_in_batches(store, taxonomy, ring):
    texts = {}
    with store.begin() as conn:
        for n in range(23):
            article = prepare(record(n), taxonomy, source="t")
            save_article(conn, article, ring=ring)
            texts[article.id] = article.content
    rotated = ring.rotated()
    with store.connect() as conn:
        assert pending(conn, rotated) == 23
    heard = []
    summary = reseal(store, rotated, batch=5, on_batch=lambda s: heard.append(s.resealed))
    assert (summary.resealed, summary.batches, summary.failed) == (23, 5, [])
    assert heard == [5, 10, 15, 20, 23]
    with store.connect() as conn:
        assert pending(conn, rotated) == 0
        assert key_usage(conn).by_key == {rotated.active_id: 23}
        for article_id, plain in texts.items():
            assert get_article(conn, article_id, ring=rotated).content == plain
    # the old key alone no longer opens them
    with store.connect() as conn:
        assert get_article(conn, next(iter(texts)), ring=ring).content is None


def test_a_damaged_record_is_reported_and_the_others_move_on(store, taxonomy, ring):
    ids = []
    with store.begin() as conn:
        for n in range(6):
            article = prepare(record(n), taxonomy, source="t")
            save_article(conn, article, ring=ring)
            ids.append(article.id)
        conn.execute(update(articles).where(articles.c.id == ids[2]).values(secured="AAAAAAAAAAAAAAAAAAAAAAAA;AAAAAAAAAAAAAAAA"))
    rotated = ring.rotated()
    summary = reseal(store, rotated, batch=2)
    assert summary.resealed == 5 and [i for i, _ in summary.failed] == [ids[2]]
    assert "does not decrypt" in summary.failed[0][1]


@pytest.mark.sqlite_only
def test_a_store_from_before_encryption_is_migrated_and_sealed(tmp_path, taxonomy, ring):
    from alembic import command

    from topicwire.store.db import _alembic_config, create_store_engine

    db = tmp_path / "old.db"
    url = f"sqlite:///{db}"
    # long enough to spill into overflow pages, which only secure_delete
    # zeroes when they are freed
    tail = " The marmalade orbit kept turning." * 400
    article = prepare(record(4, content=body(4) + tail), taxonomy, source="t")
    engine = create_store_engine(url)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0003")
        # as the store before encryption wrote it: plain text in the row and the index
        conn.execute(
            text(
                "INSERT INTO articles (id, web_url, title, type, category, record, content, record_hash, first_seen,"
                " changed_at) VALUES (:id, :url, :title, 'article', 'news', :record, :content, 'h', '2026-01-01',"
                " '2026-01-01')"
            ),
            {
                "id": article.id, "url": article.web_url, "title": article.title, "content": article.content,
                "record": '{"title": "%s", "excerpt": "Lead.", "secured": "AAAA;BBBB"}' % article.title,
            },
        )
        conn.execute(
            text("INSERT INTO articles_fts (article_id, title, excerpt, body) VALUES (:id, :t, 'Lead.', :b)"),
            {"id": article.id, "t": article.title, "b": article.content},
        )
    engine.dispose()
    with Store(url, keys=ring) as store:
        with store.connect() as conn:
            # the index is built again from the plain text, as a new save would build it
            assert conn.execute(text("SELECT body FROM articles_fts")).scalar_one() == body_terms(article.content)
            row = conn.execute(select(articles.c.record, articles.c.secured, articles.c.content)).one()
            assert "secured" not in row.record and row.secured == "AAAA;BBBB" and row.content == article.content
            assert key_usage(conn).plain == 1
            assert search_ids(conn, "zanzibarine") == [article.id]
        assert reseal(store, ring).resealed == 1
        with store.connect() as conn:
            assert key_usage(conn).plain == 0
            assert get_article(conn, article.id, ring=ring).content == article.content
    data = file_bytes(db)
    assert_no_plain_text(data)
    assert b"marmalade orbit" not in data


def test_an_undecryptable_row_never_stops_loading(store, taxonomy):
    other = KeyRing.generate()
    article = prepare(record(1), taxonomy, source="t")
    with store.begin() as conn:
        save_article(conn, article, ring=other)
    with store.connect() as conn:
        loaded = get_article(conn, article.id, ring=store.keys)
    assert loaded.content is None and loaded.secured_key == other.active_id


@pytest.mark.sqlite_only
def test_the_integrity_of_the_file_holds(tmp_path, taxonomy, ring):
    db = tmp_path / "i.db"
    with Store(f"sqlite:///{db}", keys=ring) as store:
        with store.begin() as conn:
            sync_taxonomy(conn, taxonomy)
            for n in range(5):
                save_article(conn, prepare(record(n), taxonomy, source="t"), ring=ring)
        reseal(store, ring.rotated())
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        con.close()
