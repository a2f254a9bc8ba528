"""点单 — an elder asks for a service (000: 在“养老顾问”那边“点个单”，师傅就上门了).

待派单 → 已派单 (a helper is assigned) → 已完成 (linked to the visit that did it), or 已取消.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from huzhu_desktop.core import clock, vocab
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.db.bulk import flushed_connection
from huzhu_desktop.core.errors import NotFoundError, ValidationError
from huzhu_desktop.core.models import (
    ElderProfile,
    HelperProfile,
    Person,
    ServiceRequest,
    Visit,
    VisitMember,
    table_of,
)
from huzhu_desktop.core.services.audit import record_audit, touch
from huzhu_desktop.core.services.first_screen import OPEN_REQUESTS, count_open_requests
from huzhu_desktop.core.services.permissions import requires
from huzhu_desktop.core.validate import FieldError, clean, parse_date

OPEN = OPEN_REQUESTS


@dataclass
class RequestRow:
    id: str
    elder: str
    group: str
    service: str
    wanted_on: date
    status: str
    helper: str
    note: str


@requires("records")
def create_request(
    elder_id: str,
    service: str,
    wanted_on: str | date,
    note: str = "",
    *,
    session: Session,
    actor: Actor,
    today: date | None = None,
) -> ServiceRequest:
    today = today or clock.today()
    errors: dict[str, str] = {}
    if _profile_person(session, ElderProfile, elder_id) is None:
        errors["elder"] = "请选择在册的老人"
    if service not in vocab.SERVICES:
        errors["service"] = f"服务只能是{'、'.join(vocab.SERVICES)}"
    try:
        wanted = parse_date(wanted_on, allow_future=True, today=today)
        if wanted < today:
            errors["wanted_on"] = "希望日期不能早于今天"
    except FieldError as exc:
        errors["wanted_on"] = str(exc)
        wanted = today
    if errors:
        raise ValidationError(errors)
    request = ServiceRequest(
        owner_code=actor.owner_code,
        origin=actor.origin,
        updated_by=actor.operator,
        elder_id=elder_id,
        service=service,
        wanted_on=wanted,
        note=clean(note)[:200],
    )
    session.add(request)
    record_audit(session, actor, "新点单", "service_request", request.id, service)
    return request


@requires("records")
def assign_request(request_id: str, helper_id: str, *, session: Session, actor: Actor) -> None:
    request = _open_request(session, request_id)
    if _profile_person(session, HelperProfile, helper_id) is None:
        raise ValidationError({"helper": "请选择在岗的帮扶人"})
    request.helper_id, request.status = helper_id, vocab.REQUEST_ASSIGNED
    touch(request, actor)
    record_audit(session, actor, "派单", "service_request", request.id, helper_id)


@requires("records")
def complete_request(request_id: str, visit_id: str, *, session: Session, actor: Actor) -> None:
    """Done by a recorded visit to the same elder, on or after the day the request was made."""
    request = _open_request(session, request_id)
    visit = session.get(Visit, visit_id)
    if visit is None or visit.deleted_at is not None:
        raise ValidationError({"visit": "找不到这条走访记录"})
    elders = set(
        session.execute(
            select(col(VisitMember.person_id)).where(
                col(VisitMember.visit_id) == visit_id,
                col(VisitMember.role) == "elder",
                col(VisitMember.deleted_at).is_(None),
            )
        ).scalars()
    )
    if request.elder_id not in elders:
        raise ValidationError({"visit": "这次走访没有到点单的老人家里"})
    if visit.visit_date < clock.local_date(request.created_at):
        raise ValidationError({"visit": "走访日期早于点单日期"})
    request.visit_id, request.status = visit_id, vocab.REQUEST_DONE
    touch(request, actor)
    record_audit(session, actor, "点单完成", "service_request", request.id, visit_id)


@requires("records")
def cancel_request(request_id: str, reason: str, *, session: Session, actor: Actor) -> None:
    request = _open_request(session, request_id)
    if not clean(reason):
        raise ValidationError({"reason": "请写明取消原因"})
    request.status = vocab.REQUEST_CANCELLED
    request.note = (request.note + "；取消：" + clean(reason))[:200]
    touch(request, actor)
    record_audit(session, actor, "取消点单", "service_request", request.id, clean(reason))


def open_requests(session: Session) -> list[RequestRow]:
    elder, helper = table_of(Person).alias(), table_of(Person).alias()
    stmt = (
        select(
            col(ServiceRequest.id),
            elder.c.name,
            elder.c.group_name,
            col(ServiceRequest.service),
            col(ServiceRequest.wanted_on),
            col(ServiceRequest.status),
            helper.c.name,
            col(ServiceRequest.note),
        )
        .join(elder, elder.c.id == col(ServiceRequest.elder_id))
        .outerjoin(helper, helper.c.id == col(ServiceRequest.helper_id))
        .where(col(ServiceRequest.status).in_(OPEN), col(ServiceRequest.deleted_at).is_(None))
        .order_by(col(ServiceRequest.wanted_on))
    )
    return [
        RequestRow(i, e, g, s, w, st, h or "", n)
        for i, e, g, s, w, st, h, n in session.execute(stmt)
    ]


def count_open(session: Session) -> int:
    """How many `open_requests` there are, counted by SQLite (`first_screen`)."""
    return count_open_requests(flushed_connection(session))


def _open_request(session: Session, request_id: str) -> ServiceRequest:
    request = session.get(ServiceRequest, request_id)
    if request is None or request.deleted_at is not None:
        raise NotFoundError("找不到这个点单。", detail=request_id)
    if request.status not in OPEN:
        raise ValidationError({"status": f"这个点单已{request.status}"})
    return request


def _profile_person(
    session: Session, profile: type[ElderProfile] | type[HelperProfile], person_id: str
) -> Person | None:
    person = session.get(Person, person_id)
    if person is None or person.status != vocab.ACTIVE_STATUS:
        return None
    stmt = select(col(profile.id)).where(col(profile.person_id) == person_id)
    if profile is HelperProfile:
        stmt = stmt.where(col(HelperProfile.active) == True)  # noqa: E712
    return person if session.execute(stmt).first() else None


@dataclass
class VisitChoice:
    """A recorded visit that could close a 点单: to the same elder, on or after it was made."""

    id: str
    visit_date: date
    kind: str
    helpers: list[str]
    services: list[str]

    def label(self) -> str:
        return f"{self.visit_date} {self.kind} {'、'.join(self.helpers)} {'、'.join(self.services)}"


def visits_that_can_close(session: Session, request_id: str, limit: int = 30) -> list[VisitChoice]:
    """The elder's visits (by id, not by name) on or after the day the 点单 was made, newest
    first — exactly the ones complete_request accepts."""
    request = _open_request(session, request_id)
    made = clock.local_date(request.created_at)
    helper = table_of(Person).alias()
    elder_member = table_of(VisitMember).alias()
    helper_member = table_of(VisitMember).alias()
    stmt = (
        select(
            col(Visit.id),
            col(Visit.visit_date),
            col(Visit.kind),
            col(Visit.services),
            helper.c.name,
        )
        .join(elder_member, elder_member.c.visit_id == col(Visit.id))
        .outerjoin(
            helper_member,
            (helper_member.c.visit_id == col(Visit.id))
            & (helper_member.c.role == "helper")
            & helper_member.c.deleted_at.is_(None),
        )
        .outerjoin(helper, helper.c.id == helper_member.c.person_id)
        .where(
            col(Visit.deleted_at).is_(None),
            elder_member.c.person_id == request.elder_id,
            elder_member.c.role == "elder",
            elder_member.c.deleted_at.is_(None),
            col(Visit.visit_date) >= made,
        )
        .order_by(col(Visit.visit_date).desc(), col(Visit.id))
    )
    found: dict[str, VisitChoice] = {}
    for vid, day, kind, services, helper_name in session.execute(stmt):
        choice = found.setdefault(vid, VisitChoice(vid, day, kind, [], vocab.split_list(services)))
        if helper_name and helper_name not in choice.helpers:
            choice.helpers.append(helper_name)
    return list(found.values())[:limit]
