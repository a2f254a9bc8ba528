"""visits requests cards

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 10:18:21.028391
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "visit",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_code", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("visit_date", sa.Date(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=6), nullable=False),
        sa.Column("services", sa.String(length=120), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("source", sa.String(length=6), nullable=False),
        sa.Column("confirmation", sa.String(length=10), nullable=False),
        sa.Column("pairing_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairing.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_owner_code"), ["owner_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_visit_date"), ["visit_date"], unique=False)

    op.create_table(
        "card_print",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_code", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pairing_id", sa.String(length=36), nullable=False),
        sa.Column("elder_id", sa.String(length=36), nullable=False),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("layout", sa.String(length=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["elder_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairing.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("card_print", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_card_print_elder_id"), ["elder_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_card_print_owner_code"), ["owner_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_card_print_pairing_id"), ["pairing_id"], unique=False)

    op.create_table(
        "service_request",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_code", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("elder_id", sa.String(length=36), nullable=False),
        sa.Column("service", sa.String(length=10), nullable=False),
        sa.Column("wanted_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=6), nullable=False),
        sa.Column("helper_id", sa.String(length=36), nullable=True),
        sa.Column("visit_id", sa.String(length=36), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["elder_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["helper_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("service_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_request_elder_id"), ["elder_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_service_request_owner_code"), ["owner_code"], unique=False
        )

    op.create_table(
        "visit_member",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_code", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("visit_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_visit_member_owner_code"), ["owner_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_visit_member_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_member_visit_id"), ["visit_id"], unique=False)

    with op.batch_alter_table("pairing", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("period_days", sa.Integer(), nullable=False, server_default="30")
        )

    with op.batch_alter_table("workspace_info", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("office_phone", sa.String(length=20), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("supervision_phone", sa.String(length=20), nullable=False, server_default="")
        )


def downgrade() -> None:

    with op.batch_alter_table("workspace_info", schema=None) as batch_op:
        batch_op.drop_column("supervision_phone")
        batch_op.drop_column("office_phone")

    with op.batch_alter_table("pairing", schema=None) as batch_op:
        batch_op.drop_column("period_days")

    with op.batch_alter_table("visit_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_member_visit_id"))
        batch_op.drop_index(batch_op.f("ix_visit_member_person_id"))
        batch_op.drop_index(batch_op.f("ix_visit_member_owner_code"))

    op.drop_table("visit_member")
    with op.batch_alter_table("service_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_request_owner_code"))
        batch_op.drop_index(batch_op.f("ix_service_request_elder_id"))

    op.drop_table("service_request")
    with op.batch_alter_table("card_print", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_card_print_pairing_id"))
        batch_op.drop_index(batch_op.f("ix_card_print_owner_code"))
        batch_op.drop_index(batch_op.f("ix_card_print_elder_id"))

    op.drop_table("card_print")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_visit_date"))
        batch_op.drop_index(batch_op.f("ix_visit_owner_code"))

    op.drop_table("visit")
