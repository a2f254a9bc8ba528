"""Read side of the register: rows for the lists, the CLI's `list`, and the home screen figures.

Reads use SQLAlchemy Core selects into plain dataclasses: fast for 20,000 rows and free of ORM
state, so the GUI can hold them in a plain Python table model.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, column, exists, func, literal, or_, select, text
from sqlmodel import Session, col

from huzhu_desktop.core import clock, vocab
from huzhu_desktop.core.db.bulk import flushed_connection
from huzhu_desktop.core.models import (
    CarePoint,
    ElderProfile,
    HelperProfile,
    Household,
    Pairing,
    PairingMember,
    Person,
)
from huzhu_desktop.core.pinyin import collation_key
from huzhu_desktop.core.services import elder_rows, first_screen
from huzhu_desktop.core.services.elder_rows import ElderRow, read_elder_rows
from huzhu_desktop.core.services.first_screen import RegisterSummary
from huzhu_desktop.core.validate import age_on


@dataclass
class HelperRow:
    id: str
    name: str
    gender: str
    birth_year: int | None
    age: int | None
    phone: str
    address: str
    group: str
    role: str
    organisation: str
    active: bool
    status: str
    is_elder: bool
    elders_helped: int
    id_number: str | None
    initials: str
    pinyin: str
    unit: str = ""
    visits_quarter: int = 0  # visits this helper made this quarter (as helper)
    last_visit: date | None = None

    def to_json(self) -> dict[str, object]:
        d = asdict(self)
        d.pop("initials")
        d.pop("pinyin")
        d["last_visit"] = self.last_visit.isoformat() if self.last_visit else None
        return d


def unit_names(session: Session) -> dict[str, str]:
    """Org code → name of every unit whose rows are here (`elder_rows.unit_names`)."""
    return elder_rows.unit_names(flushed_connection(session))


def _active_pairing_member(role: str, today: date) -> ColumnElement[bool]:
    return and_(
        col(PairingMember.role) == role,
        col(PairingMember.deleted_at).is_(None),
        col(Pairing.id) == col(PairingMember.pairing_id),
        col(Pairing.deleted_at).is_(None),
        col(Pairing.start_date) <= today,
        or_(col(Pairing.end_date).is_(None), col(Pairing.end_date) >= today),
    )


def _in_list(column: Any, value: str) -> Any:
    """`value` is one of the 、-joined values of `column` (vocab.join_list's text)."""
    return (literal("、") + column + literal("、")).like(f"%、{value}、%")


IN_REGISTER = (  # an elder's live rows, 在册
    col(Person.deleted_at).is_(None),
    col(ElderProfile.deleted_at).is_(None),
    col(Person.status) == vocab.ACTIVE_STATUS,
)


def list_elders(
    session: Session, *, today: date | None = None, only: str | None = None
) -> list[ElderRow]:
    """Every elder's row (`only`: SQL selecting the person ids wanted — a form of the paired
    elders need not build 180,000 rows for 40,000); read by `elder_rows` through sqlite3, in the
    session's transaction (its pending changes flushed first, as a select would))."""
    return read_elder_rows(flushed_connection(session), today=today or clock.today(), only=only)


def _helper_visits(session: Session, today: date) -> dict[str, tuple[int, date | None]]:
    """Per helper: visits made this quarter, and the day of the last one (one grouped read)."""
    from huzhu_desktop.core.db.bulk import raw_rows
    from huzhu_desktop.core.periods import Quarter

    start = Quarter.of(today).start
    out: dict[str, tuple[int, date | None]] = {}
    for person, in_quarter, last in raw_rows(
        session,
        "SELECT m.person_id, sum(v.visit_date >= ? AND v.visit_date <= ?), max(v.visit_date) "
        "FROM visit_member m JOIN visit v ON v.id = m.visit_id "
        "WHERE m.role = 'helper' AND m.deleted_at IS NULL AND v.deleted_at IS NULL "
        "GROUP BY m.person_id",
        (start.isoformat(), today.isoformat()),
    ):
        out[person] = (int(in_quarter or 0), date.fromisoformat(last) if last else None)
    return out


def list_helpers(session: Session, *, today: date | None = None) -> list[HelperRow]:
    today = today or clock.today()
    helped = (
        select(func.count(func.distinct(col(PairingMember.person_id))))
        .select_from(PairingMember)
        .where(
            col(PairingMember.role) == "elder",
            col(PairingMember.deleted_at).is_(None),
            col(PairingMember.pairing_id).in_(
                select(col(PairingMember.pairing_id))
                .join(Pairing, col(Pairing.id) == col(PairingMember.pairing_id))
                .where(
                    col(PairingMember.person_id) == col(Person.id),
                    _active_pairing_member("helper", today),
                )
                .correlate(Person)
                .scalar_subquery()
            ),
        )
        .scalar_subquery()
    )
    elder = (
        exists()
        .where(
            col(ElderProfile.person_id) == col(Person.id), col(ElderProfile.deleted_at).is_(None)
        )
        .correlate(Person)
    )
    units = unit_names(session)
    visited = _helper_visits(session, today)
    stmt = (
        select(Person, HelperProfile, elder.label("is_elder"), helped.label("helped"))
        .join(HelperProfile, col(HelperProfile.person_id) == col(Person.id))
        .where(col(Person.deleted_at).is_(None), col(HelperProfile.deleted_at).is_(None))
        .order_by(
            col(Person.owner_code),
            col(HelperProfile.active).desc(),
            col(Person.group_name),
            col(Person.name_pinyin),
        )
    )
    return [
        HelperRow(
            p.id,
            p.name,
            p.gender,
            p.birth_year,
            age_on(p.birth_date, p.birth_year, today),
            p.phone,
            p.address,
            p.group_name,
            h.role,
            h.organisation,
            h.active,
            p.status,
            bool(is_elder),
            int(n or 0),
            p.id_number,
            p.name_initials,
            p.name_pinyin,
            units.get(p.owner_code, p.owner_code),
            *visited.get(p.id, (0, None)),
        )
        for p, h, is_elder, n in sorted(
            session.execute(stmt),
            key=lambda r: (
                r[0].owner_code,
                not r[1].active,
                collation_key(r[0].group_name),
                collation_key(r[0].name),
            ),
        )
    ]


@dataclass(frozen=True)
class HouseholdRow:
    """A household (户) with how many registered people live in it."""

    id: str
    name: str
    card_no: str
    group: str
    address: str
    members: int

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def list_households(session: Session) -> list[HouseholdRow]:
    members = func.count(col(Person.id))
    stmt = (
        select(
            col(Household.id),
            col(Household.name),
            col(Household.card_no),
            col(Household.group_name),
            col(Household.address),
            members,
        )
        .outerjoin(
            Person,
            and_(col(Person.household_id) == col(Household.id), col(Person.deleted_at).is_(None)),
        )
        .where(col(Household.deleted_at).is_(None))
        .group_by(col(Household.id))
        .order_by(col(Household.group_name), col(Household.name))
    )
    rows = sorted(session.execute(stmt), key=lambda r: (collation_key(r[3]), collation_key(r[1])))
    return [HouseholdRow(i, n, c, g, a, int(m)) for i, n, c, g, a, m in rows]


def count_households(session: Session) -> int:
    return first_screen.count_households(flushed_connection(session))


@dataclass(frozen=True)
class CarePointRow:
    """A 互助点 / 幸福食堂 … with the days it opened and closed."""

    id: str
    name: str
    kind: str
    address: str
    group: str
    opened_on: date | None
    closed_on: date | None

    def to_json(self) -> dict[str, object]:
        d = asdict(self)
        d["opened_on"] = self.opened_on.isoformat() if self.opened_on else None
        d["closed_on"] = self.closed_on.isoformat() if self.closed_on else None
        return d


def list_care_points(session: Session) -> list[CarePointRow]:
    stmt = (
        select(CarePoint)
        .where(col(CarePoint.deleted_at).is_(None))
        .order_by(col(CarePoint.kind), col(CarePoint.name))
    )
    return [
        CarePointRow(c.id, c.name, c.kind, c.address, c.group_name, c.opened_on, c.closed_on)
        for (c,) in session.execute(stmt)
    ]


def group_names(session: Session) -> list[str]:
    """The 组 labels in use, for the forms' drop-down."""
    stmt = select(col(Person.group_name)).where(col(Person.group_name) != "").distinct()
    return sorted({g for (g,) in session.execute(stmt)}, key=_group_sort_key)


def _group_sort_key(name: str) -> tuple[int, str]:
    """1组 < 2组 < 10组; 一组 < 二组 < 十一组; anything else after."""
    m = re.search(r"\d+", name)
    if m:
        return int(m.group()), name
    m = re.search(r"[一二三四五六七八九十]+", name)
    return (_chinese_number(m.group()) if m else 999), name


def _chinese_number(text: str) -> int:
    digits = "一二三四五六七八九"
    if "十" not in text:
        return digits.index(text[0]) + 1 if text[0] in digits else 999
    tens, _, ones = text.partition("十")
    value = (digits.index(tens) + 1 if tens else 1) * 10
    return value + (digits.index(ones[0]) + 1 if ones else 0)


def count_summary(session: Session, *, today: date | None = None) -> RegisterSummary:
    """`summary`'s figures counted by SQLite (`first_screen.count_register`)."""
    return first_screen.count_register(flushed_connection(session), today or clock.today())


def count_ledger_42(session: Session, at: date, elderly_age: int = 80) -> tuple[int, int]:
    """(elders of the 42号 台账, those of them in a pairing in force) on `at`, counted by SQLite:
    the rule of `targets.in_42_ledger` over `list_elders(today=at)` (特殊老人, 分散特困, 高龄,
    独居, 留守; 在册), without building every elder's row (1 GB at a district)."""
    paired = col(Person.id).in_(  # the one definition of paired (elder_rows.paired_sql)
        text(elder_rows.paired_sql()).bindparams(today=at.isoformat()).columns(column("person_id"))
    )
    cutoff = f"{at.year - elderly_age:04d}-{at.month:02d}-{at.day:02d}"  # ISO text compares
    aged = or_(
        and_(col(Person.birth_date).is_not(None), col(Person.birth_date) <= cutoff),
        and_(
            col(Person.birth_date).is_(None),
            col(Person.birth_year).is_not(None),
            col(Person.birth_year) <= at.year - elderly_age,
        ),
    )
    in_ledger = or_(
        col(ElderProfile.is_special) == True,  # noqa: E712
        _in_list(col(ElderProfile.elder_types), "分散特困"),
        aged,
        col(ElderProfile.living) == vocab.ALONE,
        _in_list(col(ElderProfile.tags), "留守"),
    )
    row = session.execute(
        select(func.count(), func.coalesce(func.sum(case((paired, 1), else_=0)), 0))
        .select_from(Person)
        .join(ElderProfile, col(ElderProfile.person_id) == col(Person.id))
        .where(*IN_REGISTER, in_ledger)
    ).one()
    return int(row[0]), int(row[1])


def summary(
    rows: list[ElderRow], helpers: list[HelperRow], households: int, points: int
) -> RegisterSummary:
    active = [r for r in rows if r.status == vocab.ACTIVE_STATUS]
    by_type = {t: sum(1 for r in active if t in r.elder_types) for t in vocab.ELDER_TYPES}
    return RegisterSummary(
        elders=len(active),
        special_elders=sum(1 for r in active if r.special),
        special_unpaired=sum(1 for r in active if r.special and not r.one_to_one),
        helpers=sum(1 for h in helpers if h.active),
        households=households,
        care_points=points,
        by_type=by_type,
    )
