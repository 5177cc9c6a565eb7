"""Full-text search on PostgreSQL: an ``articles_fts`` table of its own
(the name SQLite's FTS5 index has) holding each article's ``tsvector``,
with a GIN index. SQLite is left as it is.

Rows are filled from each article's title and excerpt, and from its body
where a store from before encryption still keeps it in plain; a sealed
body's words are added when the article is next stored (a migration holds
no key).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

import json
import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# frozen copies: this migration must do the same thing whatever later code says
TABLE = "articles_fts"
_WORD_RE = re.compile(r"[^\W_]+")
BATCH = 500


def _words(value: str | None) -> list[str]:
    folded = "".join(c for c in unicodedata.normalize("NFD", value or "") if unicodedata.category(c) != "Mn")
    return [w.lower() for w in _WORD_RE.findall(folded)]


def _document(title: str, excerpt: str | None, body: str | None) -> str:
    terms: list[str] = []
    position = 0
    for weight, words in (("A", _words(title)), ("B", _words(excerpt)), ("C", sorted(set(_words(body))))):
        for word in words:
            if len(word) > 255 or position == 16383:
                continue
            position += 1
            terms.append(f"'{word}':{position}{weight}")
    return " ".join(terms)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(
        f"CREATE TABLE {TABLE} (article_id VARCHAR(40) PRIMARY KEY "
        "REFERENCES articles (id) ON DELETE CASCADE, document TSVECTOR NOT NULL)"
    )
    op.execute(f"CREATE INDEX ix_{TABLE}_document ON {TABLE} USING GIN (document)")
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
            bind.execute(
                sa.text(f"INSERT INTO {TABLE} (article_id, document) VALUES (:id, CAST(:d AS tsvector))"),
                {"id": row.id, "d": _document(row.title, record.get("excerpt"), row.content)},
            )
        last = rows[-1].id


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TABLE IF EXISTS {TABLE}")
