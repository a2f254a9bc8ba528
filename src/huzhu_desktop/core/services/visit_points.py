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
from huzhu_desktop.core.services.point_rules import RuleBook, Terms
from huzhu_desktop.core.workspace import Actor


@dataclass
class Posting:
    posted: int = 0
    reversed: int = 0
    without_household: int = 0


Slot = tuple[str, str, str, int]
"""One helper on one visit: (created_at as stored, visit id, kind, minutes) — sorts in the order
the visits were recorded (ISO text sorts in time order)."""
Target = tuple[int, int, "str | None", date, str]
"""What a helper's share of a visit should earn: (amount, minutes counted, rule, day, kind)."""
Change = tuple[date, str, str, "list[LedgerEntry]", int, int, "str | None", str]
"""(day, visit, helper, entries to reverse, amount, minutes, rule, kind) — sorts by day."""

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
SCAN_FROM = 2000  # visits in a batch from which reading whole tables may beat index lookups…
SCAN_SHARE = 4  # …namely when the batch is at least a quarter of the live visits
_NONE: list[LedgerEntry] = []


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
    if len(ids) >= SCAN_FROM and len(ids) * SCAN_SHARE >= _live_visits(session):
        batch.read_by_scan(session, ids)
    else:
        batch.read_by_keys(session, ids)
    households, summaries = batch.households, batch.summaries
    for day, visit_id, person, active, amount, counted, rule_id, kind in _changes(
        _targets(batch.slots, rules), batch.entries, households
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


def _targets(
    slots: dict[tuple[str, date], list[Slot]], rules: RuleBook
) -> dict[tuple[str, str], Target]:
    """Per (visit, helper): what the rules in force that day give, a helper's visits of a day
    counted against the daily cap in the order they were recorded."""
    targets: dict[tuple[str, str], Target] = {}
    in_force: dict[tuple[str, date], Terms] = {}
    for (person, day), found in slots.items():
        if len(found) > 1:
            found.sort()
        earned = 0
        for _, visit_id, kind, minutes in found:
            terms = in_force.get((kind, day))
            if terms is None:
                terms = in_force[(kind, day)] = rules.for_kind(kind, day)
            counted, amount = terms.earning(minutes)
            if terms.daily_cap_c:
                amount = max(0, min(amount, terms.daily_cap_c - earned))
            earned += amount
            targets[(visit_id, person)] = (amount, counted, terms.id, day, kind)
    return targets


def _changes(
    targets: dict[tuple[str, str], Target],
    entries: dict[tuple[str, str], list[LedgerEntry]],
    households: dict[str, str],
) -> list[Change]:
    """What differs between the targets and the entries already posted, in date order (so a
    passbook reads in order); an entry that already says the target stays."""
    changes: list[Change] = []
    for (visit_id, person), (amount, counted, rule_id, day, kind) in targets.items():
        mine = entries.get((visit_id, person))
        if mine is None:
            if amount > 0:
                changes.append((day, visit_id, person, _NONE, amount, counted, rule_id, kind))
            continue
        active = _active(mine)
        if len(active) == 1 and amount > 0:
            e = active[0]
            same = (e.amount_c, e.household_id, e.posted_on, e.minutes)
            if same == (amount, households.get(person), day, counted):
                continue
        if active or amount > 0:
            changes.append((day, visit_id, person, active, amount, counted, rule_id, kind))
    for (visit_id, person), mine in entries.items():
        if (visit_id, person) not in targets:  # the visit or the helper is gone
            active = _active(mine)
            if active:
                changes.append((date.min, visit_id, person, active, 0, 0, None, ""))
    changes.sort()  # (day, visit, helper) is unique: the lists after them are never compared
    return changes


def _active(mine: list[LedgerEntry]) -> list[LedgerEntry]:
    """The entries not yet reversed."""
    reversed_ = {e.reverses_id for e in mine if e.kind == "reverse"}
    return [e for e in mine if e.kind != "reverse" and e.id not in reversed_]


class _Dates:
    """ISO text → date, remembered (a batch has a few thousand distinct days at most)."""

    def __init__(self) -> None:
        self.seen: dict[str, date] = {}

    def __call__(self, text: str) -> date:
        d = self.seen.get(text)
        if d is None:
            d = self.seen[text] = date.fromisoformat(text)
        return d


def _live_visits(session: Session) -> int:
    return int(
        session.connection()
        .exec_driver_sql("SELECT count(*) FROM visit WHERE deleted_at IS NULL")
        .scalar_one()
    )


class _Batch:
    """What posting a batch of visits needs to know, read one of two ways with the same result:
    by key (a few visits: index lookups through a table of their ids) or by scan (a large share
    of the village's visits: one pass over the live visits, filtered here, costs less than the
    table of 100,000 ids and the lookups through it)."""

    def __init__(self, daily_cap: bool) -> None:
        self.daily_cap = daily_cap
        self.slots: dict[tuple[str, date], list[Slot]] = defaultdict(list)
        self.entries: dict[tuple[str, str], list[LedgerEntry]] = defaultdict(list)
        self.summaries: dict[str, str] = {}  # visit → the elders served
        self.households: dict[str, str] = {}  # helper → household
        self.days = _Dates()

    def _entry(self, r: Any) -> LedgerEntry:
        return LedgerEntry(
            r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], self.days(r[8]), r[9], r[10]
        )

    def _affected(self) -> set[tuple[str, date]]:
        """Helper-days a daily cap ties together: those of the visits and of their entries."""
        return set(self.slots) | {
            (p, e.posted_on) for (_, p), found in self.entries.items() if p for e in found
        }

    def read_by_keys(self, session: Session, ids: set[str]) -> None:
        conn = session.connection()
        days, slots = self.days, self.slots
        with key_table(session, "posting_visits", ((i,) for i in ids), "id TEXT PRIMARY KEY") as t:
            for person, day, created, vid, kind, minutes, elders in raw_rows(
                session,
                f"SELECT {SLOT_SQL}, {ELDERS_SQL} FROM {t} t JOIN visit v ON v.id = t.id "
                f"JOIN visit_member vm ON vm.visit_id = v.id WHERE {LIVE_HELPERS}",
            ):
                slots[(person, days(day))].append((created, vid, kind, minutes))
                self.summaries[vid] = elders or ""
            for r in conn.exec_driver_sql(
                f"SELECT {ENTRY_SQL} FROM {t} t JOIN point_entry e "
                "ON e.ref_kind = 'visit' AND e.ref_id = t.id"
            ):
                e = self._entry(r)
                self.entries[(e.ref_id, e.person_id or "")].append(e)
            if self.daily_cap:
                self._whole_days(session, t)
        helpers = {p for p, _ in slots} | {p for _, p in self.entries}
        with key_table(
            session, "posting_helpers", ((h,) for h in helpers), "id TEXT PRIMARY KEY"
        ) as t:
            self.households = dict(
                conn.exec_driver_sql(
                    f"SELECT p.id, p.household_id FROM {t} h JOIN person p ON p.id = h.id "
                    "WHERE p.household_id IS NOT NULL"
                ).all()
            )

    def _whole_days(self, session: Session, given: str) -> None:
        """Add the helpers' other visits and their entries on the affected days (a daily cap
        ties them to the visits being posted)."""
        affected = self._affected()
        if not affected:
            return
        conn = session.connection()
        days, slots = self.days, self.slots
        first = min(d for _, d in affected).isoformat()
        last = max(d for _, d in affected).isoformat()
        others: set[str] = set()
        added: set[tuple[str, str]] = set()
        for person, day, created, vid, kind, minutes in conn.exec_driver_sql(
            f"SELECT {SLOT_SQL} FROM visit v JOIN visit_member vm ON vm.visit_id = v.id "
            f"WHERE v.visit_date BETWEEN ? AND ? AND {LIVE_HELPERS} "
            f"AND v.id NOT IN (SELECT id FROM {given})",
            (first, last),
        ):
            if (person, days(day)) in affected:
                slots[(person, days(day))].append((created, vid, kind, minutes))
                others.add(vid)
                added.add((vid, person))
        if not others:
            return
        with key_table(
            session, "capped_visits", ((i,) for i in others), "id TEXT PRIMARY KEY"
        ) as t:
            for r in conn.exec_driver_sql(
                f"SELECT {ENTRY_SQL} FROM {t} t JOIN point_entry e "
                "ON e.ref_kind = 'visit' AND e.ref_id = t.id"
            ):
                e = self._entry(r)
                key = (e.ref_id, e.person_id or "")
                if key in added:  # this helper's share of a visit now in the day's count
                    self.entries[key].append(e)

    def read_by_scan(self, session: Session, ids: set[str]) -> None:
        days, slots = self.days, self.slots
        others: list[tuple[str, date, Slot]] = []  # helpers of the other visits (daily cap)
        for person, day, created, vid, kind, minutes in raw_rows(
            session,
            f"SELECT {SLOT_SQL} FROM visit_member vm JOIN visit v ON v.id = vm.visit_id "
            f"WHERE {LIVE_HELPERS}",
        ):
            if vid in ids:
                slots[(person, days(day))].append((created, vid, kind, minutes))
            elif self.daily_cap:
                others.append((person, days(day), (created, vid, kind, minutes)))
        elders: dict[str, list[str]] = defaultdict(list)
        for vid, name in raw_rows(  # in rowid order, as group_concat sees them by visit_id
            session,
            "SELECT em.visit_id, p.name FROM visit_member em JOIN person p "
            "ON p.id = em.person_id WHERE em.role = 'elder' AND em.deleted_at IS NULL",
        ):
            if vid in ids:
                elders[vid].append(name)
        self.summaries = {vid: "、".join(names) for vid, names in elders.items()}
        earlier: dict[tuple[str, str], list[LedgerEntry]] = defaultdict(list)
        for r in raw_rows(
            session, f"SELECT {ENTRY_SQL} FROM point_entry e WHERE ref_kind = 'visit'"
        ):
            e = self._entry(r)
            key = (e.ref_id, e.person_id or "")
            (self.entries if e.ref_id in ids else earlier)[key].append(e)
        if others:
            affected = self._affected()
            for person, day, slot in others:
                if (person, day) in affected:
                    slots[(person, day)].append(slot)
                    key = (slot[1], person)
                    if key in earlier:  # this helper's share of a visit now in the day's count
                        self.entries[key].extend(earlier[key])
        self.households = dict(
            raw_rows(session, "SELECT id, household_id FROM person WHERE household_id IS NOT NULL")
        )


def _short(names: str) -> str:
    parts = names.split("、")
    return "、".join(parts[:3]) + ("等" if len(parts) > 3 else "")
