"""The register of people: elders (被帮扶老人) and helpers (帮扶人), their households and status.

Services take the session and the acting clerk as keyword arguments and never commit: the
caller owns the transaction (one user action = one transaction).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from sqlalchemy import select
from sqlmodel import Session, col

from huzhu_desktop.core import clock, vocab
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.errors import (
    DuplicatePersonError,
    NotFoundError,
    ValidationError,
)
from huzhu_desktop.core.models import (
    ElderProfile,
    HelperProfile,
    Household,
    Person,
    StatusChange,
    utcnow,
)
from huzhu_desktop.core.pinyin import name_pinyin
from huzhu_desktop.core.services.audit import record_audit, touch
from huzhu_desktop.core.services.history import record_elder_spell, record_helper_spell
from huzhu_desktop.core.services.permissions import requires
from huzhu_desktop.core.services.validation import (
    CleanElder,
    CleanHelper,
    CleanPerson,
    clean_elder,
    clean_helper,
    clean_person,
    clean_status_change,
)
from huzhu_desktop.core.validate import FieldError, clean, mask_id, mask_phone, parse_date

P = TypeVar("P", ElderProfile, HelperProfile)


@dataclass
class PersonForm:
    """What the clerk typed for a person (raw text; validated by the service)."""

    name: str = ""
    gender: str = ""
    birth_date: str = ""  # a date, or just the year ("1948")
    id_number: str = ""
    phone: str = ""
    address: str = ""
    group_name: str = ""
    household_id: str | None = None  # None: a new household named after the person
    note: str = ""
    registered_on: str = ""  # 登记日期; "" for a new person: today


@dataclass
class ElderForm:
    """被帮扶老人 details (附件2 columns plus what the towns ask for)."""

    elder_types: list[str] = field(default_factory=list)
    disability_grade: str = ""
    living: str = ""
    health: str = ""
    has_children: str = ""  # 有 / 无 / "" (unknown)
    tags: list[str] = field(default_factory=list)
    care_tier: str = ""
    emergency_contact: str = ""
    emergency_phone: str = ""
    medical_notes: str = ""
    special_reason: str = ""  # the clerk's 特殊老人 mark by judgment: why (empty: no mark)


@dataclass
class HelperForm:
    """帮扶人 details."""

    role: str = ""
    organisation: str = ""
    since: str = ""
    health: str = ""  # 身体状况 (vocab.HELPER_HEALTH)


@requires("records")
def save_person(
    form: PersonForm,
    elder: ElderForm | None,
    helper: HelperForm | None,
    *,
    session: Session,
    actor: Actor,
    person_id: str | None = None,
    allow_duplicate: bool = False,
    today: date | None = None,
    effective_on: str | date = "",
) -> Person:
    """Create or update a person with their elder and/or helper profile.

    A change to what the figures count (elder type, living, health, 组, role, in post) is kept
    as a spell in force from `effective_on` (default today; a correction of a mistake takes the
    登记日期), so that past periods come out as they were.

    Raises ValidationError (field → message) before anything is written, and
    DuplicatePersonError when a new person looks like one already registered.
    """
    today = today or clock.today()
    errors: dict[str, str] = {}
    person_data = clean_person(form, errors, today=today)
    registered = _optional_day(errors, "registered_on", form.registered_on, today)
    changed_from = _optional_day(errors, "effective_on", effective_on, today) or today
    elder_data = clean_elder(elder, errors) if elder is not None else None
    helper_data = clean_helper(helper, errors, today=today) if helper is not None else None
    if elder is None and helper is None:
        errors.setdefault("kind", "请至少登记为“被帮扶老人”或“帮扶人”之一")
    if errors:
        raise ValidationError(errors)
    assert person_data is not None

    person = _load_person(session, person_id) if person_id else None
    matches = find_duplicates(session, person_data, exclude_id=person_id)
    same_id = [m for m in matches if m["reason"] == "身份证号码相同"]
    if same_id:
        raise DuplicatePersonError(same_id)
    if matches and not allow_duplicate and person is None:
        raise DuplicatePersonError(matches)

    if person is None:
        person = Person(
            **actor.stamp(),
            name=person_data.name,
            gender=person_data.gender,
            registered_on=registered or today,
        )
        action = "新增人员"
        changed_from = person.registered_on or today  # a new record's first spell
    else:
        touch(person, actor)
        action = "修改人员"
        if registered is not None:
            person.registered_on = registered
    _apply_person(person, person_data, session=session, actor=actor)
    session.add(person)
    session.flush()
    _apply_elder(person, elder_data, session=session, actor=actor, effective_on=changed_from)
    _apply_helper(person, helper_data, session=session, actor=actor, today=changed_from)
    record_audit(session, actor, action, "person", person.id, person.name)
    return person


def find_duplicates(
    session: Session, data: CleanPerson, *, exclude_id: str | None = None
) -> list[dict[str, str]]:
    """People who are probably the same: same ID number, or same name + birth year + 组."""
    found: dict[str, dict[str, str]] = {}
    base = select(Person).where(col(Person.deleted_at).is_(None))
    if exclude_id:
        base = base.where(col(Person.id) != exclude_id)
    if data.id_number:
        for (p,) in session.execute(base.where(col(Person.id_number) == data.id_number)):
            found[p.id] = {"id": p.id, "name": p.name, "reason": "身份证号码相同"}
    if data.birth_year is not None:
        q = base.where(col(Person.name) == data.name, col(Person.group_name) == data.group_name)
        for (p,) in session.execute(q):
            if p.id not in found and p.birth_year == data.birth_year:
                found[p.id] = {"id": p.id, "name": p.name, "reason": "姓名、出生年份和组都相同"}
    return list(found.values())


@requires("records")
def change_status(
    person_id: str,
    to_status: str,
    effective_on: str | date,
    reason: str = "",
    *,
    session: Session,
    actor: Actor,
    today: date | None = None,
) -> StatusChange:
    """迁出 / 去世 / back to 在册: the person stays in the register with the history kept."""
    person = _load_person(session, person_id)
    when, why = clean_status_change(person.status, to_status, effective_on, reason, today=today)
    change = StatusChange(
        owner_code=actor.owner_code,
        origin=actor.origin,
        updated_by=actor.operator,
        person_id=person.id,
        from_status=person.status,
        to_status=to_status,
        effective_on=when,
        reason=why,
    )
    session.add(change)
    person.status = to_status
    person.status_date = when
    touch(person, actor)
    if to_status != vocab.ACTIVE_STATUS:
        helper = _profile(session, HelperProfile, person.id)
        if helper is not None and helper.active:
            helper.active = False
            helper.until = when
            touch(helper, actor)
            record_helper_spell(
                session,
                actor,
                person.id,
                helper.role,
                helper.organisation,
                in_post=False,
                effective_on=when + timedelta(days=1),
            )
    record_audit(session, actor, f"状态变更为{to_status}", "person", person.id, why)
    return change


def load_forms(
    session: Session, person_id: str
) -> tuple[PersonForm, ElderForm | None, HelperForm | None]:
    """The saved person as forms, for the edit dialog."""
    p = _load_person(session, person_id)
    birth = (
        p.birth_date.isoformat() if p.birth_date else (str(p.birth_year) if p.birth_year else "")
    )
    form = PersonForm(
        p.name,
        p.gender,
        birth,
        p.id_number or "",
        p.phone,
        p.address,
        p.group_name,
        p.household_id,
        p.note,
        p.registered_on.isoformat() if p.registered_on else "",
    )
    e = _profile(session, ElderProfile, p.id)
    elder = None
    if e is not None:
        children = "" if e.has_children is None else ("有" if e.has_children else "无")
        elder = ElderForm(
            vocab.split_list(e.elder_types),
            e.disability_grade or "",
            e.living,
            e.health,
            children,
            vocab.split_list(e.tags),
            e.care_tier,
            e.emergency_contact,
            e.emergency_phone,
            e.medical_notes,
            e.special_reason,
        )
    h = _profile(session, HelperProfile, p.id)
    helper = None
    if h is not None and h.active:
        since = h.since.isoformat() if h.since else ""
        helper = HelperForm(h.role, h.organisation, since, h.health)
    return form, elder, helper


# --- internals ---------------------------------------------------------------------------------


def _load_person(session: Session, person_id: str) -> Person:
    person = session.get(Person, person_id)
    if person is None or person.deleted_at is not None:
        raise NotFoundError("找不到这个人员，可能已被删除。", detail=person_id)
    return person


def _profile(session: Session, table: type[P], person_id: str) -> P | None:
    return session.execute(
        select(table).where(col(table.person_id) == person_id)
    ).scalar_one_or_none()


def _apply_person(person: Person, d: CleanPerson, *, session: Session, actor: Actor) -> None:
    initials, full = name_pinyin(d.name)
    person.name, person.name_initials, person.name_pinyin = d.name, initials, full
    person.gender, person.birth_date, person.birth_year = d.gender, d.birth_date, d.birth_year
    person.id_number, person.phone, person.address = d.id_number, d.phone, d.address
    person.group_name, person.note = d.group_name, d.note
    if d.household_id:
        household = session.get(Household, d.household_id)
        if household is None or household.deleted_at is not None:
            raise ValidationError({"household": "所选的户不存在"})
        person.household_id = household.id
    elif person.household_id is None:
        household = Household(
            owner_code=actor.owner_code,
            origin=actor.origin,
            updated_by=actor.operator,
            name=f"{d.name}户",
            address=d.address,
            group_name=d.group_name,
        )
        session.add(household)
        session.flush()
        person.household_id = household.id


def _optional_day(errors: dict[str, str], key: str, raw: str | date, today: date) -> date | None:
    if isinstance(raw, date):
        return raw
    if not clean(raw):
        return None
    try:
        return parse_date(raw, today=today)
    except FieldError as exc:
        errors[key] = str(exc)
        return None


def _apply_elder(
    person: Person,
    d: CleanElder | None,
    *,
    session: Session,
    actor: Actor,
    effective_on: date,
) -> None:
    profile = _profile(session, ElderProfile, person.id)
    before = (
        _spell_fields(profile, person.group_name) if profile and not profile.deleted_at else None
    )
    if d is None:
        if profile is not None and profile.deleted_at is None:
            profile.deleted_at = utcnow()
            touch(profile, actor)
        return
    if profile is None:
        profile = ElderProfile(
            owner_code=actor.owner_code,
            origin=actor.origin,
            updated_by=actor.operator,
            person_id=person.id,
        )
        session.add(profile)
    else:
        profile.deleted_at = None
        touch(profile, actor)
    profile.elder_types = vocab.join_list(d.elder_types, vocab.ELDER_TYPES)
    profile.disability_grade = d.disability_grade
    profile.living, profile.health, profile.has_children = d.living, d.health, d.has_children
    profile.tags = vocab.join_list(d.tags, vocab.ELDER_TAGS)
    profile.care_tier = d.care_tier
    profile.emergency_contact, profile.emergency_phone = d.emergency_contact, d.emergency_phone
    profile.medical_notes = d.medical_notes
    profile.special_reason = d.special_reason
    profile.is_special = vocab.is_special_elder(
        d.elder_types, d.disability_grade, d.living, d.special_reason
    )
    if _spell_fields(profile, person.group_name) != before:
        record_elder_spell(session, actor, profile, person.group_name, effective_on=effective_on)


def _spell_fields(profile: ElderProfile, group: str) -> tuple[object, ...]:
    """What an elder spell keeps: a change to any of these is history."""
    return (
        profile.elder_types,
        profile.disability_grade,
        profile.living,
        profile.health,
        group,
        profile.is_special,
        profile.special_reason,
    )


def _apply_helper(
    person: Person, d: CleanHelper | None, *, session: Session, actor: Actor, today: date
) -> None:
    profile = _profile(session, HelperProfile, person.id)
    if d is None:
        if profile is not None and profile.active:
            profile.active, profile.until = False, today
            touch(profile, actor)
            record_helper_spell(
                session,
                actor,
                person.id,
                profile.role,
                profile.organisation,
                in_post=False,
                effective_on=today + timedelta(days=1),  # `until` is the last day in post
            )
        return
    before = (profile.role, profile.organisation, profile.active) if profile else None
    if profile is None:
        profile = HelperProfile(
            owner_code=actor.owner_code,
            origin=actor.origin,
            updated_by=actor.operator,
            person_id=person.id,
            role=d.role,
        )
        session.add(profile)
    else:
        touch(profile, actor)
    profile.role, profile.organisation = d.role, d.organisation
    profile.health = d.health
    profile.since = d.since or profile.since or today
    profile.active, profile.until = True, None
    if (profile.role, profile.organisation, True) != before:
        record_helper_spell(
            session,
            actor,
            person.id,
            profile.role,
            profile.organisation,
            in_post=True,
            effective_on=profile.since if before is None else today,
        )


@requires("reveal")
def record_viewed(session: Session, actor: Actor, person_id: str) -> None:
    """Lists show 身份证号 and phones masked; opening a person's record shows them in full, and
    who opened it, when, is kept in the audit log (查看个人信息)."""
    record_audit(session, actor, "查看个人信息", "person", person_id, "显示完整身份证号和电话")


def masked(
    forms: tuple[PersonForm, ElderForm | None, HelperForm | None],
) -> tuple[PersonForm, ElderForm | None, HelperForm | None]:
    """A person's forms with 身份证号 and phones masked, for a role that may not see them."""
    person, elder, helper = forms
    shown = dataclasses.replace(
        person,
        id_number=mask_id(person.id_number) if person.id_number else "",
        phone=mask_phone(person.phone),
    )
    if elder is not None:
        elder = dataclasses.replace(elder, emergency_phone=mask_phone(elder.emergency_phone))
    return shown, elder, helper
