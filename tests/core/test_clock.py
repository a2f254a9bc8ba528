"""The one clock: HUZHU_NOW for whole processes, frozen() inside one, local days of UTC stamps."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone

import pytest

from huzhu_desktop.core import clock


def test_huzhu_now_fixes_today_and_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.ENV, "2027-01-01T00:01")
    assert clock.today() == date(2027, 1, 1)
    assert clock.now().replace(tzinfo=None, microsecond=0) == datetime(2027, 1, 1, 0, 1)
    assert clock.now() < clock.now()  # a fixed clock keeps readings in order
    assert clock.utcnow().tzinfo == timezone.utc


def test_a_bad_huzhu_now_is_refused_not_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.ENV, "下周一")
    with pytest.raises(ValueError, match="HUZHU_NOW"):
        clock.now()


def test_frozen_wins_over_the_environment_and_is_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.ENV, "2027-01-01")
    with clock.frozen(date(2028, 2, 29)):
        assert clock.today() == date(2028, 2, 29)
        clock.advance(timedelta(days=1))
        assert clock.today() == date(2028, 3, 1)
    assert clock.today() == date(2027, 1, 1)


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="TZ switching needs POSIX tzset")
def test_a_stored_utc_stamp_falls_on_the_local_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """07:00 in Chongqing is 23:00 UTC the day before: the rule must see the local day."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        with clock.frozen("2026-11-23T07:00"):
            stamp = clock.utcnow().replace(tzinfo=None)  # as SQLite gives it back
            assert stamp.date() == date(2026, 11, 22)
            assert clock.local_date(stamp) == date(2026, 11, 23)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
