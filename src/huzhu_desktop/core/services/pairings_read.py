"""Read side of pairings (结对帮扶): the list, and each pairing's 明白卡 state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from huzhu_desktop.core.models import Pairing, PairingMember, Person
from huzhu_desktop.core.services import cards


@dataclass
class PairingRow:
    """One pairing as lists show it; `card` is its 明白卡 state (see `with_card_states`)."""

    id: str
    kind: str
    label: str
    elders: list[str]
    helpers: list[str]
    start_date: date
    end_date: date | None
    end_reason: str
    plan: str
    active: bool
    card: str = ""

    @property
    def needs_print(self) -> bool:
        return self.card in cards.TO_PRINT

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "elders": self.elders,
            "helpers": self.helpers,
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "end_reason": self.end_reason,
            "plan": self.plan,
            "active": self.active,
        }


def list_pairings(session: Session, *, today: date) -> list[PairingRow]:
    names: dict[tuple[str, str], list[str]] = {}
    stmt = (
        select(col(PairingMember.pairing_id), col(PairingMember.role), col(Person.name))
        .join(Person, col(Person.id) == col(PairingMember.person_id))
        .where(col(PairingMember.deleted_at).is_(None))
        .order_by(col(Person.name_pinyin))
    )
    for pairing_id, role, name in session.execute(stmt):
        names.setdefault((pairing_id, role), []).append(name)
    pairings = session.execute(
        select(Pairing).where(col(Pairing.deleted_at).is_(None)).order_by(col(Pairing.start_date))
    ).scalars()
    return [
        PairingRow(
            p.id,
            p.kind,
            p.label,
            names.get((p.id, "elder"), []),
            names.get((p.id, "helper"), []),
            p.start_date,
            p.end_date,
            p.end_reason,
            p.plan,
            p.start_date <= today and (p.end_date is None or p.end_date >= today),
        )
        for p in pairings
    ]


def with_card_states(
    session: Session, *, today: date
) -> tuple[list[PairingRow], list[cards.CardData]]:
    """The pairings with their 明白卡 state filled in, and the cards themselves (for printing)."""
    rows = list_pairings(session, today=today)
    found = cards.collect_cards(session, today=today)
    prints = cards.last_prints(session)
    states: dict[str, set[str]] = {}
    for c in found:
        states.setdefault(c.pairing_id, set()).add(cards.card_status(c, prints))
    for r in rows:
        r.card = cards.pairing_card_state(states.get(r.id, set()))
    return rows, found
