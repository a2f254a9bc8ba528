"""首页 figures: the register at a glance and the numbers the town asks about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from huzhu_desktop.core.services import coverage, register, requests


@dataclass
class HomeFigures:
    register: register.RegisterSummary
    this_month: coverage.MonthlyRate
    last_month: coverage.MonthlyRate
    unpaired_special: int
    overdue: int
    open_requests: int
    overdue_list: list[coverage.Overdue]


def home_figures(session: Session, *, today: date) -> HomeFigures:
    summary = register.summary(
        register.list_elders(session, today=today),
        register.list_helpers(session, today=today),
        register.count_households(session),
        len(register.list_care_points(session)),
    )
    late = coverage.overdue(session, today)
    first = today.replace(day=1)
    prev_year, prev_month = (
        (first.year - 1, 12) if first.month == 1 else (first.year, first.month - 1)
    )
    return HomeFigures(
        register=summary,
        this_month=coverage.monthly_visit_rate(session, today.year, today.month),
        last_month=coverage.monthly_visit_rate(session, prev_year, prev_month),
        unpaired_special=len(coverage.unpaired_special(session, today)),
        overdue=len(late),
        open_requests=len(requests.open_requests(session)),
        overdue_list=late[:30],
    )
