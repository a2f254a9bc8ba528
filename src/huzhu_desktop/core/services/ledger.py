"""积分账本 — the append-only points ledger of household accounts (一户一卡).

Every change of a balance is a new entry; nothing is ever updated or deleted (SQLite triggers
refuse it). A correction is a `reverse` entry pointing at the entry it cancels. The entries one
workspace writes are numbered (`seq`) and chained: each carries the SHA-256 of its content and
the previous entry's chain value, so an entry changed behind the app's back shows in `check`.

Amounts are integer hundredths of a point (150 = 1.5 分). `Poster` is how every module posts:
it takes the ledger's write lock first, so a balance read through it cannot go stale before the
transaction commits (a redemption racing a visit edit sees one or the other, never half).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any

from sqlalchemy import select, text
from sqlmodel import Session

from huzhu_desktop.core.db.bulk import insert_rows
from huzhu_desktop.core.errors import ValidationError
from huzhu_desktop.core.models import PointBalance, PointEntry, new_id, utcnow
from huzhu_desktop.core.workspace import Actor

KIND_LABELS = {
    "earn": "存入",
    "redeem": "兑换",
    "adjust": "调整",
    "reverse": "冲正",
    "transfer": "转赠",
    "expire": "到期清零",
}
CHAIN_FIELDS = (  # what chain_value() covers, in its order
    "id",
    "origin",
    "seq",
    "household_id",
    "amount_c",
    "kind",
    "ref_kind",
    "ref_id",
    "person_id",
    "reverses_id",
    "posted_on",
    "minutes",
)


def chain_value(prev: str, row: dict[str, Any] | Any) -> str:
    """The chain value of an entry: SHA-256 over the previous value and the entry's content
    (`row` is a dict of the columns or anything with them as attributes)."""
    get = row.get if isinstance(row, dict) else partial(getattr, row)
    text_ = (
        f"{prev}\x1f{get('id')}\x1f{get('origin')}\x1f{get('seq')}\x1f{get('household_id')}"
        f"\x1f{get('amount_c')}\x1f{get('kind')}\x1f{get('ref_kind')}\x1f{get('ref_id')}"
        f"\x1f{get('person_id') or ''}\x1f{get('reverses_id') or ''}"
        f"\x1f{get('posted_on').isoformat()}\x1f{get('minutes')}"
    )
    return hashlib.sha256(text_.encode()).hexdigest()


def lock_ledger(session: Session) -> None:
    """Take the database's write lock now (a write that changes nothing), so what is read next in
    this transaction stays true until it commits."""
    session.execute(text("UPDATE point_balance SET entries = entries WHERE 0"))


def balance_c(session: Session, household_id: str) -> int:
    stmt = select(PointBalance.balance_c).where(PointBalance.household_id == household_id)
    return int(session.execute(stmt).scalar() or 0)


def add_to_balances(session: Session, rows: Iterable[dict[str, Any] | Any]) -> None:
    """Keep the cached balances in step with new entries (one statement per household)."""
    deltas: dict[str, list[int]] = {}
    for r in rows:
        get = r.get if isinstance(r, dict) else partial(getattr, r)
        d = deltas.setdefault(get("household_id"), [0, 0])
        d[0] += get("amount_c")
        d[1] += 1
    if not deltas:
        return
    session.connection().exec_driver_sql(
        "INSERT INTO point_balance (household_id, balance_c, entries) VALUES (?, ?, ?) "
        "ON CONFLICT(household_id) DO UPDATE SET "
        "balance_c = balance_c + excluded.balance_c, entries = entries + excluded.entries",
        [(h, d[0], d[1]) for h, d in deltas.items()],
    )


def rebuild_balances(session: Session) -> None:
    """Recompute every cached balance from the entries (after a bundle merge, or a repair)."""
    session.execute(text("DELETE FROM point_balance"))
    session.execute(
        text(
            "INSERT INTO point_balance (household_id, balance_c, entries) "
            "SELECT household_id, sum(amount_c), count(*) FROM point_entry GROUP BY household_id"
        )
    )


def fmt_points(c: int) -> str:
    """Hundredths as the points a clerk reads: 150 → '1.5', 100 → '1', -25 → '-0.25'."""
    sign = "-" if c < 0 else ""
    whole, frac = divmod(abs(c), 100)
    return f"{sign}{whole}" if frac == 0 else f"{sign}{whole}.{frac:02d}".rstrip("0")


def points_json(c: int) -> float | int:
    return c // 100 if c % 100 == 0 else round(c / 100, 2)


@dataclass
class Reversible:
    """What reversing needs to know about an entry."""

    id: str
    household_id: str
    amount_c: int
    kind: str
    ref_kind: str
    ref_id: str
    person_id: str | None
    posted_on: date
    minutes: int
    summary: str


class Poster:
    """Writes new entries for one transaction: numbers them, chains them, inserts them in bulk."""

    def __init__(self, session: Session, actor: Actor, now: datetime | None = None) -> None:
        lock_ledger(session)
        self.session, self.actor = session, actor
        self.now = now or utcnow()
        last = session.execute(
            select(PointEntry.seq, PointEntry.chain)
            .where(PointEntry.origin == actor.origin)
            .order_by(PointEntry.seq.desc())
            .limit(1)
        ).first()
        self.seq: int = last[0] if last else 0
        self.prev: str = last[1] if last else ""
        self.rows: list[dict[str, Any]] = []
        self.pending: dict[str, int] = {}  # household → amount posted but not yet written

    def post(
        self,
        *,
        household_id: str,
        amount_c: int,
        kind: str,
        ref_kind: str,
        posted_on: date,
        ref_id: str = "",
        person_id: str | None = None,
        reverses_id: str | None = None,
        minutes: int = 0,
        rule_id: str | None = None,
        summary: str = "",
    ) -> dict[str, Any]:
        a = self.actor
        self.seq += 1
        row = {
            "id": new_id(),
            "owner_code": a.owner_code,
            "created_at": self.now,
            "updated_at": self.now,
            "updated_by": a.operator,
            "origin": a.origin,
            "rev": 1,
            "deleted_at": None,
            "household_id": household_id,
            "amount_c": amount_c,
            "kind": kind,
            "ref_kind": ref_kind,
            "ref_id": ref_id,
            "person_id": person_id,
            "reverses_id": reverses_id,
            "posted_on": posted_on,
            "minutes": minutes,
            "rule_id": rule_id,
            "summary": summary[:120],
            "seq": self.seq,
        }
        row["chain"] = self.prev = chain_value(self.prev, row)
        self.rows.append(row)
        self.pending[household_id] = self.pending.get(household_id, 0) + amount_c
        return row

    def reverse(self, entry: Reversible | PointEntry | Any, why: str = "") -> dict[str, Any]:
        """Cancel an entry with its opposite; the reversal keeps the original's business date so
        period totals count earnings net of their reversals."""
        if entry.kind == "reverse":
            raise ValidationError({"entry": "冲正记录不能再冲正"})
        text_ = f"冲正：{entry.summary}" + (f"（{why}）" if why else "")
        return self.post(
            household_id=entry.household_id,
            amount_c=-entry.amount_c,
            kind="reverse",
            ref_kind=entry.ref_kind,
            ref_id=entry.ref_id,
            person_id=entry.person_id,
            reverses_id=entry.id,
            posted_on=entry.posted_on,
            minutes=-entry.minutes,
            summary=text_,
        )

    def balance_c(self, household_id: str) -> int:
        """Balance including what this poster has not written yet."""
        return balance_c(self.session, household_id) + self.pending.get(household_id, 0)

    def flush(self) -> int:
        """Write the posted entries (after the session's pending rows, which they refer to)."""
        self.session.flush()
        n = len(self.rows)
        insert_rows(self.session, PointEntry, self.rows)
        add_to_balances(self.session, self.rows)
        self.rows, self.pending = [], {}
        return n


def reversed_ids(session: Session, ids: Iterable[str]) -> set[str]:
    """Which of these entries already have a reversal."""
    found: set[str] = set()
    chunk: list[str] = []
    for i in ids:
        chunk.append(i)
        if len(chunk) == 500:
            found |= _reversed(session, chunk)
            chunk = []
    if chunk:
        found |= _reversed(session, chunk)
    return found


def _reversed(session: Session, ids: list[str]) -> set[str]:
    stmt = select(PointEntry.reverses_id).where(PointEntry.reverses_id.in_(ids))
    return {r for r in session.execute(stmt).scalars() if r}
