"""Is this PC's clock behind what the workspace already holds? A village PC whose motherboard
battery is flat boots in 2009: every visit and every point posted 'today' would then be dated
wrong. The latest audit entry (every write leaves one) tells what time it was at least."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlmodel import Session, col

from huzhu_desktop.core import clock
from huzhu_desktop.core.models import AuditLog

TOLERANCE = timedelta(minutes=10)  # two PCs' clocks that differ a little are no alarm


def clock_behind(session: Session, now: datetime | None = None) -> datetime | None:
    """The latest stored time when the clock is behind it (else None)."""
    latest = session.execute(
        select(col(AuditLog.at)).order_by(col(AuditLog.id).desc()).limit(1)
    ).scalar()
    if latest is None:
        return None
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
