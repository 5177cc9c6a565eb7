"""Initial schema: sources, fetch state, providers, topics, stories,
articles, article topics, images, runs, and SQLite's full-text index.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

from topicwire.store.schema import SQLITE_FTS_DDL, FTS_TABLE, UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.Text),
        sa.Column("settings", sa.JSON, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sources"),
        sa.UniqueConstraint("url", name="uq_sources_url"),
    )
    op.create_table(
        "fetch_state",
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("source_id", sa.String(64)),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("last_status", sa.Integer),
        sa.Column("last_fetched_at", UTCDateTime),
        sa.Column("last_success_at", UTCDateTime),
        sa.Column("consecutive_failures", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("next_attempt_at", UTCDateTime),
        sa.PrimaryKeyConstraint("url", name="pk_fetch_state"),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name="fk_fetch_state_source_id_sources", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "providers",
        sa.Column("id", sa.String(300), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("domain", sa.String(253)),
        sa.Column("tier", sa.Integer),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("first_seen", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_providers"),
    )
    op.create_table(
        "topics",
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("taxonomy", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("parent_id", sa.String(100)),
        sa.Column("depth", sa.Integer, nullable=False),
        sa.Column("definition", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_topics"),
        sa.UniqueConstraint("name", name="uq_topics_name"),
        sa.ForeignKeyConstraint(["parent_id"], ["topics.id"], name="fk_topics_parent_id_topics", ondelete="SET NULL"),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("headline", sa.Text, nullable=False),
        sa.Column("representative_id", sa.String(40)),
        sa.Column("heat", sa.Integer, nullable=False),
        sa.Column("first_seen", UTCDateTime, nullable=False),
        sa.Column("last_seen", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stories"),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("web_url", sa.Text, nullable=False),
        sa.Column("original_url", sa.Text),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("locale", sa.String(35)),
        sa.Column("provider_id", sa.String(300)),
        sa.Column("story_id", sa.String(40)),
        sa.Column("published_at", UTCDateTime),
        sa.Column("updated_at", UTCDateTime),
        sa.Column("quality", sa.Integer),
        sa.Column("heat", sa.Integer),
        sa.Column("published", sa.Boolean),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("content", sa.Text),
        sa.Column("record_hash", sa.String(64), nullable=False),
        sa.Column("first_seen", UTCDateTime, nullable=False),
        sa.Column("changed_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.UniqueConstraint("web_url", name="uq_articles_web_url"),
        sa.ForeignKeyConstraint(["provider_id"], ["providers.id"], name="fk_articles_provider_id_providers"),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name="fk_articles_story_id_stories", ondelete="SET NULL"
        ),
    )
    op.create_index("ix_articles_published_at", "articles", ["published_at"])
    op.create_index("ix_articles_provider_published", "articles", ["provider_id", "published_at"])
    op.create_index("ix_articles_story", "articles", ["story_id"])
    op.create_table(
        "article_topics",
        sa.Column("article_id", sa.String(40), nullable=False),
        sa.Column("topic_id", sa.String(100), nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("confidence", sa.Float),
        sa.Column("signal", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("article_id", "topic_id", name="pk_article_topics"),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_article_topics_article_id_articles", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topics.id"], name="fk_article_topics_topic_id_topics", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_article_topics_topic", "article_topics", ["topic_id", "article_id"])
    op.create_table(
        "images",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("article_id", sa.String(40), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("width", sa.Integer),
        sa.Column("height", sa.Integer),
        sa.Column("title", sa.Text),
        sa.Column("attribution", sa.Text),
        sa.Column("is_cached", sa.Boolean, nullable=False),
        sa.Column("path", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_images"),
        sa.UniqueConstraint("article_id", "position", name="uq_images_article_position"),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_images_article_id_articles", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.Column("finished_at", UTCDateTime),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SQLITE_FTS_DDL)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    for table in ("runs", "images", "article_topics", "articles", "stories", "topics", "providers", "fetch_state", "sources"):
        op.drop_table(table)
