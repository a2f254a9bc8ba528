"""Is this PC's clock behind what the workspace already holds? A village PC whose motherboard
battery is flat boots in 2009: every visit and every point posted 'today' would then be dated
wrong. The latest audit entry (every write leaves one) tells what time it was at least."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from huzhu_desktop.core import clock

if TYPE_CHECKING:
    from sqlmodel import Session

TOLERANCE = timedelta(minutes=10)  # two PCs' clocks that differ a little are no alarm


def clock_behind(session: Session, now: datetime | None = None) -> datetime | None:
    """The latest stored time when the clock is behind it (else None)."""
    from huzhu_desktop.core.db.bulk import driver_connection

    return stored_time_ahead(driver_connection(session), now)


def stored_time_ahead(conn: sqlite3.Connection, now: datetime | None = None) -> datetime | None:
    """`clock_behind` on a plain sqlite3 connection (the CLI's quick read has no session). The
    audit log's times are stored as UTC text ("2026-12-01 16:51:13.221304")."""
    row = conn.execute("SELECT at FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    if row is None or row[0] is None:
        return None
    latest = datetime.fromisoformat(row[0]) if isinstance(row[0], str) else row[0]
    if latest.tzinfo is None:
        latest = latest.replace(tzinfo=timezone.utc)
    now = now or clock.utcnow()
    return latest if latest - now > TOLERANCE else None


def clock_warning(latest: datetime, now: datetime | None = None) -> str:
    shown = (now or clock.now()).astimezone().strftime("%Y-%m-%d %H:%M")
    stored = latest.astimezone().strftime("%Y-%m-%d %H:%M")
    return (
        f"电脑显示的时间（{shown}）早于本工作区最近一次记录的时间（{stored}），"
        "电脑的时钟可能不准（例如主板电池没电）。请先校准电脑的日期和时间再录入，"
        "否则新记录的日期会出错。"
    )
