"""The 首页's charts, as numbers: the last twelve months' 特殊老人月探访率, visits and 互助养老积分,
and at a town (district) this quarter's visits of each village (town) side by side."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlmodel import Session

from huzhu_desktop.core import clock
from huzhu_desktop.core.db.bulk import raw_rows
from huzhu_desktop.core.periods import Month, Quarter

if TYPE_CHECKING:
    from huzhu_desktop.core.services.home import HomeFigures


@dataclass(frozen=True)
class MonthFigures:
    label: str  # 11月
    visit_rate: float | None  # % of 特殊老人 visited, None: no 特殊老人 that month
    visits: int
    points: float


def last_months(n: int, today: date) -> list[Month]:
    months = [Month.of(today)]
    while len(months) < n:
        months.append(months[-1].previous())
    return months[::-1]


def monthly(session: Session, *, months: int = 12, today: date | None = None) -> list[MonthFigures]:
    from huzhu_desktop.core.services.coverage import monthly_visit_rate
    from huzhu_desktop.core.services.points_read import EARNED_SQL

    today = today or clock.today()
    span = last_months(months, today)
    start, end = span[0].start.isoformat(), span[-1].end.isoformat()
    visits = dict(
        raw_rows(
            session,
            "SELECT substr(visit_date, 1, 7), count(*) FROM visit WHERE deleted_at IS NULL "
            "AND visit_date BETWEEN ? AND ? GROUP BY 1",
            (start, end),
        )
    )
    points = dict(
        raw_rows(
            session,
            f"SELECT substr(posted_on, 1, 7), sum(amount_c) FROM point_entry WHERE {EARNED_SQL} "
            "AND posted_on BETWEEN ? AND ? GROUP BY 1",
            (start, end),
        )
    )
    out = []
    for m in span:
        key = f"{m.start:%Y-%m}"
        rate = monthly_visit_rate(session, m.start.year, m.start.month).rate
        label = f"{m.start.month}月"
        out.append(
            MonthFigures(
                label,
                None if rate is None else round(rate * 100, 1),
                int(visits.get(key) or 0),
                (points.get(key) or 0) / 100,
            )
        )
    return out


def units_side_by_side(session: Session, today: date | None = None) -> list[tuple[str, int]]:
    """At a town (district): this quarter's visits of each village (town), by name."""
    from huzhu_desktop.core.sync.status import report_matrix, unit_visits

    quarter = str(Quarter.of(today or clock.today()))
    units = report_matrix(session, quarter, figures=False)
    visits = unit_visits(session, quarter, units)
    return [(u.name, visits[u.code]) for u in units]


def todo(
    session: Session, today: date | None = None, *, figures: HomeFigures | None = None
) -> list[str]:
    """今天要做的事, most pressing first: overdue visits, 特殊老人 without a 一对一 pairing, cards
    to (re)print, the quarter's bundle not yet sent or sent back, 点单 waiting; at a town
    (district) the units that have not reported and the quarters waiting for review."""
    from huzhu_desktop.core.periods import quarter_label, reporting_quarter
    from huzhu_desktop.core.services.home import home_figures
    from huzhu_desktop.core.services.keys import workspace_info
    from huzhu_desktop.core.services.pairings_read import list_pairings

    today = today or clock.today()
    info = workspace_info(session)
    if figures is None:  # the 首页 passes the HomeFigures it has just shown
        figures = home_figures(session, today=today)
    out = []
    if figures.overdue:
        out.append(f"有 {figures.overdue} 位老人超过走访间隔没有走访（首页下方有名单）。")
    if figures.unpaired_special:
        out.append(f"有 {figures.unpaired_special} 位特殊老人还没有“一对一”结对：在“结对”页新建。")
    reprint = sum(1 for p in list_pairings(session, today=today) if p.active and p.needs_print)
    if reprint:
        out.append(f"有 {reprint} 张明白卡要打印或重印：在“结对”页点“打印所有需重印/未打印的”。")
    quarter = str(reporting_quarter(today))
    if info.kind != "district":
        out += _own_report(session, quarter)
    if info.kind in ("town", "district"):
        out += _below(session, quarter)
    if figures.open_requests:
        out.append(f"有 {figures.open_requests} 个点单还没办完：在“走访 → 点单”里派单或完成。")
    return out or [f"今天没有要赶的事。{quarter_label(quarter)}的数据可以在“报表”页核对。"]


def _own_report(session: Session, quarter: str) -> list[str]:
    from huzhu_desktop.core.periods import quarter_label
    from huzhu_desktop.core.sync.receipt import sent_status

    label = quarter_label(quarter)
    mine = {r.quarter: r for r in sent_status(session)}
    out = []
    if quarter not in mine or mine[quarter].status == "未报":
        out.append(f"{label}的数据包还没有报送：在“同步”页点“导出数据包…”。")
    for r in mine.values():
        if r.status == "退回":
            reasons = "；".join(x["text"] for x in r.reasons)[:60]
            out.append(f"{quarter_label(r.quarter)}被退回（{reasons}）：改正后重新导出数据包。")
    return out


def _below(session: Session, quarter: str) -> list[str]:
    from huzhu_desktop.core.periods import quarter_label
    from huzhu_desktop.core.reports.review_findings import review_rows
    from huzhu_desktop.core.sync.status import report_matrix

    units = report_matrix(session, quarter, figures=False)  # who sent: not what they sent
    rows = review_rows(session, quarter, units=units, with_findings=False)
    label = quarter_label(quarter)
    missing = [r.name for r in rows if r.status == "未报"]
    waiting = [r.name for r in rows if r.status == "已接收"]
    out = []
    if missing:
        out.append(
            f"{label}还没报送：{'、'.join(missing[:8])}" + ("等" if len(missing) > 8 else "") + "。"
        )
    if waiting:
        out.append(f"{label}等审核：{'、'.join(waiting[:8])}：在“同步”页点“审核…”。")
    return out
