"""档案 — the registers seed 002 asks a village to keep, as workbooks printed like the forms (A4
landscape, one page wide, the header row repeated, the 填表单位 line): 互助养老队伍名单 (the
helpers in post), 活动台账 (the year's activities), 资金台账 (the year's money) and 积分汇总
(each household's points: earned in the year and the balance)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from huzhu_desktop.core import clock
from huzhu_desktop.core.atomic import atomic_path
from huzhu_desktop.core.reports.forms import body_row, start_form
from huzhu_desktop.core.services.keys import workspace_info


@dataclass(frozen=True)
class Register:
    id: str
    title: str  # after the district's name
    header: tuple[str, ...]
    widths: tuple[int, ...]
    rows: Callable[[Session, int], list[list[Any]]]


def _roster(session: Session, year: int) -> list[list[Any]]:
    from huzhu_desktop.core.services.register import list_helpers

    helpers = [h for h in list_helpers(session) if h.active]
    return [
        [n, h.name, h.gender, h.age or "", h.role, h.organisation, h.group, h.phone,
         h.elders_helped or "", h.unit]
        for n, h in enumerate(helpers, start=1)
    ]  # fmt: skip


def _activities(session: Session, year: int) -> list[list[Any]]:
    from huzhu_desktop.core.services.activities import list_activities

    found = sorted(
        list_activities(session, date(year, 1, 1), date(year, 12, 31)), key=lambda a: a.held_on
    )
    return [
        [n, f"{a.held_on:%Y-%m-%d}", a.kind, a.title, a.place, a.attendance,
         "、".join(a.participants[:30]), a.points_c / 100, a.unit]
        for n, a in enumerate(found, start=1)
    ]  # fmt: skip


def _funding(session: Session, year: int) -> list[list[Any]]:
    from huzhu_desktop.core.services.funding import list_funding

    found = sorted(
        list_funding(session, date(year, 1, 1), date(year, 12, 31)), key=lambda f: f.received_on
    )
    rows: list[list[Any]] = [
        [n, f"{f.received_on:%Y-%m-%d}", f.source, f.donor, f.amount_fen / 100, f.purpose, f.unit]
        for n, f in enumerate(found, start=1)
    ]
    rows.append(["", "合计", "", "", sum(f.amount_fen for f in found) / 100, "", ""])  # 0 too
    return rows


def _points(session: Session, year: int) -> list[list[Any]]:
    from huzhu_desktop.core.db.bulk import raw_rows
    from huzhu_desktop.core.services.points_read import EARNED_SQL, accounts

    earned = dict(
        raw_rows(
            session,
            f"SELECT household_id, sum(amount_c) FROM point_entry WHERE {EARNED_SQL} "
            "AND posted_on BETWEEN ? AND ? GROUP BY household_id",
            (f"{year}-01-01", f"{year}-12-31"),
        )
    )
    return [
        [n, a.name, a.card_no, a.group_name, a.members, (earned.get(a.household_id) or 0) / 100,
         a.balance_c / 100]
        for n, a in enumerate(accounts(session), start=1)
    ]  # fmt: skip


REGISTERS = {
    r.id: r
    for r in (
        Register(
            "roster", "农村互助养老服务队伍名单",
            ("序号", "姓名", "性别", "年龄", "队伍角色", "所属组织", "组", "联系电话", "结对老人数",
             "所属村"),
            (6, 10, 6, 6, 14, 22, 8, 16, 10, 12),
            _roster,
        ),
        Register(
            "activities", "农村互助养老集体活动台账",
            ("序号", "日期", "类型", "活动名称", "地点", "参加人数", "登记的参加者", "积分",
             "所属村"),
            (6, 12, 10, 24, 16, 8, 40, 8, 12),
            _activities,
        ),
        Register(
            "funding", "农村互助养老资金台账",
            ("序号", "到账日期", "来源", "出资单位或个人", "金额（元）", "用途", "所属单位"),
            (6, 12, 12, 24, 12, 30, 12),
            _funding,
        ),
        Register(
            "points", "农村互助养老积分汇总表",
            ("序号", "户名", "卡号", "组", "家庭成员", "本年获得积分", "积分结余"),
            (6, 12, 12, 8, 30, 12, 12),
            _points,
        ),
    )
}  # fmt: skip


def write_register(
    session: Session, register_id: str, dest: Path, *, year: int | None = None
) -> int:
    """Write one register for `year` (default: this year); returns its rows."""
    from openpyxl import Workbook

    reg = REGISTERS[register_id]
    year = year or clock.today().year
    info = workspace_info(session)
    district = info.district_name or info.org_name
    rows = reg.rows(session, year)
    wb = Workbook()
    ws = wb.active
    ws.title = reg.title[-8:]
    start_form(ws, f"{year}年", f"{district}{reg.title}", info.org_name, reg.header, reg.widths)
    for i, values in enumerate(rows, start=5):
        body_row(ws, i, values, bold=values[1] == "合计")
    with atomic_path(dest) as tmp:
        wb.save(tmp)
    return len(rows)
