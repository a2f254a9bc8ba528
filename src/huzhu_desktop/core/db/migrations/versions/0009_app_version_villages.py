"""The app version that brought the database to its schema revision (workspace_info.app_version),
so that an older app refusing a newer database can name the version to install; and a town's
list of its 行政村 with 已开展互助养老 (org_unit.started: the town's own rows about its villages,
synced up to the district; NULL = not said).

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


def downgrade() -> None:
    with op.batch_alter_table("org_unit", schema=None) as batch_op:
        batch_op.drop_column("started")
    with op.batch_alter_table("workspace_info", schema=None) as batch_op:
        batch_op.drop_column("app_version")
