"""A bundle's kind in the log (bundle_log.kind): `data` — a unit's snapshot going up (or to its
other PC) — or `receipt` — a 回执 coming down from the town (district): which bundles arrived
and the review of each quarter. Each kind keeps its own sequence per (sender, receiver).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 07:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bundle_log", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=10), nullable=False, server_default="data")
        )


def downgrade() -> None:
    with op.batch_alter_table("bundle_log", schema=None) as batch_op:
        batch_op.drop_column("kind")
