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


OLD_WORKSPACE = (
    "INSERT INTO workspace_info (id, workspace_id, kind, org_code, org_name,"
    " parent_code, parent_name, district_name, is_demo, created_at)"
    " VALUES (1, :wid, 'village', :code, :name, '500112108000', :town,"
    " :district, 0, '2026-01-01 00:00:00')"
)
OLD_PAIRING = (
    "INSERT INTO pairing (id, owner_code, created_at, updated_at, updated_by,"
    " origin, rev, kind, label, start_date, end_reason, plan)"
    " VALUES ('p1', :code, '2026-01-01', '2026-01-01', :clerk, :wid, 1, :kind,"
    " '', '2026-01-01', '', :plan)"
)


def test_a_0001_workspace_with_data_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    """A database as the first release left it: opening it backs it up and upgrades in place."""
    folder = tmp_path / "old"
    folder.mkdir()
    engine = make_engine(folder / "huzhu.db")
    migrate.upgrade_to(engine, "0001")
    info = {
        "wid": "w1",
        "code": "500112108201",
        "name": "石坪村",
        "town": "茨竹镇",
        "district": "渝北区",
        "clerk": "王文书",
        "kind": "一对一",
        "plan": "每日敲敲门",
    }
    with engine.begin() as conn:
        conn.execute(text(OLD_WORKSPACE), info)
        conn.execute(text(OLD_PAIRING), info)
    engine.dispose()
    with Workspace.open(folder) as ws, ws.reading() as s:
        assert migrate.current_revision(ws.engine) == SCHEMA_HEAD
        assert ws.info is not None and ws.info.org_name == "石坪村" and ws.info.office_phone == ""
        assert s.execute(text("SELECT period_days FROM pairing WHERE id='p1'")).scalar() == 30
    [backup] = (folder / "backups").glob("*before-upgrade-0001.db")
    old = make_engine(backup)
    assert migrate.current_revision(old) == "0001"
    old.dispose()


def _activities(engine) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        acts = conn.execute(text("SELECT * FROM activity ORDER BY id")).all()
        members = conn.execute(
            text("SELECT * FROM activity_member ORDER BY activity_id, person_id")
        ).all()
    return [tuple(r) for r in acts], [tuple(r) for r in members]


def test_earlier_activity_awards_become_activities_the_same_on_every_pc(demo_ws) -> None:
    """A 0004 workspace knew an activity only as its 活动积分 entries; upgrading builds the
    activity and its participants from them — identically wherever it runs (same ids), so the
    village's PCs and the town agree without a conflict."""
    with demo_ws.reading() as s:
        titles = dict(s.execute(text("SELECT id, title FROM activity")).all())
        people = s.execute(
            text("SELECT activity_id, person_id FROM activity_member ORDER BY 1, 2")
        ).all()
    demo_ws.close()
    built = []
    for _ in range(2):
        engine = make_engine(demo_ws.folder / "huzhu.db")
        migrate.downgrade_to(engine, "0004")
        assert "activity" not in inspect(engine).get_table_names()
        migrate.upgrade_to_head(engine)
        built.append(_activities(engine))
        engine.dispose()
    assert built[0] == built[1]
    acts, members = built[0]
    assert {r[0]: r[10] for r in acts} == titles  # id → title, from the entries' 摘要
    assert all(r[9] == "其他" for r in acts)  # the kind was never recorded
    assert [(m[8], m[9]) for m in members] == [tuple(p) for p in people]
