"""The figures a bundle states for its period (and the town's 已报送 view shows per village):
elders, special elders, pairings in force, visits, 互助养老积分 earned, 集体活动 held and money
raised (元) — per owning unit."""

from __future__ import annotations

from sqlmodel import Session

from huzhu_desktop.core.db.bulk import raw_rows
from huzhu_desktop.core.periods import quarter_bounds
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


def org_totals(session: Session, owner_code: str, period: str) -> dict[str, float | int]:
    start, end = (d.isoformat() for d in quarter_bounds(period))
    live_elders = (
        "FROM elder_profile e JOIN person p ON p.id = e.person_id WHERE e.owner_code = ? "
        "AND e.deleted_at IS NULL AND p.deleted_at IS NULL AND p.status = '在册'"
    )
    queries = {
        "elders": (f"SELECT count(*) {live_elders}", (owner_code,)),
        "special_elders": (f"SELECT count(*) {live_elders} AND e.is_special = 1", (owner_code,)),
        "pairings": (
            "SELECT count(*) FROM pairing WHERE owner_code = ? AND deleted_at IS NULL "
            "AND start_date <= ? AND (end_date IS NULL OR end_date >= ?)",
            (owner_code, end, start),
        ),
        "visits": (
            "SELECT count(*) FROM visit WHERE owner_code = ? AND deleted_at IS NULL "
            "AND visit_date BETWEEN ? AND ?",
            (owner_code, start, end),
        ),
        "points": (
            "SELECT coalesce(sum(amount_c), 0) FROM point_entry WHERE owner_code = ? "
            f"AND {EARNED_SQL} AND posted_on BETWEEN ? AND ?",
            (owner_code, start, end),
        ),
        "activities": (
            "SELECT count(*) FROM activity WHERE owner_code = ? AND deleted_at IS NULL "
            "AND held_on BETWEEN ? AND ?",
            (owner_code, start, end),
        ),
        "funding": (
            "SELECT coalesce(sum(amount_fen), 0) FROM funding WHERE owner_code = ? "
            "AND deleted_at IS NULL AND received_on BETWEEN ? AND ?",
            (owner_code, start, end),
        ),
    }
    out: dict[str, float | int] = {}
    for key, (sql, params) in queries.items():
        (value,) = raw_rows(session, sql, params).fetchone()
        out[key] = int(value)
    out["points"] = out["points"] / 100
    out["funding"] = out["funding"] / 100  # 元
    return out
