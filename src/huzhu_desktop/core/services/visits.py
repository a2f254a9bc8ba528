"""走访记录 — visits and services done, usually typed in from paper slips in batches.

Edits keep their history: the row's rev goes up, who and when are recorded, and the audit log
holds what the row said before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from huzhu_desktop.core import clock, vocab
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.db.bulk import insert_rows
from huzhu_desktop.core.errors import NotFoundError, ValidationError
from huzhu_desktop.core.models import (
    ElderProfile,
    HelperProfile,
    Pairing,
    PairingMember,
    Person,
    Visit,
    VisitMember,
    sync_columns,
    utcnow,
)
from huzhu_desktop.core.services.audit import deletion_reason, record_audit, tombstone, touch
from huzhu_desktop.core.services.permissions import requires
from huzhu_desktop.core.services.visit_points import post_visit_points
from huzhu_desktop.core.validate import FieldError, clean, parse_date

MAX_MINUTES = 24 * 60
# A visit's fields as the grid, the dialog and the import's messages name them.
VISIT_FIELD_LABELS = {
    "visit_date": "日期",
    "duration_minutes": "时长",
    "kind": "方式",
    "helpers": "帮扶人",
    "elders": "老人",
    "services": "服务内容",
    "source": "来源",
}


def default_kind(pairing_kind: str | None, services: list[str] | tuple[str, ...] = ()) -> str:
    """The kind a slip is taken as when it names none: 帮帮忙 when it names a service done
    (每月帮帮忙), else 谈谈心 for a 一对一 pair (每周谈谈心), 入户探访 for a 划片式 group or an
    elder without a pairing."""
    if services:
        return vocab.HELP_OUT
    return vocab.TALK if pairing_kind == vocab.ONE_TO_ONE else vocab.HOME_VISIT


@dataclass
class VisitForm:
    visit_date: str | date = ""
    duration_minutes: str | int = ""
    kind: str = ""
    helper_ids: list[str] = field(default_factory=list)
    elder_ids: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    note: str = ""
    source: str = vocab.PAPER
    confirmation: str = ""


@dataclass
class CleanVisit:
    visit_date: date
    minutes: int
    kind: str
    helpers: list[Person]
    elders: list[Person]
    services: list[str]
    note: str
    source: str
    confirmation: str


def check_visit(
    form: VisitForm, *, session: Session, today: date | None = None, cache: Lookups | None = None
) -> CleanVisit:
    """Validate a visit; raises ValidationError naming each wrong field."""
    cache = cache or Lookups(session)
    today = today or clock.today()
    errors: dict[str, str] = {}
    when = today
    try:
        when = parse_date(form.visit_date, today=today)
    except FieldError as exc:
        errors["visit_date"] = str(exc).replace("日期不能晚于今天", "走访日期不能晚于今天")
    minutes = _minutes(form.duration_minutes, errors)
    if form.kind not in vocab.VISIT_KINDS:
        errors["kind"] = f"方式只能是{'、'.join(vocab.VISIT_KINDS)}"
    unknown = [s for s in form.services if s not in vocab.SERVICES]
    if unknown:
        errors["services"] = f"不认识的服务内容：{'、'.join(unknown)}"
    if form.source not in vocab.VISIT_SOURCES:
        errors["source"] = f"来源只能是{'、'.join(vocab.VISIT_SOURCES)}"
    if form.confirmation and form.confirmation not in vocab.CONFIRMATIONS:
        errors["confirmation"] = f"确认方式只能是{'、'.join(vocab.CONFIRMATIONS)}"
    helpers = cache.members(form.helper_ids, HelperProfile, "helpers", "帮扶人", errors)
    elders = cache.members(form.elder_ids, ElderProfile, "elders", "老人", errors)
    for person in elders + helpers:
        if (
            person.status != vocab.ACTIVE_STATUS
            and person.status_date
            and when > person.status_date
        ):
            key = "elders" if person in elders else "helpers"
            errors[key] = (
                f"{person.name}已于{person.status_date.isoformat()}{person.status}，"
                "走访日期不能在此之后"
            )
    if errors:
        raise ValidationError(errors)
    return CleanVisit(
        when,
        minutes,
        form.kind,
        helpers,
        elders,
        list(form.services),
        clean(form.note)[:500],
        form.source,
        form.confirmation,
    )


@requires("records")
def record_visit(
    form: VisitForm,
    *,
    session: Session,
    actor: Actor,
    today: date | None = None,
    cache: Lookups | None = None,
) -> Visit:
    cache = cache or Lookups(session)
    v = check_visit(form, session=session, today=today, cache=cache)
    visit = Visit(
        owner_code=actor.owner_code,
        origin=actor.origin,
        updated_by=actor.operator,
        visit_date=v.visit_date,
        duration_minutes=v.minutes,
        kind=v.kind,
    )
    _fill(visit, v, cache)
    session.add(visit)  # ids are made client-side: no flush needed before the members
    _set_members(session, visit, v, actor)
    names = "、".join(p.name for p in v.elders)
    record_audit(session, actor, "登记走访", "visit", visit.id, f"{v.visit_date} {names}")
    post_visit_points(session, actor, [visit.id])
    return visit


@requires("records")
def update_visit(
    visit_id: str, form: VisitForm, *, session: Session, actor: Actor, today: date | None = None
) -> Visit:
    visit = session.get(Visit, visit_id)
    if visit is None or visit.deleted_at is not None:
        raise NotFoundError("找不到这条走访记录。", detail=visit_id)
    cache = Lookups(session)
    v = check_visit(form, session=session, today=today, cache=cache)
    before = {
        "visit_date": visit.visit_date.isoformat(),
        "minutes": visit.duration_minutes,
        "kind": visit.kind,
        "services": visit.services,
        "note": visit.note,
        "rev": visit.rev,
    }
    visit.visit_date, visit.duration_minutes, visit.kind = v.visit_date, v.minutes, v.kind
    _fill(visit, v, cache)
    touch(visit, actor)
    _retire_members(session, visit.id, actor)
    _set_members(session, visit, v, actor)
    record_audit(
        session, actor, "修改走访", "visit", visit.id, json.dumps(before, ensure_ascii=False)
    )
    post_visit_points(session, actor, [visit.id])
    return visit


@requires("records")
def delete_visit(visit_id: str, *, session: Session, actor: Actor, reason: str = "") -> None:
    """Delete a visit typed in by mistake: it is kept as a tombstone (it travels to the town as
    deleted) and the points it earned are reversed in the same transaction."""
    visit = session.get(Visit, visit_id)
    if visit is None or visit.deleted_at is not None:
        raise NotFoundError("找不到这条走访记录。", detail=visit_id)
    reason = deletion_reason(reason)
    tombstone([visit], actor)
    _retire_members(session, visit.id, actor)
    record_audit(
        session, actor, "删除走访", "visit", visit.id, f"{visit.visit_date.isoformat()} {reason}"
    )
    post_visit_points(session, actor, [visit.id])


def _retire_members(session: Session, visit_id: str, actor: Actor) -> None:
    """Members replaced or deleted stay as tombstones, so the deletion travels in a bundle."""
    stmt = select(VisitMember).where(
        col(VisitMember.visit_id) == visit_id, col(VisitMember.deleted_at).is_(None)
    )
    tombstone(session.execute(stmt).scalars().all(), actor)
    session.flush()


def _fill(visit: Visit, v: CleanVisit, cache: Lookups) -> None:
    visit.services = vocab.join_list(v.services, vocab.SERVICES)
    visit.note, visit.source, visit.confirmation = v.note, v.source, v.confirmation
    visit.pairing_id = cache.pairing(v.elders[0].id, {h.id for h in v.helpers}, v.visit_date)


def _set_members(session: Session, visit: Visit, v: CleanVisit, actor: Actor) -> None:
    for people, role in ((v.elders, "elder"), (v.helpers, "helper")):
        for p in people:
            session.add(
                VisitMember(
                    owner_code=actor.owner_code,
                    origin=actor.origin,
                    updated_by=actor.operator,
                    visit_id=visit.id,
                    person_id=p.id,
                    role=role,
                )
            )


def _minutes(raw: str | int, errors: dict[str, str]) -> int:
    text = clean(raw).replace("分钟", "").replace("分", "")
    try:
        if text.endswith(("小时", "时", "h")):
            minutes = round(float(text.rstrip("小时h")) * 60)
        else:
            minutes = int(float(text))
    except ValueError:
        errors["duration_minutes"] = "时长请填分钟数，如 30（也可写 1.5小时）"
        return 0
    if minutes <= 0:
        errors["duration_minutes"] = "时长不能为0"
    elif minutes > MAX_MINUTES:
        errors["duration_minutes"] = "时长不能超过24小时"
    return minutes


class Lookups:
    """What validating and linking visits reads, fetched once per batch instead of per row."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._profiles: dict[type[ElderProfile] | type[HelperProfile], set[str]] = {}
        self._people: dict[str, Person | None] = {}
        self._pairings: dict[str, list[tuple[str, date, date | None, set[str]]]] | None = None

    def members(
        self,
        ids: list[str],
        profile: type[ElderProfile] | type[HelperProfile],
        key: str,
        label: str,
        errors: dict[str, str],
    ) -> list[Person]:
        if not ids:
            errors[key] = f"请选择{label}"
            return []
        known = self._profiles.get(profile)
        if known is None:
            stmt = select(col(profile.person_id)).where(col(profile.deleted_at).is_(None))
            known = self._profiles[profile] = set(self.session.execute(stmt).scalars())
        people = []
        for pid in ids:
            if pid not in self._people:
                with self.session.no_autoflush:  # pending visits need not be written to look
                    self._people[pid] = self.session.get(Person, pid)
            person = self._people[pid]
            if person is None or person.deleted_at is not None or pid not in known:
                errors[key] = f"所选的{label}不在名单中"
            else:
                people.append(person)
        return people

    def pairing(self, elder_id: str, helper_ids: set[str], on: date) -> str | None:
        """The pairing a visit belongs to: active that day, with this elder and a helper."""
        if self._pairings is None:
            self._pairings = _pairings_by_elder(self.session)
        best = None
        for pid, start, end, helpers in self._pairings.get(elder_id, []):
            active = start <= on and (end is None or end >= on) and helpers & helper_ids
            if active and (best is None or start > best[1]):
                best = (pid, start)
        return best[0] if best else None


def _pairings_by_elder(
    session: Session,
) -> dict[str, list[tuple[str, date, date | None, set[str]]]]:
    helpers: dict[str, set[str]] = {}
    elders: dict[str, list[str]] = {}
    stmt = select(
        col(PairingMember.pairing_id), col(PairingMember.person_id), col(PairingMember.role)
    ).where(col(PairingMember.deleted_at).is_(None))
    for pairing_id, person_id, role in session.execute(stmt):
        (
            helpers.setdefault(pairing_id, set()).add(person_id)
            if role == "helper"
            else elders.setdefault(pairing_id, []).append(person_id)
        )
    found: dict[str, list[tuple[str, date, date | None, set[str]]]] = {}
    for pid, start, end in session.execute(
        select(col(Pairing.id), col(Pairing.start_date), col(Pairing.end_date)).where(
            col(Pairing.deleted_at).is_(None)
        )
    ):
        for elder in elders.get(pid, []):
            found.setdefault(elder, []).append((pid, start, end, helpers.get(pid, set())))
    return found


@dataclass
class BatchOutcome:
    """One row of a batch: the saved visit's id, or the field errors that kept it back."""

    index: int
    visit_id: str | None
    errors: dict[str, str]


@requires("records")
def record_batch(
    forms: list[VisitForm], *, session: Session, actor: Actor, today: date | None = None
) -> list[BatchOutcome]:
    """Save every valid row of a stack of paper slips; wrong rows come back with their errors.

    One call is one transaction (the caller's): the saved rows land together or not at all.
    Rows go in through Core inserts — a stack of 1,000 slips is written in well under a second.
    """
    cache = Lookups(session)
    now = utcnow()
    visits: list[dict[str, object]] = []
    members: list[dict[str, object]] = []
    outcomes = []
    for i, form in enumerate(forms):
        try:
            v = check_visit(form, session=session, today=today, cache=cache)
        except ValidationError as exc:
            outcomes.append(BatchOutcome(i, None, exc.errors))
            continue
        row = sync_columns(actor.owner_code, actor.origin, actor.operator, now) | {
            "visit_date": v.visit_date,
            "duration_minutes": v.minutes,
            "kind": v.kind,
            "services": vocab.join_list(v.services, vocab.SERVICES),
            "note": v.note,
            "source": v.source,
            "confirmation": v.confirmation,
            "pairing_id": cache.pairing(v.elders[0].id, {h.id for h in v.helpers}, v.visit_date),
        }
        visits.append(row)
        for people, role in ((v.elders, "elder"), (v.helpers, "helper")):
            for p in people:
                members.append(
                    sync_columns(actor.owner_code, actor.origin, actor.operator, now)
                    | {"visit_id": row["id"], "person_id": p.id, "role": role}
                )
        outcomes.append(BatchOutcome(i, str(row["id"]), {}))
    if visits:
        insert_rows(session, Visit, visits)
        insert_rows(session, VisitMember, members)
        record_audit(session, actor, "批量登记走访", "visit", "", f"{len(visits)} 条")
        post_visit_points(session, actor, [str(r["id"]) for r in visits])
    return outcomes
