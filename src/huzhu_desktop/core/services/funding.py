"""资金筹集 — money received for 互助养老: 镇财政、村集体经济组织出一点，慈善组织、爱心企业、
爱心人士捐赠一点 (002 四); each town at least 5万元. 附件1 reports it per village as
镇街配套和捐赠金额筹集（元）.

Amounts are integer 分 (fen); a clerk types 元 with at most two decimals. A record typed wrongly is
deleted with a reason (it stays as a tombstone, so the deletion reaches the town) or edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlmodel import Session, col

from huzhu_desktop.core import vocab
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.errors import NotFoundError, ValidationError
from huzhu_desktop.core.models import Funding
from huzhu_desktop.core.services.audit import deletion_reason, record_audit, tombstone, touch
from huzhu_desktop.core.services.permissions import requires
from huzhu_desktop.core.services.points import business_day
from huzhu_desktop.core.services.register import unit_names
from huzhu_desktop.core.validate import clean

MAX_FEN = 100_000_000_00  # one record of at most 1亿元 (a typo guard)


@dataclass
class FundingForm:
    received_on: str | date
    source: str
    amount: str  # 元, e.g. "5000" or "1234.50"
    donor: str = ""
    purpose: str = ""
    note: str = ""


def yuan(fen: int) -> str:
    """分 as the 元 a form shows: 123450 → '1234.50'."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def parse_yuan(raw: object, errors: dict[str, str]) -> int:
    """'1234.5', '1,234.50', '５０００元' → 分; more than two decimals, zero or negative refused."""
    text = clean(raw).replace(",", "").replace("，", "").removesuffix("元").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        errors["amount"] = "金额请填数字（元），如 5000 或 1234.50"
        return 0
    if value <= 0:
        errors["amount"] = "金额应大于0"
        return 0
    if value * 100 > MAX_FEN:  # before quantize, which refuses numbers this large
        errors["amount"] = "金额太大，请核对（单笔最多1亿元）"
        return 0
    if value != value.quantize(Decimal("0.01")):
        errors["amount"] = "金额最多两位小数（到分）"
        return 0
    return int(value * 100)


def _clean(form: FundingForm, today: date | None) -> tuple[date, str, int, str, str, str]:
    errors: dict[str, str] = {}
    when = business_day(form.received_on, today, errors)
    source = clean(form.source)
    if source not in vocab.FUNDING_SOURCES:
        errors["source"] = "请选择资金来源"
    fen = parse_yuan(form.amount, errors)
    donor, purpose, note = clean(form.donor), clean(form.purpose), clean(form.note)
    for key, value, top, label in (
        ("donor", donor, 60, "出资单位或个人"),
        ("purpose", purpose, 120, "用途"),
        ("note", note, 500, "备注"),
    ):
        if len(value) > top:
            errors[key] = f"{label}最多{top}个字"
    if errors:
        raise ValidationError(errors)
    return when, source, fen, donor, purpose, note


@requires("records")
def record_funding(
    form: FundingForm, *, session: Session, actor: Actor, today: date | None = None
) -> Funding:
    when, source, fen, donor, purpose, note = _clean(form, today)
    row = Funding(
        owner_code=actor.owner_code,
        origin=actor.origin,
        updated_by=actor.operator,
        received_on=when,
        source=source,
        donor=donor,
        amount_fen=fen,
        purpose=purpose,
        note=note,
    )
    session.add(row)
    session.flush()
    record_audit(session, actor, "登记资金", "funding", row.id, f"{when} {source} {yuan(fen)}元")
    return row


@requires("records")
def update_funding(
    funding_id: str,
    form: FundingForm,
    *,
    session: Session,
    actor: Actor,
    today: date | None = None,
) -> Funding:
    row = _live(session, funding_id)
    when, source, fen, donor, purpose, note = _clean(form, today)
    before = f"{row.received_on} {row.source} {yuan(row.amount_fen)}元"
    row.received_on, row.source, row.amount_fen = when, source, fen
    row.donor, row.purpose, row.note = donor, purpose, note
    touch(row, actor)
    record_audit(
        session, actor, "修改资金", "funding", row.id, f"{before} → {when} {source} {yuan(fen)}元"
    )
    return row


@requires("records")
def delete_funding(funding_id: str, *, session: Session, actor: Actor, reason: str) -> None:
    row = _live(session, funding_id)
    reason = deletion_reason(reason)
    tombstone([row], actor)
    record_audit(
        session, actor, "删除资金", "funding", row.id, f"{yuan(row.amount_fen)}元 {reason}"
    )


@dataclass
class FundingRow:
    id: str
    received_on: date
    source: str
    donor: str
    amount_fen: int
    purpose: str
    note: str
    unit: str  # the unit that received it (a town sees its villages' too)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "date": self.received_on.isoformat(),
            "source": self.source,
            "donor": self.donor,
            "yuan": yuan(self.amount_fen),
            "purpose": self.purpose,
            "unit": self.unit,
        }


def list_funding(
    session: Session, start: date | None = None, end: date | None = None
) -> list[FundingRow]:
    """Live records, newest first."""
    stmt = select(Funding).where(col(Funding.deleted_at).is_(None))
    if start is not None:
        stmt = stmt.where(col(Funding.received_on) >= start)
    if end is not None:
        stmt = stmt.where(col(Funding.received_on) <= end)
    units = unit_names(session)
    return [
        FundingRow(
            f.id,
            f.received_on,
            f.source,
            f.donor,
            f.amount_fen,
            f.purpose,
            f.note,
            units.get(f.owner_code, f.owner_code),
        )
        for f in session.execute(
            stmt.order_by(col(Funding.received_on).desc(), col(Funding.created_at).desc())
        ).scalars()
    ]


def total_between(session: Session, start: date, end: date) -> int:
    """分 received in [start, end] (附件1: 镇街配套和捐赠金额筹集)."""
    stmt = select(func.coalesce(func.sum(col(Funding.amount_fen)), 0)).where(
        col(Funding.deleted_at).is_(None), col(Funding.received_on).between(start, end)
    )
    return int(session.execute(stmt).scalar_one())


def by_source(session: Session, start: date, end: date) -> dict[str, int]:
    """分 received in [start, end] per source, in the 方案's order."""
    stmt = (
        select(col(Funding.source), func.sum(col(Funding.amount_fen)))
        .where(col(Funding.deleted_at).is_(None), col(Funding.received_on).between(start, end))
        .group_by(col(Funding.source))
    )
    found = {source: int(total or 0) for source, total in session.execute(stmt)}
    return {s: found[s] for s in vocab.FUNDING_SOURCES if s in found}


def _live(session: Session, funding_id: str) -> Funding:
    row = session.get(Funding, funding_id)
    if row is None or row.deleted_at is not None:
        raise NotFoundError("找不到这条资金记录。", detail=funding_id)
    return row
