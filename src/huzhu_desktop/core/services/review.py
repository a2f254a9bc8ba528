"""审核: a town's (or district's) verdict on one unit's quarter — 审核通过, or 退回 with reasons,
per quarter and optionally per record. One row per (unit, quarter), owned by the reviewer's unit
(so it travels up with its bundle); a later verdict replaces the earlier one. A bundle from the
unit for that quarter arriving after the verdict reopens it (see `state`).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.errors import NotFoundError, ValidationError, WorkspaceError
from huzhu_desktop.core.models import BundleLog, Review, utcnow
from huzhu_desktop.core.periods import Quarter
from huzhu_desktop.core.services.audit import record_audit, touch
from huzhu_desktop.core.services.keys import workspace_info
from huzhu_desktop.core.services.permissions import requires
from huzhu_desktop.core.services.villages import town_villages
from huzhu_desktop.core.validate import clean

APPROVED, RETURNED = "已审核", "退回"
BELOW = {"town": "village", "district": "town"}
_REVIEWS = uuid.UUID("3f6e1c2a-9b4d-5e7f-8a1b-2c3d4e5f6a7b")


@dataclass(frozen=True)
class Reason:
    text: str
    record_id: str = ""  # the record the reason is about ("" for the quarter as a whole)


@dataclass(frozen=True)
class Verdict:
    unit_code: str
    quarter: str
    status: str
    reasons: tuple[Reason, ...]
    reviewed_at: datetime
    reviewed_by: str
    seen_seq: int = 0


def review_id(owner: str, unit: str, quarter: str) -> str:
    return str(uuid.uuid5(_REVIEWS, f"{owner}/{unit}/{quarter}"))


def _check(session: Session, unit: str, quarter: str) -> tuple[str, str]:
    info = workspace_info(session)
    below = BELOW.get(info.kind)
    if below is None:
        raise WorkspaceError("审核在乡镇和区县的工作区里做。")
    code = clean(unit).replace(" ", "")
    if len(code) != 12 or not code.isdigit():
        raise ValidationError({"village_code": f"“{code[:20]}”不是12位统计用区划代码"})
    known = {
        c
        for (c,) in session.execute(
            select(col(BundleLog.source_code)).where(col(BundleLog.source_kind) == below)
        )
    }
    known |= {v.code for v in town_villages(session)}
    if code not in known:
        raise NotFoundError(
            f"本单位下面没有代码为 {code} 的{'村' if below == 'village' else '乡镇'}。"
        )
    return code, str(Quarter.parse(quarter))


def _save(
    session: Session, actor: Actor, unit: str, quarter: str, status: str, reasons: list[Reason]
) -> Verdict:
    code, q = _check(session, unit, quarter)
    seen = latest_seq(session, code, q)
    row = session.get(Review, review_id(actor.owner_code, code, q))
    text = json.dumps([{"record_id": r.record_id, "text": r.text} for r in reasons],
                      ensure_ascii=False)  # fmt: skip
    if row is None:
        row = Review(id=review_id(actor.owner_code, code, q), unit_code=code, quarter=q,
                     status=status, reasons=text, seen_seq=seen, **actor.stamp())  # fmt: skip
        session.add(row)
    else:
        row.status, row.reasons, row.reviewed_at, row.deleted_at = status, text, utcnow(), None
        row.seen_seq = seen
        touch(row, actor)
    session.flush()
    record_audit(session, actor, f"审核：{status}", "review", row.id, f"{code} {q}")
    return Verdict(code, q, status, tuple(reasons), row.reviewed_at, actor.operator, seen)


def latest_seq(session: Session, unit: str, quarter: str) -> int:
    """The sequence number of the latest bundle from `unit` carrying `quarter` (0: none)."""
    found = session.execute(
        select(func.max(col(BundleLog.seq))).where(
            col(BundleLog.direction) == "in",
            col(BundleLog.source_code) == unit,
            col(BundleLog.period) == quarter,
        )
    ).scalar()
    return int(found or 0)


@requires("review")
def approve(unit: str, quarter: str, *, session: Session, actor: Actor) -> Verdict:
    """审核通过 a unit's quarter."""
    return _save(session, actor, unit, quarter, APPROVED, [])


@requires("review")
def send_back(
    unit: str, quarter: str, reasons: list[Reason], *, session: Session, actor: Actor
) -> Verdict:
    """退回 a unit's quarter with at least one reason (each may name a record)."""
    cleaned = [Reason(clean(r.text)[:200], clean(r.record_id)[:36]) for r in reasons]
    cleaned = [r for r in cleaned if r.text]
    if not cleaned:
        raise ValidationError({"reason": "退回时请写明原因，如“3组张德明的身份证号有误”"})
    return _save(session, actor, unit, quarter, RETURNED, cleaned)


def verdicts(session: Session, quarter: str) -> dict[str, Verdict]:
    """This unit's verdicts for `quarter`, by the reviewed unit's code."""
    info = workspace_info(session)
    out = {}
    for row in session.execute(
        select(Review).where(
            col(Review.owner_code) == info.org_code,
            col(Review.quarter) == str(Quarter.parse(quarter)),
            col(Review.deleted_at).is_(None),
        )
    ).scalars():
        reasons = tuple(Reason(r.get("text", ""), r.get("record_id", ""))
                        for r in json.loads(row.reasons or "[]"))  # fmt: skip
        out[row.unit_code] = Verdict(
            row.unit_code,
            row.quarter,
            row.status,
            reasons,
            row.reviewed_at,
            row.updated_by,
            row.seen_seq,
        )
    return out
