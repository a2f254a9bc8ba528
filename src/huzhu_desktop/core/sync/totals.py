"""The figures a bundle states for its period (and the town's 已报送 view shows per village):
elders, special elders, pairings in force, visits, 互助养老积分 earned, 集体活动 held and money
raised (元) — per owning unit."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from huzhu_desktop.core import clock
from huzhu_desktop.core.db.bulk import raw_rows
from huzhu_desktop.core.periods import quarter_bounds
from huzhu_desktop.core.services import history
from huzhu_desktop.core.services.points_read import EARNED_SQL

TOTAL_LABELS = {
    "elders": "在册老人",
    "special_elders": "特殊老人",
    "pairings": "结对",
    "visits": "本季走访",
    "points": "本季积分",
    "activities": "本季活动",
    "funding": "本季筹集资金（元）",
}

# The quarter's visits (:start to :end) — one unit's here, every unit's grouped in
# status.unit_visits: one definition for both.
VISITS_IN_PERIOD = "visit WHERE deleted_at IS NULL AND visit_date BETWEEN :start AND :end"


def org_totals(
    session: Session, owner_code: str, period: str, today: date | None = None
) -> dict[str, float | int]:
    """The quarter's figures as of its end (or today while it runs): elders in the register
    and special then (services.history), pairings in force, what happened within it."""
    start_day, end_day = quarter_bounds(period)
    at = min(end_day, today or clock.today()).isoformat()
    start, end = start_day.isoformat(), end_day.isoformat()
    p = {"owner": owner_code, "start": start, "end": end, "at": at}
    elders_then = (
        f"FROM ({history.ELDERS_OF_OWNER_AT_SQL}) e JOIN person p ON p.id = e.person_id "
        f"WHERE e.owner_code = :owner AND {history.IN_REGISTER_SQL}"
    )
    queries = {
        "elders": f"SELECT count(*) {elders_then}",
        "special_elders": f"SELECT count(*) {elders_then} AND e.is_special = 1",
        "pairings": (
            "SELECT count(*) FROM pairing WHERE owner_code = :owner AND deleted_at IS NULL "
            "AND start_date <= :end AND (end_date IS NULL OR end_date >= :start)"
        ),
        "visits": f"SELECT count(*) FROM {VISITS_IN_PERIOD} AND owner_code = :owner",
        "points": (
            "SELECT coalesce(sum(amount_c), 0) FROM point_entry WHERE owner_code = :owner "
            f"AND {EARNED_SQL} AND posted_on BETWEEN :start AND :end"
        ),
        "activities": (
            "SELECT count(*) FROM activity WHERE owner_code = :owner AND deleted_at IS NULL "
            "AND held_on BETWEEN :start AND :end"
        ),
        "funding": (
            "SELECT coalesce(sum(amount_fen), 0) FROM funding WHERE owner_code = :owner "
            "AND deleted_at IS NULL AND received_on BETWEEN :start AND :end"
        ),
    }
    out: dict[str, float | int] = {}
    for key, sql in queries.items():
        (value,) = raw_rows(session, sql, p).fetchone()
        out[key] = int(value)
    out["points"] = out["points"] / 100
    out["funding"] = out["funding"] / 100  # 元
    return out
