"""Version 0.3.0's schema.

- A bundle's kind in the log (bundle_log.kind): `data` — a unit's snapshot going up (or to its
  other PC) — or `receipt` — a 回执 coming down from the town (district): which bundles arrived
  and the review of each quarter. Each kind keeps its own sequence per (sender, receiver).
- The clerk's 特殊老人 mark by judgment (`elder_profile.special_reason`,
  `elder_spell.special_reason`): why the village counts an elder as a 特殊老人 who is not one by
  the rule (分散特困、失独、重残 living alone) — seed 002 says the special elders are "主要指"
  those; empty: no mark. Kept in the spells so a quarter re-reported later reads the mark as it
  stood at the quarter's end.
- A helper's 身体状况 (`helper_profile.health`), printed on the 明白卡 beside their age.
- An index of `point_entry` by (owner_code, posted_on): a unit's points of a period were a scan
  of the whole ledger (0.86 s per village at a district of 600 villages).

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
    for table in ("elder_profile", "elder_spell"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("special_reason", sa.String(length=60), nullable=False, server_default="")
            )
    with op.batch_alter_table("helper_profile", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("health", sa.String(length=10), nullable=False, server_default="")
        )
    op.create_index("ix_point_entry_owner_posted", "point_entry", ["owner_code", "posted_on"])


def downgrade() -> None:
    op.drop_index("ix_point_entry_owner_posted", table_name="point_entry")
    with op.batch_alter_table("helper_profile", schema=None) as batch_op:
        batch_op.drop_column("health")
    for table in ("elder_spell", "elder_profile"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("special_reason")
    with op.batch_alter_table("bundle_log", schema=None) as batch_op:
        batch_op.drop_column("kind")
