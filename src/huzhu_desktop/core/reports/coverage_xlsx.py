"""特殊老人探访情况 for a quarter: 月探访率 per month, who was not visited, who has no 一对一,
who is overdue — the figures the town asks for (001: 特殊困难老年人月探访率达到100%)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import Session

from huzhu_desktop.core import clock
from huzhu_desktop.core.atomic import atomic_path
from huzhu_desktop.core.periods import Quarter
from huzhu_desktop.core.reports.xlsx_safe import safe_cell
from huzhu_desktop.core.services import coverage


def write_coverage(
    session: Session, dest: Path, *, quarter: str, unit: str, today: date | None = None
) -> dict[str, object]:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    today = today or clock.today()
    period = Quarter.parse(quarter)
    year, q = period.year, period.q
    months = [m.month for m in period.months if m.start <= today]
    rates = [coverage.monthly_visit_rate(session, year, m) for m in months]
    wb = Workbook(write_only=True)
    bold = Font(bold=True)

    ws = wb.create_sheet("月探访率")
    ws.append(
        [safe_cell(ws, f"{unit} {period.label} 特殊老人探访情况", font=Font(bold=True, size=14))]
    )
    ws.append(
        [
            safe_cell(ws, h, font=bold)
            for h in ("月份", "特殊老人（人）", "已探访（人）", "月探访率")
        ]
    )
    for r in rates:
        rate = "—（暂无特殊老人）" if r.rate is None else f"{r.rate * 100:.1f}%"
        ws.append([f"{r.year}年{r.month}月", r.special_elders, r.visited, rate])

    ws = wb.create_sheet("未探访名单")
    ws.append([safe_cell(ws, h, font=bold) for h in ("月份", "姓名")])
    for r in rates:
        for name in r.not_visited:
            ws.append([f"{r.month}月", safe_cell(ws, name)])

    ws = wb.create_sheet("未结对特殊老人")
    ws.append([safe_cell(ws, h, font=bold) for h in ("姓名", "组")])
    unpaired = coverage.unpaired_special(session, today)
    for _id, name, group in unpaired:
        ws.append([safe_cell(ws, name), safe_cell(ws, group)])

    ws = wb.create_sheet("超期未走访")
    ws.append(
        [
            safe_cell(ws, h, font=bold)
            for h in ("姓名", "组", "上次走访", "应走访间隔（天）", "已隔（天）")
        ]
    )
    late = coverage.overdue(session, today)
    for o in late:
        ws.append(
            [
                safe_cell(ws, o.name),
                safe_cell(ws, o.group),
                o.last_visit.isoformat() if o.last_visit else "从未走访",
                o.period_days,
                o.days_since if o.days_since is not None else "",
            ]
        )

    with atomic_path(dest) as tmp:
        wb.save(tmp)
    return {
        "file": str(dest),
        "quarter": f"{year}Q{q}",
        "months": [
            {
                "month": f"{r.year}-{r.month:02d}",
                "special_elders": r.special_elders,
                "visited": r.visited,
                "rate": None if r.rate is None else round(r.rate, 4),
            }
            for r in rates
        ],
        "unpaired_special": len(unpaired),
        "overdue": len(late),
    }
