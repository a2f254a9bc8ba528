"""The 老人 register's rows, read straight through sqlite3 (no SQLAlchemy, no models).

Both `register.list_elders` (in a session's transaction) and the CLI's quick read
(`db.quick.quick_reading`, before the ORM is even imported) call `read_elder_rows` with a DB-API
connection: 180,000 SQLAlchemy rows took 1.5 s and 200 MB, and importing the ORM alone is most
of a small `huzhu list elders`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, fields
from datetime import date

from huzhu_desktop.core import vocab
from huzhu_desktop.core.pinyin import collation_key
from huzhu_desktop.core.validate import age_on


@dataclass(slots=True)
class ElderRow:
    id: str
    name: str
    gender: str
    birth_year: int | None
    age: int | None
    phone: str
    address: str
    group: str
    elder_types: tuple[str, ...]
    disability_grade: str | None
    living: str
    health: str
    has_children: bool | None
    tags: tuple[str, ...]
    care_tier: str
    id_number: str | None
    status: str
    special: bool
    paired: bool
    household: str
    is_helper: bool
    initials: str
    pinyin: str
    one_to_one: bool = False  # in an active 一对一 pairing (what a 特殊老人 must have)
    unit: str = ""  # the village it belongs to (a town sees every village's elders)
    special_reason: str = ""  # the clerk's 特殊老人 mark by judgment (empty: by the rule or none)

    def to_json(self) -> dict[str, object]:
        # shallow: asdict's deep copy of every field took most of `huzhu list --json`'s time
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["elder_types"], d["tags"] = list(self.elder_types), list(self.tags)
        d.pop("initials")
        d.pop("pinyin")
        return d


_ELDER_ROWS_SQL = (
    "SELECT p.id, p.name, p.gender, p.birth_date, p.birth_year, p.phone, p.address, "
    "p.group_name, e.elder_types, e.disability_grade, e.living, e.health, e.has_children, "
    "e.tags, e.care_tier, p.id_number, p.status, e.is_special, h.name, p.name_initials, "
    "p.name_pinyin, p.owner_code, e.special_reason "
    "FROM person p JOIN elder_profile e ON e.person_id = p.id "
    "LEFT JOIN household h ON h.id = p.household_id "
    "WHERE p.deleted_at IS NULL AND e.deleted_at IS NULL"
)


def paired_sql(kind: str | None = None) -> str:
    """The one definition of "paired" (结对): SQL selecting the person ids of the elders of a
    live pairing in force on :today (of :kind) — live member, live pairing, begun, not ended.
    Dates are stored as ISO text, so they compare."""
    return (
        "SELECT m.person_id FROM pairing_member m JOIN pairing g ON g.id = m.pairing_id "
        "WHERE m.role = 'elder' AND m.deleted_at IS NULL AND g.deleted_at IS NULL "
        "AND g.start_date <= :today AND (g.end_date IS NULL OR g.end_date >= :today)"
    ) + (" AND g.kind = :kind" if kind is not None else "")


def paired_elders(conn: sqlite3.Connection, today: date, kind: str | None = None) -> set[str]:
    """Every elder (person id) of a pairing in force `today` (of `kind`), in one read: the set
    the rows look themselves up in, instead of a correlated EXISTS per row (3.5 s of a
    district's 180,000 rows)."""
    params = {"today": today.isoformat(), "kind": kind}
    return {r[0] for r in conn.execute(paired_sql(kind), params)}


def active_helpers(conn: sqlite3.Connection) -> set[str]:
    return {
        r[0]
        for r in conn.execute(
            "SELECT person_id FROM helper_profile WHERE active = 1 AND deleted_at IS NULL"
        )
    }


def unit_names(conn: sqlite3.Connection) -> dict[str, str]:
    """Org code → name of every unit whose rows are here (a village's bundle brings its own;
    a unit's own spelling is read last, so it wins)."""
    return dict(
        conn.execute(
            "SELECT code, name FROM org_unit WHERE deleted_at IS NULL ORDER BY owner_code = code"
        ).fetchall()
    )


def read_elder_rows(
    conn: sqlite3.Connection, *, today: date, only: str | None = None
) -> list[ElderRow]:
    """Every elder's row, village by village, 组 by number and names in Chinese order (`only`:
    SQL selecting the person ids wanted). Run it inside one read transaction."""
    paired = paired_elders(conn, today)
    one_to_one = paired_elders(conn, today, vocab.ONE_TO_ONE)
    helpers = active_helpers(conn)
    active = vocab.ACTIVE_STATUS
    units = unit_names(conn)
    shared = vocab.SharedValues()
    one, split = shared.one, shared.split

    # Built as the rows stream in (a sorted copy of every raw row doubled the peak memory), one
    # list per village, then each sorted.
    by_unit: dict[str, list[ElderRow]] = {}
    for r in conn.execute(_ELDER_ROWS_SQL + (f" AND p.id IN ({only})" if only else "")):
        by_unit.setdefault(r[21], []).append(
            ElderRow(
                r[0],
                r[1],
                one(r[2]),
                r[4],
                age_on(date.fromisoformat(r[3]) if r[3] else None, r[4], today),
                r[5],
                one(r[6]),
                one(r[7]),
                split(r[8]),
                one(r[9]),
                one(r[10]),
                one(r[11]),
                None if r[12] is None else bool(r[12]),
                split(r[13]),
                one(r[14]),
                r[15],
                one(r[16]),
                bool(r[17]) and r[16] == active,
                r[0] in paired,
                one(r[18] or ""),
                r[0] in helpers,
                r[19],
                r[20],
                r[0] in one_to_one,
                one(units.get(r[21], r[21])),
                one(r[22] or ""),
            )
        )
    out: list[ElderRow] = []
    for code in sorted(by_unit):  # village by village
        out.extend(
            sorted(by_unit[code], key=lambda e: (collation_key(e.group), collation_key(e.name)))
        )
    return out
