"""The 首页's charts, as numbers: the last twelve months' 特殊老人月探访率, visits and 互助养老积分,
and at a town (district) this quarter's visits of each village (town) side by side."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from huzhu_desktop.core import clock
from huzhu_desktop.core.db.bulk import raw_rows
from huzhu_desktop.core.periods import Month, Quarter


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
    from huzhu_desktop.core.sync.status import report_matrix

    quarter = str(Quarter.of(today or clock.today()))
    return [(u.name, int(u.figures.get("visits", 0))) for u in report_matrix(session, quarter)]
