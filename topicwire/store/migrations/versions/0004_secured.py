"""Encryption at rest: the sealed full text and its key id get columns of
their own, and SQLite's search index stops keeping the plain body.

The index is dropped and built again with, for the body, only its distinct
words (so the text cannot be read back from it); with secure_delete on
(store/db.py) the pages that held the old index are zeroed as they are
freed. Plain text already in ``articles.content`` stays there until the
project's keys seal it (`topicwire keys init` or `keys rotate`): a
migration has no key. A ``secured`` value kept in a record's JSON (an
import from another system) moves to the new column.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

import json
import re

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# frozen copies: this migration must do the same thing whatever later code says
FTS_TABLE = "articles_fts"
FTS_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "article_id UNINDEXED, title, excerpt, body, tokenize = 'unicode61 remove_diacritics 2')"
)
_WORD_RE = re.compile(r"[^\W_]+")
BATCH = 500


def _body_terms(body: str | None) -> str:
    return " ".join(sorted({w.lower() for w in _WORD_RE.findall(body or "")}))


def upgrade() -> None:
    op.add_column("articles", sa.Column("secured", sa.Text))
    op.add_column("articles", sa.Column("key_id", sa.String(64)))
    op.create_index("ix_articles_key_id", "articles", ["key_id"])
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        op.execute(FTS_DDL)
    last = ""
    while True:
        rows = bind.execute(
            sa.text("SELECT id, title, record, content FROM articles WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": BATCH},
        ).all()
        if not rows:
            break
        for row in rows:
            record = json.loads(row.record) if isinstance(row.record, str) else dict(row.record)
            if isinstance(record.get("secured"), str):
                secured = record.pop("secured")
                bind.execute(
                    sa.text("UPDATE articles SET secured = :s, record = :r WHERE id = :id").bindparams(
                        sa.bindparam("r", type_=sa.JSON)
                    ),
                    {"s": secured, "r": record, "id": row.id},
                )
            if sqlite:
                bind.execute(
                    sa.text(f"INSERT INTO {FTS_TABLE} (article_id, title, excerpt, body) VALUES (:id, :t, :e, :b)"),
                    {"id": row.id, "t": row.title, "e": record.get("excerpt") or "", "b": _body_terms(row.content)},
                )
        last = rows[-1].id


def downgrade() -> None:
    # the sealed text cannot be put back in plain without the keys, and
    # dropping its column would lose it: refuse while there is any
    sealed = op.get_bind().execute(sa.text("SELECT count(*) FROM articles WHERE secured IS NOT NULL")).scalar()
    if sealed:
        raise RuntimeError(f"cannot downgrade below 0004: {sealed} articles hold encrypted full text")
    op.drop_index("ix_articles_key_id", table_name="articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("key_id")
        batch.drop_column("secured")
