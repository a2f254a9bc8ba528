"""Points earned by visits: posted with the visit, reversed and reposted when it changes.

`post_visit_points` brings the ledger in line with the visits it is given, in the caller's
transaction: for every helper of those visits (and every helper who had points from them), the
target for each visit that day is the rule's amount (in force on the visit date), limited by the
rule's daily cap in the order the visits were recorded. An entry that already says the target
stays; otherwise it is reversed and the target posted anew. Afterwards the sum of a visit's
entries for a helper equals what the rules give — whatever sequence of creates, edits and
deletes led there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from huzhu_desktop.core.db.bulk import key_table, raw_rows
from huzhu_desktop.core.services.ledger import LedgerEntry, Poster
from huzhu_desktop.core.services.point_rules import RuleBook
from huzhu_desktop.core.workspace import Actor


@dataclass
class Posting:
    posted: int = 0
    reversed: int = 0
    without_household: int = 0


@dataclass
class _Slot:
    """One helper on one visit: what it should earn."""

    created_at: str  # as stored: ISO text sorts in time order
    visit_id: str
    kind: str
    minutes: int


ENTRY_SQL = (
    "e.id, e.household_id, e.amount_c, e.kind, e.ref_kind, e.ref_id, e.person_id, "
    "e.reverses_id, e.posted_on, e.minutes, e.summary"
)
SLOT_SQL = "vm.person_id, v.visit_date, v.created_at, v.id, v.kind, v.duration_minutes"
ELDERS_SQL = (  # 服务内容 for the passbook: the elders served, e.g. '张德明、李秀英'
    "(SELECT group_concat(p.name, '、') FROM visit_member em JOIN person p ON p.id = em.person_id "
    "WHERE em.visit_id = v.id AND em.role = 'elder' AND em.deleted_at IS NULL)"
)
LIVE_HELPERS = "vm.role = 'helper' AND vm.deleted_at IS NULL AND v.deleted_at IS NULL"


def post_visit_points(
    session: Session, actor: Actor, visit_ids: Iterable[str], poster: Poster | None = None
) -> Posting:
    """Post, reverse and repost so the ledger agrees with these visits (and, when a rule caps
    points a day, with their helpers' other visits the same day)."""
    ids = set(visit_ids)
    outcome = Posting()
    if not ids:
        return outcome
    own = poster is None
    poster = poster or Poster(session, actor)
    session.flush()
    rules = RuleBook(session)
    conn = session.connection()
    slots: dict[tuple[str, date], list[_Slot]] = defaultdict(list)
    entries: dict[tuple[str, str], list[LedgerEntry]] = defaultdict(list)
    days = _Dates()
    summaries: dict[str, str] = {}
    with key_table(session, "posting_visits", ((i,) for i in ids), "id TEXT PRIMARY KEY") as t:
        for person, day, created, vid, kind, minutes, elders in raw_rows(
            session,
            f"SELECT {SLOT_SQL}, {ELDERS_SQL} FROM {t} t JOIN visit v ON v.id = t.id "
            f"JOIN visit_member vm ON vm.visit_id = v.id WHERE {LIVE_HELPERS}",
        ):
            slots[(person, days(day))].append(_Slot(created, vid, kind, minutes))
            summaries[vid] = elders or ""
        _entries_into(
            entries,
            conn.exec_driver_sql(
                f"SELECT {ENTRY_SQL} FROM {t} t JOIN point_entry e "
                "ON e.ref_kind = 'visit' AND e.ref_id = t.id"
            ),
            days,
        )
        if rules.has_daily_cap():
            affected = set(slots) | {
                (p, e.posted_on) for (_, p), found in entries.items() if p for e in found
            }
            _whole_days(session, affected, t, slots, entries, days)
    helpers = {p for p, _ in slots} | {p for _, p in entries}
    with key_table(session, "posting_helpers", ((h,) for h in helpers), "id TEXT PRIMARY KEY") as t:
        households: dict[str, str] = dict(
            conn.exec_driver_sql(
                f"SELECT p.id, p.household_id FROM {t} h JOIN person p ON p.id = h.id "
                "WHERE p.household_id IS NOT NULL"
            ).all()
        )

    targets: dict[tuple[str, str], tuple[int, int, str | None, date, str]] = {}
    for (person, day), found in slots.items():
        if len(found) > 1:
            found.sort(key=lambda s: (s.created_at, s.visit_id))
        earned = 0
        for s in found:
            terms = rules.for_kind(s.kind, day)
            counted, amount = terms.earning(s.minutes)
            if terms.daily_cap_c:
                amount = max(0, min(amount, terms.daily_cap_c - earned))
            earned += amount
            targets[(s.visit_id, person)] = (amount, counted, terms.id, day, s.kind)

    changes = []
    none: list[LedgerEntry] = []
    for key in set(targets) | set(entries):
        amount, counted, rule_id, day, kind = targets.get(key, (0, 0, None, date.min, ""))
        mine = entries.get(key, none)
        if not mine:
            if amount > 0:
                changes.append((day, key, none, amount, counted, rule_id, kind))
            continue
        reversed_ = {e.reverses_id for e in mine if e.kind == "reverse"}
        active = [e for e in mine if e.kind != "reverse" and e.id not in reversed_]
        if not active and amount == 0:
            continue
        if len(active) == 1 and amount > 0:
            e = active[0]
            same = (e.amount_c, e.household_id, e.posted_on, e.minutes)
            if same == (amount, households.get(key[1]), day, counted):
                continue
        changes.append((day, key, active, amount, counted, rule_id, kind))
    changes.sort(key=lambda c: (c[0], c[1]))
    for day, (visit_id, person), active, amount, counted, rule_id, kind in changes:
        for e in active:
            poster.reverse(e, "走访记录已修改" if amount else "走访记录已删除或不计分")
            outcome.reversed += 1
        if amount <= 0:
            continue
        household = households.get(person)
        if household is None:
            outcome.without_household += 1
            continue
        poster.post(
            household_id=household,
            amount_c=amount,
            kind="earn",
            ref_kind="visit",
            ref_id=visit_id,
            person_id=person,
            posted_on=day,
            minutes=counted,
            rule_id=rule_id,
            summary=f"{kind} 为{_short(summaries.get(visit_id) or '老人')}服务",
        )
        outcome.posted += 1
    if own:
        poster.flush()
    return outcome


class _Dates:
    """ISO text → date, remembered (a batch has a few thousand distinct days at most)."""

    def __init__(self) -> None:
        self.seen: dict[str, date] = {}

    def __call__(self, text: str) -> date:
        d = self.seen.get(text)
        if d is None:
            d = self.seen[text] = date.fromisoformat(text)
        return d


def _entries_into(
    entries: dict[tuple[str, str], list[LedgerEntry]], rows: Iterable[Any], days: _Dates
) -> None:
    for r in rows:
        e = LedgerEntry(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], days(r[8]), r[9], r[10])
        entries[(e.ref_id, e.person_id or "")].append(e)


def _whole_days(
    session: Session,
    affected: set[tuple[str, date]],
    given: str,
    slots: dict[tuple[str, date], list[_Slot]],
    entries: dict[tuple[str, str], list[LedgerEntry]],
    days: _Dates,
) -> None:
    """Add the helpers' other visits and their entries on the affected days (a daily cap ties
    them to the visits being posted)."""
    if not affected:
        return
    conn = session.connection()
    first = min(d for _, d in affected).isoformat()
    last = max(d for _, d in affected).isoformat()
    given_live = {s.visit_id for found in slots.values() for s in found}
    in_range = conn.exec_driver_sql(
        "SELECT count(*) FROM visit WHERE visit_date BETWEEN ? AND ? AND deleted_at IS NULL",
        (first, last),
    ).scalar_one()
    if in_range <= len(given_live):  # every visit of those days is being posted already
        return
    others: set[str] = set()
    added: set[tuple[str, str]] = set()
    for person, day, created, vid, kind, minutes in conn.exec_driver_sql(
        f"SELECT {SLOT_SQL} FROM visit v JOIN visit_member vm ON vm.visit_id = v.id "
        f"WHERE v.visit_date BETWEEN ? AND ? AND {LIVE_HELPERS} "
        f"AND v.id NOT IN (SELECT id FROM {given})",
        (first, last),
    ):
        if (person, days(day)) in affected:
            slots[(person, days(day))].append(_Slot(created, vid, kind, minutes))
            others.add(vid)
            added.add((vid, person))
    if others:
        with key_table(
            session, "capped_visits", ((i,) for i in others), "id TEXT PRIMARY KEY"
        ) as t:
            found: dict[tuple[str, str], list[LedgerEntry]] = defaultdict(list)
            _entries_into(
                found,
                conn.exec_driver_sql(
                    f"SELECT {ENTRY_SQL} FROM {t} t JOIN point_entry e "
                    "ON e.ref_kind = 'visit' AND e.ref_id = t.id"
                ),
                days,
            )
        for key, mine in found.items():
            if key in added:  # this helper's share of a visit now in the day's count
                entries[key].extend(mine)


def _short(names: str) -> str:
    parts = names.split("、")
    return "、".join(parts[:3]) + ("等" if len(parts) > 3 else "")
