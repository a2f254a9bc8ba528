"""The plan's targets (seed 002's 主要指标 and funding line, seed 001's visit rate), one definition
each, computed for this workspace's level. Goals are the plan's unless the clerk set another for
the year (`set_goal`, kept in the workspace's settings file, not synced: a goal is a local
decision).

| id | counted as |
|---|---|
| villages_started | villages 已开展 on the 村名单 ÷ villages on it (a district: its towns' lists) |
| helped_share | elders of the 42号 台账 (分散特困, 高龄 ≥ 80, 独居, 留守) in a pairing in force ÷
  elders of the 42号 台账, in the register today |
| points_year | 互助养老积分 earned in the year so far, as 附件1 counts them |
| activities | activities held in the year so far ÷ (villages 已开展 × quarters begun); a village:
  ÷ quarters begun |
| funding_year | money received in the year so far, all sources, town and villages (元) |
| visit_rate_month | 特殊老人 visited in the month ÷ 特殊老人 registered for it (this month) |

`trend` is the value's change against the period before (last year by the same day, last
month), None when that had no value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from huzhu_desktop.core import clock, vocab
from huzhu_desktop.core.errors import ValidationError
from huzhu_desktop.core.labels import plain_number
from huzhu_desktop.core.periods import Month, Period, Quarter
from huzhu_desktop.core.services.keys import workspace_info

ELDERLY_AGE = 80


@dataclass(frozen=True)
class Target:
    id: str
    name: str
    levels: tuple[str, ...]  # the workspace kinds it is shown at
    unit: str
    goal: float
    period: str  # year / month


TARGETS = (
    Target("villages_started", "开展互助养老的村占比", ("town", "district"), "%", 60, "year"),
    Target(
        "helped_share", "42号台账老人结对帮扶率", ("village", "town", "district"), "%", 90, "year"
    ),
    Target(
        "points_year", "全年互助养老积分", ("village", "town", "district"), "分", 10_000, "year"
    ),
    Target("activities", "集体活动（场/村/季）", ("village", "town", "district"), "倍", 1, "year"),
    Target("funding_year", "全年筹集资金", ("town", "district"), "元", 50_000, "year"),
    Target(
        "visit_rate_month", "特殊老人月探访率", ("village", "town", "district"), "%", 100, "month"
    ),
)
BY_ID = {t.id: t for t in TARGETS}


@dataclass(frozen=True)
class TargetValue:
    id: str
    name: str
    level: str
    period: str
    value: float | None
    goal: float
    unit: str
    trend: float | None

    @property
    def met(self) -> bool:
        return self.value is not None and self.value >= self.goal

    @property
    def progress(self) -> float:
        """0..1 of the way to the goal (for a progress bar)."""
        if self.value is None or not self.goal:
            return 0.0
        return max(0.0, min(1.0, self.value / self.goal))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "level": self.level,
            "period": self.period,
            "value": self.value,
            "goal": self.goal,
            "unit": self.unit,
            "met": self.met,
            "trend": self.trend,
        }


def shown(value: float | None, unit: str) -> str:
    """A target's value as a clerk reads it: 59.7%, 1.25倍, 606 分, — for none."""
    if value is None:
        return "—"
    figure = plain_number(value)
    return f"{figure}{unit}" if unit in ("%", "倍") else f"{figure} {unit}"


def goals(folder: Path, year: int) -> dict[str, float]:
    from huzhu_desktop.core.settings import load_settings

    chosen = load_settings(folder).target_goals.get(str(year), {})
    return {t.id: float(chosen.get(t.id, t.goal)) for t in TARGETS}


def set_goal(folder: Path, target_id: str, goal: float, year: int) -> None:
    """The clerk's goal for one target and year (设置, or `huzhu targets set`)."""
    from huzhu_desktop.core.settings import load_settings, save_settings

    if target_id not in BY_ID:
        known = "、".join(BY_ID)
        raise ValidationError({"target": f"没有叫“{target_id[:30]}”的指标（有：{known}）"})
    if not 0 < goal <= 10**9:
        raise ValidationError({"goal": "目标要是大于0的数"})
    settings = load_settings(folder)
    settings.target_goals.setdefault(str(year), {})[target_id] = goal
    save_settings(folder, settings)


def compute(
    session: Session, folder: Path, *, year: int | None = None, today: date | None = None
) -> list[TargetValue]:
    """Every target shown at this workspace's level, for `year` (default: this year) as of
    `today` (or the year's end when the year is over)."""
    today = today or clock.today()
    year = year or today.year
    at = min(today, date(year, 12, 31))
    kind = workspace_info(session).kind
    chosen = goals(folder, year)
    out = []
    for t in TARGETS:
        if kind not in t.levels:
            continue
        now, before = _value(session, t.id, at), _value(session, t.id, _before(t, at))
        period = f"{at:%Y-%m}" if t.period == "month" else str(year)
        trend = None if now is None or before is None else round(now - before, 1)
        out.append(TargetValue(t.id, t.name, kind, period, now, chosen[t.id], t.unit, trend))
    return out


def _before(t: Target, at: date) -> date:
    if t.period == "month":
        return Month.of(at).previous().end
    try:
        return at.replace(year=at.year - 1)
    except ValueError:  # 29 February
        return at.replace(year=at.year - 1, day=28)


def _value(session: Session, target_id: str, at: date) -> float | None:
    return VALUES[target_id](session, at)


def _year_figures(session: Session, at: date) -> Any:
    """附件1's 合计 for the year to `at` — read once per read for the three targets that use
    it (each read it again: 12 of a district's 15 s)."""
    from huzhu_desktop.core.reports.attachment1 import form_rows
    from huzhu_desktop.core.services.history import per_read

    def read() -> Any:
        period = Period.of(str(Quarter.of(at)), year_to_date=True, today=at)
        rows = form_rows(session, period)
        return rows[-1] if rows else None

    return per_read(session, f"year_figures {at.isoformat()}", read)


def _villages(session: Session) -> tuple[int, int]:
    """(已开展, on the list) — a town's 村名单, a district's towns' lists; a village: itself."""
    from huzhu_desktop.core.services.villages import town_villages, villages_of_towns

    kind = workspace_info(session).kind
    if kind == "village":
        return 1, 1
    listed = town_villages(session) if kind == "town" else [
        v for vs in villages_of_towns(session).values() for v in vs
    ]  # fmt: skip
    return sum(1 for v in listed if v.started), len(listed)


def _villages_started(session: Session, at: date) -> float | None:
    started, listed = _villages(session)
    return round(started * 100 / listed, 1) if listed else None


def ledger_42_reasons(row: Any) -> list[str]:
    """Why an elder is on the 42号 台账 — each criterion met, as a clerk reads it: 分散特困,
    高龄 (80 and over), 独居, 留守, and every 特殊老人 (the clerk's mark with its reason).
    Empty: not on it."""
    found = []
    if "分散特困" in row.elder_types:
        found.append("分散特困")
    if row.age is not None and row.age >= ELDERLY_AGE:
        found.append(f"高龄（{row.age}岁）")
    if row.living == vocab.ALONE:
        found.append("独居")
    if "留守" in row.tags:
        found.append("留守")
    if row.special_reason:
        found.append(f"村认定特殊老人：{row.special_reason}")
    elif row.special and not found:
        found.append("特殊老人")
    return found


def in_42_ledger(row: Any) -> bool:
    """On the 42号 台账 (`ledger_42_reasons`; register.count_ledger_42 counts it in SQL)."""
    return bool(ledger_42_reasons(row))


def ledger_42(session: Session, at: date) -> list[Any]:
    from huzhu_desktop.core.services.register import list_elders

    return [
        r
        for r in list_elders(session, today=at)
        if r.status == vocab.ACTIVE_STATUS and in_42_ledger(r)
    ]


def _helped_share(session: Session, at: date) -> float | None:
    from huzhu_desktop.core.services.register import count_ledger_42

    listed, paired = count_ledger_42(session, at, ELDERLY_AGE)  # ledger_42's rows, counted
    return round(paired * 100 / listed, 1) if listed else None


def _points_year(session: Session, at: date) -> float | None:
    row = _year_figures(session, at)
    return row.points_c / 100 if row is not None else 0.0


def _activities(session: Session, at: date) -> float | None:
    row = _year_figures(session, at)
    started, _listed = _villages(session)
    quarters = Quarter.of(at).q
    if not started:
        return None
    return round((row.activities if row is not None else 0) / (started * quarters), 2)


def _funding_year(session: Session, at: date) -> float | None:
    row = _year_figures(session, at)
    return row.funding_fen / 100 if row is not None else 0.0


def _visit_rate(session: Session, at: date) -> float | None:
    from huzhu_desktop.core.services.coverage import monthly_visit_rate

    rate = monthly_visit_rate(session, at.year, at.month).rate
    return None if rate is None else round(rate * 100, 1)


VALUES = {
    "villages_started": _villages_started,
    "helped_share": _helped_share,
    "points_year": _points_year,
    "activities": _activities,
    "funding_year": _funding_year,
    "visit_rate_month": _visit_rate,
}
