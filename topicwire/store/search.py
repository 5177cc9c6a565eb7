"""The full-text index: what search needs of each article, kept beside it.

Both backends keep it in a table named ``articles_fts``: on SQLite an FTS5
table ranked with bm25, on PostgreSQL a ``tsvector`` per article with a GIN
index, ranked with ts_rank. The contract is the same on both: every word of
the search must match (the last one as a prefix too), case and accents do
not matter, and a match in the title weighs most, then the excerpt, then
the body (10 : 4 : 1). Scores are comparable within one backend only.

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
import unicodedata

from sqlalchemy import Connection, text

from topicwire.errors import StoreError
from topicwire.model import Article
from topicwire.store.schema import FTS_TABLE

# a word as both this module and FTS5's unicode61 tokenizer see it: letters
# and digits (the tokenizer splits at '_', so must the query)
_WORD_RE = re.compile(r"[^\W_]+")
# relative weights of a match in the title, the excerpt and the body
WEIGHTS = (10.0, 4.0, 1.0)
# PostgreSQL refuses longer lexemes (2 KiB) and positions past 16383; no
# reader searches for such a word, and a body has fewer distinct words
_PG_LONGEST_WORD = 255
_PG_MAX_POSITION = 16383


def body_terms(body: str | None) -> str:
    """What the index keeps of a body: its distinct words, lower-cased, in
    alphabetical order, one space apart."""
    return " ".join(sorted({w.lower() for w in _WORD_RE.findall(body or "")}))


def index_article(conn: Connection, article: Article, *, body: str | None = None) -> None:
    """(Re)index an article; ``body`` is its plain full text when known
    (the article itself carries only the sealed text)."""
    conn.execute(text(f"DELETE FROM {FTS_TABLE} WHERE article_id = :id"), {"id": article.id})
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(f"INSERT INTO {FTS_TABLE} (article_id, document) VALUES (:id, CAST(:d AS tsvector))"),
            {"id": article.id, "d": _pg_document(article.title, article.excerpt, body_terms(body))},
        )
        return
    conn.execute(
        text(f"INSERT INTO {FTS_TABLE} (article_id, title, excerpt, body) VALUES (:id, :t, :e, :b)"),
        {"id": article.id, "t": article.title, "e": article.excerpt or "", "b": body_terms(body)},
    )


def _folded_words(value: str | None) -> list[str]:
    """Words as unicode61 with remove_diacritics sees them: lower-cased,
    accents dropped. Done here rather than by PostgreSQL's parser, whose
    idea of a word depends on the server's locale and splits hyphens and
    URLs its own way."""
    decomposed = unicodedata.normalize("NFD", value or "")
    folded = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return [w.lower() for w in _WORD_RE.findall(folded) if len(w) <= _PG_LONGEST_WORD]


def _pg_document(title: str, excerpt: str | None, body: str) -> str:
    """A tsvector literal: the title's words weighted A, the excerpt's B, the
    body's distinct words C. Built as a literal, not with to_tsvector, for
    the reason in _folded_words; the words hold letters and digits only, so
    they need no escaping."""
    terms: list[str] = []
    position = 0
    for weight, words in (("A", _folded_words(title)), ("B", _folded_words(excerpt)), ("C", _folded_words(body))):
        for word in words:
            if position == _PG_MAX_POSITION:
                break
            position += 1
            terms.append(f"'{word}':{position}{weight}")
    return " ".join(terms)


def _words(query: str) -> list[str]:
    words = _WORD_RE.findall(query)
    if not words:
        raise StoreError("the search has no words", source=query)
    return words


def _fts_query(query: str) -> str:
    """The user's words as an FTS5 query: every word must match (prefix
    match on the last one), with FTS syntax characters neutralised."""
    quoted = [f'"{w}"' for w in _words(query)]
    quoted[-1] += "*"
    return " ".join(quoted)


def _pg_query(query: str) -> str | None:
    """The same as a tsquery literal: all words, the last one as a prefix
    (None when no word is one the index could hold)."""
    _words(query)
    quoted = [f"'{w}'" for w in _folded_words(query)]
    if not quoted:
        return None
    quoted[-1] += ":*"
    return " & ".join(quoted)


def search_ids(conn: Connection, query: str, *, limit: int = 20) -> list[str]:
    """Article ids best matching ``query``, most relevant first (title
    matches weigh most, then the excerpt, then the body)."""
    return list(search_scores(conn, query, limit=limit))


def search_scores(conn: Connection, query: str, *, limit: int = 2000) -> dict[str, float]:
    """Article id → relevance (higher is better) for the best ``limit``
    matches, with the same weights as ``search_ids``."""
    if conn.dialect.name == "postgresql":
        pg_query = _pg_query(query)
        if pg_query is None:
            return {}
        # ts_rank takes weights in [0, 1], lowest class (D, unused) first
        title, excerpt, body = (w / WEIGHTS[0] for w in WEIGHTS)
        rows = conn.execute(
            text(
                f"SELECT article_id, ts_rank(CAST(:w AS real[]), document, q) AS rank "
                f"FROM {FTS_TABLE}, CAST(:q AS tsquery) AS q WHERE document @@ q "
                "ORDER BY rank DESC, article_id LIMIT :n"
            ),
            {"w": [0.0, body, excerpt, title], "q": pg_query, "n": limit},
        )
        return {r.article_id: float(r.rank) for r in rows}
    title, excerpt, body = WEIGHTS
    rows = conn.execute(
        text(
            f"SELECT article_id, bm25({FTS_TABLE}, 0.0, {title}, {excerpt}, {body}) AS rank FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH :q ORDER BY rank LIMIT :n"
        ),
        {"q": _fts_query(query), "n": limit},
    )
    # bm25() is negative, more negative for better matches
    return {r.article_id: -float(r.rank) for r in rows}
