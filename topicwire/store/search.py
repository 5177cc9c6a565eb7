"""The full-text index: what search needs of each article, kept beside it.

On SQLite this is an FTS5 table; PostgreSQL gets its own index in the
scale-out work, and until then search there is not available.

The full text is stored only encrypted, so the index must not give it
back: it keeps the title and the excerpt (which the record shows anyway)
and, of the body, only the distinct words it uses, lower-cased and in
alphabetical order. Every word still finds its articles (prefix matches
too), but word order, repetition, punctuation and case are gone, so the
text cannot be read back from the index (see the README's "Encryption at
rest" for what it still tells).
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, text

from topicwire.errors import StoreError
from topicwire.model import Article
from topicwire.store.schema import SQLITE_FTS_TABLE


# a word as both this module and FTS5's unicode61 tokenizer see it: letters
# and digits (the tokenizer splits at '_', so must the query)
_WORD_RE = re.compile(r"[^\W_]+")


def body_terms(body: str | None) -> str:
    """What the index keeps of a body: its distinct words, lower-cased, in
    alphabetical order, one space apart."""
    return " ".join(sorted({w.lower() for w in _WORD_RE.findall(body or "")}))


def index_article(conn: Connection, article: Article, *, body: str | None = None) -> None:
    """(Re)index an article; ``body`` is its plain full text when known
    (the article itself carries only the sealed text)."""
    if conn.dialect.name != "sqlite":
        return
    conn.execute(text(f"DELETE FROM {SQLITE_FTS_TABLE} WHERE article_id = :id"), {"id": article.id})
    conn.execute(
        text(f"INSERT INTO {SQLITE_FTS_TABLE} (article_id, title, excerpt, body) VALUES (:id, :t, :e, :b)"),
        {"id": article.id, "t": article.title, "e": article.excerpt or "", "b": body_terms(body)},
    )


def _fts_query(query: str) -> str:
    """The user's words as an FTS5 query: every word must match (prefix
    match on the last one), with FTS syntax characters neutralised."""
    words = _WORD_RE.findall(query)
    if not words:
        raise StoreError("the search has no words", source=query)
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def search_ids(conn: Connection, query: str, *, limit: int = 20) -> list[str]:
    """Article ids best matching ``query``, most relevant first (title
    matches weigh most, then the excerpt, then the body)."""
    return list(search_scores(conn, query, limit=limit))


def search_scores(conn: Connection, query: str, *, limit: int = 2000) -> dict[str, float]:
    """Article id → relevance (higher is better) for the best ``limit``
    matches, with the same weights as ``search_ids``."""
    if conn.dialect.name != "sqlite":
        raise StoreError(f"full-text search is not available on {conn.dialect.name} yet")
    rows = conn.execute(
        text(
            f"SELECT article_id, bm25({SQLITE_FTS_TABLE}, 0.0, 10.0, 4.0, 1.0) AS rank FROM {SQLITE_FTS_TABLE} "
            f"WHERE {SQLITE_FTS_TABLE} MATCH :q ORDER BY rank LIMIT :n"
        ),
        {"q": _fts_query(query), "n": limit},
    )
    # bm25() is negative, more negative for better matches
    return {r.article_id: -float(r.rank) for r in rows}
