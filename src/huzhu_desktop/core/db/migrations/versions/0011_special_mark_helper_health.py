"""The clerk's 特殊老人 mark by judgment and a helper's 身体状况.

- `elder_profile.special_reason` / `elder_spell.special_reason`: why the clerk counts an elder as
  a 特殊老人 who is not one by the rule (分散特困、失独、重残 living alone) — seed 002 says the
  special elders are "主要指" those, so the village may add others; empty: no mark. Kept in the
  spells so a quarter re-reported later reads the mark as it stood at the quarter's end.
- `helper_profile.health`: the 互助员's 身体状况, printed on the 明白卡 beside their age (seed 003).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 10:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("elder_profile", "elder_spell"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("special_reason", sa.String(length=60), nullable=False, server_default="")
            )
    with op.batch_alter_table("helper_profile", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("health", sa.String(length=10), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("helper_profile", schema=None) as batch_op:
        batch_op.drop_column("health")
    for table in ("elder_spell", "elder_profile"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("special_reason")
