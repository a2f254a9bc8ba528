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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import chain
from typing import Any

from sqlmodel import Session

from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.db.bulk import key_table, raw_rows
from huzhu_desktop.core.services.ledger import LedgerEntry, Poster, unreversed
from huzhu_desktop.core.services.point_rules import RuleBook, Terms


@dataclass
class Posting:
    posted: int = 0
    reversed: int = 0
    without_household: int = 0


Slot = tuple[str, str, str, str, str, int]
"""One helper on one visit as read: (visit date as ISO text, helper, created_at as stored, visit,
kind, minutes). Sorted, a helper's visits of one day come together in the order they were
recorded (ISO text sorts in time order)."""
Change = tuple[date, str, str, str, "list[LedgerEntry]", int, int, "str | None", str]
"""(day, helper, created_at, visit, entries to reverse, amount, minutes counted, rule, kind)."""

ENTRY_SQL = (
    "e.id, e.household_id, e.amount_c, e.kind, e.ref_kind, e.ref_id, e.person_id, "
    "e.reverses_id, e.posted_on, e.minutes, e.summary"
)
SLOT_SQL = "v.visit_date, vm.person_id, v.created_at, v.id, v.kind, v.duration_minutes"
ELDERS_SQL = (  # 服务内容 for the passbook: the elders served, e.g. '张德明、李秀英'
    "(SELECT group_concat(p.name, '、') FROM visit_member em JOIN person p ON p.id = em.person_id "
    "WHERE em.visit_id = v.id AND em.role = 'elder' AND em.deleted_at IS NULL)"
)
LIVE_HELPERS = "vm.role = 'helper' AND vm.deleted_at IS NULL AND v.deleted_at IS NULL"
SCAN_FROM = 2000  # visits in a batch from which reading whole tables may beat index lookups…
SCAN_SHARE = 4  # …namely when the batch is at least a quarter of the visits
_NONE: list[LedgerEntry] = []
_END: Slot = ("~", "", "", "", "", 0)  # sorts after every ISO date


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
    batch = _Batch(rules.has_daily_cap())
    if len(ids) >= SCAN_FROM and len(ids) * SCAN_SHARE >= _visits(session):
        slots = batch.read_by_scan(session, ids)
    else:
        slots = batch.read_by_keys(session, ids)
    households, summaries = batch.households, batch.summaries
    for day, person, _, visit_id, active, amount, counted, rule_id, kind in _changes(
        slots, rules, batch.entries, households
    ):
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


def _changes(
    slots: list[Slot],
    rules: RuleBook,
    entries: dict[tuple[str, str], list[LedgerEntry]],
    households: dict[str, str],
) -> list[Change]:
    """What the rules in force that day give each helper's share of a visit, against what is
    posted for it — only the differences, in order of day and helper (so a passbook reads in
    order). `slots` come sorted: a helper's visits of a day count against the daily cap in the
    order they were recorded. An entry that already says the target stays."""
    changes: list[Change] = []
    with_target: set[tuple[str, str]] = set()
    in_force: dict[tuple[str, str], tuple[date, Terms]] = {}
    helper_day = ("", "")
    earned = 0
    for text_day, person, created, visit_id, kind, minutes in slots:
        if (text_day, person) != helper_day:
            helper_day, earned = (text_day, person), 0
        found = in_force.get((kind, text_day))
        if found is None:
            d = date.fromisoformat(text_day)
            found = in_force[(kind, text_day)] = (d, rules.for_kind(kind, d))
        day, terms = found
        counted, amount = terms.earning(minutes)
        if terms.daily_cap_c:
            amount = max(0, min(amount, terms.daily_cap_c - earned))
        earned += amount
        mine = entries.get((visit_id, person)) if entries else None
        if mine is None:
            if amount > 0:
                changes.append(
                    (day, person, created, visit_id, _NONE, amount, counted, terms.id, kind)
                )
            continue
        with_target.add((visit_id, person))
        active = unreversed(mine)
        if len(active) == 1 and amount > 0:
            e = active[0]
            same = (e.amount_c, e.household_id, e.posted_on, e.minutes)
            if same == (amount, households.get(person), day, counted):
                continue
        if active or amount > 0:
            changes.append(
                (day, person, created, visit_id, active, amount, counted, terms.id, kind)
            )
    for (visit_id, person), mine in entries.items():
        if (visit_id, person) not in with_target:  # the visit or the helper is gone
            active = unreversed(mine)
            if active:
                changes.append((date.min, person, "", visit_id, active, 0, 0, None, ""))
    changes.sort()  # mostly sorted already; (day, helper, time, visit) is unique
    return changes


def _visits(session: Session) -> int:
    """How many visits there are, deleted ones too (counted from the smallest index: this only
    decides how to read a batch)."""
    return int(session.connection().exec_driver_sql("SELECT count(*) FROM visit").scalar_one())


def _keyed(rows: Iterable[Any]) -> Iterator[tuple[tuple[str, str], LedgerEntry]]:
    """Ledger rows read with ENTRY_SQL, each with its (visit, helper) key."""
    for r in rows:
        e = LedgerEntry(
            r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], date.fromisoformat(r[8]), r[9], r[10]
        )
        yield (e.ref_id, e.person_id or ""), e


def _entries_of(session: Session, visits: str) -> Iterator[tuple[tuple[str, str], LedgerEntry]]:
    """The visit entries of the visits in a key table."""
    return _keyed(
        raw_rows(
            session,
            f"SELECT {ENTRY_SQL} FROM {visits} t JOIN point_entry e "
            "ON e.ref_kind = 'visit' AND e.ref_id = t.id",
        )
    )


class _Batch:
    """What posting a batch of visits needs to know, read one of two ways with the same result:
    by key (a few visits: index lookups through a table of their ids) or by scan (a large share
    of the village's visits: one sorted pass over the live visits, filtered here, costs less than
    a table of 100,000 ids and the lookups through it). Both return the slots to post, sorted."""

    def __init__(self, daily_cap: bool) -> None:
        self.daily_cap = daily_cap
        self.entries: dict[tuple[str, str], list[LedgerEntry]] = defaultdict(list)
        self.summaries: dict[str, str] = {}  # visit → the elders served
        self.households: dict[str, str] = {}  # helper → household

    def _entry_days(self) -> set[tuple[str, str]]:
        """(day, helper) of the entries read: a daily cap ties their other visits that day."""
        return {
            (e.posted_on.isoformat(), p)
            for (_, p), found in self.entries.items()
            if p
            for e in found
        }

    def read_by_keys(self, session: Session, ids: set[str]) -> list[Slot]:
        conn = session.connection()
        slots: list[Slot] = []
        with key_table(session, "posting_visits", ((i,) for i in ids), "id TEXT PRIMARY KEY") as t:
            for *slot, elders in raw_rows(
                session,
                f"SELECT {SLOT_SQL}, {ELDERS_SQL} FROM {t} t JOIN visit v ON v.id = t.id "
                f"JOIN visit_member vm ON vm.visit_id = v.id WHERE {LIVE_HELPERS}",
            ):
                slots.append(tuple(slot))
                self.summaries[slot[3]] = elders or ""
            for key, e in _entries_of(session, t):
                self.entries[key].append(e)
            if self.daily_cap:
                slots += self._whole_days(session, t, {(s[0], s[1]) for s in slots})
        helpers = {s[1] for s in slots} | {p for _, p in self.entries}
        with key_table(
            session, "posting_helpers", ((h,) for h in helpers), "id TEXT PRIMARY KEY"
        ) as t:
            self.households = dict(
                conn.exec_driver_sql(
                    f"SELECT p.id, p.household_id FROM {t} h JOIN person p ON p.id = h.id "
                    "WHERE p.household_id IS NOT NULL"
                ).all()
            )
        slots.sort()
        return slots

    def _whole_days(
        self, session: Session, given: str, helper_days: set[tuple[str, str]]
    ) -> list[Slot]:
        """The helpers' other visits on the affected days, with their entries (a daily cap ties
        them to the visits being posted)."""
        affected = helper_days | self._entry_days()
        if not affected:
            return []
        conn = session.connection()
        found: list[Slot] = [
            row
            for row in conn.exec_driver_sql(
                f"SELECT {SLOT_SQL} FROM visit v JOIN visit_member vm ON vm.visit_id = v.id "
                f"WHERE v.visit_date BETWEEN ? AND ? AND {LIVE_HELPERS} "
                f"AND v.id NOT IN (SELECT id FROM {given})",
                (min(d for d, _ in affected), max(d for d, _ in affected)),
            )
            if (row[0], row[1]) in affected
        ]
        if not found:
            return []
        shares = {(s[3], s[1]) for s in found}
        with key_table(
            session, "capped_visits", ((s[3],) for s in found), "id TEXT PRIMARY KEY"
        ) as t:
            for key, e in _entries_of(session, t):
                if key in shares:  # this helper's share of a visit now in the day's count
                    self.entries[key].append(e)
        return found

    def read_by_scan(self, session: Session, ids: set[str]) -> list[Slot]:
        earlier: dict[tuple[str, str], list[LedgerEntry]] = defaultdict(list)
        for key, e in _keyed(
            raw_rows(session, f"SELECT {ENTRY_SQL} FROM point_entry e WHERE ref_kind = 'visit'")
        ):
            (self.entries if e.ref_id in ids else earlier)[key].append(e)
        people = list(raw_rows(session, "SELECT id, name, household_id FROM person"))
        names = {pid: name for pid, name, _ in people}
        self.households = {pid: hh for pid, _, hh in people if hh is not None}
        summaries = self.summaries  # every live visit's (cheaper than asking which are ours)
        for vid, pid in raw_rows(  # in rowid order, as group_concat sees them by visit_id
            session,
            "SELECT visit_id, person_id FROM visit_member WHERE role = 'elder' "
            "AND deleted_at IS NULL",
        ):
            before = summaries.get(vid)
            summaries[vid] = names[pid] if before is None else f"{before}、{names[pid]}"
        rows = raw_rows(
            session,
            f"SELECT {SLOT_SQL} FROM visit_member vm JOIN visit v ON v.id = vm.visit_id "
            f"WHERE {LIVE_HELPERS} ORDER BY 1, 2, 3, 4",
        )
        if not self.daily_cap:
            return [row for row in rows if row[3] in ids]
        # A helper's whole day counts when one of its visits is in the batch or was posted for
        # that day before (a visit moved away from a capped day frees points for the others).
        entry_days = self._entry_days()
        slots: list[Slot] = []
        day: list[Slot] = []
        helper_day = ("", "")
        hit = outside = False
        for row in chain(rows, [_END]):  # the end row closes the last helper's day
            if row[0] != helper_day[0] or row[1] != helper_day[1]:
                if hit or (day and helper_day in entry_days):
                    slots += day
                    if outside:
                        self._add_entries(day, ids, earlier)
                helper_day, day, hit, outside = (row[0], row[1]), [], False, False
            day.append(row)
            if row[3] in ids:
                hit = True
            else:
                outside = True
        return slots

    def _add_entries(
        self,
        day: list[Slot],
        ids: set[str],
        earlier: dict[tuple[str, str], list[LedgerEntry]],
    ) -> None:
        """A helper's day: the entries of its visits outside the batch join the comparison."""
        for s in day:
            key = (s[3], s[1])
            if s[3] not in ids and key in earlier:
                self.entries[key].extend(earlier[key])


def _short(names: str) -> str:
    """At most three names, then 等: '甲、乙、丙、丁' → '甲、乙、丙等'."""
    parts = names.split("、", 3)
    return names if len(parts) <= 3 else "、".join(parts[:3]) + "等"
