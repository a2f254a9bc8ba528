"""Periods the work is counted in — months (月探访率), quarters (季度报送, 附件1/附件2) and the year
to date (本年累计) — parsed, bounded and labelled in one place, in the PC's local calendar.

The **reporting quarter** (the default of bundles, the 报表 page and stored submissions) is the
last complete quarter — except from the 20th of a quarter's last month on, when the running
quarter is the one being reported (offices collect the quarter's figures in its last ten days;
a late correction goes out later as a `corrects` bundle). Anything else is chosen by the clerk
(`--quarter 2026Q3`, the period selector).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from huzhu_desktop.core import clock
from huzhu_desktop.core.errors import UsageError

FIRST_YEAR, LAST_YEAR = 2000, 2100
REPORT_WINDOW_DAY = 20  # from this day of a quarter's last month, that quarter is reported
QUARTER_WORDS = "一二三四"
_QUARTER = re.compile(r"\s*(\d{4})\s*(?:[-_ ]?[Qq季]|年第?)?\s*([1-4一二三四])\s*(?:季度?)?\s*")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    q: int

    @classmethod
    def parse(cls, text: object) -> Quarter:
        """2026Q3, 2026q3, 2026-Q3, 2026季3, 2026年第三季度; a year in 2000–2100."""
        if isinstance(text, Quarter):
            return text
        m = _QUARTER.fullmatch(str(text or ""))
        if not m:
            raise UsageError(f"季度“{text}”看不懂，请写成 2026Q3 这样")
        year = int(m[1])
        q = int(m[2]) if m[2].isdigit() else QUARTER_WORDS.index(m[2]) + 1
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise UsageError(f"季度“{text}”的年份应在 {FIRST_YEAR} 到 {LAST_YEAR} 年之间")
        return cls(year, q)

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        return date(self.year, self.q * 3 - 2, 1)

    @property
    def end(self) -> date:
        return Month(self.year, self.q * 3).end

    @property
    def bounds(self) -> tuple[date, date]:
        return self.start, self.end

    @property
    def label(self) -> str:
        """2026年第四季度 — how a quarter is written on screens and forms."""
        return f"{self.year}年第{QUARTER_WORDS[self.q - 1]}季度"

    @property
    def months(self) -> list[Month]:
        return [Month(self.year, m) for m in range(self.q * 3 - 2, self.q * 3 + 1)]

    def previous(self, n: int = 1) -> Quarter:
        index = self.year * 4 + self.q - 1 - n
        return Quarter(index // 4, index % 4 + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.q}"


def current_quarter(today: date | None = None) -> Quarter:
    return Quarter.of(today or clock.today())


def reporting_quarter(today: date | None = None, *, running: bool = False) -> Quarter:
    """The quarter reported by default: the last complete one, or the running one in its last
    days (from the 20th of its last month) or when `running` is asked for."""
    today = today or clock.today()
    now = Quarter.of(today)
    if running or (today.month == now.q * 3 and today.day >= REPORT_WINDOW_DAY):
        return now
    return now.previous()


def last_quarters(n: int, today: date | None = None) -> list[Quarter]:
    """The current quarter and the n-1 before it, oldest first."""
    now = current_quarter(today)
    return [now.previous(k) for k in range(n - 1, -1, -1)]


def quarter_bounds(text: object) -> tuple[date, date]:
    return Quarter.parse(text).bounds


def quarter_label(text: object) -> str:
    return Quarter.parse(text).label


@dataclass(frozen=True)
class Period:
    """A reporting period: a quarter, or the year to the quarter's end (本年累计)."""

    label: str  # 2026年第四季度 / 2026年（1月至第四季度末）
    start: date
    end: date
    at: date  # what is in place is counted on this day: the end, or today while it runs
    quarter: Quarter
    year_to_date: bool = False

    @classmethod
    def of(
        cls, quarter: object, *, year_to_date: bool = False, today: date | None = None
    ) -> Period:
        q = Quarter.parse(quarter)
        at = min(q.end, today or clock.today())
        if year_to_date:
            label = f"{q.year}年（1月至第{QUARTER_WORDS[q.q - 1]}季度末）"
            return cls(label, date(q.year, 1, 1), q.end, at, q, True)
        return cls(q.label, q.start, q.end, at, q)

    @property
    def key(self) -> str:
        """2026Q4 or 2026Q4-YTD: how stored submissions name the period."""
        return f"{self.quarter}{'-YTD' if self.year_to_date else ''}"
