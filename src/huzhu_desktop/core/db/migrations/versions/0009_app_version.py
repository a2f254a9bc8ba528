"""The app version that brought the database to its schema revision (workspace_info.app_version),
so that an older app refusing a newer database can name the version to install.

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


def downgrade() -> None:
    with op.batch_alter_table("workspace_info", schema=None) as batch_op:
        batch_op.drop_column("app_version")
