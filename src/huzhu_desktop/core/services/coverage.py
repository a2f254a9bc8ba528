"""Coverage rules: who lacks a 一对一 pairing, who is overdue for a visit, and 月探访率 — the
share of 特殊老人 visited at least once in a month (001: 特殊困难老年人月探访率达到100%).

Every figure is taken as of its own period (services.history): an elder counts in a month if
they were special on its last day (or on the day they left, if they left in it), were taken into
the register before its 16th, were in the register on some day of it, and either stayed to its
last day or were visited in it — someone who died or moved away early in the month without a
visit cannot have been visited, so they do not pull the rate down; someone visited before leaving
counts as visited. A month with no 特殊老人 has no rate ("—"), never 100%.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlmodel import Session, col

from huzhu_desktop.core import vocab
from huzhu_desktop.core.db.bulk import flushed_connection, raw_rows
from huzhu_desktop.core.models import (
    ElderProfile,
    Pairing,
    PairingMember,
    Visit,
    VisitMember,
)
from huzhu_desktop.core.periods import Month
from huzhu_desktop.core.services import history
from huzhu_desktop.core.services.elder_rows import paired_elders

NO_SPECIAL_ELDERS = "—（暂无特殊老人）"


@dataclass
class MonthlyRate:
    year: int
    month: int
    special_elders: int
    visited: int
    not_visited: list[str]

    @property
    def rate(self) -> float | None:
        """None when the month had no 特殊老人: a rate of nothing is no rate."""
        return None if self.special_elders == 0 else self.visited / self.special_elders

    @property
    def text(self) -> str:
        rate = self.rate
        if rate is None:
            return NO_SPECIAL_ELDERS
        return f"{rate * 100:.0f}%（{self.visited}/{self.special_elders}）"


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


def _names(session: Session) -> dict[str, tuple[str, str]]:
    """Person id → (name, 组), once per read."""
    return history.per_read(session, "names", lambda: _read_names(session))


def _special_names(session: Session) -> dict[str, tuple[str, str]]:
    """Person id → (name, 组) of those ever 特殊老人, once per read."""
    return history.per_read(
        session, "special_names", lambda: _read_names(session, history.EVER_SPECIAL_SQL)
    )


def _read_names(session: Session, only: str = "") -> dict[str, tuple[str, str]]:
    where = f" AND id IN ({only})" if only else ""
    return {
        pid: (name, group)
        for pid, name, group in raw_rows(
            session, f"SELECT id, name, group_name FROM person WHERE deleted_at IS NULL{where}"
        )
    }


def special_on(session: Session, day: date) -> set[str]:
    """Elders who were 特殊老人 and in the register on `day`."""
    members = history.memberships(session, special_only=True)
    return {
        pid
        for pid, state in history.special_history(session).on(day).items()
        if state.special and pid in members and members[pid].in_register_on(day)
    }


def visited_between(session: Session, start: date, end: date) -> set[str]:
    stmt = (
        select(col(VisitMember.person_id))
        .join(Visit, col(Visit.id) == col(VisitMember.visit_id))
        .where(
            col(VisitMember.role) == "elder",
            col(VisitMember.deleted_at).is_(None),
            col(Visit.deleted_at).is_(None),
            col(Visit.visit_date) >= start,
            col(Visit.visit_date) <= end,
        )
        .distinct()
    )
    return set(session.execute(stmt).scalars())


@dataclass(frozen=True)
class MonthEntry:
    """One 特殊老人 the month's 探访率 counts (or names): visited in the month or not."""

    elder_id: str
    name: str
    group: str
    visited: bool
    counted: bool  # False: left within the month unvisited (named nowhere, counted nowhere)


def month_roll(session: Session, year: int, month: int) -> list[MonthEntry]:
    """The 特殊老人 of the month, as its 探访率 counts them."""
    m = Month(year, month)
    start, end = m.start, m.end
    visited = visited_between(session, start, end)
    members = history.memberships(session, special_only=True)
    elders = history.special_history(session)
    names = _special_names(session)
    out = []
    for pid, membership in members.items():
        if not history.counted_in_month(membership, start) or not membership.registered_by(end):
            continue  # taken in during the month's second half: counted from the next month
        gone = membership.status_date if membership.status != vocab.ACTIVE_STATUS else None
        if gone is not None and gone < start:
            continue  # gone before the month began
        # as they were at the month's end, or on the day they left within it
        state = elders.state(pid, gone if gone is not None and gone <= end else end)
        if state is None or not state.special:
            continue
        name, group = names.get(pid, ("", ""))
        seen = pid in visited
        out.append(MonthEntry(pid, name, group, seen, seen or gone is None or gone >= end))
    return out


def monthly_visit_rate(session: Session, year: int, month: int) -> MonthlyRate:
    roll = [e for e in month_roll(session, year, month) if e.counted]
    missing = sorted(e.name for e in roll if not e.visited)
    return MonthlyRate(year, month, len(roll), sum(1 for e in roll if e.visited), missing)


def unpaired_special(session: Session, today: date) -> list[tuple[str, str, str]]:
    """特殊老人 (在册 today) without an active 一对一 pairing: (id, name, 组)."""
    # the one definition of paired (elder_rows): a member taken off a pairing is not paired
    done = paired_elders(flushed_connection(session), today, vocab.ONE_TO_ONE)
    names = _special_names(session)
    return sorted(
        (
            (pid, *names[pid])
            for pid in special_on(session, today)
            if pid not in done and pid in names
        ),
        key=lambda r: (r[2], r[1]),
    )


def overdue(session: Session, today: date) -> list[Overdue]:
    """Elders whose last visit is older than the strictest of their pairings' plans, their care
    tier and (for 特殊老人) a month. The wait is counted from the last visit — or, for someone
    never visited, from when they were taken into the register or their pairing began, so a
    new elder or a new pairing is not overdue before its first period has passed."""
    periods: dict[str, int] = {}
    began: dict[str, date] = {}
    active = (
        select(
            col(PairingMember.person_id),
            func.min(col(Pairing.period_days)),
            func.min(col(Pairing.start_date)),
        )
        .join(Pairing, col(Pairing.id) == col(PairingMember.pairing_id))
        .where(
            col(PairingMember.role) == "elder",
            col(PairingMember.deleted_at).is_(None),
            col(Pairing.deleted_at).is_(None),
            col(Pairing.start_date) <= today,
            (col(Pairing.end_date).is_(None)) | (col(Pairing.end_date) >= today),
        )
        .group_by(col(PairingMember.person_id))
    )
    for pid, days, start in session.execute(active):
        periods[pid], began[pid] = int(days), start
    last: dict[str, date] = dict(
        iter(
            session.execute(
                select(col(VisitMember.person_id), func.max(col(Visit.visit_date)))
                .join(Visit, col(Visit.id) == col(VisitMember.visit_id))
                .where(
                    col(VisitMember.role) == "elder",
                    col(VisitMember.deleted_at).is_(None),
                    col(Visit.deleted_at).is_(None),
                )
                .group_by(col(VisitMember.person_id))
            )
        )
    )
    tiers: dict[str, str] = dict(
        session.execute(
            select(col(ElderProfile.person_id), col(ElderProfile.care_tier)).where(
                col(ElderProfile.deleted_at).is_(None)
            )
        ).all()
    )
    members = history.memberships(session)
    names = _names(session)
    found = []
    for pid, state in history.elders_as_of(session, today).items():
        membership = members.get(pid)
        if membership is None or not membership.in_register_on(today) or pid not in tiers:
            continue
        candidates = [
            p
            for p in (
                periods.get(pid),
                vocab.TIER_PERIOD_DAYS.get(tiers[pid]),
                vocab.SPECIAL_PERIOD_DAYS if state.special else None,
            )
            if p
        ]
        if not candidates:
            continue
        period = min(candidates)
        seen = last.get(pid)
        since = max(
            d for d in (seen, membership.registered_on, began.get(pid), date.min) if d is not None
        )
        if since < today - timedelta(days=period):
            name, group = names.get(pid, ("", ""))
            found.append(
                Overdue(pid, name, group, seen, period, (today - seen).days if seen else None)
            )
    return sorted(found, key=lambda o: (o.last_visit or date.min, o.group, o.name))
