"""Generate the rows of a demo village: people, households, profiles, care points, pairings.

Proportions follow what 渝北 villages report: most elders 60–80, about a fifth living alone,
a few per cent 分散特困 / 失独 / 重残, most self-caring. Everything comes from one seeded RNG.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from huzhu_desktop.core import vocab
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.demo import names
from huzhu_desktop.core.pinyin import name_pinyin
from huzhu_desktop.core.validate import id_check_char

Row = dict[str, Any]
AREA_CODE = "500112"


@dataclass
class DemoVillage:
    people: list[Row] = field(default_factory=list)
    households: list[Row] = field(default_factory=list)
    elder_profiles: list[Row] = field(default_factory=list)
    helpers: list[Row] = field(default_factory=list)
    status_changes: list[Row] = field(default_factory=list)
    care_points: list[Row] = field(default_factory=list)
    pairings: list[Row] = field(default_factory=list)
    pairing_members: list[Row] = field(default_factory=list)
    visits: list[Row] = field(default_factory=list)
    visit_members: list[Row] = field(default_factory=list)
    requests: list[Row] = field(default_factory=list)
    elder_spells: list[Row] = field(default_factory=list)
    helper_spells: list[Row] = field(default_factory=list)


class _Builder:
    def __init__(self, actor: Actor, seed: int, years: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.actor, self.years, self.today = actor, years, today
        self.stamp = datetime.combine(today, datetime.min.time(), tzinfo=timezone.utc)
        self.v = DemoVillage()
        self.surnames = [s for s, _ in names.SURNAMES]
        self.surname_weights = [w for _, w in names.SURNAMES]
        self.id_seq = 0

    # --- primitives ------------------------------------------------------------------------

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def sync(self) -> Row:
        return {
            "id": self.uid(),
            "owner_code": self.actor.owner_code,
            "created_at": self.stamp,
            "updated_at": self.stamp,
            "updated_by": self.actor.operator,
            "origin": self.actor.origin,
            "rev": 1,
            "deleted_at": None,
        }

    def name(self, gender: str, surname: str | None = None) -> str:
        r = self.rng
        surname = surname or r.choices(self.surnames, self.surname_weights)[0]
        chars = names.MALE_CHARS if gender == "男" else names.FEMALE_CHARS
        given = r.choice(chars) if r.random() < 0.15 else "".join(r.sample(chars, 2))
        return surname + given

    def birth(self, min_age: int, max_age: int) -> date:
        age = self.rng.randint(min_age, max_age)
        return self.today.replace(year=self.today.year - age, month=1, day=1) - timedelta(
            days=self.rng.randint(-364, 0)
        )

    def id_number(self, birth: date, gender: str) -> str:
        self.id_seq = (self.id_seq + 1) % 500
        seq = self.id_seq * 2 + (1 if gender == "男" else 0)
        first17 = f"{AREA_CODE}{birth:%Y%m%d}{seq:03d}"
        return first17 + id_check_char(first17)

    def phone(self, landline_share: float = 0.2, none_share: float = 0.1) -> str:
        r = self.rng.random()
        if r < none_share:
            return ""
        if r < none_share + landline_share:
            return f"023-6{self.rng.randint(0, 9999999):07d}"
        return f"1{self.rng.choice('3578')}{self.rng.randint(0, 999999999):09d}"

    def address(self, group: str) -> str:
        return f"{group}{self.rng.choice(names.PLACES)}{self.rng.randint(1, 60)}号"

    def past_date(self) -> date:
        return self.today - timedelta(days=self.rng.randint(0, 365 * self.years - 1))

    # --- people ----------------------------------------------------------------------------

    def household(self, head_name: str, group: str, address: str) -> str:
        row = self.sync() | {
            "name": f"{head_name}户",
            "address": address,
            "group_name": group,
            "card_no": f"HZ{len(self.v.households) + 1:05d}",
        }
        self.v.households.append(row)
        return str(row["id"])

    def person(
        self,
        name: str,
        gender: str,
        birth: date,
        group: str,
        address: str,
        household_id: str,
        phone: str,
    ) -> Row:
        initials, full = name_pinyin(name)
        has_id = self.rng.random() < 0.85
        row = self.sync() | {
            "name": name,
            "name_initials": initials,
            "name_pinyin": full,
            "gender": gender,
            "birth_date": birth if has_id or self.rng.random() < 0.5 else None,
            "birth_year": birth.year,
            "id_number": self.id_number(birth, gender) if has_id else None,
            "phone": phone,
            "address": address,
            "group_name": group,
            "household_id": household_id,
            "status": vocab.ACTIVE_STATUS,
            "status_date": None,
            "note": "",
            "registered_on": None,  # in the register since before the app kept it
        }
        self.v.people.append(row)
        return row

    def elder_profile(self, person: Row, living: str) -> Row:
        r = self.rng
        age = self.today.year - person["birth_year"]
        types: list[str] = []
        grade = None
        roll = r.random()
        if roll < 0.05:
            types.append("分散特困")
            living = "独居" if r.random() < 0.8 else living
        elif roll < 0.07:
            types.append("失独")
        if r.random() < 0.11:
            types.append("低保")
        if r.random() < 0.10:
            types.append("残疾")
            grade = r.choices(vocab.DISABILITY_GRADES, (15, 25, 30, 30))[0]
        if r.random() < 0.03:
            types.append("优抚")
        if not types:
            types.append("其他")
        frail = 0.05 + max(0, age - 70) * 0.012
        health = r.choices(vocab.HEALTH, (1 - frail * 2.2, frail * 1.5, frail * 0.7))[0]
        no_children = "分散特困" in types or "失独" in types or r.random() < 0.06
        tags = []
        if living in ("独居", "双居") and not no_children:
            tags.append("空巢")
        if r.random() < 0.1 and not no_children:
            tags.append("留守")
        if "失独" in types:
            tags.append("计划生育特殊家庭")
        special = vocab.is_special_elder(types, grade, living)
        tier = "高风险" if special else ("重点" if health != "自理" and age >= 80 else "")
        contact = ""
        if not no_children:
            relation = r.choice(names.EMERGENCY_RELATIONS)
            contact = f"{self.name(r.choice('男女'), person['name'][0])}（{relation}）"
        row = self.sync() | {
            "person_id": person["id"],
            "elder_types": vocab.join_list(types, vocab.ELDER_TYPES),
            "disability_grade": grade,
            "living": living,
            "health": health,
            "has_children": not no_children,
            "tags": vocab.join_list(tags, vocab.ELDER_TAGS),
            "care_tier": tier,
            "emergency_contact": contact,
            "emergency_phone": self.phone(0.0, 0.0) if contact else "",
            "medical_notes": r.choice(("", "", "", "高血压", "糖尿病", "青霉素过敏", "慢阻肺")),
            "is_special": special,
            "special_reason": "",
        }
        self.v.elder_profiles.append(row)
        return row

    def elders(self, count: int, groups: list[str]) -> None:
        r = self.rng
        while len(self.v.elder_profiles) < count:
            group = r.choice(groups)
            address = self.address(group)
            living = r.choices(vocab.LIVING, (22, 45, 29, 3, 1))[0]
            first_gender = r.choice("男女")
            first = self.name(first_gender)
            household_id = self.household(first, group, address)
            members = [(first, first_gender)]
            if living == "双居" and len(self.v.elder_profiles) + 1 < count:
                other = "女" if first_gender == "男" else "男"
                members.append((self.name(other), other))
            birth0 = self.birth(60, 96)
            for i, (name, gender) in enumerate(members):
                birth = birth0 if i == 0 else birth0 + timedelta(days=r.randint(-1500, 1500))
                birth = min(birth, self.today.replace(year=self.today.year - 60))
                person = self.person(
                    name,
                    gender,
                    birth,
                    group,
                    address,
                    household_id,
                    self.phone() if i == 0 else "",
                )
                self.elder_profile(person, living)

    def status_history(self) -> None:
        r = self.rng
        for person in r.sample(self.v.people, max(1, len(self.v.people) // 50)):
            to = r.choice(("去世", "去世", "迁出"))
            when = self.past_date()
            person.update(status=to, status_date=when)
            reason = "病故" if to == "去世" else "随子女迁往主城"
            self.v.status_changes.append(
                self.sync()
                | {
                    "person_id": person["id"],
                    "from_status": vocab.ACTIVE_STATUS,
                    "to_status": to,
                    "effective_on": when,
                    "reason": reason,
                }
            )

    def helper_rows(self, count: int, groups: list[str]) -> dict[str, list[Row]]:
        r = self.rng
        roles = ["养老专干"] + ["社工"] * 2 + ["养老助理"] * 3 + ["互助养老小组长"] * len(groups)
        roles += ["志愿者"] * max(0, count - len(roles))
        by_role: dict[str, list[Row]] = {}
        young_elders = [
            p
            for p in self.v.people
            if self.today.year - p["birth_year"] <= 69 and p["status"] == "在册"
        ]
        r.shuffle(young_elders)
        for i, role in enumerate(roles[:count]):
            group = groups[i % len(groups)]
            if role in ("志愿者", "养老助理") and young_elders and r.random() < 0.25:
                person = young_elders.pop()  # a 低龄老人 who both receives and gives help
            else:
                gender = r.choice("男女")
                birth = self.birth(28 if role == "社工" else 38, 72)
                name = self.name(gender)
                address = self.address(group)
                person = self.person(
                    name,
                    gender,
                    birth,
                    group,
                    address,
                    self.household(name, group, address),
                    self.phone(0.0, 0.0),
                )
            org = r.choice(names.SOCIAL_WORK_ORGS) if role == "社工" else ""
            row = self.sync() | {
                "person_id": person["id"],
                "role": role,
                "organisation": org,
                "active": True,
                "since": self.past_date(),
                "until": None,
                # no RNG drawn: 健康 under 65, 一般 from 65 on
                "health": "健康" if self.today.year - person["birth_year"] < 65 else "一般",
            }
            self.v.helpers.append(row)
            by_role.setdefault(role, []).append(person | {"helper_since": row["since"]})
        return by_role

    def mark_by_judgment(self) -> None:
        """The clerk's 特殊老人 mark: the first 留守 elder living alone who is not special by the
        rule is marked, with a reason (no RNG drawn: the rest of the demo stays as it was)."""
        living_people = {p["id"] for p in self.v.people if p["status"] == vocab.ACTIVE_STATUS}
        for e in self.v.elder_profiles:
            if (
                not e["is_special"]
                and e["person_id"] in living_people
                and e["living"] == vocab.ALONE
                and "留守" in vocab.split_list(e["tags"])
            ):
                e["special_reason"] = "留守老人独居，子女长期在外务工"
                e["is_special"] = True
                return

    def first_spells(self) -> None:
        """Each profile's history starts with it (no RNG drawn: the demo stays as it was)."""
        group = {p["id"]: p["group_name"] for p in self.v.people}
        for e in self.v.elder_profiles:
            self.v.elder_spells.append(
                _spell_of(
                    self,
                    e,
                    {
                        "effective_on": None,
                        "elder_types": e["elder_types"],
                        "disability_grade": e["disability_grade"],
                        "living": e["living"],
                        "health": e["health"],
                        "group_name": group[e["person_id"]],
                        "is_special": e["is_special"],
                        "special_reason": e["special_reason"],
                    },
                )
            )
        for h in self.v.helpers:
            self.v.helper_spells.append(
                _spell_of(
                    self,
                    h,
                    {
                        "effective_on": h["since"],
                        "role": h["role"],
                        "organisation": h["organisation"],
                        "in_post": True,
                    },
                )
            )

    def care_point_rows(self, groups: list[str], org_name: str) -> None:
        opened = self.today - timedelta(days=365 * self.years + 30)
        self.v.care_points.append(
            self.sync()
            | {
                "name": f"{org_name}互助养老中心点",
                "kind": "中心点",
                "address": f"{org_name}村民委员会",
                "group_name": groups[0],
                "opened_on": opened,
                "closed_on": None,
            }
        )
        group = groups[len(groups) // 2]
        self.v.care_points.append(
            self.sync()
            | {
                "name": f"{group}互助养老分点",
                "kind": "分点",
                "address": self.address(group),
                "group_name": group,
                "opened_on": opened + timedelta(days=60),
                "closed_on": None,
            }
        )

    def pairing(
        self,
        kind: str,
        start: date,
        elders: list[Row],
        helpers: list[Row],
        end: date | None = None,
        end_reason: str = "",
        label: str = "",
    ) -> None:
        row = self.sync() | {
            "kind": kind,
            "label": label,
            "start_date": start,
            "end_date": end,
            "end_reason": end_reason,
            "plan": vocab.PAIRING_PLANS[kind],
            "period_days": vocab.PAIRING_PERIOD_DAYS[kind],
        }
        self.v.pairings.append(row)
        for role, people in (("elder", elders), ("helper", helpers)):
            for person in people:
                self.v.pairing_members.append(
                    self.sync() | {"pairing_id": row["id"], "person_id": person["id"], "role": role}
                )

    def pairings(self, by_role: dict[str, list[Row]], groups: list[str]) -> None:
        r = self.rng
        people = {p["id"]: p for p in self.v.people}
        volunteers = by_role.get("志愿者", []) + by_role.get("养老助理", [])
        special = [
            people[e["person_id"]]
            for e in self.v.elder_profiles
            if e["is_special"] and people[e["person_id"]]["status"] == "在册"
        ]
        unpaired_on_purpose = 2 if len(special) > 6 else 0
        for i, elder in enumerate(special[unpaired_on_purpose:]):
            near = [v for v in volunteers if v["group_name"] == elder["group_name"]] or volunteers
            if not near:
                break
            helper = r.choice(near)
            start = max(helper["helper_since"], self.past_date())
            if i < 3 and start > self.today - timedelta(days=60):
                start -= timedelta(days=90)
            if i < 3:  # a little history: an earlier helper who left
                earlier = r.choice(volunteers)
                self.pairing(
                    vocab.ONE_TO_ONE,
                    start - timedelta(days=180),
                    [elder],
                    [earlier],
                    end=start - timedelta(days=1),
                    end_reason="帮扶人外出务工",
                )
            self.pairing(vocab.ONE_TO_ONE, start, [elder], [helper])
        special_ids = {p["id"] for p in special}
        profiles = {e["person_id"]: e for e in self.v.elder_profiles}
        for leader in by_role.get("互助养老小组长", []):
            group = leader["group_name"]
            members = [
                p
                for p in self.v.people
                if p["group_name"] == group
                and p["id"] in profiles
                and p["id"] not in special_ids
                and p["status"] == "在册"
                and (
                    self.today.year - p["birth_year"] >= 80
                    or profiles[p["id"]]["living"] == "独居"
                    or "留守" in profiles[p["id"]]["tags"]
                )
            ][:12]
            if members:
                self.pairing(
                    vocab.AREA_GROUP,
                    max(leader["helper_since"], self.past_date()),
                    members,
                    [leader],
                    label=f"{group}互助养老小组",
                )

    def visit_rows(self) -> None:
        """Visits along every pairing's life: weekly-ish for 一对一, monthly for 划片 groups,
        with the gaps real villages have (a missed week, a helper away in the busy season)."""
        r = self.rng
        members: dict[str, dict[str, list[str]]] = {}
        for m in self.v.pairing_members:
            members.setdefault(m["pairing_id"], {}).setdefault(m["role"], []).append(m["person_id"])
        people = {p["id"]: p for p in self.v.people}
        for pairing in self.v.pairings:
            start = pairing["start_date"]
            end = min(pairing["end_date"] or self.today, self.today)
            helpers = members[pairing["id"]]["helper"]
            step = 7 if pairing["kind"] == vocab.ONE_TO_ONE else 30
            for elder_id in members[pairing["id"]]["elder"]:
                elder = people[elder_id]
                gone = elder["status_date"] if elder["status"] != "在册" else None
                day = start + timedelta(days=r.randint(0, step - 1))
                while day <= end and (gone is None or day <= gone):
                    if r.random() > 0.12:  # some visits never happen or never reach the clerk
                        self._visit(day, pairing, elder_id, r.choice(helpers))
                    day += timedelta(days=max(1, step + r.randint(-2, 3)))

    def _visit(self, day: date, pairing: Row, elder_id: str, helper_id: str) -> None:
        r = self.rng
        kind = r.choices(vocab.VISIT_KINDS, (25, 45, 25, 5))[0]
        services = r.sample(
            ("助洁", "助餐", "代办", "助医", "心理疏导", "理发剪指甲"), r.randint(0, 2)
        )
        if kind == "敲敲门":
            services, minutes = [], r.choice((10, 15, 20))
        else:
            minutes = r.choice((30, 45, 60, 60, 90, 120))
        row = self.sync() | {
            "visit_date": day,
            "duration_minutes": minutes,
            "kind": kind,
            "services": vocab.join_list(services, vocab.SERVICES),
            "note": "",
            "source": r.choices(("纸质", "电话", "卡片"), (70, 25, 5))[0],
            "confirmation": r.choices(vocab.CONFIRMATIONS, (60, 25, 15))[0],
            "pairing_id": pairing["id"],
        }
        self.v.visits.append(row)
        for person_id, role in ((elder_id, "elder"), (helper_id, "helper")):
            self.v.visit_members.append(
                self.sync() | {"visit_id": row["id"], "person_id": person_id, "role": role}
            )

    def request_rows(self) -> None:
        """A few 点单: one waiting, one assigned, one done by a visit."""
        r = self.rng
        is_elder = {e["person_id"] for e in self.v.elder_profiles}
        elders = [p for p in self.v.people if p["status"] == "在册" and p["id"] in is_elder]
        helpers = [h["person_id"] for h in self.v.helpers]
        if not elders or not helpers:
            return
        for status, service in (("待派单", "理发剪指甲"), ("已派单", "代办"), ("待派单", "助医")):
            elder = r.choice(elders)
            self.v.requests.append(
                self.sync()
                | {
                    "elder_id": elder["id"],
                    "service": service,
                    "status": status,
                    "wanted_on": self.today + timedelta(days=r.randint(1, 5)),
                    "helper_id": r.choice(helpers) if status == "已派单" else None,
                    "visit_id": None,
                    "note": "老人打电话到村委会点的" if service == "理发剪指甲" else "",
                }
            )


def _spell_of(b: _Builder, row: Row, fields: dict[str, Any]) -> Row:
    return b.sync() | {"person_id": row["person_id"], **fields}


def build_village(
    actor: Actor, *, elders: int, years: int, seed: int, today: date, org_name: str = "演示村"
) -> DemoVillage:
    b = _Builder(actor, seed, years, today)
    n_groups = max(6, min(40, elders // 40))
    groups = [f"{i}组" for i in range(1, n_groups + 1)]
    b.elders(elders, groups)
    b.status_history()
    helper_count = max(len(groups) + 8, round(elders * 0.4))
    by_role = b.helper_rows(helper_count, groups)
    b.care_point_rows(groups, org_name)
    b.pairings(by_role, groups)
    b.visit_rows()
    b.request_rows()
    b.mark_by_judgment()
    b.first_spells()
    return b.v
