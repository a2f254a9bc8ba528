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
from typing import Any

from sqlalchemy import or_, select
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
    if below == "town" and len(code) == 9:
        code += "000"  # a town's 9-digit code, as stored: 12 digits ending 000
    if len(code) != 12 or not code.isdigit():
        raise ValidationError({"village_code": f"“{code[:20]}”不是12位统计用区划代码"})
    known = {
        c
        for (c,) in session.execute(
            select(col(BundleLog.source_code)).where(
                col(BundleLog.source_kind) == below, col(BundleLog.kind) == "data"
            )
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
    found = carriers(session, quarter, unit=unit)
    return found[unit][1] if unit in found else 0


def carriers(
    session: Session, quarter: str, *, kind: str = "", unit: str = ""
) -> dict[str, tuple[datetime, int]]:
    """For each unit below (of `kind`, or just `unit`): when its latest bundle carrying `quarter`
    arrived, and its sequence number. A bundle carries a quarter it was made for, or one whose
    figures it corrects (the `corrects` list of its manifest): a correction sent with the next
    quarter's bundle reopens the quarter's review."""
    query = select(
        col(BundleLog.source_code),
        col(BundleLog.done_at),
        col(BundleLog.seq),
        col(BundleLog.period),
        col(BundleLog.manifest),
    ).where(
        col(BundleLog.direction) == "in",
        col(BundleLog.kind) == "data",
        col(BundleLog.via_code) == "",
        or_(col(BundleLog.period) == quarter, col(BundleLog.manifest).contains(quarter)),
    )
    if kind:
        query = query.where(col(BundleLog.source_kind) == kind)
    if unit:
        query = query.where(col(BundleLog.source_code) == unit)
    out: dict[str, tuple[datetime, int]] = {}
    for code, done_at, seq, period, manifest in session.execute(query):
        if period != quarter and quarter not in corrected(manifest):
            continue
        if code not in out or seq > out[code][1]:
            out[code] = (done_at, seq)
    return out


def corrected(manifest: str) -> set[str]:
    """The quarters a bundle's manifest says it corrects."""
    try:
        found = json.loads(manifest or "{}").get("corrects") or []
    except (ValueError, AttributeError):
        return set()
    return {str(c.get("period")) for c in found if isinstance(c, dict)}


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


def state(arrived_seq: int | None, verdict: Verdict | None) -> tuple[str, tuple[Reason, ...], bool]:
    """A unit's quarter as the reviewer stands: 未报 / 已接收 / 已审核 / 退回, the reasons, and
    whether a bundle carrying the quarter came after the verdict (reopened: 已接收 again)."""
    status = "已接收" if arrived_seq else "未报"
    if verdict is None:
        return status, (), False
    if (arrived_seq or 0) > verdict.seen_seq:
        return status, (), True
    return verdict.status, verdict.reasons, False


def verdicts(session: Session, quarter: str) -> dict[str, Verdict]:
    """This unit's verdicts for `quarter`, by the reviewed unit's code."""
    return {
        v.unit_code: v
        for v in _verdicts(session, col(Review.quarter) == str(Quarter.parse(quarter)))
    }


def verdicts_of(session: Session, unit: str) -> dict[str, Verdict]:
    """This unit's verdicts on one unit below, by quarter."""
    return {v.quarter: v for v in _verdicts(session, col(Review.unit_code) == unit)}


def _verdicts(session: Session, where: Any) -> list[Verdict]:
    info = workspace_info(session)
    out = []
    for row in session.execute(
        select(Review).where(
            col(Review.owner_code) == info.org_code, where, col(Review.deleted_at).is_(None)
        )
    ).scalars():
        reasons = tuple(Reason(r.get("text", ""), r.get("record_id", ""))
                        for r in json.loads(row.reasons or "[]"))  # fmt: skip
        out.append(
            Verdict(
                row.unit_code,
                row.quarter,
                row.status,
                reasons,
                row.reviewed_at,
                row.updated_by,
                row.seen_seq,
            )
        )
    return out
