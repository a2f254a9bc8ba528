"""Demo workspace: a realistic 演示村 under 渝北区 茨竹镇 for first start, training and benchmarks.

Rules (DESIGN §4): the demo lives in its own workspace, marked as demo; running again replaces
the demo data; a workspace holding real data is refused. Ids and data are reproducible from
`seed`; bulk rows go through SQLAlchemy Core `insert()` executemany.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session

from huzhu_desktop.core import clock, models
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.atomic import put_folder_in_place
from huzhu_desktop.core.db.backup import read_only
from huzhu_desktop.core.db.bulk import insert_rows
from huzhu_desktop.core.demo.funding_demo import fill_funding
from huzhu_desktop.core.demo.practice_ledger import write_practice_ledger
from huzhu_desktop.core.demo.practice_visits import write_practice_visits
from huzhu_desktop.core.demo.sync_demo import fill_sync
from huzhu_desktop.core.demo.time_bank import fill_time_bank, ledger_unlocked
from huzhu_desktop.core.demo.village import DemoVillage, build_village
from huzhu_desktop.core.errors import WorkspaceError
from huzhu_desktop.core.quick_info import DEMO_STAMP, DEMO_VERSION, demo_stamp_version
from huzhu_desktop.core.services.audit import record_audit
from huzhu_desktop.core.services.setup import SetupForm, initialize
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.paths import DB_NAME

DEMO_SETUP = SetupForm(
    kind="village",
    org_code="500112108201",
    org_name="演示村",
    parent_name="茨竹镇",
    district_name="渝北区",
    clerk_name="演示专干",
)

# Tables the demo fills, children first so deletes respect foreign keys.
DEMO_TABLES = (
    models.SyncConflict,
    models.BundleLog,
    models.PeerKey,
    models.RedemptionLine,
    models.Redemption,
    models.StockMove,
    models.ShopItem,
    models.PointEntry,
    models.PointBalance,
    models.PointRule,
    models.CardPrint,
    models.ServiceRequest,
    models.ActivityMember,
    models.Activity,
    models.Funding,
    models.VisitMember,
    models.Visit,
    models.PairingMember,
    models.Pairing,
    models.StatusChange,
    models.HelperSpell,
    models.ElderSpell,
    models.HelperProfile,
    models.ElderProfile,
    models.Person,
    models.Household,
    models.CarePoint,
)


@dataclass
class DemoResult:
    elders: int
    helpers: int
    households: int
    pairings: int
    visits: int
    point_entries: int
    care_points: int
    workspace: str
    practice_ledger: str
    town_workspace: str
    practice_visits: str = ""
    practice_chat: str = ""

    def to_json(self) -> dict[str, object]:
        return self.__dict__.copy()


def make_demo(
    ws: Workspace,
    *,
    elders: int = 300,
    years: int = 1,
    seed: int = 2026,
    today: date | None = None,
    town: bool = True,
) -> DemoResult:
    """Fill (or refill) a demo workspace. Refuses a workspace that holds real data. With `town`,
    also (re)make the demo town that has received the village's last bundle."""
    if elders < 1 or elders > 200_000:
        raise WorkspaceError("老人数量应在 1 到 200000 之间。")
    if years < 1 or years > 20:
        raise WorkspaceError("年数应在 1 到 20 之间。")
    today = today or clock.today()
    with ws.transaction() as session:
        info = session.get(models.WorkspaceInfo, 1)
        if info is None:
            info = initialize(DEMO_SETUP, session=session, is_demo=True)
            # Made-up numbers in the 023 (重庆) area for the 明白卡's 村委会 and 监督电话 lines.
            info.office_phone, info.supervision_phone = "023-67800001", "023-67800002"
            session.flush()
        elif not info.is_demo:
            raise WorkspaceError(
                f"工作区“{ws.folder}”里是真实数据（{info.org_name}），不能放入演示数据。"
                "演示数据请放在单独的演示工作区（不加 --workspace 运行 huzhu demo）。"
            )
        actor = Actor("演示专干", info.workspace_id, info.org_code)
        with ledger_unlocked(session):
            for table in DEMO_TABLES:
                session.execute(delete(table))
        village = build_village(actor, elders=elders, years=years, seed=seed, today=today)
        _insert_all(session, village)
        entries = fill_time_bank(
            session, actor, seed=seed, today=today, first_day=_years_before(today, years)
        )
        fill_funding(session, actor, seed=seed, today=today, first_day=_years_before(today, years))
        record_audit(
            session, actor, "生成演示数据", detail=f"elders={elders} years={years} seed={seed}"
        )
    ws.reload_info()
    practice = write_practice_ledger(ws.folder)
    with ws.reading() as session:
        visit_sheet, chat = write_practice_visits(ws.folder, session, today)
    town_folder = str(fill_sync(ws, today)) if town else ""
    (ws.folder / DEMO_STAMP).write_text(json.dumps({"version": DEMO_VERSION}), encoding="utf-8")
    return DemoResult(
        elders=elders,
        helpers=len(village.helpers),
        households=len(village.households),
        pairings=len(village.pairings),
        visits=len(village.visits),
        point_entries=entries,
        care_points=len(village.care_points),
        workspace=str(ws.folder),
        practice_ledger=str(practice),
        town_workspace=town_folder,
        practice_visits=str(visit_sheet),
        practice_chat=str(chat),
    )


def _years_before(today: date, years: int) -> date:
    return date(today.year - years, 1, 1)


def _insert_all(session: Session, v: DemoVillage) -> None:
    for table, rows in (
        (models.CarePoint, v.care_points),
        (models.Household, v.households),
        (models.Person, v.people),
        (models.ElderProfile, v.elder_profiles),
        (models.HelperProfile, v.helpers),
        (models.ElderSpell, v.elder_spells),
        (models.HelperSpell, v.helper_spells),
        (models.StatusChange, v.status_changes),
        (models.Pairing, v.pairings),
        (models.PairingMember, v.pairing_members),
        (models.Visit, v.visits),
        (models.VisitMember, v.visit_members),
        (models.ServiceRequest, v.requests),
    ):
        if rows:
            insert_rows(session, table, rows)


def demo_outdated(ws: Workspace) -> bool:
    """A demo workspace filled by an older version of the app (real workspaces never are)."""
    return ws.is_demo and demo_stamp_version(ws.folder) < DEMO_VERSION


def make_demo_folder(folder: Path, **options: Any) -> DemoResult:
    """`huzhu demo` and the app's first start on the demo: a new demo (or one a stopped run
    left half-made) is built whole in a folder beside `folder` and renamed into place, so a
    kill at any moment leaves no workspace without tables, unit or town; an existing demo is
    refilled in one transaction (its town rebuilt beside it and swapped in)."""
    if holds_a_workspace(folder):
        with Workspace.open(folder) as ws:
            return make_demo(ws, **options)
    built = folder.with_name(f".{folder.name}.building-{os.getpid()}")
    if built.exists():
        shutil.rmtree(built)
    ws = Workspace.open(built)
    try:
        result = make_demo(ws, **options)
    finally:
        ws.close()
    put_folder_in_place(built, folder)
    moved: dict[str, Any] = {
        f.name: str(getattr(result, f.name)).replace(str(built), str(folder), 1)
        for f in fields(result)
        if isinstance(getattr(result, f.name), str) and getattr(result, f.name)
    }
    return replace(result, **moved)  # the paths as they are now


def holds_a_workspace(folder: Path) -> bool:
    """Whether `folder` has a set-up workspace (or a database this must not touch: damaged,
    foreign). False only for nothing, or a database a stopped demo run left without its unit."""
    db = folder / DB_NAME
    if not db.exists() or db.stat().st_size == 0:
        return False
    try:
        with read_only(db) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if not tables or tables <= {"alembic_version", "sqlite_sequence"}:
                return False  # created, never filled
            if "workspace_info" not in tables:
                return True  # not ours: Workspace.open says so
            return conn.execute("SELECT count(*) FROM workspace_info").fetchone()[0] > 0
    except sqlite3.Error:
        return True  # damaged: leave it to Workspace.open and 从备份恢复
