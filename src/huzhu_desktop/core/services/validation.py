"""Turn raw form text into clean values, collecting a Chinese message per wrong field."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from huzhu_desktop.core import clock, vocab
from huzhu_desktop.core.errors import ValidationError
from huzhu_desktop.core.validate import (
    FieldError,
    clean,
    normalize_gender,
    normalize_name,
    normalize_phone,
    parse_date,
    parse_id_number,
)

if TYPE_CHECKING:
    from huzhu_desktop.core.services.people import ElderForm, HelperForm, PersonForm

MAX_AGE = 120
T = TypeVar("T")


@dataclass
class CleanPerson:
    name: str
    gender: str
    birth_date: date | None
    birth_year: int | None
    id_number: str | None
    phone: str
    address: str
    group_name: str
    household_id: str | None
    note: str


@dataclass
class CleanElder:
    elder_types: list[str]
    disability_grade: str | None
    living: str
    health: str
    has_children: bool | None
    tags: list[str]
    care_tier: str
    emergency_contact: str
    emergency_phone: str
    medical_notes: str
    special_reason: str = ""


@dataclass
class CleanHelper:
    role: str
    organisation: str
    since: date | None
    health: str = ""


def _field(
    errors: dict[str, str], name: str, fn: Callable[..., T], *args: Any, **kwargs: Any
) -> T | None:
    try:
        return fn(*args, **kwargs)
    except FieldError as exc:
        errors[name] = str(exc)
        return None


def _birth(raw: str, today: date) -> tuple[date | None, int | None]:
    s = clean(raw).replace(" ", "").rstrip("年")
    if not s:
        return None, None
    if re.fullmatch(r"\d{4}", s):
        year = int(s)
        if not today.year - MAX_AGE <= year <= today.year:
            raise FieldError(f"出生年份{year}不合理")
        return None, year
    d = parse_date(s, today=today)
    if d.year < today.year - MAX_AGE:
        raise FieldError("出生日期太早，请核对")
    return d, d.year


def clean_person(
    form: PersonForm, errors: dict[str, str], *, today: date, require_birth: bool = True
) -> CleanPerson | None:
    """`require_birth=False`: a helper named in a sheet that gives no age (the importer)."""
    name = _field(errors, "name", normalize_name, form.name)
    gender = (
        None if not clean(form.gender) else _field(errors, "gender", normalize_gender, form.gender)
    )
    birth = _field(errors, "birth_date", _birth, form.birth_date, today)
    birth_date, birth_year = birth if birth else (None, None)
    id_number = None
    if clean(form.id_number):
        info = _field(errors, "id_number", parse_id_number, form.id_number, today=today)
        if info is not None:
            id_number = info.number
            if birth_date and birth_date != info.birth_date:
                errors["birth_date"] = (
                    f"与身份证号码中的出生日期（{info.birth_date.isoformat()}）不一致"
                )
            elif birth_year and not birth_date and birth_year != info.birth_date.year:
                errors["birth_date"] = f"与身份证号码中的出生年份（{info.birth_date.year}）不一致"
            birth_date, birth_year = info.birth_date, info.birth_date.year
            if gender and gender != info.gender:
                errors["gender"] = f"与身份证号码显示的性别（{info.gender}）不一致"
            gender = gender or info.gender
    if not gender and "gender" not in errors:
        errors["gender"] = "请选择性别"
    if (
        require_birth
        and birth_year is None
        and "birth_date" not in errors
        and "id_number" not in errors
    ):
        errors["birth_date"] = "请填写出生日期或出生年份（或填写身份证号码）"
    phone = _field(errors, "phone", normalize_phone, form.phone) or ""
    address = clean(form.address)
    if len(address) > 120:
        errors["address"] = "住址太长（最多120个字）"
    group = clean(form.group_name)
    if len(group) > 30:
        errors["group_name"] = "组名太长（最多30个字）"
    if errors or name is None or gender is None:
        return None
    return CleanPerson(
        name,
        gender,
        birth_date,
        birth_year,
        id_number,
        phone,
        address,
        group,
        form.household_id,
        clean(form.note)[:500],
    )


def clean_elder(
    form: ElderForm, errors: dict[str, str], *, require_grade: bool = True
) -> CleanElder | None:
    """`require_grade=False` lets an imported 残疾 elder in without a grade (flagged instead)."""
    types = [clean(t) for t in form.elder_types if clean(t)]
    unknown = [t for t in types if t not in vocab.ELDER_TYPES]
    if unknown:
        errors["elder_types"] = f"不认识的老人类型：{'、'.join(unknown)}"
    elif not types:
        errors["elder_types"] = "请至少选择一种老人类型（没有特殊类型选“其他”）"
    grade = clean(form.disability_grade) or None
    if vocab.DISABLED in types and grade is None and require_grade:
        errors["disability_grade"] = "选择了“残疾”，请选择残疾等级（一级至四级）"
    elif grade is not None and grade not in vocab.DISABILITY_GRADES:
        errors["disability_grade"] = "残疾等级只能是一级、二级、三级或四级"
    if vocab.DISABLED not in types:
        grade = None
    living = clean(form.living)
    if living not in vocab.LIVING:
        errors["living"] = "请选择居住情况（独居、双居……）"
    health = clean(form.health)
    if health not in vocab.HEALTH:
        errors["health"] = "请选择健康状况（自理、半失能、失能）"
    children_text = clean(form.has_children)
    has_children: bool | None = {"有": True, "无": False, "": None}.get(children_text)
    if children_text not in ("有", "无", ""):
        errors["has_children"] = "子女情况只能是“有”或“无”"
    tags = [clean(t) for t in form.tags if clean(t)]
    if any(t not in vocab.ELDER_TAGS for t in tags):
        errors["tags"] = "不认识的老人情况标记"
    tier = clean(form.care_tier)
    if tier and tier not in vocab.CARE_TIERS:
        errors["care_tier"] = "关爱等级只能是高风险、重点或一般"
    emergency_phone = _field(errors, "emergency_phone", normalize_phone, form.emergency_phone) or ""
    if errors:
        return None
    return CleanElder(
        types,
        grade,
        living,
        health,
        has_children,
        tags,
        tier,
        clean(form.emergency_contact)[:30],
        emergency_phone,
        clean(form.medical_notes)[:200],
        clean(form.special_reason)[:60],
    )


def clean_helper(form: HelperForm, errors: dict[str, str], *, today: date) -> CleanHelper | None:
    role = clean(form.role)
    if role not in vocab.HELPER_ROLES:
        errors["role"] = "请选择帮扶人角色（养老专干、社工、养老助理、互助养老小组长、志愿者）"
    since = None
    if clean(form.since):
        since = _field(errors, "since", parse_date, form.since, today=today)
    health = clean(form.health)
    if health and health not in vocab.HELPER_HEALTH:
        errors["helper_health"] = f"身体状况只能是{'、'.join(vocab.HELPER_HEALTH)}"
    if errors:
        return None
    return CleanHelper(role, clean(form.organisation)[:60], since, health)


def clean_status_change(
    current: str, to_status: str, effective_on: str | date, reason: str, *, today: date | None
) -> tuple[date, str]:
    errors: dict[str, str] = {}
    if to_status not in vocab.PERSON_STATUSES:
        errors["status"] = f"状态只能是{'、'.join(vocab.PERSON_STATUSES)}"
    elif to_status == current:
        errors["status"] = f"此人当前已是“{current}”"
    when = _field(errors, "status_date", parse_date, effective_on, today=today or clock.today())
    if errors or when is None:
        raise ValidationError(errors)
    return when, clean(reason)[:200]
