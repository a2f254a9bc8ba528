"""Read side of pairings (结对帮扶) for lists; the pairing services proper come with issue 5."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from huzhu_desktop.core.models import Pairing, PairingMember, Person


def list_pairings(session: Session, *, today: date) -> list[dict[str, object]]:
    names: dict[tuple[str, str], list[str]] = {}
    stmt = (
        select(PairingMember.pairing_id, PairingMember.role, Person.name)
        .join(Person, Person.id == PairingMember.person_id)
        .where(PairingMember.deleted_at.is_(None))
        .order_by(Person.name_pinyin)
    )
    for pairing_id, role, name in session.execute(stmt):
        names.setdefault((pairing_id, role), []).append(name)
    pairings = session.execute(
        select(Pairing).where(Pairing.deleted_at.is_(None)).order_by(Pairing.start_date)
    ).scalars()
    return [
        {
            "id": p.id,
            "kind": p.kind,
            "label": p.label,
            "elders": names.get((p.id, "elder"), []),
            "helpers": names.get((p.id, "helper"), []),
            "start_date": p.start_date.isoformat(),
            "end_date": p.end_date.isoformat() if p.end_date else None,
            "end_reason": p.end_reason,
            "plan": p.plan,
            "active": p.start_date <= today and (p.end_date is None or p.end_date >= today),
        }
        for p in pairings
    ]
