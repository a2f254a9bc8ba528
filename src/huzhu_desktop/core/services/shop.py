"""积分超市 — the village's catalog of goods and services bought with points.

A redemption takes several items at once: stock is checked for each, the household's balance
must cover the total (the refusal names the shortfall), and the points, the stock moves and the
receipt are written in one transaction. Stock changes only through moves (入库, 报损, 兑换,
撤销兑换, 盘点), which are kept like the ledger: never changed, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session, col

from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.errors import NotFoundError, ValidationError
from huzhu_desktop.core.models import (
    PointEntry,
    Redemption,
    RedemptionLine,
    ShopItem,
    StockMove,
)
from huzhu_desktop.core.services.audit import record_audit, touch
from huzhu_desktop.core.services.ledger import Poster, fmt_points
from huzhu_desktop.core.services.permissions import requires
from huzhu_desktop.core.services.point_rules import parse_points
from huzhu_desktop.core.services.points import business_day, household, shortfall_message
from huzhu_desktop.core.validate import clean

MOVE_KINDS = ("入库", "报损", "兑换", "撤销兑换", "盘点")
MAX_QUANTITY = 999


@dataclass
class ItemForm:
    name: str = ""
    unit: str = "件"
    cost: str = ""
    track_stock: bool = True
    active: bool = True
    note: str = ""


@requires("settings")
def save_item(
    form: ItemForm, *, session: Session, actor: Actor, item_id: str | None = None
) -> ShopItem:
    """Add an item to the catalog or change one (a new cost applies to later redemptions)."""
    errors: dict[str, str] = {}
    name = clean(form.name)[:30]
    if not name:
        errors["name"] = "请填写物品或服务的名称"
    cost = parse_points(form.cost, "所需积分", errors, "cost")
    if cost == 0 and "cost" not in errors:
        errors["cost"] = "所需积分不能为0"
    unit = clean(form.unit)[:6] or "件"
    same = select(col(ShopItem.id)).where(
        col(ShopItem.name) == name, col(ShopItem.deleted_at).is_(None)
    )
    if item_id:
        same = same.where(col(ShopItem.id) != item_id)
    if name and session.execute(same).first():
        errors["name"] = f"积分超市里已有“{name}”"
    if errors:
        raise ValidationError(errors)
    if item_id:
        item = _item(session, item_id)
        touch(item, actor)
    else:
        item = ShopItem(
            owner_code=actor.owner_code,
            origin=actor.origin,
            updated_by=actor.operator,
            name=name,
            cost_c=cost,
        )
        session.add(item)
    item.name, item.unit, item.cost_c = name, unit, cost
    item.track_stock, item.active, item.note = form.track_stock, form.active, clean(form.note)
    record_audit(
        session, actor, "修改超市物品" if item_id else "添加超市物品", "shop_item", item.id, name
    )
    return item


def _item(session: Session, item_id: str) -> ShopItem:
    item = session.get(ShopItem, item_id)
    if item is None or item.deleted_at is not None:
        raise NotFoundError("积分超市里没有这件物品。", detail=item_id)
    session.refresh(item)  # stock is kept by a trigger
    return item


@requires("records")
def move_stock(
    item_id: str,
    kind: str,
    quantity: str | int,
    note: str = "",
    *,
    session: Session,
    actor: Actor,
    on: str | date = "",
    today: date | None = None,
) -> StockMove:
    """入库 (restock), 报损 (write-off) or 盘点 (count: set the stock to what is on the shelf)."""
    errors: dict[str, str] = {}
    item = _item(session, item_id)
    if kind not in ("入库", "报损", "盘点"):
        errors["kind"] = "库存变动只能是入库、报损或盘点"
    try:
        n = int(clean(quantity))
    except ValueError:
        errors["quantity"] = "数量请填整数"
        n = 0
    if not errors and (n < 0 or n > 100_000 or (n == 0 and kind != "盘点")):
        errors["quantity"] = "数量应在1到100000之间" if kind != "盘点" else "盘点数量不能小于0"
    if not item.track_stock:
        errors["quantity"] = f"“{item.name}”是服务，不记库存"
    day = business_day(on, today, errors)
    if kind == "报损" and n > item.stock and "quantity" not in errors:
        errors["quantity"] = f"库存只有{item.stock}{item.unit}，不能报损{n}{item.unit}"
    if kind == "报损" and not clean(note):
        errors["note"] = "报损请写明原因"
    if errors:
        raise ValidationError(errors)
    delta = {"入库": n, "报损": -n, "盘点": n - item.stock}[kind]
    move = _move(session, actor, item.id, delta, kind, day, note=clean(note))
    session.flush()
    record_audit(session, actor, kind, "shop_item", item.id, f"{item.name} {delta:+d}")
    return move


@dataclass
class Receipt:
    """What the one-page statement of a redemption shows."""

    redemption: Redemption
    household: str
    lines: list[RedemptionLine]
    balance_before_c: int
    balance_after_c: int


@requires("records")
def redeem(
    household_id: str,
    items: dict[str, int],
    *,
    session: Session,
    actor: Actor,
    person_id: str | None = None,
    note: str = "",
    on: str | date = "",
    today: date | None = None,
) -> Receipt:
    """积分兑换: several items at once. Refused whole when an item is short of stock or the
    balance does not cover the total."""
    h = household(session, household_id)
    errors: dict[str, str] = {}
    day = business_day(on, today, errors)
    wanted = {k: v for k, v in items.items() if v}
    if not wanted:
        errors["items"] = "请选择要兑换的物品"
    poster = Poster(session, actor)  # the write lock first: balance and stock stay as read
    lines: list[tuple[ShopItem, int]] = []
    for item_id, qty in wanted.items():
        item = _item(session, item_id)
        if not item.active:
            errors["items"] = f"“{item.name}”已下架"
        elif not isinstance(qty, int) or qty < 0 or qty > MAX_QUANTITY:
            errors["items"] = f"“{item.name}”的数量应在1到{MAX_QUANTITY}之间"
        elif item.track_stock and qty > item.stock:
            errors["items"] = f"“{item.name}”库存只有{item.stock}{item.unit}，不够{qty}{item.unit}"
        lines.append((item, qty))
    if errors:
        raise ValidationError(errors)
    total = sum(item.cost_c * qty for item, qty in lines)
    have = poster.balance_c(h.id)
    if have < total:
        raise ValidationError({"balance": shortfall_message(h.name, have, total)})
    red = Redemption(
        owner_code=actor.owner_code,
        origin=actor.origin,
        updated_by=actor.operator,
        household_id=h.id,
        person_id=person_id,
        redeemed_on=day,
        receipt_no=_next_receipt_no(session, day),
        total_c=total,
        note=clean(note)[:200],
    )
    session.add(red)
    saved = []
    for item, qty in lines:
        line = RedemptionLine(
            owner_code=actor.owner_code,
            origin=actor.origin,
            updated_by=actor.operator,
            redemption_id=red.id,
            item_id=item.id,
            item_name=item.name,
            quantity=qty,
            unit_cost_c=item.cost_c,
        )
        session.add(line)
        saved.append(line)
        if item.track_stock:
            _move(session, actor, item.id, -qty, "兑换", day, ref_id=red.id)
    what = "、".join(f"{item.name}×{qty}" for item, qty in lines)
    poster.post(
        household_id=h.id,
        amount_c=-total,
        kind="redeem",
        ref_kind="redemption",
        ref_id=red.id,
        person_id=person_id,
        posted_on=day,
        summary=f"积分超市兑换：{what}",
    )
    poster.flush()
    record_audit(session, actor, "积分兑换", "redemption", red.id, f"{h.name} {what}")
    return Receipt(red, h.name, saved, have, have - total)


def _next_receipt_no(session: Session, day: date) -> str:
    """兑换单号: year and a running number, e.g. 2026-0007."""
    prefix = f"{day.year}-"
    n = session.execute(
        select(func.count()).where(col(Redemption.receipt_no).startswith(prefix))
    ).scalar_one()
    return f"{prefix}{n + 1:04d}"


@requires("records")
def cancel_redemption(redemption_id: str, reason: str, *, session: Session, actor: Actor) -> None:
    """撤销兑换 (goods brought back, or typed in by mistake): points and stock come back."""
    red = session.get(Redemption, redemption_id)
    if red is None or red.deleted_at is not None:
        raise NotFoundError("找不到这次兑换。", detail=redemption_id)
    reason = clean(reason)[:40]
    if not reason:
        raise ValidationError({"reason": "请写明撤销原因"})
    if red.status == "已撤销":
        raise ValidationError({"redemption": "这次兑换已经撤销过了"})
    poster = Poster(session, actor)
    entry = _redeem_entry(session, red.id)
    poster.reverse(entry, f"撤销兑换：{reason}")
    for line in session.execute(
        select(RedemptionLine).where(col(RedemptionLine.redemption_id) == red.id)
    ).scalars():
        item = _item(session, line.item_id)
        if item.track_stock:
            _move(
                session,
                actor,
                item.id,
                line.quantity,
                "撤销兑换",
                red.redeemed_on,
                ref_id=red.id,
                note=reason,
            )
    red.status = "已撤销"
    red.note = (red.note + f" 撤销：{reason}").strip()[:200]
    touch(red, actor)
    poster.flush()
    record_audit(
        session, actor, "撤销兑换", "redemption", red.id, f"{fmt_points(red.total_c)}分 {reason}"
    )


def catalog(session: Session, *, include_inactive: bool = True) -> list[ShopItem]:
    stmt = select(ShopItem).where(col(ShopItem.deleted_at).is_(None)).order_by(col(ShopItem.name))
    if not include_inactive:
        stmt = stmt.where(col(ShopItem.active) == True)  # noqa: E712
    # populate_existing: stock is kept by a trigger, so rows already in the session are stale
    return list(session.execute(stmt.execution_options(populate_existing=True)).scalars())


def receipt(session: Session, redemption_id: str) -> Receipt:
    red = session.get(Redemption, redemption_id)
    if red is None:
        raise NotFoundError("找不到这次兑换。", detail=redemption_id)
    lines = list(
        session.execute(
            select(RedemptionLine).where(col(RedemptionLine.redemption_id) == red.id)
        ).scalars()
    )
    entry = _redeem_entry(session, red.id)
    before = session.execute(
        select(func.coalesce(func.sum(col(PointEntry.amount_c)), 0)).where(
            col(PointEntry.household_id) == red.household_id,
            col(PointEntry.origin) == entry.origin,
            col(PointEntry.seq) < entry.seq,
        )
    ).scalar_one()
    before += session.execute(
        select(func.coalesce(func.sum(col(PointEntry.amount_c)), 0)).where(
            col(PointEntry.household_id) == red.household_id,
            col(PointEntry.origin) != entry.origin,
            col(PointEntry.created_at) < entry.created_at,
        )
    ).scalar_one()
    return Receipt(
        red, household(session, red.household_id).name, lines, before, before - red.total_c
    )


def _redeem_entry(session: Session, redemption_id: str) -> PointEntry:
    stmt = select(PointEntry).where(
        col(PointEntry.ref_kind) == "redemption",
        col(PointEntry.ref_id) == redemption_id,
        col(PointEntry.kind) == "redeem",
    )
    return session.execute(stmt).scalar_one()


def _move(
    session: Session,
    actor: Actor,
    item_id: str,
    delta: int,
    kind: str,
    on: date,
    *,
    ref_id: str = "",
    note: str = "",
) -> StockMove:
    """Stock changes only by a new move (a trigger adds it to the item's cached stock)."""
    move = StockMove(
        owner_code=actor.owner_code,
        origin=actor.origin,
        updated_by=actor.operator,
        item_id=item_id,
        delta=delta,
        kind=kind,
        ref_id=ref_id,
        moved_on=on,
        note=note[:200],
    )
    session.add(move)
    return move
