"""The app version that brought the database to its schema revision (workspace_info.app_version),
so that an older app refusing a newer database can name the version to install; and a town's
list of its 行政村 with 已开展互助养老 (org_unit.started: the town's own rows about its villages,
synced up to the district; NULL = not said); and a town's (district's) review of each unit's
quarter (review: 已审核 / 退回 with reasons).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 04:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workspace_info", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("app_version", sa.String(length=20), nullable=False, server_default="")
        )
    with op.batch_alter_table("org_unit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("started", sa.Boolean(), nullable=True))
    op.create_table(
        "review",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_code", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unit_code", sa.String(length=12), nullable=False),
        sa.Column("quarter", sa.String(length=6), nullable=False),
        sa.Column("status", sa.String(length=4), nullable=False),
        sa.Column("reasons", sa.String(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_owner_code"), ["owner_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_unit_code"), ["unit_code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_unit_code"))
        batch_op.drop_index(batch_op.f("ix_review_owner_code"))
    op.drop_table("review")
    with op.batch_alter_table("org_unit", schema=None) as batch_op:
        batch_op.drop_column("started")
    with op.batch_alter_table("workspace_info", schema=None) as batch_op:
        batch_op.drop_column("app_version")
