"""互助养老明白卡 — what each card says, whether a printed card is still current, and prints.

One card per active pairing; for a 划片式 group one card per elder, listing the group's helpers.
A card's fingerprint covers everything printed on it except the print date, so a card printed
before a helper or a phone number changed is flagged 需重印.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session, col

from huzhu_desktop.core import vocab
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.models import (
    CardPrint,
    CarePoint,
    ElderProfile,
    HelperProfile,
    Pairing,
    PairingMember,
    Person,
    WorkspaceInfo,
)
from huzhu_desktop.core.services.permissions import requires
from huzhu_desktop.core.validate import age_on

SERVICES_ON_OFFER = "助餐、助浴、助洁、助急、助医、助行、助农、代办、心理疏导"
CARD_VERSION = 1


@dataclass
class CardHelper:
    """A 互助员 as the card shows them (seed 003: 年龄、身体状况、联系电话), by their role in
    the register (志愿者, 社工 …: one wording with the lists)."""

    name: str
    role: str
    phone: str
    age: int | None = None
    health: str = ""  # 身体状况: the helper's own, or as an elder of the register


@dataclass
class CardData:
    pairing_id: str
    elder_id: str
    kind: str
    elder_name: str
    gender: str
    age: int | None
    group: str
    address: str
    health: str
    phone: str
    helpers: list[CardHelper]
    plan: str
    village: str
    care_point: str
    office_phone: str
    specialist: CardHelper | None  # 养老专干
    family_contact: str
    family_phone: str
    supervision_phone: str
    medical_notes: str
    services: str = SERVICES_ON_OFFER
    version: int = CARD_VERSION
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        payload = json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def collect_cards(
    session: Session, *, today: date, pairing_ids: list[str] | None = None, group: str | None = None
) -> list[CardData]:
    info = session.get(WorkspaceInfo, 1)
    village = info.org_name if info else ""
    office = info.office_phone if info else ""
    supervision = info.supervision_phone if info else ""
    specialist = _specialist(session)
    points = _care_points(session, today)
    active = (
        (col(Pairing.deleted_at).is_(None))
        & (col(Pairing.start_date) <= today)
        & ((col(Pairing.end_date).is_(None)) | (col(Pairing.end_date) >= today))
    )
    stmt = select(Pairing).where(active).order_by(col(Pairing.start_date))
    if pairing_ids is not None:
        stmt = select(Pairing).where(
            col(Pairing.id).in_(pairing_ids), col(Pairing.deleted_at).is_(None)
        )
    pairings = list(session.execute(stmt).scalars())
    members: dict[str, dict[str, list[str]]] = {}
    rows = session.execute(
        select(
            col(PairingMember.pairing_id), col(PairingMember.role), col(PairingMember.person_id)
        ).where(
            col(PairingMember.pairing_id).in_([p.id for p in pairings]),
            col(PairingMember.deleted_at).is_(None),
        )
    )
    for pid, role, person_id in rows:
        members.setdefault(pid, {}).setdefault(role, []).append(person_id)
    cards = []
    for pairing in pairings:
        helpers = [
            _helper(session, h, today) for h in members.get(pairing.id, {}).get("helper", [])
        ]
        for elder_id in members.get(pairing.id, {}).get("elder", []):
            person = session.get(Person, elder_id)
            profile = session.execute(
                select(ElderProfile).where(col(ElderProfile.person_id) == elder_id)
            ).scalar_one_or_none()
            if person is None or profile is None or person.status != vocab.ACTIVE_STATUS:
                continue
            if group and person.group_name != group:
                continue
            cards.append(
                CardData(
                    pairing.id,
                    elder_id,
                    pairing.kind,
                    person.name,
                    person.gender,
                    age_on(person.birth_date, person.birth_year, today),
                    person.group_name,
                    person.address,
                    profile.health,
                    person.phone,
                    sorted(helpers, key=lambda h: (h.role != vocab.GROUP_LEADER, h.name)),
                    pairing.plan,
                    village,
                    points.get(person.group_name) or points.get("", ""),
                    office,
                    specialist,
                    profile.emergency_contact,
                    profile.emergency_phone,
                    supervision,
                    profile.medical_notes,
                )
            )
    return sorted(cards, key=lambda c: (c.group, c.elder_name))


def last_prints(session: Session) -> dict[tuple[str, str], tuple[str, date]]:
    """(pairing, elder) → (fingerprint, printed date) of the newest print."""
    newest = (
        select(
            col(CardPrint.pairing_id),
            col(CardPrint.elder_id),
            func.max(col(CardPrint.printed_at)).label("at"),
        )
        .group_by(col(CardPrint.pairing_id), col(CardPrint.elder_id))
        .subquery()
    )
    stmt = select(
        col(CardPrint.pairing_id),
        col(CardPrint.elder_id),
        col(CardPrint.fingerprint),
        col(CardPrint.printed_at),
    ).join(
        newest,
        (newest.c.pairing_id == col(CardPrint.pairing_id))
        & (newest.c.elder_id == col(CardPrint.elder_id))
        & (newest.c.at == col(CardPrint.printed_at)),
    )
    return {(p, e): (f, at.date()) for p, e, f, at in session.execute(stmt)}


UNPRINTED, PRINTED, REPRINT = "未打印", "已打印", "需重印"
TO_PRINT = (REPRINT, UNPRINTED)  # the states 打印所有需重印/未打印的 picks, most urgent first


def card_status(card: CardData, prints: dict[tuple[str, str], tuple[str, date]]) -> str:
    """未打印 / 已打印 / 需重印 (something on the card changed since it was printed)."""
    found = prints.get((card.pairing_id, card.elder_id))
    if found is None:
        return UNPRINTED
    return PRINTED if found[0] == card.fingerprint else REPRINT


def pairing_card_state(states: set[str]) -> str:
    """One state for a pairing from its cards' (one per elder): the most urgent; "" if none."""
    return next((s for s in (*TO_PRINT, PRINTED) if s in states), "")


@requires("records")
def record_prints(cards: list[CardData], layout: str, *, session: Session, actor: Actor) -> None:
    for card in cards:
        session.add(
            CardPrint(
                owner_code=actor.owner_code,
                origin=actor.origin,
                updated_by=actor.operator,
                pairing_id=card.pairing_id,
                elder_id=card.elder_id,
                fingerprint=card.fingerprint,
                layout=layout,
            )
        )


def _helper(session: Session, person_id: str, today: date) -> CardHelper:
    person = session.get(Person, person_id)
    profile = session.execute(
        select(col(HelperProfile.role), col(HelperProfile.health)).where(
            col(HelperProfile.person_id) == person_id
        )
    ).first()
    role, own_health = (profile[0], profile[1]) if profile is not None else (None, "")
    as_elder = session.execute(
        select(col(ElderProfile.health)).where(
            col(ElderProfile.person_id) == person_id, col(ElderProfile.deleted_at).is_(None)
        )
    ).scalar_one_or_none()
    assert person is not None
    return CardHelper(
        person.name,
        role or vocab.VOLUNTEER,
        person.phone,
        age_on(person.birth_date, person.birth_year, today),
        own_health or as_elder or "",  # 身体状况 the clerk gave the helper, else as an elder
    )


def _specialist(session: Session) -> CardHelper | None:
    row = session.execute(
        select(col(Person.name), col(Person.phone))
        .join(HelperProfile, col(HelperProfile.person_id) == col(Person.id))
        .where(
            col(HelperProfile.role) == vocab.SPECIALIST,
            col(HelperProfile.active) == True,  # noqa: E712
            col(Person.deleted_at).is_(None),
        )
        .order_by(col(Person.name_pinyin))
        .limit(1)
    ).first()
    return CardHelper(row[0], vocab.SPECIALIST, row[1]) if row else None


def _care_points(session: Session, today: date) -> dict[str, str]:
    """组 → the 互助养老点 serving it (its own 分点, else the 中心点 under key "")."""
    found: dict[str, str] = {}
    for name, kind, group in session.execute(
        select(col(CarePoint.name), col(CarePoint.kind), col(CarePoint.group_name)).where(
            col(CarePoint.deleted_at).is_(None),
            (col(CarePoint.closed_on).is_(None)) | (col(CarePoint.closed_on) >= today),
        )
    ):
        if kind == vocab.CENTRE:
            found.setdefault("", name)
        if group:
            found[group] = name if kind == vocab.BRANCH or group not in found else found[group]
    return found
