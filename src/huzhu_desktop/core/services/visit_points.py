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
from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session

from huzhu_desktop.core.models import Person, PointEntry, Visit, VisitMember
from huzhu_desktop.core.services.ledger import Poster, Reversible
from huzhu_desktop.core.services.point_rules import RuleBook
from huzhu_desktop.core.workspace import Actor

CHUNK = 500


@dataclass
class Posting:
    posted: int = 0
    reversed: int = 0
    without_household: int = 0


def _chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for i in ids:
        batch.append(i)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class _Slot:
    """One helper on one visit: what it should earn."""

    created_at: datetime
    visit_id: str
    kind: str
    minutes: int


def post_visit_points(
    session: Session, actor: Actor, visit_ids: Iterable[str], poster: Poster | None = None
) -> Posting:
    """Post, reverse and repost so the ledger agrees with these visits (and their helpers' other
    visits the same day, which a daily cap ties to them)."""
    ids = set(visit_ids)
    outcome = Posting()
    if not ids:
        return outcome
    own = poster is None
    poster = poster or Poster(session, actor)
    session.flush()
    affected: set[tuple[str, date]] = set()
    for batch in _chunks(ids):
        stmt = (
            select(VisitMember.person_id, Visit.visit_date)
            .join(Visit, Visit.id == VisitMember.visit_id)
            .where(
                VisitMember.visit_id.in_(batch),
                VisitMember.role == "helper",
                VisitMember.deleted_at.is_(None),
                Visit.deleted_at.is_(None),
            )
        )
        affected.update((p, d) for p, d in session.execute(stmt))
        stmt2 = select(PointEntry.person_id, PointEntry.posted_on).where(
            PointEntry.ref_kind == "visit", PointEntry.ref_id.in_(batch)
        )
        affected.update((p, d) for p, d in session.execute(stmt2) if p)
    if not affected:
        return outcome
    helpers = {h for h, _ in affected}
    first = min(d for _, d in affected)
    last = max(d for _, d in affected)

    slots: dict[tuple[str, date], list[_Slot]] = defaultdict(list)
    entries: dict[tuple[str, str], list[PointEntry]] = defaultdict(list)
    households: dict[str, str | None] = {}
    for batch in _chunks(helpers):
        stmt = (
            select(
                VisitMember.person_id,
                Visit.visit_date,
                Visit.created_at,
                Visit.id,
                Visit.kind,
                Visit.duration_minutes,
            )
            .join(Visit, Visit.id == VisitMember.visit_id)
            .where(
                VisitMember.person_id.in_(batch),
                VisitMember.role == "helper",
                VisitMember.deleted_at.is_(None),
                Visit.deleted_at.is_(None),
                Visit.visit_date.between(first, last),
            )
        )
        for person, day, created, vid, kind, minutes in session.execute(stmt):
            if (person, day) in affected:
                slots[(person, day)].append(_Slot(created, vid, kind, minutes))
        stmt3 = select(PointEntry).where(
            PointEntry.ref_kind == "visit",
            PointEntry.person_id.in_(batch),
            PointEntry.posted_on.between(first, last),
        )
        for e in session.execute(stmt3).scalars():
            if (e.person_id, e.posted_on) in affected:
                entries[(e.ref_id, e.person_id or "")].append(e)
        for pid, hh in session.execute(
            select(Person.id, Person.household_id).where(Person.id.in_(batch))
        ):
            households[pid] = hh

    rules = RuleBook(session)
    targets: dict[tuple[str, str], tuple[int, int, str | None, date, str]] = {}
    for (person, day), found in slots.items():
        found.sort(key=lambda s: (s.created_at, s.visit_id))
        earned = 0
        for s in found:
            terms = rules.for_kind(s.kind, day)
            counted, amount = terms.earning(s.minutes)
            if terms.daily_cap_c:
                amount = max(0, min(amount, terms.daily_cap_c - earned))
            earned += amount
            targets[(s.visit_id, person)] = (amount, counted, terms.id, day, s.kind)

    keys = set(targets) | set(entries)
    summaries = _summaries(session, {v for v, _ in keys}) if keys else {}
    for key in sorted(keys, key=lambda k: (targets[k][3] if k in targets else date.min, k)):
        visit_id, person = key
        amount, counted, rule_id, day, kind = targets.get(key, (0, 0, None, date.min, ""))
        household = households.get(person)
        mine = entries.get(key, [])
        reversed_ = {e.reverses_id for e in mine if e.kind == "reverse"}
        active = [e for e in mine if e.kind != "reverse" and e.id not in reversed_]
        if (
            len(active) == 1
            and amount > 0
            and active[0].amount_c == amount
            and active[0].household_id == household
            and active[0].posted_on == day
            and active[0].minutes == counted
        ):
            continue
        if not active and amount == 0:
            continue
        for e in active:
            poster.reverse(_reversible(e), "走访记录已修改" if amount else "走访记录已删除或不计分")
            outcome.reversed += 1
        if amount > 0:
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
                summary=f"{kind} 为{summaries.get(visit_id, '老人')}服务",
            )
            outcome.posted += 1
    if own:
        poster.flush()
    return outcome


def _reversible(e: PointEntry) -> Reversible:
    return Reversible(
        e.id,
        e.household_id,
        e.amount_c,
        e.kind,
        e.ref_kind,
        e.ref_id,
        e.person_id,
        e.posted_on,
        e.minutes,
        e.summary,
    )


def _summaries(session: Session, visit_ids: set[str]) -> dict[str, str]:
    """服务内容 for the passbook: the elders served, e.g. '张德明、李秀英'."""
    names: dict[str, list[str]] = defaultdict(list)
    for batch in _chunks(visit_ids):
        stmt = (
            select(VisitMember.visit_id, Person.name)
            .join(Person, Person.id == VisitMember.person_id)
            .where(VisitMember.visit_id.in_(batch), VisitMember.role == "elder")
            .order_by(VisitMember.visit_id, Person.name)
        )
        for vid, name in session.execute(stmt):
            names[vid].append(name)
    return {vid: "、".join(n[:3]) + ("等" if len(n) > 3 else "") for vid, n in names.items()}
