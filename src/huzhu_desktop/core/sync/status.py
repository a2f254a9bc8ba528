"""What the 同步 page shows: the bundle history, the conflict log, and for a town or district the
已报送 matrix — which unit below has sent which quarter, with its figures for a quarter."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from huzhu_desktop.core import periods
from huzhu_desktop.core.errors import NotFoundError
from huzhu_desktop.core.models import BundleLog, PeerKey, SyncConflict, WorkspaceInfo, utcnow
from huzhu_desktop.core.services.villages import town_villages, villages_of_towns
from huzhu_desktop.core.sync.merge import CHANGES, TABLE_LABELS, describe_counts
from huzhu_desktop.core.sync.totals import VISITS_IN_PERIOD, org_totals

BELOW = {"town": "village", "district": "town"}


@dataclass
class LogLine:
    at: datetime
    direction: str  # 导出 / 导入 / 转来 / 写回执 / 收到回执
    unit: str
    period: str
    seq: int
    file_name: str
    figures: str
    by: str


def history(session: Session) -> list[LogLine]:
    """Every bundle written or applied here, newest first."""
    lines = []
    for r in session.execute(select(BundleLog).order_by(col(BundleLog.done_at).desc())).scalars():
        if r.direction == "out":
            target = _manifest(r).get("target", {})
            direction, unit = "导出", f"发给 {target.get('org_name', '')}（{r.target_code}）"
        else:
            direction = "转来" if r.via_code else "导入"
            unit = f"{r.source_name}（{r.source_code}）"
        if r.kind == "receipt":
            direction = "写回执" if r.direction == "out" else "收到回执"
        lines.append(
            LogLine(
                r.done_at.astimezone(),  # stored in UTC; the clerk reads local time
                direction,
                unit,
                r.period,
                r.seq,
                r.file_name,
                _figures(r),
                r.done_by,
            )
        )
    return lines


def _manifest(r: BundleLog) -> dict[str, Any]:
    try:
        found = json.loads(r.manifest or "{}")
    except json.JSONDecodeError:
        return {}
    return found if isinstance(found, dict) else {}


def _figures(r: BundleLog) -> str:
    try:
        summary = json.loads(r.summary or "{}")
    except json.JSONDecodeError:
        return ""
    if r.kind == "receipt":
        states = summary.get("quarters", []) if isinstance(summary, dict) else []
        return "；".join(f"{periods.quarter_label(q['quarter'])} {q['status']}" for q in states)
    if r.direction == "out":
        text = f"本单位 {sum(summary.get('counts', {}).values())} 条记录"
        villages = _manifest(r).get("villages", [])
        return text + (f"，另转报 {len(villages)} 个村的数据包" if villages else "")
    totals = {k: sum(counts.get(k, 0) for counts in summary.values()) for k in CHANGES}
    return describe_counts(totals, CHANGES)


@dataclass
class UnitReport:
    """One unit below this workspace in the 已报送 matrix."""

    code: str
    name: str
    sent: dict[str, date] = field(default_factory=dict)  # quarter → when its bundle arrived
    last_at: date | None = None
    figures: dict[str, float | int] = field(default_factory=dict)
    started: str = ""  # a town's village: 已开展 / 未开展 / 未填 (its 村名单)
    listed: bool = True  # on the town's 村名单 (False: known only from a key card or bundle)
    villages_started: tuple[int, int] | None = None  # a district's town: (已开展, on its list)


def last_quarters(n: int, today: date | None = None) -> list[str]:
    """The current quarter and the n-1 before it, oldest first, as 2026Q4 codes."""
    return [str(q) for q in periods.last_quarters(n, today)]


def report_matrix(
    session: Session, quarter: str | None = None, *, figures: bool = True
) -> list[UnitReport]:
    """The units below (villages of a town, towns of a district): which quarters each has sent
    (directly or through its town), when last, and (`figures`) its figures for `quarter` from
    the data here — the costly part at a district: without them, who sent what is a few reads."""
    info = session.get(WorkspaceInfo, 1)
    below = BELOW.get(info.kind if info else "")
    if info is None or below is None:
        return []
    quarter = quarter or str(periods.current_quarter())
    units: dict[str, UnitReport] = {}
    for v in town_villages(session):  # every village of a town, also those that never sent
        units[v.code] = UnitReport(v.code, v.name, started=v.started_text, listed=v.listed)
    for p in session.execute(select(PeerKey).where(col(PeerKey.kind) == below)).scalars():
        if p.parent_code == info.org_code:
            units.setdefault(p.org_code, UnitReport(p.org_code, p.org_name))
    logs = session.execute(
        select(BundleLog)
        .where(col(BundleLog.direction) == "in", col(BundleLog.kind) == "data")
        .order_by(col(BundleLog.done_at))
    ).scalars()
    for r in logs:
        if r.source_kind != below:  # a district's villages count inside their towns
            continue
        unit = units.setdefault(r.source_code, UnitReport(r.source_code, r.source_name))
        unit.name = r.source_name
        arrived = r.done_at.astimezone().date()
        unit.sent[r.period] = arrived
        unit.last_at = arrived
    lists = villages_of_towns(session) if below == "town" else {}
    for unit in units.values():
        if figures:
            unit.figures = unit_figures(session, unit.code, below, quarter)
        if unit.code in lists:
            listed = lists[unit.code]
            unit.villages_started = (sum(1 for v in listed if v.started), len(listed))
    return sorted(units.values(), key=lambda u: u.code)


def _villages_via(session: Session, town: str) -> list[str]:
    """The villages whose bundles came here through `town` (a district's view of a town)."""
    return [
        r[0]
        for r in session.execute(
            select(col(BundleLog.source_code))
            .where(col(BundleLog.via_code) == town, col(BundleLog.source_kind) == "village")
            .distinct()
        ).all()
    ]


def unit_visits(session: Session, quarter: str, units: list[UnitReport]) -> dict[str, int]:
    """Each of `units`' (report_matrix) visits in `quarter` — `unit_figures(…)["visits"]` for
    every unit in one grouped read (the 首页's chart at a district computed all seven figures
    of 620 units for this one: 7 s)."""
    from huzhu_desktop.core.db.bulk import raw_rows

    start, end = periods.quarter_bounds(quarter)
    counted = dict(
        raw_rows(
            session,
            f"SELECT owner_code, count(*) FROM {VISITS_IN_PERIOD} GROUP BY owner_code",
            {"start": start.isoformat(), "end": end.isoformat()},
        )
    )
    info = session.get(WorkspaceInfo, 1)
    below = BELOW.get(info.kind if info else "")
    out: dict[str, int] = {}
    for u in units:
        codes = [u.code] if below == "village" else [u.code, *_villages_via(session, u.code)]
        out[u.code] = sum(int(counted.get(c, 0)) for c in codes)
    return out


def unit_figures(session: Session, code: str, kind: str, quarter: str) -> dict[str, float | int]:
    if kind == "village":
        return org_totals(session, code, quarter)
    total: dict[str, float | int] = {}
    for c in [code, *_villages_via(session, code)]:
        for k, v in org_totals(session, c, quarter).items():
            total[k] = total.get(k, 0) + v
    return total


@dataclass
class ConflictLine:
    id: str
    at: datetime
    what: str
    row_id: str
    kept: dict[str, object]
    lost: dict[str, object]
    lost_side: str
    reviewed_by: str

    def differences(self) -> list[tuple[str, object, object]]:
        skip = {"rev", "updated_at", "origin", "updated_by", "created_at"}
        return [
            (k, self.kept.get(k), self.lost.get(k))
            for k in self.kept
            if k not in skip and self.kept.get(k) != self.lost.get(k)
        ]


def conflicts(session: Session, *, unreviewed_only: bool = False) -> list[ConflictLine]:
    stmt = select(SyncConflict).order_by(col(SyncConflict.at).desc())
    if unreviewed_only:
        stmt = stmt.where(col(SyncConflict.reviewed_by) == "")
    return [
        ConflictLine(
            c.id,
            c.at.astimezone(),
            TABLE_LABELS.get(c.table_name, c.table_name),
            c.row_id,
            json.loads(c.kept),
            json.loads(c.lost),
            "本机" if c.lost_side == "here" else "对方",
            c.reviewed_by,
        )
        for c in session.execute(stmt).scalars()
    ]


def mark_reviewed(session: Session, conflict_id: str, operator: str) -> None:
    c = session.get(SyncConflict, conflict_id)
    if c is None:
        raise NotFoundError("找不到这条冲突记录。")
    c.reviewed_by = f"{operator} {utcnow():%Y-%m-%d}"
    session.flush()
