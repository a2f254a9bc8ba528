"""The one clock — every "today" and "now" that drives a rule comes from here.

Periods (days, months, quarters) are in the PC's local time; stored timestamps stay UTC.

`HUZHU_NOW` (local time, ISO: `2027-01-01T00:01` or `2027-01-01`) fixes the clock for a whole
process, so that a CLI started by a test, the GUI and the test itself agree on the date. Tests
inside one process may also `set_now()` / `advance()` / use `frozen()`; a service that takes
`today=` as a parameter gets it from its caller, who took it from here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone

ENV = "HUZHU_NOW"

_fixed: datetime | None = None  # set by tests in this process (aware)
_ticks = 0  # readings of a fixed clock so far


def _parse(raw: str) -> datetime:
    """HUZHU_NOW's text as an aware local time; a bad value is a usage error, not 'now'."""
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError as exc:
        raise ValueError(f"{ENV} 的时间格式不对（应如 2027-01-01T00:01）：{raw!r}") from exc
    return value.astimezone() if value.tzinfo is None else value


def now() -> datetime:
    """The current local time, aware (fixed by `HUZHU_NOW` or a test when set).

    A fixed clock still moves on by one microsecond at every reading, so that rows keep the
    order they were recorded in (the daily cap of points counts visits in that order) — far
    too little to carry a test across midnight.
    """
    global _ticks
    fixed = _fixed
    if fixed is None:
        raw = os.environ.get(ENV)
        if not raw:
            return datetime.now().astimezone()
        fixed = _parse(raw)
    _ticks += 1
    return (fixed + timedelta(microseconds=_ticks)).astimezone()


def utcnow() -> datetime:
    """The current time in UTC, aware — what stored timestamps hold."""
    return now().astimezone(timezone.utc)


def today() -> date:
    """Today's date on this PC (local time)."""
    return now().date()


def local_date(stamp: datetime) -> date:
    """The local calendar day of a stored timestamp (stored as UTC; naive means UTC)."""
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    return stamp.astimezone().date()


def local_time(stamp: str) -> str:
    """A stored time (text; naive means UTC) as the clerk's clock shows it: '2026-11-23 21:15';
    text that is not a time comes back cut to that length."""
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp[:16]
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return f"{when.astimezone():%Y-%m-%d %H:%M}"


def set_now(at: datetime | date | str | None) -> None:
    """Fix this process's clock (tests); None returns to the environment or the wall clock."""
    global _fixed
    if at is None:
        _fixed = None
        return
    if isinstance(at, str):
        _fixed = _parse(at)
    elif isinstance(at, datetime):
        _fixed = at.astimezone() if at.tzinfo is None else at
    else:
        _fixed = datetime(at.year, at.month, at.day, 12, 0).astimezone()


def advance(delta: timedelta) -> None:
    """Move a fixed clock on (tests of delays and expiry need no sleep)."""
    set_now(now() + delta)


@contextmanager
def frozen(at: datetime | date | str) -> Iterator[None]:
    """The clock fixed at `at` inside the block, restored after."""
    global _fixed
    before = _fixed
    set_now(at)
    try:
        yield
    finally:
        _fixed = before
