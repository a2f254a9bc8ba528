"""initial register

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23 09:11:48.851064
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("operator", sa.String(length=50), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("detail", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "care_point",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_code", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("address", sa.String(length=120), nullable=False),
        sa.Column("group_name", sa.String(length=30), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("care_point", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_care_point_owner_code"), ["owner_code"], unique=False)

    op.create_table(
        "clerk",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=30), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "household",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_code", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("card_no", sa.String(length=30), nullable=False),
        sa.Column("address", sa.String(length=120), nullable=False),
        sa.Column("group_name", sa.String(length=30), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_household_owner_code"), ["owner_code"], unique=False)

    op.create_table(
        "org_unit",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_code", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("parent_code", sa.String(length=12), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("org_unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_unit_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_org_unit_owner_code"), ["owner_code"], unique=False)

    op.create_table(
        "pairing",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_code", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("kind", sa.String(length=6), nullable=False),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=200), nullable=False),
        sa.Column("plan", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pairing", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pairing_owner_code"), ["owner_code"], unique=False)

    op.create_table(
        "workspace_info",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("org_code", sa.String(length=12), nullable=False),
        sa.Column("org_name", sa.String(length=50), nullable=False),
        sa.Column("parent_code", sa.String(length=12), nullable=True),
        sa.Column("parent_name", sa.String(length=50), nullable=False),
        sa.Column("district_name", sa.String(length=50), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_code", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("name", sa.String(length=30), nullable=False),
        sa.Column("name_initials", sa.String(length=30), nullable=False),
        sa.Column("name_pinyin", sa.String(length=120), nullable=False),
        sa.Column("gender", sa.String(length=2), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("id_number", sa.String(length=18), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=120), nullable=False),
        sa.Column("group_name", sa.String(length=30), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=4), nullable=False),
        sa.Column("status_date", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_id_number"), ["id_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_owner_code"), ["owner_code"], unique=False)

    op.create_table(
        "elder_profile",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_code", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("elder_types", sa.String(length=60), nullable=False),
        sa.Column("disability_grade", sa.String(length=4), nullable=True),
        sa.Column("living", sa.String(length=10), nullable=False),
        sa.Column("health", sa.String(length=10), nullable=False),
        sa.Column("has_children", sa.Boolean(), nullable=True),
        sa.Column("tags", sa.String(length=60), nullable=False),
        sa.Column("care_tier", sa.String(length=6), nullable=False),
        sa.Column("emergency_contact", sa.String(length=30), nullable=False),
        sa.Column("emergency_phone", sa.String(length=20), nullable=False),
        sa.Column("medical_notes", sa.String(length=200), nullable=False),
        sa.Column("is_special", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id"),
    )
    with op.batch_alter_table("elder_profile", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_elder_profile_is_special"), ["is_special"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_elder_profile_owner_code"), ["owner_code"], unique=False
        )

    op.create_table(
        "helper_profile",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_code", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("organisation", sa.String(length=60), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id"),
    )
    with op.batch_alter_table("helper_profile", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_helper_profile_owner_code"), ["owner_code"], unique=False
        )

    op.create_table(
        "pairing_member",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_code", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pairing_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairing.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pairing_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pairing_member_owner_code"), ["owner_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_pairing_member_pairing_id"), ["pairing_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_pairing_member_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "status_change",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_code", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("from_status", sa.String(length=4), nullable=False),
        sa.Column("to_status", sa.String(length=4), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("status_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_status_change_owner_code"), ["owner_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_status_change_person_id"), ["person_id"], unique=False)

    # The audit log is append-only: corrections are new rows, never edits.
    op.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")

    with op.batch_alter_table("status_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_change_person_id"))
        batch_op.drop_index(batch_op.f("ix_status_change_owner_code"))

    op.drop_table("status_change")
    with op.batch_alter_table("pairing_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pairing_member_person_id"))
        batch_op.drop_index(batch_op.f("ix_pairing_member_pairing_id"))
        batch_op.drop_index(batch_op.f("ix_pairing_member_owner_code"))

    op.drop_table("pairing_member")
    with op.batch_alter_table("helper_profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_helper_profile_owner_code"))

    op.drop_table("helper_profile")
    with op.batch_alter_table("elder_profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_elder_profile_owner_code"))
        batch_op.drop_index(batch_op.f("ix_elder_profile_is_special"))

    op.drop_table("elder_profile")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_owner_code"))
        batch_op.drop_index(batch_op.f("ix_person_name"))
        batch_op.drop_index(batch_op.f("ix_person_id_number"))
        batch_op.drop_index(batch_op.f("ix_person_household_id"))

    op.drop_table("person")
    op.drop_table("workspace_info")
    with op.batch_alter_table("pairing", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pairing_owner_code"))

    op.drop_table("pairing")
    with op.batch_alter_table("org_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_unit_owner_code"))
        batch_op.drop_index(batch_op.f("ix_org_unit_code"))

    op.drop_table("org_unit")
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_owner_code"))

    op.drop_table("household")
    op.drop_table("clerk")
    with op.batch_alter_table("care_point", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_care_point_owner_code"))

    op.drop_table("care_point")
    op.drop_table("audit_log")
