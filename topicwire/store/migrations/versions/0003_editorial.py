"""Editorial overrides beyond publish/hide (pin, topics, story) and the
alternate URLs of syndicated copies.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("pinned", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("editor_topics", sa.JSON))
        batch.add_column(sa.Column("editor_story", sa.String(40)))
    op.create_table(
        "alternates",
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("article_id", sa.String(40), nullable=False),
        sa.Column("provider_id", sa.String(300)),
        sa.Column("provider_name", sa.Text),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("url", name="pk_alternates"),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_alternates_article_id_articles", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_alternates_article_id", "alternates", ["article_id"])


def downgrade() -> None:
    op.drop_index("ix_alternates_article_id", table_name="alternates")
    op.drop_table("alternates")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("editor_story")
        batch.drop_column("editor_topics")
        batch.drop_column("pinned")
