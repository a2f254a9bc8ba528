"""时间银行 — what a clerk does to household accounts besides visits and activities: adjustments,
transfers between households (转赠), reversing a wrong entry, and the year-end expiry batch.

Each function is one user action in the caller's transaction; balances are checked under the
ledger's write lock (see `ledger.Poster`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session, col

from huzhu_desktop.core import clock
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.errors import NotFoundError, ValidationError
from huzhu_desktop.core.models import Household, PointEntry, new_id
from huzhu_desktop.core.services.audit import record_audit
from huzhu_desktop.core.services.ledger import Poster, fmt_points
from huzhu_desktop.core.services.permissions import requires
from huzhu_desktop.core.services.point_rules import (
    DEFAULT_KIND,
    RuleBook,
    parse_points,
)
from huzhu_desktop.core.validate import FieldError, clean, parse_date


def household(session: Session, household_id: str) -> Household:
    h = session.get(Household, household_id)
    if h is None or h.deleted_at is not None:
        raise NotFoundError("找不到这个户的积分账户。", detail=household_id)
    return h


def shortfall_message(name: str, have_c: int, need_c: int) -> str:
    return (
        f"{name}积分不足：结余{fmt_points(have_c)}分，需要{fmt_points(need_c)}分，"
        f"还差{fmt_points(need_c - have_c)}分"
    )


def business_day(raw: str | date, today: date | None, errors: dict[str, str]) -> date:
    """The date an action is booked on (today when left empty); a bad one goes to errors."""
    try:
        return parse_date(raw or (today or clock.today()), today=today)
    except FieldError as exc:
        errors["date"] = str(exc)
        return today or clock.today()


@requires("records")
def adjust(
    household_id: str,
    points: str,
    reason: str,
    *,
    session: Session,
    actor: Actor,
    on: str | date = "",
    today: date | None = None,
) -> str:
    """调整: add or take off points by hand, with a reason (e.g. 补记纸质存折上的积分)."""
    errors: dict[str, str] = {}
    day = business_day(on, today, errors)
    text = clean(points).replace("分", "")
    negative = text.startswith("-")
    amount = parse_points(text.lstrip("+-"), "调整的积分", errors, "points")
    if amount == 0 and "points" not in errors:
        errors["points"] = "调整的积分不能为0"
    reason = clean(reason)[:60]
    if not reason:
        errors["reason"] = "请写明调整原因"
    h = household(session, household_id)
    if errors:
        raise ValidationError(errors)
    amount = -amount if negative else amount
    poster = Poster(session, actor)
    if amount < 0 and poster.balance_c(h.id) + amount < 0:
        raise ValidationError(
            {"points": shortfall_message(h.name, poster.balance_c(h.id), -amount)}
        )
    entry_id = poster.post(
        household_id=h.id,
        amount_c=amount,
        kind="adjust",
        ref_kind="manual",
        posted_on=day,
        summary=f"调整：{reason}",
    )
    poster.flush()
    record_audit(session, actor, "调整积分", "point_entry", entry_id, f"{h.name} {points} {reason}")
    return entry_id


@requires("records")
def transfer(
    from_household: str,
    to_household: str,
    points: str,
    note: str = "",
    *,
    session: Session,
    actor: Actor,
    on: str | date = "",
    today: date | None = None,
) -> str:
    """转赠: a household gives points to another (e.g. a volunteer to an elder's household).
    Both sides are written together; the giver may not go below zero."""
    errors: dict[str, str] = {}
    day = business_day(on, today, errors)
    amount = parse_points(points, "转赠的积分", errors, "points")
    if amount == 0 and "points" not in errors:
        errors["points"] = "转赠的积分不能为0"
    giver = household(session, from_household)
    taker = household(session, to_household)
    if giver.id == taker.id:
        errors["to"] = "不能转赠给本户"
    if errors:
        raise ValidationError(errors)
    poster = Poster(session, actor)
    have = poster.balance_c(giver.id)
    if have < amount:
        raise ValidationError({"points": shortfall_message(giver.name, have, amount)})
    ref = new_id()
    extra = f"（{clean(note)[:30]}）" if clean(note) else ""
    poster.post(
        household_id=giver.id,
        amount_c=-amount,
        kind="transfer",
        ref_kind="transfer",
        ref_id=ref,
        posted_on=day,
        summary=f"转赠给{taker.name}{extra}",
    )
    poster.post(
        household_id=taker.id,
        amount_c=amount,
        kind="transfer",
        ref_kind="transfer",
        ref_id=ref,
        posted_on=day,
        summary=f"{giver.name}转赠{extra}",
    )
    poster.flush()
    record_audit(
        session, actor, "转赠积分", "point_entry", ref, f"{giver.name}→{taker.name} {points}"
    )
    return ref


REVERSIBLE_REFS = {"manual", "activity", "transfer", "expiry"}


@requires("records")
def reverse_entry(entry_id: str, reason: str, *, session: Session, actor: Actor) -> int:
    """冲正 an entry entered by mistake. Visit earnings follow their visit (edit or delete the
    visit), redemptions are cancelled as a whole; a transfer is reversed on both sides."""
    e = session.get(PointEntry, entry_id)
    if e is None:
        raise NotFoundError("找不到这条积分记录。", detail=entry_id)
    reason = clean(reason)[:40]
    if not reason:
        raise ValidationError({"reason": "请写明冲正原因"})
    if e.kind == "reverse":
        raise ValidationError({"entry": "冲正记录不能再冲正"})
    if e.ref_kind == "visit":
        raise ValidationError({"entry": "走访得的积分随走访记录走：请修改或删除那条走访记录"})
    if e.ref_kind == "redemption":
        raise ValidationError({"entry": "兑换的积分请在积分超市里撤销那次兑换"})
    group = [e]
    if e.ref_kind == "transfer":
        group = list(
            session.execute(
                select(PointEntry).where(
                    col(PointEntry.ref_kind) == "transfer",
                    col(PointEntry.ref_id) == e.ref_id,
                    col(PointEntry.kind) == "transfer",
                )
            ).scalars()
        )
    done = session.execute(
        select(func.count()).where(col(PointEntry.reverses_id).in_([g.id for g in group]))
    ).scalar_one()
    if done:
        raise ValidationError({"entry": "这条记录已经冲正过了"})
    poster = Poster(session, actor)
    for g in group:
        if g.amount_c > 0 and poster.balance_c(g.household_id) < g.amount_c:
            h = household(session, g.household_id)
            raise ValidationError(
                {"entry": shortfall_message(h.name, poster.balance_c(h.id), g.amount_c)}
            )
        poster.reverse(g, reason)
    n = poster.flush()
    record_audit(session, actor, "冲正积分", "point_entry", e.id, reason)
    return n


# --- year-end expiry ---------------------------------------------------------------------


@dataclass
class ExpiryLine:
    household_id: str
    household: str
    balance_c: int
    expiring_c: int


def expiry_preview(session: Session, on: date) -> tuple[int, list[ExpiryLine]]:
    """What an expiry run on `on` would take off, per household. Points earned more than the
    rule's years before `on` and not spent since expire (spending uses the oldest points first).
    Returns (years, lines); years 0 means the village has no expiry rule and nothing expires."""
    years = RuleBook(session).for_kind(DEFAULT_KIND, on).expire_years
    if not years:
        return 0, []
    try:
        cutoff = on.replace(year=on.year - years)
    except ValueError:  # 29 Feb
        cutoff = on.replace(year=on.year - years, day=28)
    old_in: dict[str, int] = {}
    out: dict[str, int] = {}
    total: dict[str, int] = {}
    stmt = select(col(PointEntry.household_id), col(PointEntry.amount_c), col(PointEntry.posted_on))
    for hh, amount, posted in session.execute(stmt):
        total[hh] = total.get(hh, 0) + amount
        if amount > 0 and posted < cutoff:
            old_in[hh] = old_in.get(hh, 0) + amount
        elif amount < 0:
            out[hh] = out.get(hh, 0) - amount
    names: dict[str, str] = dict(
        session.execute(select(col(Household.id), col(Household.name))).all()
    )
    lines = []
    for hh, old in old_in.items():
        expiring = min(max(0, old - out.get(hh, 0)), total[hh])
        if expiring > 0:
            lines.append(ExpiryLine(hh, names.get(hh, ""), total[hh], expiring))
    lines.sort(key=lambda line: line.household)
    return years, lines


@requires("settings")
def run_expiry(on: date, *, session: Session, actor: Actor) -> int:
    """Post the previewed expiry as one batch of entries (one per household)."""
    poster = Poster(session, actor)
    years, lines = expiry_preview(session, on)
    if not years:
        raise ValidationError({"rule": "本村没有设置积分清零规则，积分长期有效"})
    batch = new_id()
    for line in lines:
        poster.post(
            household_id=line.household_id,
            amount_c=-line.expiring_c,
            kind="expire",
            ref_kind="expiry",
            ref_id=batch,
            posted_on=on,
            summary=f"{years}年前的积分到期清零",
        )
    n = poster.flush()
    total = sum(line.expiring_c for line in lines)
    record_audit(
        session, actor, "积分到期清零", "point_entry", batch, f"{n}户 共{fmt_points(total)}分"
    )
    return n
