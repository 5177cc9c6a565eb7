"""The database schema, in SQLAlchemy Core: the tables the migrations build.

Articles keep their whole record as JSON (the record schema in ``model``
stays the one description of a record) plus the columns that queries filter
and sort on. Times are stored in UTC.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.sql import false
from sqlalchemy.types import TypeDecorator

# Named constraints let migrations alter them the same way on every backend.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (which has no
    time zone type) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


sources = Table(
    "sources",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("kind", String(20), nullable=False),
    Column("name", Text),
    Column("settings", JSON, nullable=False, default=dict),
    Column("created_at", UTCDateTime, nullable=False),
)

fetch_state = Table(
    "fetch_state",
    metadata,
    Column("url", Text, primary_key=True),
    Column("source_id", String(64), ForeignKey("sources.id", ondelete="CASCADE")),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_status", Integer),
    Column("last_fetched_at", UTCDateTime),
    Column("last_success_at", UTCDateTime),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("next_attempt_at", UTCDateTime),
)

providers = Table(
    "providers",
    metadata,
    # the registrable domain, or "name:<slug>" for a provider known by name only
    Column("id", String(300), primary_key=True),
    Column("name", Text, nullable=False),
    Column("domain", String(253)),
    Column("tier", Integer),
    Column("record", JSON, nullable=False),
    Column("first_seen", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

topics = Table(
    "topics",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("taxonomy", String(100), nullable=False),
    Column("name", String(200), nullable=False, unique=True),
    Column("parent_id", String(100), ForeignKey("topics.id", ondelete="SET NULL")),
    Column("depth", Integer, nullable=False, default=0),
    Column("definition", JSON, nullable=False),
)

stories = Table(
    "stories",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("headline", Text, nullable=False),
    Column("representative_id", String(40)),
    Column("heat", Integer, nullable=False, default=-1),
    Column("first_seen", UTCDateTime, nullable=False),
    Column("last_seen", UTCDateTime, nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("web_url", Text, nullable=False, unique=True),
    Column("original_url", Text),
    Column("title", Text, nullable=False),
    Column("type", String(20), nullable=False),
    Column("category", String(100), nullable=False),
    Column("locale", String(35)),
    Column("provider_id", String(300), ForeignKey("providers.id")),
    Column("story_id", String(40), ForeignKey("stories.id", ondelete="SET NULL")),
    Column("published_at", UTCDateTime, index=True),
    Column("updated_at", UTCDateTime),
    Column("quality", Integer),
    Column("heat", Integer),
    Column("published", Boolean),
    # an editor's publish (true) or hide (false); survives re-scoring
    Column("editor_published", Boolean),
    # the named parts of the quality score, for `topicwire explain`
    Column("quality_components", JSON),
    Column("duplicate_of", String(40)),
    # editor overrides that survive re-scoring: kept on top of listings,
    # topic names that replace the computed ones, a story chosen by hand
    Column("pinned", Boolean, nullable=False, default=False, server_default=false()),
    Column("editor_topics", JSON),
    Column("editor_story", String(40)),
    # the record without its full text (which is in secured)
    Column("record", JSON, nullable=False),
    # plain full text, written only by stores made before encryption at rest;
    # `topicwire keys init` / `keys rotate` seal it and empty this column
    Column("content", Text),
    # the full text encrypted, base64(ciphertext);base64(nonce), and the id
    # of the key that sealed it (none: another system's key)
    Column("secured", Text),
    Column("key_id", String(64)),
    # a hash of the record without its full text (see store/articles.py)
    Column("record_hash", String(64), nullable=False),
    Column("first_seen", UTCDateTime, nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    Index("ix_articles_provider_published", "provider_id", "published_at"),
    Index("ix_articles_story", "story_id"),
    Index("ix_articles_key_id", "key_id"),
)

article_topics = Table(
    "article_topics",
    metadata,
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", String(100), ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
    # 0 is the most specific topic
    Column("rank", Integer, nullable=False),
    Column("confidence", Float),
    # what assigned it: "record" (imported as given), "keywords", "classifier", "editor"
    Column("signal", String(20), nullable=False),
    Index("ix_article_topics_topic", "topic_id", "article_id"),
)

topic_heat = Table(
    "topic_heat",
    metadata,
    Column("topic_id", String(100), ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("heat", Integer, nullable=False),
)

# Other URLs the same article was found at: syndicated copies that name it
# as their canonical page. They are not separate items on the wire.
alternates = Table(
    "alternates",
    metadata,
    Column("url", Text, primary_key=True),
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("provider_id", String(300)),
    Column("provider_name", Text),
    Column("first_seen", UTCDateTime, nullable=False),
)

# The registry's organizations and people as the store knows them: synced
# from the registry files at each scoring, with what coverage says of them.
entities = Table(
    "entities",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("name", Text, nullable=False),
    # "organization" or "person"
    Column("grp", String(20), nullable=False),
    Column("kind", String(200)),
    # the registry entry as data (overview, website, social, images...)
    Column("record", JSON, nullable=False),
    Column("heat", Integer, nullable=False, default=-1),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_entities_grp_heat", "grp", "heat"),
)

# Which entities an article mentions, how often and where.
article_entities = Table(
    "article_entities",
    metadata,
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("entity_id", String(100), ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    Column("in_title", Integer, nullable=False),
    Column("in_excerpt", Integer, nullable=False),
    Column("in_body", Integer, nullable=False),
    Column("weight", Float, nullable=False),
    Index("ix_article_entities_entity", "entity_id", "article_id"),
)

entity_heat = Table(
    "entity_heat",
    metadata,
    Column("entity_id", String(100), ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("heat", Integer, nullable=False),
)

# Names that look like organizations the registry lacks, per article that
# uses them: the review list (never added to the registry by themselves).
entity_candidates = Table(
    "entity_candidates",
    metadata,
    Column("name", String(300), primary_key=True),
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("mentions", Integer, nullable=False),
    Column("seen_at", UTCDateTime, nullable=False),
)

# Candidate names a reviewer dismissed: not proposed again.
dismissed_candidates = Table(
    "dismissed_candidates",
    metadata,
    Column("name", String(300), primary_key=True),
    Column("dismissed_at", UTCDateTime, nullable=False),
)

images = Table(
    "images",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("url", Text, nullable=False),
    Column("width", Integer),
    Column("height", Integer),
    Column("title", Text),
    Column("attribution", Text),
    Column("is_cached", Boolean, nullable=False, default=False),
    # where the cached copy lives under the data folder, once it does
    Column("path", Text),
    UniqueConstraint("article_id", "position", name="uq_images_article_position"),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("status", String(20), nullable=False),
    Column("summary", JSON, nullable=False, default=dict),
)

# The full-text index over what search needs: the title and excerpt (public
# anyway) and, for the body, only the distinct words it uses (see
# store/search.py). On SQLite an FTS5 virtual table, on PostgreSQL a table
# of tsvectors (migration 0005). Not a Table here: its columns differ by
# backend and SQLAlchemy has no virtual tables.
FTS_TABLE = "articles_fts"
SQLITE_FTS_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "article_id UNINDEXED, title, excerpt, body, tokenize = 'unicode61 remove_diacritics 2')"
)


def include_name(name: str | None, type_: str, _parents: dict[str, str | None]) -> bool:
    """For schema comparisons: the full-text index differs by backend (and
    FTS5 keeps shadow tables of its own), so no Table declares it."""
    return not (type_ == "table" and name is not None and name.startswith(FTS_TABLE))
