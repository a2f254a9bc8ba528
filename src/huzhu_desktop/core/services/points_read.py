"""What the 积分 screens, the passbook and the forms read from the ledger."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlmodel import Session, col

from huzhu_desktop.core.models import (
    HelperProfile,
    Household,
    Person,
    PointBalance,
    PointEntry,
    Redemption,
    StockMove,
    Visit,
    VisitMember,
)
from huzhu_desktop.core.pinyin import collation_key
from huzhu_desktop.core.services.ledger import KIND_LABELS

EARNING_REFS = ("visit", "activity")  # what 互助养老积分 counts: points earned, not moved or spent
EARNED_SQL = f"ref_kind IN ({', '.join(map(repr, EARNING_REFS))})"  # the same, for raw SQL


@dataclass
class Account:
    """一户一卡: a household and its balance."""

    household_id: str
    name: str
    card_no: str
    group_name: str
    members: str
    balance_c: int
    entries: int


def accounts(session: Session, *, with_entries_only: bool = False) -> list[Account]:
    """Every household with its balance, read from the cached balances (fast at any size)."""
    members: dict[str, list[str]] = defaultdict(list)
    stmt = (
        select(col(Person.household_id), col(Person.name))
        .where(col(Person.deleted_at).is_(None), col(Person.household_id).is_not(None))
        .order_by(col(Person.household_id), col(Person.birth_year))
    )
    for hh, name in session.execute(stmt):
        members[hh].append(name)
    balances = {
        r[0]: (r[1], r[2])
        for r in session.execute(
            select(
                col(PointBalance.household_id),
                col(PointBalance.balance_c),
                col(PointBalance.entries),
            )
        )
    }
    found = []
    for h in session.execute(
        select(
            col(Household.id),
            col(Household.name),
            col(Household.card_no),
            col(Household.group_name),
        ).where(col(Household.deleted_at).is_(None))
    ):
        bal, n = balances.get(h.id, (0, 0))
        if with_entries_only and not n:
            continue
        found.append(
            Account(h.id, h.name, h.card_no, h.group_name, "、".join(members[h.id]), bal, n)
        )
    found.sort(key=lambda a: (collation_key(a.group_name), collation_key(a.name)))
    return found


def all_balances(session: Session) -> dict[str, int]:
    """Balance of every household (the cached figures the trigger keeps)."""
    stmt = select(col(PointBalance.household_id), col(PointBalance.balance_c))
    return dict(session.execute(stmt).all())


@dataclass
class StatementLine:
    """One line of a household's account, as the passbook prints it."""

    entry_id: str
    posted_on: date
    recorded_at: datetime
    kind: str
    summary: str
    person: str
    amount_c: int
    balance_c: int
    operator: str
    minutes: int
    reversed: bool
    is_reversal: bool


def statement(session: Session, household_id: str) -> list[StatementLine]:
    """The account's entries by date (a reversal sits beside what it cancels), with the
    running balance."""
    rows = list(
        session.execute(
            select(PointEntry)
            .where(col(PointEntry.household_id) == household_id)
            .order_by(col(PointEntry.posted_on), col(PointEntry.created_at), col(PointEntry.seq))
        ).scalars()
    )
    reversed_ = {e.reverses_id for e in rows if e.reverses_id}
    people = {e.person_id for e in rows if e.person_id}
    names: dict[str, str] = dict(
        session.execute(
            select(col(Person.id), col(Person.name)).where(col(Person.id).in_(people))
        ).all()
    )
    running = 0
    lines = []
    for e in rows:
        running += e.amount_c
        person = names.get(e.person_id or "", "")
        lines.append(
            StatementLine(
                e.id,
                e.posted_on,
                e.created_at,
                KIND_LABELS.get(e.kind, e.kind),
                e.summary,
                person,
                e.amount_c,
                running,
                e.updated_by,
                e.minutes,
                e.id in reversed_,
                e.kind == "reverse",
            )
        )
    return lines


def describe_who(line: StatementLine) -> str:
    """'（王小红 1小时）' after a summary: who served and for how long."""
    parts = [line.person] if line.person else []
    if line.minutes > 0:
        hours = f"{line.minutes / 60:.2f}".rstrip("0").rstrip(".")
        parts.append(f"{hours}小时")
    return f"（{' '.join(parts)}）" if parts else ""


@dataclass
class LeaderRow:
    """评先: one helper's service in a period."""

    person_id: str
    name: str
    group_name: str
    household: str
    visits: int
    minutes: int
    points_c: int


def leaderboard(session: Session, start: date, end: date) -> list[LeaderRow]:
    """Helpers by points earned in [start, end] (net of reversals), then by hours served."""
    points: dict[str, int] = defaultdict(int)
    stmt = select(col(PointEntry.person_id), func.sum(col(PointEntry.amount_c))).where(
        col(PointEntry.ref_kind).in_(EARNING_REFS),
        col(PointEntry.posted_on).between(start, end),
        col(PointEntry.person_id).is_not(None),
    )
    for pid, total in session.execute(stmt.group_by(col(PointEntry.person_id))):
        points[pid] = int(total or 0)
    served: dict[str, tuple[int, int]] = {}
    stmt2 = (
        select(col(VisitMember.person_id), func.count(), func.sum(col(Visit.duration_minutes)))
        .join(Visit, col(Visit.id) == col(VisitMember.visit_id))
        .where(
            col(VisitMember.role) == "helper",
            col(VisitMember.deleted_at).is_(None),
            col(Visit.deleted_at).is_(None),
            col(Visit.visit_date).between(start, end),
        )
        .group_by(col(VisitMember.person_id))
    )
    for pid, n, minutes in session.execute(stmt2):
        served[pid] = (int(n), int(minutes or 0))
    ids = set(points) | set(served)
    rows: list[LeaderRow] = []
    if not ids:
        return rows
    info = session.execute(
        select(col(Person.id), col(Person.name), col(Person.group_name), col(Household.name))
        .join(Household, col(Household.id) == col(Person.household_id), isouter=True)
        .join(HelperProfile, col(HelperProfile.person_id) == col(Person.id), isouter=True)
        .where(col(Person.id).in_(ids))
    )
    for pid, name, group, hh in info:
        n, minutes = served.get(pid, (0, 0))
        rows.append(LeaderRow(pid, name, group, hh or "", n, minutes, points.get(pid, 0)))
    rows.sort(key=lambda r: (-r.points_c, -r.minutes, r.name))
    return rows


@dataclass
class PeriodTotals:
    """Totals of a period, as 附件1 (积分（分） = earned net of reversals) and the 积分超市's
    quarter close want them."""

    label: str
    earned_c: int = 0
    redeemed_c: int = 0
    transferred_c: int = 0
    adjusted_c: int = 0
    expired_c: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


def earned_c(session: Session, start: date, end: date) -> int:
    """互助养老积分 of a period: earnings (visits, activities) net of their reversals."""
    stmt = select(func.coalesce(func.sum(col(PointEntry.amount_c)), 0)).where(
        col(PointEntry.ref_kind).in_(EARNING_REFS),
        col(PointEntry.posted_on).between(start, end),
    )
    return int(session.execute(stmt).scalar_one())


def monthly_totals(session: Session, year: int) -> list[PeriodTotals]:
    """Twelve months and four quarters of the year, then the year."""
    months = [PeriodTotals(f"{m}月") for m in range(1, 13)]
    month_of = func.strftime("%m", col(PointEntry.posted_on))
    stmt = (
        select(
            month_of,
            col(PointEntry.ref_kind),
            col(PointEntry.kind),
            func.sum(col(PointEntry.amount_c)),
            func.sum(case((col(PointEntry.amount_c) > 0, col(PointEntry.amount_c)), else_=0)),
        )
        .where(col(PointEntry.posted_on).between(date(year, 1, 1), date(year, 12, 31)))
        .group_by(month_of, col(PointEntry.ref_kind), col(PointEntry.kind))
    )
    for month, ref_kind, kind, total, given in session.execute(stmt):
        t = months[int(month) - 1]
        total = int(total or 0)
        if ref_kind in EARNING_REFS:
            t.earned_c += total
            t.by_kind[ref_kind] = t.by_kind.get(ref_kind, 0) + total
        elif ref_kind == "redemption":
            t.redeemed_c -= total
        elif ref_kind == "transfer":
            t.transferred_c += int(given or 0) if kind == "transfer" else -int(given or 0)
        elif ref_kind == "manual":
            t.adjusted_c += total
        elif ref_kind == "expiry":
            t.expired_c -= total
    quarters = []
    for q in range(4):
        t = PeriodTotals(f"第{'一二三四'[q]}季度")
        for m in months[q * 3 : q * 3 + 3]:
            _add(t, m)
        quarters.append(t)
    year_t = PeriodTotals(f"{year}年合计")
    for m in months:
        _add(year_t, m)
    return [*months, *quarters, year_t]


def _add(into: PeriodTotals, t: PeriodTotals) -> None:
    into.earned_c += t.earned_c
    into.redeemed_c += t.redeemed_c
    into.transferred_c += t.transferred_c
    into.adjusted_c += t.adjusted_c
    into.expired_c += t.expired_c


def redemptions(session: Session, household_id: str | None = None) -> list[tuple[Redemption, str]]:
    stmt = (
        select(Redemption, col(Household.name))
        .join(Household, col(Household.id) == col(Redemption.household_id))
        .order_by(col(Redemption.redeemed_on).desc(), col(Redemption.receipt_no).desc())
    )
    if household_id:
        stmt = stmt.where(col(Redemption.household_id) == household_id)
    return [(r, name) for r, name in session.execute(stmt)]


def stock_moves(session: Session, item_id: str) -> list[StockMove]:
    stmt = (
        select(StockMove)
        .where(col(StockMove.item_id) == item_id)
        .order_by(col(StockMove.moved_on).desc(), col(StockMove.created_at).desc())
    )
    return list(session.execute(stmt).scalars())


def find_household(session: Session, key: str) -> Household:
    """A household by its id, its card number, or its name when that is unique."""
    from huzhu_desktop.core.errors import NotFoundError, ValidationError

    key = key.strip()
    h = session.get(Household, key)
    if h is not None and h.deleted_at is None:
        return h
    for column in (col(Household.card_no), col(Household.name)):
        found = list(
            session.execute(
                select(Household).where(column == key, col(Household.deleted_at).is_(None))
            ).scalars()
        )
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise ValidationError(
                {"household": f"有{len(found)}个户都叫“{key}”，请用 list households 里的 id"}
            )
    raise NotFoundError(f"找不到户“{key}”（可用 huzhu list households 查看 id）", detail=key)


def passbook_head(session: Session, household_id: str, village: str) -> PassbookHeadData:
    h = session.get(Household, household_id)
    assert h is not None
    members = session.execute(
        select(col(Person.name))
        .where(col(Person.household_id) == h.id, col(Person.deleted_at).is_(None))
        .order_by(col(Person.birth_year))
    ).scalars()
    return PassbookHeadData(village, h.name, h.card_no, "、".join(members), h.group_name)


@dataclass
class PassbookHeadData:
    village: str
    household: str
    card_no: str
    members: str
    group_name: str
