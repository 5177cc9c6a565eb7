"""Companies and people: the registry's entities as the store knows them,
the articles that mention them, their daily heat, and the review list of
names that look like organizations the registry lacks.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entities",
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("grp", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(200)),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("heat", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_entities"),
    )
    op.create_index("ix_entities_grp_heat", "entities", ["grp", "heat"])
    op.create_table(
        "article_entities",
        sa.Column("article_id", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(100), nullable=False),
        sa.Column("in_title", sa.Integer, nullable=False),
        sa.Column("in_excerpt", sa.Integer, nullable=False),
        sa.Column("in_body", sa.Integer, nullable=False),
        sa.Column("weight", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("article_id", "entity_id", name="pk_article_entities"),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name="fk_article_entities_article_id_articles",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"], name="fk_article_entities_entity_id_entities",
                                ondelete="CASCADE"),
    )
    op.create_index("ix_article_entities_entity", "article_entities", ["entity_id", "article_id"])
    op.create_table(
        "entity_heat",
        sa.Column("entity_id", sa.String(100), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("heat", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("entity_id", "day", name="pk_entity_heat"),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"], name="fk_entity_heat_entity_id_entities",
                                ondelete="CASCADE"),
    )
    op.create_table(
        "entity_candidates",
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("article_id", sa.String(40), nullable=False),
        sa.Column("mentions", sa.Integer, nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", "article_id", name="pk_entity_candidates"),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name="fk_entity_candidates_article_id_articles",
                                ondelete="CASCADE"),
    )
    op.create_table(
        "dismissed_candidates",
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_dismissed_candidates"),
    )


def downgrade() -> None:
    for table in ("dismissed_candidates", "entity_candidates", "entity_heat", "article_entities", "entities"):
        op.drop_table(table)
