"""Migrations: empty → head, head with data → head (no-op), and the models match the scripts."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel

import huzhu_desktop.core.models  # noqa: F401
from huzhu_desktop.core.db import migrate
from huzhu_desktop.core.db.engine import make_engine
from huzhu_desktop.core.db.schema import KNOWN_REVISIONS, SCHEMA_HEAD
from huzhu_desktop.core.workspace import Workspace


def test_schema_head_constant_matches_the_scripts() -> None:
    assert migrate.script_head() == SCHEMA_HEAD
    assert SCHEMA_HEAD in KNOWN_REVISIONS


def test_empty_database_upgrades_to_head(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "x.db")
    assert migrate.current_revision(engine) is None
    migrate.upgrade_to_head(engine)
    assert migrate.current_revision(engine) == SCHEMA_HEAD
    tables = set(inspect(engine).get_table_names())
    assert {
        "person",
        "elder_profile",
        "helper_profile",
        "household",
        "pairing",
        "audit_log",
    } <= tables
    engine.dispose()


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'y.db'}")
    migrate.upgrade_to_head(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []
    engine.dispose()


def test_head_with_data_upgrades_as_a_no_op(demo_ws) -> None:
    with demo_ws.reading() as s:
        before = s.execute(text("SELECT count(*), max(updated_at) FROM person")).one()
    demo_ws.close()
    migrate.upgrade_to_head(make_engine(demo_ws.folder / "huzhu.db"))
    with Workspace.open(demo_ws.folder) as again, again.reading() as s:
        after = s.execute(text("SELECT count(*), max(updated_at) FROM person")).one()
    assert before == after
    assert not list((demo_ws.folder / "backups").glob("*before-upgrade*"))
