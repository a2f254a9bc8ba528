"""Merging a bundle's rows into this workspace: plan first (the dry run), then apply in the
caller's transaction, all or nothing.

Per row, the version with the greater (rev, updated_at, origin) wins (last writer wins). A row
last changed here that the sender had not yet seen (it changed after the last bundle from here
that the sender applied) and that the sender changed too is a conflict: the winner is kept and
the other version goes to the conflict log for the clerk — nothing is lost. Ledger and stock
moves are append-only: they are unioned by id, and the same id with other content is refused as
forged. Cached balances and stock are recomputed for what the merge touched.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter

from sqlmodel import Session

from huzhu_desktop.core.db.bulk import key_table, raw_rows, stamp
from huzhu_desktop.core.models import new_id, utcnow
from huzhu_desktop.core.sync.container import BundleRefused
from huzhu_desktop.core.sync.snapshot import APPEND_ONLY, TABLES, Row, Snapshot, columns

ID, OWNER, UPDATED_AT, ORIGIN, REV, DELETED_AT = 0, 1, 3, 5, 6, 7
CONTENT_FROM = 7  # deleted_at and the table's own columns: what a clerk could lose
TABLE_LABELS = {
    "org_unit": "单位",
    "care_point": "互助养老点",
    "household": "户",
    "person": "人员",
    "elder_profile": "老人信息",
    "helper_profile": "帮扶人信息",
    "elder_spell": "老人情况变化",
    "helper_spell": "帮扶人在岗变化",
    "status_change": "人员变动",
    "pairing": "结对",
    "pairing_member": "结对成员",
    "visit": "走访服务",
    "visit_member": "走访人员",
    "activity": "集体活动",
    "activity_member": "活动参加者",
    "funding": "资金筹集",
    "service_request": "点单",
    "card_print": "明白卡打印",
    "point_rule": "积分规则",
    "point_entry": "积分记录",
    "shop_item": "积分超市商品",
    "stock_move": "库存变动",
    "redemption": "兑换",
    "redemption_line": "兑换明细",
    "review": "审核结果",
}

COUNT_LABELS = {  # what a merge did to a table, in the order the screens list it
    "new": "新增",
    "changed": "修改",
    "unchanged": "未变",
    "deleted": "删除",
    "conflicts": "冲突",
}
CHANGES = ("new", "changed", "deleted", "conflicts")  # the counts that mean something changed


def describe_counts(counts: dict[str, int], keys: tuple[str, ...] = tuple(COUNT_LABELS)) -> str:
    """'新增 3，修改 1，删除 0，冲突 0' — the counts a summary line shows."""
    return "，".join(f"{COUNT_LABELS[k]} {counts.get(k, 0)}" for k in keys)


@dataclass
class Conflict:
    table: str
    row_id: str
    kept: Row
    lost: Row
    lost_side: str  # here / sender


@dataclass
class TablePlan:
    new: list[Row] = field(default_factory=list)
    changed: list[Row] = field(default_factory=list)
    unchanged: int = 0
    deleted: int = 0
    conflicts: list[Conflict] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "changed": len(self.changed) - self.deleted,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "conflicts": len(self.conflicts),
        }


@dataclass
class MergePlan:
    tables: dict[str, TablePlan] = field(default_factory=dict)

    def summary(self) -> dict[str, dict[str, int]]:
        return {t: p.counts() for t, p in self.tables.items()}

    def changes_anything(self) -> bool:
        return any(p.new or p.changed for p in self.tables.values())


def plan(
    session: Session, snap: Snapshot, me: str, seen_until: str | None, into: MergePlan | None = None
) -> MergePlan:
    """What applying `snap` would do. `me` is this workspace's id; `seen_until` the time of the
    newest bundle from here the sender had applied (None: none)."""
    result = into or MergePlan()
    for table, rows in snap.rows.items():
        tp = result.tables.setdefault(table, TablePlan())
        if not rows:
            continue
        # A snapshot holds every row its owners have, so this workspace's rows of those owners
        # are all it can match (an id held here under another owner fails its insert instead).
        owners = sorted({r[OWNER] for r in rows})
        local = {
            r[ID]: r
            for r in raw_rows(
                session,
                f"SELECT {', '.join(columns(table))} FROM {table} "
                f"WHERE owner_code IN ({', '.join('?' * len(owners))})",
                tuple(owners),
            )
        }
        if not local:  # the first bundle from these units: every row is new
            tp.new.extend(rows)
            continue
        for row in rows:
            mine = local.get(row[ID])
            if mine is None:
                tp.new.append(row)
            elif list(mine) == list(row):
                tp.unchanged += 1
            else:
                _compare(table, tp, row, mine, me, seen_until)
    return result


def _compare(
    table: str,
    tp: TablePlan,
    row: Row,
    mine: Row,
    me: str,
    seen_until: str | None,
) -> None:
    if table in APPEND_ONLY:
        raise BundleRefused(
            f"数据包中有一条{TABLE_LABELS[table]}与本机同一条记录内容不同（记录号 {row[ID][:8]}），"
            "账本记录不能改动，这个数据包不能导入。",
            f"{table} {row[ID]} differs",
        )
    theirs_wins = (row[REV], row[UPDATED_AT], row[ORIGIN]) > (
        mine[REV],
        mine[UPDATED_AT],
        mine[ORIGIN],
    )
    unseen_here = (
        mine[ORIGIN] == me
        and (seen_until is None or mine[UPDATED_AT] > seen_until)
        and list(row[CONTENT_FROM:]) != list(mine[CONTENT_FROM:])  # same content: nothing lost
    )
    if theirs_wins:
        tp.changed.append(row)
        if row[DELETED_AT] is not None and mine[DELETED_AT] is None:
            tp.deleted += 1
        if unseen_here:
            tp.conflicts.append(Conflict(table, row[ID], row, mine, "here"))
    else:
        tp.unchanged += 1
        if unseen_here:
            tp.conflicts.append(Conflict(table, row[ID], mine, row, "sender"))


def apply(
    session: Session,
    merge: MergePlan,
    bundle_id: str,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Write the plan in the caller's transaction. Tables go parents first, so every reference
    is checked as its row is written; a row pointing at nothing refuses the whole bundle.
    `progress(tables done, tables)` is called between tables (and may raise to stop)."""
    try:
        _write(session, merge, bundle_id, progress)
    except sqlite3.IntegrityError as e:
        raise BundleRefused(
            "数据包里有记录与本机的记录编号冲突，或指向不存在的人员或记录，没有导入任何数据。",
            repr(e),
        ) from e
    _recompute_caches(session, merge)


def _write(
    session: Session,
    merge: MergePlan,
    bundle_id: str,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    driver = session.connection().connection.driver_connection
    assert driver is not None
    for done, table in enumerate(TABLES):
        if progress is not None:
            progress(done, len(TABLES))
        tp = merge.tables.get(table)
        if tp is None:
            continue
        cols = columns(table)
        if tp.new:
            # In key order: each page of the id index is then visited once per bundle, where
            # rows in the bundle's order landed on random pages of a district's 1 GB file.
            driver.executemany(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                sorted(tp.new, key=itemgetter(0)),
            )
        if tp.changed:
            sets = ", ".join(f"{c} = ?" for c in cols[1:])
            driver.executemany(
                f"UPDATE {table} SET {sets} WHERE id = ?", [(*r[1:], r[0]) for r in tp.changed]
            )
    now = stamp(utcnow())
    logged = [
        (
            new_id(),
            bundle_id,
            c.table,
            c.row_id,
            json.dumps(dict(zip(columns(c.table), c.kept, strict=True)), ensure_ascii=False),
            json.dumps(dict(zip(columns(c.table), c.lost, strict=True)), ensure_ascii=False),
            c.lost_side,
            now,
            "",
        )
        for tp in merge.tables.values()
        for c in tp.conflicts
    ]
    if logged:
        driver.executemany(
            "INSERT INTO sync_conflict (id, bundle_id, table_name, row_id, kept, lost, lost_side, "
            "at, reviewed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            logged,
        )


def _recompute_caches(session: Session, merge: MergePlan) -> None:
    """Balances of households that got ledger entries; stock of items touched by the merge."""
    entries = merge.tables.get("point_entry")
    at = columns("point_entry").index("household_id")
    households = {r[at] for r in entries.new} if entries else set()
    if households:
        with key_table(
            session, "merged_households", ((h,) for h in households), "id TEXT PRIMARY KEY"
        ) as k:
            conn = session.connection()
            conn.exec_driver_sql(
                f"DELETE FROM point_balance WHERE household_id IN (SELECT id FROM {k})"
            )
            conn.exec_driver_sql(
                "INSERT INTO point_balance (household_id, balance_c, entries) "
                "SELECT household_id, sum(amount_c), count(*) FROM point_entry "
                f"WHERE household_id IN (SELECT id FROM {k}) GROUP BY household_id"
            )
    items = {r[0] for r in _rows(merge, "shop_item")}
    moves = merge.tables.get("stock_move")
    if moves:
        item_col = columns("stock_move").index("item_id")
        items |= {r[item_col] for r in moves.new}
    if items:
        with key_table(session, "merged_items", ((i,) for i in items), "id TEXT PRIMARY KEY") as k:
            session.connection().exec_driver_sql(
                "UPDATE shop_item SET stock = (SELECT coalesce(sum(delta), 0) FROM stock_move m "
                f"WHERE m.item_id = shop_item.id) WHERE id IN (SELECT id FROM {k})"
            )


def _rows(merge: MergePlan, table: str) -> list[Row]:
    tp = merge.tables.get(table)
    return [*tp.new, *tp.changed] if tp else []
