"""Enrichment results: editor overrides, quality components, duplicate
links, and topic heat per day.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("editor_published", sa.Boolean))
        batch.add_column(sa.Column("quality_components", sa.JSON))
        batch.add_column(sa.Column("duplicate_of", sa.String(40)))
    op.create_table(
        "topic_heat",
        sa.Column("topic_id", sa.String(100), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("heat", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("topic_id", "day", name="pk_topic_heat"),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topics.id"], name="fk_topic_heat_topic_id_topics", ondelete="CASCADE"
        ),
    )


def downgrade() -> None:
    op.drop_table("topic_heat")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("duplicate_of")
        batch.drop_column("quality_components")
        batch.drop_column("editor_published")
