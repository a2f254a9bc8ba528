"""History that makes any period's figures reproducible: who was registered, special, in post,
in which role and 组 — as of a day, not as of today.

Writers append spells (`elder_spell`, `helper_spell`) whenever a profile changes; readers take,
per person, the latest spell that began on or before the day (a spell with no date began with
the record). A person whose rows came from an app older than this history (no spells at all)
reads as their profile says now.

Rules (stated on screen where they matter):
- **Registered** (登记): `person.registered_on` on or before the day (None: since always).
- **In the register** on a day: registered by then, and not moved away or died before it.
- **特殊老人 in a month's 探访率**: special on the month's last day (or on the day they left,
  if they left in it), and registered before the month's 16th — someone taken in during the
  second half of a month is counted from the next month.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar, cast

from sqlmodel import Session

from huzhu_desktop.core import vocab
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.db.bulk import raw_rows
from huzhu_desktop.core.models import ElderProfile, ElderSpell, HelperSpell

MONTH_CUTOFF_DAY = 16  # registered before this day of a month: counted in that month's rate


@dataclass(frozen=True, slots=True)
class ElderState:
    person_id: str
    elder_types: tuple[str, ...]
    disability_grade: str | None
    living: str
    health: str
    group: str
    special: bool


@dataclass(frozen=True, slots=True)
class HelperState:
    person_id: str
    role: str
    organisation: str
    in_post: bool


# --- writing ------------------------------------------------------------------------------------


def record_elder_spell(
    session: Session,
    actor: Actor,
    profile: ElderProfile,
    group_name: str,
    *,
    effective_on: date | None,
) -> ElderSpell:
    """The elder's profile as it is now, in force from `effective_on`."""
    spell = ElderSpell(
        **actor.stamp(),
        person_id=profile.person_id,
        effective_on=effective_on,
        elder_types=profile.elder_types,
        disability_grade=profile.disability_grade,
        living=profile.living,
        health=profile.health,
        group_name=group_name,
        is_special=profile.is_special,
        special_reason=profile.special_reason,
    )
    session.add(spell)
    return spell


def record_helper_spell(
    session: Session,
    actor: Actor,
    person_id: str,
    role: str,
    organisation: str,
    *,
    in_post: bool,
    effective_on: date | None,
) -> HelperSpell:
    spell = HelperSpell(
        **actor.stamp(),
        person_id=person_id,
        effective_on=effective_on,
        role=role,
        organisation=organisation,
        in_post=in_post,
    )
    session.add(spell)
    return spell


# --- reading ------------------------------------------------------------------------------------

_LATEST = (
    "ROW_NUMBER() OVER (PARTITION BY person_id "
    "ORDER BY coalesce(effective_on, '') DESC, created_at DESC, id DESC)"
)


# The same two reads as SQL for reports that group and count in SQLite (parameter :at, ISO).
HELPERS_AT_SQL = (
    "SELECT owner_code, person_id, role, organisation, in_post FROM (SELECT *, "
    f"{_LATEST} AS n FROM helper_spell WHERE deleted_at IS NULL AND (effective_on IS NULL "
    "OR effective_on <= :at)) WHERE n = 1 "
    "UNION ALL SELECT h.owner_code, h.person_id, h.role, h.organisation, "
    "((h.since IS NULL OR h.since <= :at) AND ((h.until IS NULL AND h.active = 1) "
    "OR h.until >= :at)) FROM helper_profile h WHERE h.deleted_at IS NULL AND NOT EXISTS "
    "(SELECT 1 FROM helper_spell x WHERE x.person_id = h.person_id AND x.deleted_at IS NULL)"
)

# Each elder of unit :owner, as their latest spell on :at (or the profile, for one without
# spells). The unit is filtered before the window function ranks the spells, so a district
# reading its 600 units one by one does not rank all 180,000 elders 600 times.
ELDERS_OF_OWNER_AT_SQL = (
    "SELECT owner_code, person_id, elder_types, disability_grade, living, health, group_name, "
    f"is_special FROM (SELECT *, {_LATEST} AS n FROM elder_spell WHERE deleted_at IS NULL "
    "AND owner_code = :owner AND (effective_on IS NULL OR effective_on <= :at)) WHERE n = 1 "
    "UNION ALL SELECT e.owner_code, e.person_id, e.elder_types, e.disability_grade, e.living, "
    "e.health, p.group_name, e.is_special FROM elder_profile e JOIN person p "
    "ON p.id = e.person_id WHERE e.deleted_at IS NULL AND e.owner_code = :owner AND NOT EXISTS "
    "(SELECT 1 FROM elder_spell x WHERE x.person_id = e.person_id AND x.deleted_at IS NULL)"
)
# A person (alias p) in the register on :at: registered by then, not gone before it.
IN_REGISTER_SQL = (
    "p.deleted_at IS NULL AND (p.registered_on IS NULL OR p.registered_on <= :at) "
    f"AND NOT (p.status != '{vocab.ACTIVE_STATUS}' AND p.status_date IS NOT NULL "
    "AND p.status_date <= :at)"
)


# Everyone who was a 特殊老人 in any spell or is one now: all a month's 探访率 looks at (a
# district's 180,000 elders hold about a tenth of that).
EVER_SPECIAL_SQL = (
    "SELECT person_id FROM elder_spell WHERE deleted_at IS NULL AND is_special = 1 "
    "UNION SELECT person_id FROM elder_profile WHERE deleted_at IS NULL AND is_special = 1"
)


class ElderHistory:
    """Every elder's spells, read once: the state of anyone on any day without another query
    (a month's rate asks for the month's end and for each day someone left in it).
    `only`: SQL selecting the person ids wanted (EVER_SPECIAL_SQL: those ever 特殊老人, whose
    states are the only special ones); None: every elder."""

    def __init__(self, session: Session, *, only: str | None = None) -> None:
        profile_only = f" AND e.person_id IN ({only})" if only else ""
        only = f" AND person_id IN ({only})" if only else ""
        self._days: dict[str, list[str]] = {}  # person → effective days ('' = from the start)
        self._states: dict[str, list[ElderState]] = {}
        self._always: dict[str, ElderState] = {}  # no history kept yet: as the profile says
        # Slotted states sharing their repeated values: at a district's 180,000 elders the
        # copies, and a dict per state, were most of the 首页's 900 MB.
        shared = vocab.SharedValues()
        one, split = shared.one, shared.split

        def state(
            pid: str, types: str | None, grade: Any, living: Any, health: Any, group: Any, sp: Any
        ) -> ElderState:
            return ElderState(
                pid, split(types), one(grade), one(living), one(health), one(group), bool(sp)
            )

        for pid, day, types, grade, living, health, group, special in raw_rows(
            session,
            "SELECT person_id, coalesce(effective_on, ''), elder_types, disability_grade, "
            "living, health, group_name, is_special FROM elder_spell WHERE deleted_at IS NULL "
            f"{only} ORDER BY person_id, coalesce(effective_on, ''), created_at, id",
        ):
            self._days.setdefault(pid, []).append(one(day))
            self._states.setdefault(pid, []).append(
                state(pid, types, grade, living, health, group, special)
            )
        for pid, types, grade, living, health, group, special in raw_rows(
            session,
            "SELECT e.person_id, e.elder_types, e.disability_grade, e.living, e.health, "
            "p.group_name, e.is_special FROM elder_profile e JOIN person p "
            f"ON p.id = e.person_id WHERE e.deleted_at IS NULL{profile_only}",
        ):
            if pid not in self._days:
                self._always[pid] = state(pid, types, grade, living, health, group, special)

    def state(self, person_id: str, day: date) -> ElderState | None:
        """The person's elder state on `day`; None before their first spell."""
        if person_id in self._always:
            return self._always[person_id]
        days = self._days.get(person_id)
        if not days:
            return None
        at = bisect_right(days, day.isoformat())  # same-day spells: the last recorded wins
        return self._states[person_id][at - 1] if at else None

    def on(self, day: date) -> dict[str, ElderState]:
        found = {pid: s for pid in self._days if (s := self.state(pid, day)) is not None}
        found.update(self._always)
        return found


T = TypeVar("T")


def per_read(session: Session, key: str, build: Callable[[], T]) -> T:
    """`build()` once per read-only session (a page's figures read the same history several
    times); a writing session, which may change it between reads, builds it every time."""
    if not session.info.get("read_only"):
        return build()
    if key not in session.info:
        session.info[key] = build()
    return cast(T, session.info[key])


def elder_history(session: Session) -> ElderHistory:
    return per_read(session, "elder_history", lambda: ElderHistory(session))


def special_history(session: Session) -> ElderHistory:
    """The history of those ever 特殊老人 only: what the month's 探访率 and 一对一 read."""
    build = lambda: ElderHistory(session, only=EVER_SPECIAL_SQL)  # noqa: E731
    return per_read(session, "special_history", build)


def elders_as_of(session: Session, day: date) -> dict[str, ElderState]:
    """Every elder profile's state on `day` (whether registered or not: see Membership)."""
    return elder_history(session).on(day)


def helpers_as_of(session: Session, day: date) -> dict[str, HelperState]:
    """Every helper's role, organisation and whether in post on `day`."""
    found: dict[str, HelperState] = {}
    for pid, role, org, in_post in raw_rows(
        session,
        f"SELECT person_id, role, organisation, in_post FROM (SELECT *, {_LATEST} AS n "
        "FROM helper_spell WHERE deleted_at IS NULL AND (effective_on IS NULL "
        "OR effective_on <= ?)) WHERE n = 1",
        (day.isoformat(),),
    ):
        found[pid] = HelperState(pid, role, org, bool(in_post))
    for pid, role, org, active, since, until in raw_rows(
        session,
        "SELECT h.person_id, h.role, h.organisation, h.active, h.since, h.until "
        "FROM helper_profile h WHERE h.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM "
        "helper_spell s WHERE s.person_id = h.person_id AND s.deleted_at IS NULL)",
    ):  # no history yet: in post by since/until as before
        started = since is None or since <= day.isoformat()
        still = (until is None and bool(active)) or (until is not None and until >= day.isoformat())
        found[pid] = HelperState(pid, role, org, started and still)
    return found


@dataclass(frozen=True, slots=True)
class Membership:
    """When a person was in the village's register."""

    registered_on: date | None
    status: str
    status_date: date | None

    def registered_by(self, day: date) -> bool:
        return self.registered_on is None or self.registered_on <= day

    def in_register_on(self, day: date) -> bool:
        """Registered by `day` and not yet moved away or died."""
        gone = self.status_date if self.status != vocab.ACTIVE_STATUS else None
        return self.registered_by(day) and not (gone is not None and gone <= day)


def memberships(session: Session, *, special_only: bool = False) -> dict[str, Membership]:
    """Person id → Membership (`special_only`: of those ever 特殊老人)."""
    key = "special_memberships" if special_only else "memberships"
    return per_read(session, key, lambda: _memberships(session, special_only))


def _memberships(session: Session, special_only: bool) -> dict[str, Membership]:
    only = f" AND id IN ({EVER_SPECIAL_SQL})" if special_only else ""
    days: dict[str, date] = {}  # one date object per day (a district has 235,000 people)

    def day(text: str | None) -> date | None:
        if not text:
            return None
        found = days.get(text)
        if found is None:
            found = days[text] = date.fromisoformat(text)
        return found

    return {
        pid: Membership(day(reg), status, day(when))
        for pid, reg, status, when in raw_rows(
            session,
            "SELECT id, registered_on, status, status_date FROM person "
            f"WHERE deleted_at IS NULL{only}",
        )
    }


def counted_in_month(m: Membership, month_start: date) -> bool:
    """Registered before the month's 16th (see the module's rules)."""
    return m.registered_on is None or m.registered_on < month_start.replace(day=MONTH_CUTOFF_DAY)
