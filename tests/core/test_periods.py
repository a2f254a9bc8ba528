"""Months, quarters and the reporting quarter: one home, any date."""

from __future__ import annotations

from datetime import date

import pytest

from huzhu_desktop.core.errors import UsageError
from huzhu_desktop.core.periods import (
    Month,
    Period,
    Quarter,
    last_quarters,
    reporting_quarter,
)


@pytest.mark.parametrize(
    "text", ["2026Q3", "2026q3", " 2026-Q3 ", "2026季3", "2026年第三季度", "2026年第3季度", "20263"]
)
def test_a_quarter_as_people_write_it(text: str) -> None:
    assert Quarter.parse(text) == Quarter(2026, 3)


@pytest.mark.parametrize("text", ["", "Q3", "2026Q5", "26年", "9999Q4", "1999Q4", "2026Q0"])
def test_a_quarter_that_cannot_be_used_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError) as err:
        Quarter.parse(text)
    assert err.value.exit_code == 2


def test_bounds_labels_and_neighbours() -> None:
    q4 = Quarter(2026, 4)
    assert (q4.start, q4.end, q4.label, str(q4)) == (
        date(2026, 10, 1),
        date(2026, 12, 31),
        "2026年第四季度",
        "2026Q4",
    )
    assert Quarter(2028, 1).end == date(2028, 3, 31) and Month(2028, 2).end == date(2028, 2, 29)
    assert Quarter(2027, 1).previous() == q4 and q4.previous(4) == Quarter(2025, 4)
    assert [str(m) for m in q4.months] == ["2026-10", "2026-11", "2026-12"]
    assert Month(2027, 1).previous() == Month(2026, 12) and Month(2026, 11).label == "2026年11月"
    assert [str(q) for q in last_quarters(3, date(2027, 1, 1))] == ["2026Q3", "2026Q4", "2027Q1"]


@pytest.mark.parametrize(
    ("today", "reported"),
    [
        (date(2026, 11, 30), "2026Q3"),  # mid-quarter: the last complete quarter
        (date(2026, 12, 19), "2026Q3"),
        (date(2026, 12, 20), "2026Q4"),  # its last ten days: the running quarter
        (date(2026, 12, 31), "2026Q4"),
        (date(2027, 1, 1), "2026Q4"),
        (date(2027, 3, 31), "2027Q1"),
        (date(2028, 2, 29), "2027Q4"),
    ],
)
def test_the_reporting_quarter(today: date, reported: str) -> None:
    assert str(reporting_quarter(today)) == reported
    assert reporting_quarter(today, running=True) == Quarter.of(today)


def test_a_period_is_counted_on_its_end_or_today_while_it_runs() -> None:
    running = Period.of("2026Q4", today=date(2026, 11, 30))
    assert (running.start, running.end, running.at) == (
        date(2026, 10, 1),
        date(2026, 12, 31),
        date(2026, 11, 30),
    )
    done = Period.of("2026Q3", year_to_date=True, today=date(2026, 11, 30))
    assert (done.start, done.at, done.label, done.key) == (
        date(2026, 1, 1),
        date(2026, 9, 30),
        "2026年（1月至第三季度末）",
        "2026Q3-YTD",
    )
