"""Coverage rules: who lacks a 一对一 pairing, who is overdue for a visit, and 月探访率 — the
share of 特殊老人 visited at least once in a month (001: 特殊困难老年人月探访率达到100%).

Month edges: an elder counts for a month if they were 在册 on any day of it and either stayed
在册 to its last day or were visited in it — someone who died or moved away early in the month
without a visit cannot have been visited, so they do not pull the rate down; someone visited
before leaving counts as visited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from huzhu_desktop.core import vocab
from huzhu_desktop.core.models import (
    ElderProfile,
    Pairing,
    PairingMember,
    Person,
    Visit,
    VisitMember,
)
from huzhu_desktop.core.periods import Month


@dataclass
class MonthlyRate:
    year: int
    month: int
    special_elders: int
    visited: int
    not_visited: list[str]

    @property
    def rate(self) -> float:
        return 1.0 if self.special_elders == 0 else self.visited / self.special_elders

    @property
    def text(self) -> str:
        return f"{self.rate * 100:.0f}%（{self.visited}/{self.special_elders}）"


@dataclass
class Overdue:
    elder_id: str
    name: str
    group: str
    last_visit: date | None
    period_days: int
    days_since: int | None


def month_bounds(year: int, month: int) -> tuple[date, date]:
    m = Month(year, month)
    return m.start, m.end


def _special_elders(session: Session) -> list[tuple[str, str, str, str, date | None]]:
    stmt = (
        select(Person.id, Person.name, Person.group_name, Person.status, Person.status_date)
        .join(ElderProfile, ElderProfile.person_id == Person.id)
        .where(
            ElderProfile.is_special == True,  # noqa: E712
            ElderProfile.deleted_at.is_(None),
            Person.deleted_at.is_(None),
        )
    )
    return [tuple(r) for r in session.execute(stmt)]


def visited_between(session: Session, start: date, end: date) -> set[str]:
    stmt = (
        select(VisitMember.person_id)
        .join(Visit, Visit.id == VisitMember.visit_id)
        .where(
            VisitMember.role == "elder",
            VisitMember.deleted_at.is_(None),
            Visit.deleted_at.is_(None),
            Visit.visit_date >= start,
            Visit.visit_date <= end,
        )
        .distinct()
    )
    return set(session.execute(stmt).scalars())


def monthly_visit_rate(session: Session, year: int, month: int) -> MonthlyRate:
    start, end = month_bounds(year, month)
    visited = visited_between(session, start, end)
    counted, seen, missing = 0, 0, []
    for pid, name, _group, status, status_date in _special_elders(session):
        left = status != vocab.ACTIVE_STATUS and status_date is not None
        if left and status_date < start:
            continue  # gone before the month began
        if pid in visited:
            counted, seen = counted + 1, seen + 1
        elif not left or status_date >= end:
            counted += 1
            missing.append(name)
    return MonthlyRate(year, month, counted, seen, sorted(missing))


def unpaired_special(session: Session, today: date) -> list[tuple[str, str, str]]:
    """特殊老人 (在册) without an active 一对一 pairing: (id, name, 组)."""
    paired = (
        select(PairingMember.person_id)
        .join(Pairing, Pairing.id == PairingMember.pairing_id)
        .where(
            PairingMember.role == "elder",
            Pairing.kind == "一对一",
            Pairing.deleted_at.is_(None),
            Pairing.start_date <= today,
            (Pairing.end_date.is_(None)) | (Pairing.end_date >= today),
        )
    )
    done = set(session.execute(paired).scalars())
    return sorted(
        (
            (pid, name, group)
            for pid, name, group, status, _d in _special_elders(session)
            if status == vocab.ACTIVE_STATUS and pid not in done
        ),
        key=lambda r: (r[2], r[1]),
    )


def overdue(session: Session, today: date) -> list[Overdue]:
    """Elders whose last visit is older than the strictest of their pairings' plans, their care
    tier and (for 特殊老人) a month."""
    periods: dict[str, int] = {}
    active = (
        select(PairingMember.person_id, func.min(Pairing.period_days))
        .join(Pairing, Pairing.id == PairingMember.pairing_id)
        .where(
            PairingMember.role == "elder",
            Pairing.deleted_at.is_(None),
            Pairing.start_date <= today,
            (Pairing.end_date.is_(None)) | (Pairing.end_date >= today),
        )
        .group_by(PairingMember.person_id)
    )
    for pid, days in session.execute(active):
        periods[pid] = int(days)
    stmt = (
        select(
            Person.id,
            Person.name,
            Person.group_name,
            ElderProfile.care_tier,
            ElderProfile.is_special,
        )
        .join(ElderProfile, ElderProfile.person_id == Person.id)
        .where(
            Person.status == vocab.ACTIVE_STATUS,
            Person.deleted_at.is_(None),
            ElderProfile.deleted_at.is_(None),
        )
    )
    last: dict[str, date] = dict(
        iter(
            session.execute(
                select(VisitMember.person_id, func.max(Visit.visit_date))
                .join(Visit, Visit.id == VisitMember.visit_id)
                .where(
                    VisitMember.role == "elder",
                    VisitMember.deleted_at.is_(None),
                    Visit.deleted_at.is_(None),
                )
                .group_by(VisitMember.person_id)
            )
        )
    )
    found = []
    for pid, name, group, tier, special in session.execute(stmt):
        candidates = [
            p
            for p in (
                periods.get(pid),
                vocab.TIER_PERIOD_DAYS.get(tier),
                vocab.SPECIAL_PERIOD_DAYS if special else None,
            )
            if p
        ]
        if not candidates:
            continue
        period = min(candidates)
        seen = last.get(pid)
        if seen is None or seen < today - timedelta(days=period):
            found.append(
                Overdue(pid, name, group, seen, period, (today - seen).days if seen else None)
            )
    return sorted(found, key=lambda o: (o.last_visit or date.min, o.group, o.name))
