"""History that makes any period reproducible: 登记日期 on person, elder and helper spells, and
the figures a workspace reported (submission).

Existing data becomes a first spell open at the start (effective_on NULL) and people keep a NULL
登记日期 (registered since before), so quarters already reported come out as they did. Spell ids
are derived from the profile's id, so two PCs of one village (and the town holding a copy)
make the same rows and later exchange them without duplicates.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 23:00:00
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SPELL_NAMESPACE = uuid.UUID("6b0f7c1e-3a55-4c56-9b7e-0c2f4d8a9e11")


def _sync_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_code", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
    ]


def upgrade() -> None:
    op.add_column("person", sa.Column("registered_on", sa.Date(), nullable=True))
    op.create_table(
        "elder_spell",
        *_sync_columns(),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("elder_types", sa.String(length=60), nullable=False),
        sa.Column("disability_grade", sa.String(length=4), nullable=True),
        sa.Column("living", sa.String(length=10), nullable=False),
        sa.Column("health", sa.String(length=10), nullable=False),
        sa.Column("group_name", sa.String(length=30), nullable=False),
        sa.Column("is_special", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("elder_spell", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_elder_spell_owner_code"), ["owner_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_elder_spell_person_id"), ["person_id"], unique=False)
    op.create_table(
        "helper_spell",
        *_sync_columns(),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("organisation", sa.String(length=60), nullable=False),
        sa.Column("in_post", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("helper_spell", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_helper_spell_owner_code"), ["owner_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_helper_spell_person_id"), ["person_id"], unique=False)
    op.create_table(
        "submission",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("period", sa.String(length=12), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("made_by", sa.String(length=50), nullable=False),
        sa.Column("figures", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submission_period"), ["period"], unique=False)
    _first_spells()


def _day(value: object) -> str | None:
    """A stored date as ISO text (SQLite hands dates back as text here)."""
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


def _first_spells() -> None:
    """Today's profiles as spells open at the start (a helper who left: a second spell)."""
    conn = op.get_bind()
    elders = conn.execute(
        sa.text(
            "SELECT e.id, e.owner_code, e.updated_at, e.updated_by, e.origin, e.person_id, "
            "e.elder_types, e.disability_grade, e.living, e.health, p.group_name, e.is_special "
            "FROM elder_profile e JOIN person p ON p.id = e.person_id"
        )
    ).all()
    if elders:
        conn.execute(
            sa.text(
                "INSERT INTO elder_spell (id, owner_code, created_at, updated_at, updated_by, "
                "origin, rev, deleted_at, person_id, effective_on, elder_types, disability_grade, "
                "living, health, group_name, is_special) VALUES (:id, :owner, :at, :at, :by, "
                ":origin, 1, NULL, :person, NULL, :types, :grade, :living, :health, :grp, :special)"
            ),
            [
                {
                    "id": str(uuid.uuid5(SPELL_NAMESPACE, f"elder:{r[0]}")),
                    "owner": r[1],
                    "at": r[2],
                    "by": r[3],
                    "origin": r[4],
                    "person": r[5],
                    "types": r[6],
                    "grade": r[7],
                    "living": r[8],
                    "health": r[9],
                    "grp": r[10],
                    "special": r[11],
                }
                for r in elders
            ],
        )
    rows = []
    for r in conn.execute(
        sa.text(
            "SELECT id, owner_code, updated_at, updated_by, origin, person_id, role, "
            "organisation, active, since, until FROM helper_profile"
        )
    ).all():
        common = {"owner": r[1], "at": r[2], "by": r[3], "origin": r[4], "person": r[5]}
        common |= {"role": r[6], "org": r[7]}
        until = _day(r[10])
        rows.append(
            common
            | {
                "id": str(uuid.uuid5(SPELL_NAMESPACE, f"helper:{r[0]}")),
                "start": _day(r[9]),
                "in_post": bool(r[8]) or until is not None,
            }
        )
        if until is not None:  # left: out of post from the day after `until`
            after = (date.fromisoformat(until) + timedelta(days=1)).isoformat()
            rows.append(
                common
                | {
                    "id": str(uuid.uuid5(SPELL_NAMESPACE, f"helper-left:{r[0]}")),
                    "start": after,
                    "in_post": False,
                }
            )
    if rows:
        conn.execute(
            sa.text(
                "INSERT INTO helper_spell (id, owner_code, created_at, updated_at, updated_by, "
                "origin, rev, deleted_at, person_id, effective_on, role, organisation, in_post) "
                "VALUES (:id, :owner, :at, :at, :by, :origin, 1, NULL, :person, :start, :role, "
                ":org, :in_post)"
            ),
            rows,
        )


def downgrade() -> None:
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_period"))
    op.drop_table("submission")
    with op.batch_alter_table("helper_spell", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_helper_spell_person_id"))
        batch_op.drop_index(batch_op.f("ix_helper_spell_owner_code"))
    op.drop_table("helper_spell")
    with op.batch_alter_table("elder_spell", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_elder_spell_person_id"))
        batch_op.drop_index(batch_op.f("ix_elder_spell_owner_code"))
    op.drop_table("elder_spell")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("registered_on")
