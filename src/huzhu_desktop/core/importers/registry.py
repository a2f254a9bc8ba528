"""The register as the importer sees it: people to match rows against, and the rows to write.

Matching (DESIGN §4): by ID number when present; otherwise name + gender + birth year ±1 +
(组 or address). A row that matches more than one person is never merged: it is rejected for the
clerk. The same input always gives the same matches, so importing a file twice changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session, col

from huzhu_desktop.core import vocab
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.db.bulk import insert_rows
from huzhu_desktop.core.importers.rows import ParsedRow
from huzhu_desktop.core.models import (
    ElderProfile,
    ElderSpell,
    HelperProfile,
    HelperSpell,
    Household,
    Pairing,
    PairingMember,
    Person,
    sync_columns,
    table_of,
    utcnow,
)
from huzhu_desktop.core.pinyin import name_pinyin
from huzhu_desktop.core.services.validation import CleanElder, CleanPerson


class Ambiguous(Exception):
    def __init__(self, name: str, count: int) -> None:
        self.message = (
            f"“{name}”与已登记的{count}个人都可能是同一人（姓名、性别、出生年份相近），"
            "为避免合并错人，这一行没有导入。请补上身份证号码后再导入。"
        )
        super().__init__(self.message)


@dataclass
class Known:
    id: str
    name: str
    gender: str
    birth_year: int | None
    group: str
    address: str
    id_number: str | None
    values: dict[str, Any] = field(default_factory=dict)  # current person columns we may update


class Registry:
    def __init__(self, session: Session, actor: Actor, today: date) -> None:
        self.actor, self.today = actor, today
        self.now = utcnow()
        self.by_id_number: dict[str, Known] = {}
        self.by_name: dict[tuple[str, str], list[Known]] = defaultdict(list)
        self.people: dict[str, Known] = {}
        self.created: set[str] = set()
        self.claimed: set[object] = set()  # people (and elder profiles) a row of this file has set
        for row in session.execute(
            select(
                col(Person.id),
                col(Person.name),
                col(Person.gender),
                col(Person.birth_year),
                col(Person.group_name),
                col(Person.address),
                col(Person.id_number),
                col(Person.phone),
                col(Person.birth_date),
            ).where(col(Person.deleted_at).is_(None))
        ):
            self._remember(
                Known(
                    row[0],
                    row[1],
                    row[2],
                    row[3],
                    row[4],
                    row[5],
                    row[6],
                    {
                        "phone": row[7],
                        "address": row[5],
                        "group_name": row[4],
                        "id_number": row[6],
                        "birth_date": row[8],
                    },
                )
            )
        self.elders: dict[str, dict[str, Any]] = {
            r[0]: {
                "elder_types": r[1],
                "living": r[2],
                "health": r[3],
                "has_children": r[4],
                "tags": r[5],
                "disability_grade": r[6],
                "deleted": r[7] is not None,
                "special_reason": r[8],
            }
            for r in session.execute(
                select(
                    col(ElderProfile.person_id),
                    col(ElderProfile.elder_types),
                    col(ElderProfile.living),
                    col(ElderProfile.health),
                    col(ElderProfile.has_children),
                    col(ElderProfile.tags),
                    col(ElderProfile.disability_grade),
                    col(ElderProfile.deleted_at),
                    col(ElderProfile.special_reason),
                )
            )
        }
        self.helpers: dict[str, bool] = {
            r[0]: bool(r[1])
            for r in session.execute(
                select(col(HelperProfile.person_id), col(HelperProfile.active))
            )
        }
        pm_e, pm_h = table_of(PairingMember).alias(), table_of(PairingMember).alias()
        active = (
            select(pm_e.c.person_id, pm_h.c.person_id)
            .join(pm_h, pm_h.c.pairing_id == pm_e.c.pairing_id)
            .join(Pairing, col(Pairing.id) == pm_e.c.pairing_id)
            .where(
                pm_e.c.role == "elder",
                pm_h.c.role == "helper",
                col(Pairing.deleted_at).is_(None),
                (col(Pairing.end_date).is_(None)) | (col(Pairing.end_date) >= today),
            )
        )
        self.pairs: set[tuple[str, str]] = {(a, b) for a, b in session.execute(active)}
        self.inserts: dict[type, list[dict[str, Any]]] = defaultdict(list)
        self.updates: list[
            tuple[type, str, str, dict[str, Any]]
        ] = []  # table, key col, key, values
        self.pending: dict[tuple[type, str], dict[str, Any]] = {}

    # --- matching ---------------------------------------------------------------------------

    def _remember(self, k: Known) -> None:
        self.people[k.id] = k
        if k.id_number:
            self.by_id_number[k.id_number] = k
        self.by_name[(k.name, k.gender)].append(k)

    def match(self, p: CleanPerson) -> Known | None:
        if p.id_number and p.id_number in self.by_id_number:
            return self.by_id_number[p.id_number]
        if p.birth_year is None:
            return self._match_without_birth(p)
        found = []
        for k in self.by_name.get((p.name, p.gender), []):
            if k.id_number and p.id_number and k.id_number != p.id_number:
                continue
            if k.birth_year is None or p.birth_year is None or abs(k.birth_year - p.birth_year) > 1:
                continue
            if p.group_name or p.address:
                same_place = (p.group_name and k.group == p.group_name) or (
                    p.address and k.address == p.address
                )
            else:  # nothing to tell places apart: only an exact twin of a placeless record
                same_place = not k.group and not k.address and k.birth_year == p.birth_year
            if same_place:
                found.append(k)
        if len(found) > 1:
            raise Ambiguous(p.name, len(found))
        return found[0] if found else None

    def _match_without_birth(self, p: CleanPerson) -> Known | None:
        """A helper named in a sheet that gives no age: the one helper (or person of unknown
        birth) of that name and gender — several are never guessed between."""
        found = [
            k
            for k in self.by_name.get((p.name, p.gender), [])
            if (k.id in self.helpers or k.birth_year is None)
            and not (k.id_number and p.id_number and k.id_number != p.id_number)
        ]
        if len(found) > 1:
            raise Ambiguous(p.name, len(found))
        return found[0] if found else None

    # --- planning ---------------------------------------------------------------------------

    def take(self, row: ParsedRow) -> str:
        """Plan the writes of one row; return its status field name."""
        elder = self.match(row.elder)
        helper = self.match(row.helper) if row.helper is not None else None  # may raise too
        changed = False
        if elder is None:
            elder = self._new_person(row.elder, row.elder_note, row.registered_on)
            changed = True
        else:
            changed |= self._update_person(elder, row.elder)
        changed |= self._elder_profile(elder.id, row.elder_profile)
        if row.helper is not None and row.helper_profile is not None:
            if helper is None:
                helper = self._new_person(row.helper, registered_on=row.registered_on)
                changed = True
            else:
                changed |= self._update_person(helper, row.helper)
            if not self.helpers.get(helper.id, False):
                self._helper_profile(helper.id, row.helper_profile.role)
                changed = True
            if (elder.id, helper.id) not in self.pairs:
                self._pairing(row, elder.id, helper.id)
                changed = True
        if elder.id in self.created:
            return "imported" if changed else "skipped_duplicates"
        return "updated" if changed else "skipped_duplicates"

    def _sync(self) -> dict[str, Any]:
        return sync_columns(self.actor.owner_code, self.actor.origin, self.actor.operator, self.now)

    def _new_person(
        self, p: CleanPerson, note: str = "", registered_on: date | None = None
    ) -> Known:
        household = self._sync() | {
            "name": f"{p.name}户",
            "card_no": "",
            "address": p.address,
            "group_name": p.group_name,
        }
        self.inserts[Household].append(household)
        initials, full = name_pinyin(p.name)
        row = self._sync() | {
            "name": p.name,
            "name_initials": initials,
            "name_pinyin": full,
            "gender": p.gender,
            "birth_date": p.birth_date,
            "birth_year": p.birth_year,
            "id_number": p.id_number,
            "phone": p.phone,
            "address": p.address,
            "group_name": p.group_name,
            "household_id": household["id"],
            "status": vocab.ACTIVE_STATUS,
            "status_date": None,
            "note": note[:500],
            "registered_on": registered_on or self.today,
        }
        self._insert(Person, row, row["id"])
        known = Known(
            row["id"],
            p.name,
            p.gender,
            p.birth_year,
            p.group_name,
            p.address,
            p.id_number,
            {k: row[k] for k in ("phone", "address", "group_name", "id_number", "birth_date")},
        )
        self._remember(known)
        self.created.add(known.id)
        self.claimed.add(known.id)
        return known

    def _update_person(self, k: Known, p: CleanPerson) -> bool:
        wanted = {"phone": p.phone, "address": p.address, "group_name": p.group_name}
        # The first row that names a person in this file sets their values; a later row that
        # disagrees only fills what is still empty (so importing the file again changes nothing).
        overwrite = k.id not in self.claimed
        self.claimed.add(k.id)
        changes: dict[str, Any] = {
            key: v
            for key, v in wanted.items()
            if v and v != k.values.get(key) and (overwrite or not k.values.get(key))
        }
        if p.id_number and not k.values.get("id_number"):
            changes["id_number"] = p.id_number
        if p.birth_date and not k.values.get("birth_date"):
            changes["birth_date"] = p.birth_date
        if not changes:
            return False
        k.values.update(changes)
        if "id_number" in changes:
            k.id_number = p.id_number
            self.by_id_number[p.id_number or ""] = k
        self._touch(Person, "id", k.id, changes)
        return True

    def _touch(self, table: type, key_col: str, key: str, values: dict[str, Any]) -> None:
        pending = self.pending.get((table, key))
        if pending is not None:  # created by an earlier row of this file: change the insert
            pending.update(values)
        else:
            self.updates.append((table, key_col, key, values))

    def _insert(self, table: type, row: dict[str, Any], key: str | None = None) -> None:
        self.inserts[table].append(row)
        if key is not None:
            self.pending[(table, key)] = row

    def _elder_profile(self, person_id: str, e: CleanElder) -> bool:
        new = {
            "elder_types": vocab.join_list(e.elder_types, vocab.ELDER_TYPES),
            "living": e.living,
            "health": e.health,
            "disability_grade": e.disability_grade,
            "has_children": e.has_children,
        }
        old = self.elders.get(person_id)
        if old is None or old["deleted"]:
            tags = vocab.join_list(e.tags, vocab.ELDER_TAGS)
            mark = old["special_reason"] if old is not None else ""  # a sheet has no mark
            row = (
                self._sync()
                | new
                | {
                    "person_id": person_id,
                    "tags": tags,
                    "care_tier": "",
                    "emergency_contact": "",
                    "emergency_phone": "",
                    "medical_notes": "",
                    "special_reason": mark,
                    "is_special": vocab.is_special_elder(
                        e.elder_types, e.disability_grade, e.living, mark
                    ),
                }
            )
            self._elder_spell(person_id, row, self._registered(person_id))
            if old is None:
                self._insert(ElderProfile, row, person_id)
            else:
                self.updates.append(
                    (
                        ElderProfile,
                        "person_id",
                        person_id,
                        {k: row[k] for k in (*new, "tags", "is_special")} | {"deleted_at": None},
                    )
                )
            self.elders[person_id] = new | {
                "tags": tags,
                "deleted": False,
                "special_reason": mark,
            }
            self.claimed.add(("elder", person_id))  # later rows of this file only fill gaps
            return True
        overwrite = ("elder", person_id) not in self.claimed
        self.claimed.add(("elder", person_id))
        changes: dict[str, Any] = {
            k: v
            for k, v in new.items()
            if v is not None
            and v != ""
            and v != old.get(k)
            and (overwrite or old.get(k) in (None, ""))
        }
        merged = set(vocab.split_list(old["tags"])) | set(e.tags)
        if merged != set(vocab.split_list(old["tags"])):
            changes["tags"] = vocab.join_list(sorted(merged), vocab.ELDER_TAGS)
        if not changes:
            return False
        old.update(changes)
        types = vocab.split_list(old["elder_types"])
        changes["is_special"] = vocab.is_special_elder(
            types, old["disability_grade"], old["living"], old["special_reason"]
        )
        self._touch(ElderProfile, "person_id", person_id, changes)
        if set(changes) - {"tags"}:  # what the figures count changed: history from today
            self._elder_spell(person_id, old | {"is_special": changes["is_special"]}, self.today)
        return True

    def _registered(self, person_id: str) -> date | None:
        """A person this file created: from their 登记日期; one already here: from today."""
        pending = self.pending.get((Person, person_id))
        return pending["registered_on"] if pending is not None else self.today

    def _elder_spell(self, person_id: str, values: dict[str, Any], day: date | None) -> None:
        k = self.people[person_id]
        self.inserts[ElderSpell].append(
            self._sync()
            | {
                "person_id": person_id,
                "effective_on": day,
                "elder_types": values["elder_types"],
                "disability_grade": values["disability_grade"],
                "living": values["living"],
                "health": values["health"],
                "group_name": k.values.get("group_name") or k.group,
                "is_special": bool(values["is_special"]),
                "special_reason": values.get("special_reason", ""),
            }
        )

    def _helper_spell(self, person_id: str, role: str, day: date | None) -> None:
        self.inserts[HelperSpell].append(
            self._sync()
            | {
                "person_id": person_id,
                "effective_on": day,
                "role": role,
                "organisation": "",
                "in_post": True,
            }
        )

    def _helper_profile(self, person_id: str, role: str) -> None:
        self._helper_spell(person_id, role, self._registered(person_id))
        if person_id in self.helpers:  # a helper who had left comes back
            self.updates.append(
                (
                    HelperProfile,
                    "person_id",
                    person_id,
                    {"active": True, "until": None, "role": role},
                )
            )
        else:
            self.inserts[HelperProfile].append(
                self._sync()
                | {
                    "person_id": person_id,
                    "role": role,
                    "organisation": "",
                    "active": True,
                    "since": self.today,
                    "until": None,
                    "health": "",
                }
            )
        self.helpers[person_id] = True

    def _pairing(self, row: ParsedRow, elder_id: str, helper_id: str) -> None:
        pairing = self._sync() | {
            "kind": row.pairing_kind,
            "label": "",
            "start_date": row.pairing_start,
            "end_date": None,
            "end_reason": "",
            "plan": vocab.PAIRING_PLANS[row.pairing_kind],
            "period_days": vocab.PAIRING_PERIOD_DAYS[row.pairing_kind],
        }
        self.inserts[Pairing].append(pairing)
        for person_id, role in ((elder_id, "elder"), (helper_id, "helper")):
            self.inserts[PairingMember].append(
                self._sync() | {"pairing_id": pairing["id"], "person_id": person_id, "role": role}
            )
        self.pairs.add((elder_id, helper_id))

    # --- writing ----------------------------------------------------------------------------

    def write(self, session: Session) -> None:
        tables: tuple[type, ...] = (
            Household,
            Person,
            ElderProfile,
            HelperProfile,
            ElderSpell,
            HelperSpell,
            Pairing,
            PairingMember,
        )
        for table in tables:
            rows = self.inserts.get(table)
            if rows:
                insert_rows(session, table, rows)
        for table, key_col, key, values in self.updates:
            column = getattr(table, key_col)
            session.execute(
                update(table)
                .where(column == key)
                .values(
                    **values,
                    rev=getattr(table, "rev") + 1,  # noqa: B009 - any synced table
                    updated_at=self.now,
                    updated_by=self.actor.operator,
                    origin=self.actor.origin,
                )
            )
