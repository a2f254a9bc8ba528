"""首页 figures: the register at a glance and the numbers the town asks about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from huzhu_desktop.core.db.bulk import flushed_connection
from huzhu_desktop.core.periods import Month, current_quarter
from huzhu_desktop.core.services import coverage, points_read
from huzhu_desktop.core.services.first_screen import (
    FirstFigures,
    RegisterSummary,
    read_first_figures,
)


@dataclass
class HomeFigures:
    register: RegisterSummary
    this_month: coverage.MonthlyRate
    last_month: coverage.MonthlyRate
    unpaired_special: int
    overdue: int | None  # None at a district: the villages chase their own elders' visits
    open_requests: int
    overdue_list: list[coverage.Overdue]
    points: PointsGlance
    activities_this_quarter: int  # 集体活动 held this quarter (the 方案 asks for at least one)


@dataclass
class PointsGlance:
    """时间银行 at a glance: the year's and quarter's 互助养老积分 (earned net of reversals, as
    附件1 counts them), what the 积分超市 paid out this year, what the households hold now, and
    the helpers who earned most this year."""

    year: int
    quarter: int
    year_c: int
    quarter_c: int
    redeemed_year_c: int
    balance_c: int
    top_helpers: list[points_read.LeaderRow]


def points_glance(session: Session, today: date, *, leaders: bool = True) -> PointsGlance:
    quarter = current_quarter(today)
    year_start, year_end = date(today.year, 1, 1), date(today.year, 12, 31)
    return PointsGlance(
        year=today.year,
        quarter=quarter.q,
        year_c=points_read.earned_c(session, year_start, year_end),
        quarter_c=points_read.earned_c(session, *quarter.bounds),
        redeemed_year_c=points_read.monthly_totals(session, today.year)[-1].redeemed_c,
        balance_c=sum(points_read.all_balances(session).values()),
        top_helpers=[
            r for r in points_read.leaderboard(session, year_start, year_end)[:3] if r.points_c > 0
        ]
        if leaders
        else [],
    )


def first_figures(session: Session, *, today: date) -> FirstFigures:
    return read_first_figures(flushed_connection(session), today)


def home_figures(
    session: Session, *, today: date, first: FirstFigures | None = None
) -> HomeFigures:
    """The whole 首页, on `first` (the first screen's counts, when the caller has them). At a
    district the per-person parts are left out — the elders overdue for a visit (the villages
    chase them; 10 s and most of the memory at 180,000 elders) and the district's top helpers
    by name — the rates and counts stay."""
    from huzhu_desktop.core.services.keys import workspace_info

    per_person = workspace_info(session).kind != "district"
    first = first or first_figures(session, today=today)
    late = coverage.overdue(session, today) if per_person else []
    previous = Month.of(today).previous()
    return HomeFigures(
        register=first.register,
        this_month=coverage.monthly_visit_rate(session, today.year, today.month),
        last_month=coverage.monthly_visit_rate(session, previous.year, previous.month),
        unpaired_special=len(coverage.unpaired_special(session, today)),
        overdue=len(late) if per_person else None,
        open_requests=first.open_requests,
        overdue_list=late[:30],
        points=points_glance(session, today, leaders=per_person),
        activities_this_quarter=first.activities_this_quarter,
    )
