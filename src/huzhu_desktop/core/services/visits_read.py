"""Read side of visits, for lists and `huzhu list visits`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from huzhu_desktop.core import vocab
from huzhu_desktop.core.models import Person, Visit, VisitMember, table_of


@dataclass(frozen=True)
class VisitRow:
    """One recorded visit (走访) as lists and the edit dialog show it."""

    id: str
    visit_date: date
    kind: str
    duration_minutes: int
    services: list[str]
    elders: list[str]
    helpers: list[str]
    elder_ids: list[str]
    helper_ids: list[str]
    note: str
    source: str
    confirmation: str
    pairing_id: str | None
    rev: int
    updated_by: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.visit_date.isoformat(),
            "kind": self.kind,
            "duration_minutes": self.duration_minutes,
            "services": self.services,
            "elders": self.elders,
            "helpers": self.helpers,
            "elder_ids": self.elder_ids,
            "helper_ids": self.helper_ids,
            "note": self.note,
            "source": self.source,
            "confirmation": self.confirmation,
            "pairing_id": self.pairing_id,
            "rev": self.rev,
            "updated_by": self.updated_by,
        }


def list_visits(session: Session, *, limit: int | None = None) -> list[VisitRow]:
    stmt = (
        select(Visit)
        .where(col(Visit.deleted_at).is_(None))
        .order_by(col(Visit.visit_date).desc(), col(Visit.created_at).desc())
    )
    if limit:
        stmt = stmt.limit(limit)
    visits = list(session.execute(stmt).scalars())
    names: dict[tuple[str, str], list[str]] = {}
    ids: dict[tuple[str, str], list[str]] = {}
    for visit_id, role, name, person_id in session.execute(
        select(col(VisitMember.visit_id), col(VisitMember.role), col(Person.name), col(Person.id))
        .join(Person, col(Person.id) == col(VisitMember.person_id))
        .where(
            col(VisitMember.visit_id).in_([v.id for v in visits]),
            col(VisitMember.deleted_at).is_(None),
        )
    ):
        names.setdefault((visit_id, role), []).append(name)
        ids.setdefault((visit_id, role), []).append(person_id)
    return [
        VisitRow(
            v.id,
            v.visit_date,
            v.kind,
            v.duration_minutes,
            vocab.split_list(v.services),
            names.get((v.id, "elder"), []),
            names.get((v.id, "helper"), []),
            ids.get((v.id, "elder"), []),
            ids.get((v.id, "helper"), []),
            v.note,
            v.source,
            v.confirmation,
            v.pairing_id,
            v.rev,
            v.updated_by,
        )
        for v in visits
    ]


def active_plans(session: Session, *, today: date) -> dict[str, tuple[str, str]]:
    """Elder id → (pairing kind, a helper id) of their newest active pairing, for pre-filling."""
    from huzhu_desktop.core.models import Pairing, PairingMember

    e, h = table_of(PairingMember).alias(), table_of(PairingMember).alias()
    stmt = (
        select(e.c.person_id, col(Pairing.kind), h.c.person_id)
        .join(Pairing, col(Pairing.id) == e.c.pairing_id)
        .join(h, h.c.pairing_id == e.c.pairing_id)
        .where(
            e.c.role == "elder",
            h.c.role == "helper",
            col(Pairing.deleted_at).is_(None),
            col(Pairing.start_date) <= today,
            (col(Pairing.end_date).is_(None)) | (col(Pairing.end_date) >= today),
        )
        .order_by(col(Pairing.start_date))
    )
    return {elder: (kind, helper) for elder, kind, helper in session.execute(stmt)}
