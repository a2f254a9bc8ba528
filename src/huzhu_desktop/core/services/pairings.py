"""结对帮扶 — pair helpers with elders: 一对一 for 特殊老人, 划片式 groups led by a 小组长.

A pairing has a start, and when it ends an end date and reason; history is kept (ended pairings
stay). An elder may have more than one active pairing. Unusual choices give warnings, not blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session, col

from huzhu_desktop.core import clock, vocab
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.errors import NotFoundError, ValidationError
from huzhu_desktop.core.models import (
    ElderProfile,
    HelperProfile,
    Pairing,
    PairingMember,
    Person,
    table_of,
)
from huzhu_desktop.core.services.audit import record_audit, touch
from huzhu_desktop.core.services.permissions import requires
from huzhu_desktop.core.validate import FieldError, clean, parse_date

DEFAULT_MAX_ELDERS_PER_HELPER = 5


@dataclass
class PairingForm:
    kind: str = vocab.ONE_TO_ONE
    elder_ids: list[str] = field(default_factory=list)
    helper_ids: list[str] = field(default_factory=list)
    start_date: str = ""
    plan: str = ""
    period_days: int | None = None
    label: str = ""


@dataclass
class PairingSaved:
    pairing: Pairing
    warnings: list[str]


@requires("records")
def create_pairing(
    form: PairingForm,
    *,
    session: Session,
    actor: Actor,
    today: date | None = None,
    max_elders_per_helper: int = DEFAULT_MAX_ELDERS_PER_HELPER,
) -> PairingSaved:
    today = today or clock.today()
    errors: dict[str, str] = {}
    if form.kind not in vocab.PAIRING_KINDS:
        errors["kind"] = "结对方式只能是一对一或划片式"
    elders = _people(session, form.elder_ids, ElderProfile, errors, "elders", "被帮扶老人")
    helpers = _people(session, form.helper_ids, HelperProfile, errors, "helpers", "帮扶人")
    if form.kind == vocab.ONE_TO_ONE and (len(form.elder_ids) != 1 or len(form.helper_ids) != 1):
        errors.setdefault("elders", "“一对一”结对只能是一位帮扶人对一位老人")
    if set(form.elder_ids) & set(form.helper_ids):
        errors["helpers"] = "同一个人不能既是这个结对的老人又是帮扶人"
    try:
        start = parse_date(form.start_date, today=today) if clean(form.start_date) else today
    except FieldError as exc:
        errors["start_date"] = str(exc)
        start = today
    period = form.period_days or vocab.PAIRING_PERIOD_DAYS.get(form.kind, 30)
    if not 1 <= period <= 366:
        errors["period_days"] = "走访间隔应在1到366天之间"
    if not errors:
        for e in elders:
            for h in helpers:
                if _active_pair_exists(session, e.id, h.id, start):
                    errors["helpers"] = f"{h.name}与{e.name}已经有一个进行中的结对"
    if errors:
        raise ValidationError(errors)
    warnings = _warnings(session, form.kind, elders, helpers, today, max_elders_per_helper)
    pairing = Pairing(
        owner_code=actor.owner_code,
        origin=actor.origin,
        updated_by=actor.operator,
        kind=form.kind,
        label=clean(form.label)[:60],
        start_date=start,
        plan=clean(form.plan) or vocab.PAIRING_PLANS[form.kind],
        period_days=period,
    )
    session.add(pairing)
    session.flush()
    for people, role in ((elders, "elder"), (helpers, "helper")):
        for p in people:
            session.add(
                PairingMember(
                    owner_code=actor.owner_code,
                    origin=actor.origin,
                    updated_by=actor.operator,
                    pairing_id=pairing.id,
                    person_id=p.id,
                    role=role,
                )
            )
    names = "、".join(p.name for p in helpers) + " → " + "、".join(p.name for p in elders)
    record_audit(session, actor, f"新建{form.kind}结对", "pairing", pairing.id, names)
    return PairingSaved(pairing, warnings)


@requires("records")
def end_pairing(
    pairing_id: str,
    end_date: str | date,
    reason: str,
    *,
    session: Session,
    actor: Actor,
    today: date | None = None,
) -> Pairing:
    pairing = session.get(Pairing, pairing_id)
    if pairing is None or pairing.deleted_at is not None:
        raise NotFoundError("找不到这个结对。", detail=pairing_id)
    errors: dict[str, str] = {}
    if pairing.end_date is not None:
        errors["end_date"] = f"这个结对已在{pairing.end_date.isoformat()}结束"
    try:
        when = parse_date(end_date, today=today or clock.today())
        if when < pairing.start_date:
            errors["end_date"] = "结束日期不能早于开始日期"
    except FieldError as exc:
        errors["end_date"] = str(exc)
        when = pairing.start_date
    if not clean(reason):
        errors["end_reason"] = "请写明结束原因（如：帮扶人外出务工、老人去世）"
    if errors:
        raise ValidationError(errors)
    pairing.end_date, pairing.end_reason = when, clean(reason)[:200]
    touch(pairing, actor)
    record_audit(session, actor, "结束结对", "pairing", pairing.id, pairing.end_reason)
    return pairing


def _people(
    session: Session,
    ids: list[str],
    profile: type[ElderProfile] | type[HelperProfile],
    errors: dict[str, str],
    key: str,
    label: str,
) -> list[Person]:
    if not ids:
        errors[key] = f"请选择{label}"
        return []
    found = []
    for pid in ids:
        person = session.get(Person, pid)
        prof = session.execute(
            select(profile).where(col(profile.person_id) == pid)
        ).scalar_one_or_none()
        if person is None or person.deleted_at is not None:
            errors[key] = f"找不到所选的{label}"
        elif person.status != vocab.ACTIVE_STATUS:
            errors[key] = f"{person.name}已{person.status}，不能结对"
        elif (
            prof is None
            or getattr(prof, "deleted_at", None) is not None
            or (profile is HelperProfile and not prof.active)
        ):
            errors[key] = f"{person.name}没有登记为{label}"
        else:
            found.append(person)
    return found


def _active_pair_exists(session: Session, elder_id: str, helper_id: str, on: date) -> bool:
    e, h = table_of(PairingMember).alias(), table_of(PairingMember).alias()
    stmt = (
        select(func.count())
        .select_from(e)
        .join(h, h.c.pairing_id == e.c.pairing_id)
        .join(Pairing, col(Pairing.id) == e.c.pairing_id)
        .where(
            e.c.person_id == elder_id,
            e.c.role == "elder",
            h.c.person_id == helper_id,
            h.c.role == "helper",
            col(Pairing.deleted_at).is_(None),
            (col(Pairing.end_date).is_(None)) | (col(Pairing.end_date) >= on),
        )
    )
    return bool(session.execute(stmt).scalar_one())


def helper_load(session: Session, helper_id: str, today: date) -> int:
    """How many elders a helper looks after in active pairings."""
    e, h = table_of(PairingMember).alias(), table_of(PairingMember).alias()
    stmt = (
        select(func.count(func.distinct(e.c.person_id)))
        .select_from(h)
        .join(e, e.c.pairing_id == h.c.pairing_id)
        .join(Pairing, col(Pairing.id) == h.c.pairing_id)
        .where(
            h.c.person_id == helper_id,
            h.c.role == "helper",
            e.c.role == "elder",
            col(Pairing.deleted_at).is_(None),
            col(Pairing.start_date) <= today,
            (col(Pairing.end_date).is_(None)) | (col(Pairing.end_date) >= today),
        )
    )
    return int(session.execute(stmt).scalar_one())


def _warnings(
    session: Session,
    kind: str,
    elders: list[Person],
    helpers: list[Person],
    today: date,
    limit: int,
) -> list[str]:
    warnings = []
    for h in helpers:
        load = helper_load(session, h.id, today) + len(elders)
        if load > limit:
            warnings.append(f"{h.name}结对后将帮扶{load}位老人，超过建议的{limit}位")
        profile = session.execute(
            select(ElderProfile).where(
                col(ElderProfile.person_id) == h.id, col(ElderProfile.deleted_at).is_(None)
            )
        ).scalar_one_or_none()
        if profile is not None and profile.health in (vocab.DEPENDENT, vocab.PARTLY_DEPENDENT):
            warnings.append(f"{h.name}本人是{profile.health}老人，能否承担帮扶请再核实")
    if kind == vocab.AREA_GROUP:
        for e in elders:
            profile = session.execute(
                select(ElderProfile).where(col(ElderProfile.person_id) == e.id)
            ).scalar_one()
            if profile.is_special:
                warnings.append(f"{e.name}是特殊老人，按方案应有“一对一”结对帮扶")
    return warnings
