"""`huzhu check`: is the workspace database sound? Integrity, schema, derived fields, twins."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select, text
from sqlmodel import Session, col

from huzhu_desktop.core import vocab
from huzhu_desktop.core.db.schema import SCHEMA_HEAD
from huzhu_desktop.core.models import (
    ElderProfile,
    HelperProfile,
    Household,
    Person,
    PointBalance,
    PointEntry,
    ShopItem,
    StockMove,
)
from huzhu_desktop.core.services.ledger import CHAIN_FIELDS, chain_value


@dataclass
class CheckReport:
    problems: list[dict[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, code: str, message: str) -> None:
        self.problems.append({"code": code, "message": message})

    def to_json(self) -> dict[str, object]:
        return {"ok": self.ok, "problems": self.problems, "counts": self.counts}


def run_checks(session: Session) -> CheckReport:
    report = CheckReport()
    integrity = [r[0] for r in session.execute(text("PRAGMA integrity_check"))]
    if integrity != ["ok"]:
        report.add("integrity", f"数据库完整性检查未通过：{'；'.join(integrity[:5])}")
    fk = list(session.execute(text("PRAGMA foreign_key_check")))
    if fk:
        report.add("foreign_keys", f"有{len(fk)}条记录引用了不存在的记录（第一处在表 {fk[0][0]}）")
    version = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if version != SCHEMA_HEAD:
        report.add("schema", f"数据库版本 {version} 与软件所需版本 {SCHEMA_HEAD} 不一致")
    triggers = {
        r[0] for r in session.execute(text("SELECT name FROM sqlite_master WHERE type='trigger'"))
    }
    for name in ("audit_log_no_update", "audit_log_no_delete"):
        if name not in triggers:
            report.add("audit_trigger", f"操作日志的保护触发器 {name} 缺失，日志可能被改动")
    for name in LEDGER_TRIGGERS:
        if name not in triggers:
            report.add("ledger_trigger", f"积分账本的保护触发器 {name} 缺失，账本可能被改动")
    check_ledger(session, report)
    _check_special_flags(session, report)
    _check_twins(session, report)
    live = col(Person.deleted_at).is_(None)
    report.counts = {
        "people": session.execute(
            select(func.count()).select_from(Person).where(live)
        ).scalar_one(),
        "elders": session.execute(
            select(func.count())
            .select_from(ElderProfile)
            .where(col(ElderProfile.deleted_at).is_(None))
        ).scalar_one(),
        "helpers": session.execute(
            select(func.count()).select_from(HelperProfile).where(col(HelperProfile.active) == True)  # noqa: E712
        ).scalar_one(),
        "households": session.execute(select(func.count()).select_from(Household)).scalar_one(),
    }
    return report


LEDGER_TRIGGERS = (
    "point_entry_no_update",
    "point_entry_no_delete",
    "stock_move_no_update",
    "stock_move_no_delete",
    "stock_move_stock",
)


def check_ledger(session: Session, report: CheckReport) -> None:
    """The points ledger: every origin's hash chain unbroken, cached balances and stock equal to
    the sums they cache."""
    broken: dict[str, int] = {}
    prev: dict[str, tuple[int, str]] = {}
    cols = [getattr(PointEntry, name) for name in CHAIN_FIELDS]
    stmt = select(*cols, col(PointEntry.chain)).order_by(
        col(PointEntry.origin), col(PointEntry.seq)
    )
    for e in session.execute(stmt):
        last_seq, last_chain = prev.get(e.origin, (0, ""))
        if e.seq != last_seq + 1 or chain_value(last_chain, e) != e.chain:
            broken[e.origin] = broken.get(e.origin, 0) + 1
        prev[e.origin] = (e.seq, e.chain)
    if broken:
        n = sum(broken.values())
        report.add("ledger_chain", f"积分账本有{n}条记录与登记时不符或缺失，账本可能被改动")
    sums: dict[str, int] = dict(
        session.execute(
            select(col(PointEntry.household_id), func.sum(col(PointEntry.amount_c))).group_by(
                col(PointEntry.household_id)
            )
        ).all()
    )
    cached: dict[str, int] = dict(
        session.execute(select(col(PointBalance.household_id), col(PointBalance.balance_c))).all()
    )
    wrong = [h for h in set(sums) | set(cached) if sums.get(h, 0) != cached.get(h, 0)]
    if wrong:
        report.add("ledger_balance", f"{len(wrong)}户的积分结余与流水合计不符")
    stock: dict[str, int] = dict(
        session.execute(
            select(col(StockMove.item_id), func.sum(col(StockMove.delta))).group_by(
                col(StockMove.item_id)
            )
        ).all()
    )
    bad = [
        name
        for iid, name, have in session.execute(
            select(col(ShopItem.id), col(ShopItem.name), col(ShopItem.stock))
        )
        if have != stock.get(iid, 0)
    ]
    if bad:
        report.add("shop_stock", f"积分超市库存与出入库记录不符：{'、'.join(bad[:5])}")


def _check_special_flags(session: Session, report: CheckReport) -> None:
    wrong = []
    stmt = select(
        col(ElderProfile.id),
        col(ElderProfile.elder_types),
        col(ElderProfile.disability_grade),
        col(ElderProfile.living),
        col(ElderProfile.is_special),
        col(ElderProfile.special_reason),
    )
    for pid, types, grade, living, flag, mark in session.execute(stmt):
        if vocab.is_special_elder(vocab.split_list(types), grade, living, mark) != bool(flag):
            wrong.append(pid)
    if wrong:
        report.add("special_flag", f"{len(wrong)}位老人的“特殊老人”标记与其类型和居住情况不符")


def _check_twins(session: Session, report: CheckReport) -> None:
    stmt = (
        select(col(Person.id_number), func.count())
        .where(col(Person.id_number).is_not(None), col(Person.deleted_at).is_(None))
        .group_by(col(Person.id_number))
        .having(func.count() > 1)
    )
    twins = list(session.execute(stmt))
    if twins:
        report.add("duplicate_id", f"{len(twins)}个身份证号码登记了不止一人，请核对合并")
