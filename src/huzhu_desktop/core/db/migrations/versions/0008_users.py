"""Logins: app_user (each PC's own users, not synced), the admin recovery code's hash, and the
sealed private keys with the data key's wraps (services.key_vault).

A workspace without users stays login-free, so every earlier workspace opens as before.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 02:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=30), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("pw_hash", sa.String(length=200), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("key_wrap", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    with op.batch_alter_table("workspace_info", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("recovery_hash", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("recovery_wrap", sa.String(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("key_seal", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("workspace_info", schema=None) as batch_op:
        batch_op.drop_column("key_seal")
        batch_op.drop_column("recovery_wrap")
        batch_op.drop_column("recovery_hash")
    op.drop_table("app_user")
