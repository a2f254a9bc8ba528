"""The rows behind each target's figure (首页 → 明细): what the number counted, one line each, so
a clerk (or the town at its meeting) can see who or what is missing. Each target's rows are read
the way `targets` counts them; a test checks every figure against its rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from huzhu_desktop.core import clock
from huzhu_desktop.core.services.keys import workspace_info


@dataclass(frozen=True)
class TargetRows:
    title: str
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    counted: int  # rows that count towards the figure (the numerator)
    note: str = ""  # how the figure is read from the rows


def _villages_started(session: Session, at: date) -> TargetRows:
    from huzhu_desktop.core.services.villages import town_villages, villages_of_towns

    if workspace_info(session).kind == "town":
        listed = [("", v) for v in town_villages(session)]
    else:
        from huzhu_desktop.core.services.register import unit_names

        units = unit_names(session)
        listed = [
            (units.get(town, town), v)
            for town, vs in villages_of_towns(session).items()
            for v in vs
        ]
    rows = [(town, v.code, v.name, v.started_text) for town, v in listed]
    return TargetRows(
        "开展互助养老的村",
        ("所属镇", "村代码", "村名", "是否开展"),
        rows,
        sum(1 for _town, v in listed if v.started),
        "已开展的村 ÷ 村名单上的村",
    )


def _helped_share(session: Session, at: date) -> TargetRows:
    from huzhu_desktop.core.reports.targets import ledger_42, ledger_42_reasons

    found = sorted(ledger_42(session, at), key=lambda r: (r.paired, r.unit, r.group))
    rows = [
        (
            r.unit,
            r.name,
            r.group,
            r.age or "",
            "、".join(ledger_42_reasons(r)),
            "已结对" if r.paired else "未结对",
        )
        for r in found
    ]
    return TargetRows(
        "42号台账老人",
        ("所属村", "姓名", "组", "年龄", "列入台账的原因", "结对帮扶"),
        rows,
        sum(1 for r in found if r.paired),
        "已结对的 ÷ 台账上的老人（未结对的在前）",
    )


def _register_rows(register_id: str, title: str, note: str, count: Callable[[list[Any]], int]):
    def read(session: Session, at: date) -> TargetRows:
        from huzhu_desktop.core.reports.registers import REGISTERS

        reg = REGISTERS[register_id]
        rows = [tuple(r) for r in reg.rows(session, at.year)]
        return TargetRows(title, reg.header, rows, count(rows), note)

    return read


def _points_earned(rows: list[Any]) -> int:
    return round(sum(float(r[5] or 0) for r in rows))


def _visit_rate(session: Session, at: date) -> TargetRows:
    from huzhu_desktop.core.services.coverage import month_roll

    roll = sorted(
        (e for e in month_roll(session, at.year, at.month) if e.counted),
        key=lambda e: (e.visited, e.group, e.name),
    )
    units = _units_of(session, [e.elder_id for e in roll])
    rows = [
        (units.get(e.elder_id, ""), e.name, e.group, "已走访" if e.visited else "本月未走访")
        for e in roll
    ]
    return TargetRows(
        f"{at.year}年{at.month}月的特殊老人",
        ("所属村", "姓名", "组", "本月走访"),
        rows,
        sum(1 for e in roll if e.visited),
        "本月走访过的 ÷ 本月登记在册的特殊老人（未走访的在前）",
    )


def _units_of(session: Session, person_ids: list[str]) -> dict[str, str]:
    from huzhu_desktop.core.db.bulk import raw_rows
    from huzhu_desktop.core.services.register import unit_names

    names = unit_names(session)
    wanted = set(person_ids)
    return {
        pid: names.get(owner, owner)
        for pid, owner in raw_rows(session, "SELECT id, owner_code FROM person")
        if pid in wanted
    }


READERS: dict[str, Callable[[Session, date], TargetRows]] = {
    "villages_started": _villages_started,
    "helped_share": _helped_share,
    "points_year": _register_rows(
        "points",
        "本年获得的互助养老积分（按户）",
        "各户本年获得积分之和（与附件1一致）",
        _points_earned,
    ),
    "activities": _register_rows(
        "activities", "本年的集体活动", "活动场数 ÷（已开展的村 × 已开始的季度）", len
    ),
    "funding_year": _register_rows(
        "funding",
        "本年筹集的资金",
        "各笔到账金额之和（最后一行为合计）",
        lambda rows: round(float(rows[-1][4])) if rows else 0,
    ),
    "visit_rate_month": _visit_rate,
}


def rows_behind(
    session: Session, target_id: str, *, year: int | None = None, today: date | None = None
) -> TargetRows:
    """The rows behind one target's figure, for the same period `targets.compute` reads."""
    today = today or clock.today()
    at = min(today, date(year or today.year, 12, 31))
    return READERS[target_id](session, at)


def write_target_rows(
    session: Session, target_id: str, dest: Path, *, today: date | None = None
) -> int:
    """The rows behind one target as a workbook printed like the registers; returns its rows."""
    from openpyxl import Workbook

    from huzhu_desktop.core.atomic import atomic_path
    from huzhu_desktop.core.reports.forms import body_row, start_form
    from huzhu_desktop.core.reports.targets import BY_ID

    today = today or clock.today()
    behind = rows_behind(session, target_id, today=today)
    info = workspace_info(session)
    wb = Workbook()
    ws = wb.active
    ws.title = "明细"
    widths = tuple(max(8, min(40, 2 * len(h) + 4)) for h in behind.header)
    start_form(
        ws, f"{today:%Y-%m-%d}", f"{BY_ID[target_id].name}——{behind.title}", info.org_name,
        behind.header, widths,
    )  # fmt: skip
    for i, values in enumerate(behind.rows, start=5):
        body_row(ws, i, list(values), bold=len(values) > 1 and values[1] == "合计")
    body_row(ws, 5 + len(behind.rows), [f"计算方法：{behind.note}"])
    with atomic_path(dest) as tmp:
        wb.save(tmp)
    return len(behind.rows)
