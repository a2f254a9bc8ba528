"""Read side of visits, for lists and `huzhu list visits`."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from huzhu_desktop.core import vocab
from huzhu_desktop.core.models import Person, Visit, VisitMember


def list_visits(session: Session, *, limit: int | None = None) -> list[dict[str, object]]:
    stmt = (
        select(Visit)
        .where(Visit.deleted_at.is_(None))
        .order_by(Visit.visit_date.desc(), Visit.created_at.desc())
    )
    if limit:
        stmt = stmt.limit(limit)
    visits = list(session.execute(stmt).scalars())
    names: dict[tuple[str, str], list[str]] = {}
    ids: dict[tuple[str, str], list[str]] = {}
    for visit_id, role, name, person_id in session.execute(
        select(VisitMember.visit_id, VisitMember.role, Person.name, Person.id)
        .join(Person, Person.id == VisitMember.person_id)
        .where(VisitMember.visit_id.in_([v.id for v in visits]), VisitMember.deleted_at.is_(None))
    ):
        names.setdefault((visit_id, role), []).append(name)
        ids.setdefault((visit_id, role), []).append(person_id)
    return [
        {
            "id": v.id,
            "date": v.visit_date.isoformat(),
            "kind": v.kind,
            "duration_minutes": v.duration_minutes,
            "services": vocab.split_list(v.services),
            "elders": names.get((v.id, "elder"), []),
            "helpers": names.get((v.id, "helper"), []),
            "elder_ids": ids.get((v.id, "elder"), []),
            "helper_ids": ids.get((v.id, "helper"), []),
            "note": v.note,
            "source": v.source,
            "confirmation": v.confirmation,
            "pairing_id": v.pairing_id,
            "rev": v.rev,
            "updated_by": v.updated_by,
        }
        for v in visits
    ]


def active_plans(session: Session, *, today: date) -> dict[str, tuple[str, str]]:
    """Elder id → (pairing kind, a helper id) of their newest active pairing, for pre-filling."""
    from huzhu_desktop.core.models import Pairing, PairingMember

    e, h = PairingMember.__table__.alias(), PairingMember.__table__.alias()
    stmt = (
        select(e.c.person_id, Pairing.kind, h.c.person_id)
        .join(Pairing, Pairing.id == e.c.pairing_id)
        .join(h, h.c.pairing_id == e.c.pairing_id)
        .where(
            e.c.role == "elder",
            h.c.role == "helper",
            Pairing.deleted_at.is_(None),
            Pairing.start_date <= today,
            (Pairing.end_date.is_(None)) | (Pairing.end_date >= today),
        )
        .order_by(Pairing.start_date)
    )
    return {elder: (kind, helper) for elder, kind, helper in session.execute(stmt)}
