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
from datetime import date, datetime
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import select, text
from sqlmodel import Session, col

from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.db.bulk import stamp
from huzhu_desktop.core.errors import ValidationError
from huzhu_desktop.core.models import PointBalance, PointEntry, new_ids, utcnow

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


def chain_digest(
    prev: str,
    entry_id: str,
    origin: str,
    seq: int,
    household_id: str,
    amount_c: int,
    kind: str,
    ref_kind: str,
    ref_id: str,
    person_id: str | None,
    reverses_id: str | None,
    posted_on: str,
    minutes: int,
) -> str:
    """SHA-256 over the previous chain value and an entry's CHAIN_FIELDS values, in that order,
    joined by U+001F (posted_on as ISO text, a missing person or reversal as empty text)."""
    return hashlib.sha256(
        f"{prev}\x1f{entry_id}\x1f{origin}\x1f{seq}\x1f{household_id}\x1f{amount_c}\x1f{kind}"
        f"\x1f{ref_kind}\x1f{ref_id}\x1f{person_id or ''}\x1f{reverses_id or ''}\x1f{posted_on}"
        f"\x1f{minutes}".encode()
    ).hexdigest()


def chain_value(prev: str, row: Any) -> str:
    """The chain value of a stored entry (anything with the CHAIN_FIELDS as attributes)."""
    return chain_digest(
        prev,
        row.id,
        row.origin,
        row.seq,
        row.household_id,
        row.amount_c,
        row.kind,
        row.ref_kind,
        row.ref_id,
        row.person_id,
        row.reverses_id,
        row.posted_on.isoformat(),
        row.minutes,
    )


E = TypeVar("E", "LedgerEntry", PointEntry)


def unreversed(entries: Iterable[E]) -> list[E]:
    """The entries among these that are not reversals and have not been reversed."""
    found = list(entries)
    reversed_ = {e.reverses_id for e in found if e.kind == "reverse"}
    return [e for e in found if e.kind != "reverse" and e.id not in reversed_]


def lock_ledger(session: Session) -> None:
    """Take the database's write lock now (a write that changes nothing), so what is read next in
    this transaction stays true until it commits."""
    session.execute(text("UPDATE point_balance SET entries = entries WHERE 0"))


def balance_c(session: Session, household_id: str) -> int:
    stmt = select(col(PointBalance.balance_c)).where(col(PointBalance.household_id) == household_id)
    return int(session.execute(stmt).scalar() or 0)


def add_to_balances(session: Session, rows: Iterable[dict[str, Any]]) -> None:
    """Keep the cached balances in step with entries written as dict rows by a bulk path
    (one statement per household)."""
    deltas: dict[str, list[int]] = {}
    for r in rows:
        d = deltas.setdefault(r["household_id"], [0, 0])
        d[0] += r["amount_c"]
        d[1] += 1
    _upsert_balances(session, [(h, d[0], d[1]) for h, d in deltas.items()])


def _upsert_balances(session: Session, deltas: list[tuple[str, int, int]]) -> None:
    if deltas:
        session.connection().exec_driver_sql(
            "INSERT INTO point_balance (household_id, balance_c, entries) VALUES (?, ?, ?) "
            "ON CONFLICT(household_id) DO UPDATE SET "
            "balance_c = balance_c + excluded.balance_c, entries = entries + excluded.entries",
            deltas,
        )


def fmt_points(c: int) -> str:
    """Hundredths as the points a clerk reads: 150 → '1.5', 100 → '1', -25 → '-0.25'."""
    sign = "-" if c < 0 else ""
    whole, frac = divmod(abs(c), 100)
    return f"{sign}{whole}" if frac == 0 else f"{sign}{whole}.{frac:02d}".rstrip("0")


def points_json(c: int) -> float | int:
    return c // 100 if c % 100 == 0 else round(c / 100, 2)


class LedgerEntry(NamedTuple):
    """An entry as read for reposting and reversing (lighter than the ORM row)."""

    id: str
    household_id: str
    amount_c: int
    kind: str
    ref_kind: str
    ref_id: str
    person_id: str | None
    reverses_id: str | None
    posted_on: date
    minutes: int
    summary: str


ENTRY_COLUMNS = (
    "id",
    "owner_code",
    "created_at",
    "updated_at",
    "updated_by",
    "origin",
    "rev",
    "deleted_at",
    "household_id",
    "amount_c",
    "kind",
    "ref_kind",
    "ref_id",
    "person_id",
    "reverses_id",
    "posted_on",
    "minutes",
    "rule_id",
    "summary",
    "seq",
    "chain",
)
INSERT_ENTRY = (
    f"INSERT INTO point_entry ({', '.join(ENTRY_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(ENTRY_COLUMNS))})"
)


class Poster:
    """Writes new entries for one transaction: numbers them, chains them, inserts them in bulk.

    Rows are kept as tuples already in the stored form (a bulk posting makes 100,000 of them).
    """

    def __init__(self, session: Session, actor: Actor, now: datetime | None = None) -> None:
        lock_ledger(session)
        self.session, self.actor = session, actor
        self.now = now or utcnow()
        self._stamp = stamp(self.now)
        last = session.execute(
            select(col(PointEntry.seq), col(PointEntry.chain))
            .where(col(PointEntry.origin) == actor.origin)
            .order_by(col(PointEntry.seq).desc())
            .limit(1)
        ).first()
        self.seq: int = last[0] if last else 0
        self.prev: str = last[1] if last else ""
        self.rows: list[tuple[Any, ...]] = []
        self._ids = new_ids()
        self.pending: dict[str, list[int]] = {}  # household → [amount, entries] not yet written

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
    ) -> str:
        """Post one entry (written at `flush`); returns its id."""
        self.seq = seq = self.seq + 1
        entry_id = next(self._ids)
        day = posted_on.isoformat()
        origin = self.actor.origin
        self.prev = chain = chain_digest(
            self.prev,
            entry_id,
            origin,
            seq,
            household_id,
            amount_c,
            kind,
            ref_kind,
            ref_id,
            person_id,
            reverses_id,
            day,
            minutes,
        )
        self.rows.append(
            (
                entry_id,
                self.actor.owner_code,
                self._stamp,
                self._stamp,
                self.actor.operator,
                origin,
                1,
                None,
                household_id,
                amount_c,
                kind,
                ref_kind,
                ref_id,
                person_id,
                reverses_id,
                day,
                minutes,
                rule_id,
                summary[:120],
                seq,
                chain,
            )
        )
        p = self.pending.get(household_id)
        if p is None:
            self.pending[household_id] = [amount_c, 1]
        else:
            p[0] += amount_c
            p[1] += 1
        return entry_id

    def reverse(self, entry: LedgerEntry | PointEntry, why: str = "") -> str:
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
        return balance_c(self.session, household_id) + self.pending.get(household_id, [0])[0]

    def flush(self) -> int:
        """Write the posted entries (after the session's pending rows, which they refer to)."""
        self.session.flush()
        n = len(self.rows)
        conn = self.session.connection()
        if self.rows:
            conn.exec_driver_sql(INSERT_ENTRY, self.rows)
        _upsert_balances(self.session, [(h, d[0], d[1]) for h, d in self.pending.items()])
        self.rows, self.pending = [], {}
        return n
