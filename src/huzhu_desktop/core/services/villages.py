"""A town's list of its 行政村 (村名单), each with 已开展互助养老 yes / no / not said.

The list is the town's own org_unit rows about its villages (owner = the town, id derived from
both codes, so every PC of the town makes the same row), synced up to the district with the
town's bundle. It is filled by typing, from a sheet (importers.village_list), and by itself when
a village's key card arrives. The 已报送 matrix and the plan's "≥ 60% of villages 已开展" read it:
a village that never sent anything is on the list all the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.errors import NotFoundError, ValidationError, WorkspaceError
from huzhu_desktop.core.models import OrgUnit, PeerKey
from huzhu_desktop.core.services.audit import record_audit, touch
from huzhu_desktop.core.services.keys import workspace_info
from huzhu_desktop.core.services.permissions import requires
from huzhu_desktop.core.services.setup import unit_row_id
from huzhu_desktop.core.validate import FieldError, clean, normalize_org_code

STARTED_TEXT = {True: "已开展", False: "未开展", None: "未填"}


@dataclass(frozen=True)
class VillageEntry:
    code: str
    name: str
    started: bool | None
    listed: bool  # on the town's own list (False: known only from a key card or a bundle)

    @property
    def started_text(self) -> str:
        return STARTED_TEXT[self.started]

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "started": self.started,
            "started_text": self.started_text,
            "listed": self.listed,
        }


def town_villages(session: Session) -> list[VillageEntry]:
    """Every village of this town: its list, and any village known here from a key card or a
    bundle but not yet on it. Empty at a village or a district (see `villages_of_towns`)."""
    info = workspace_info(session)
    if info.kind != "town":
        return []
    out: dict[str, VillageEntry] = {}
    for row in session.execute(
        select(OrgUnit).where(
            col(OrgUnit.owner_code) == info.org_code,
            col(OrgUnit.level) == "village",
            col(OrgUnit.deleted_at).is_(None),
        )
    ).scalars():
        out[row.code] = VillageEntry(row.code, row.name, row.started, True)
    for code, name in _known_elsewhere(session, info.org_code):
        out.setdefault(code, VillageEntry(code, name, None, False))
    return sorted(out.values(), key=lambda v: v.code)


def villages_of_towns(session: Session) -> dict[str, list[VillageEntry]]:
    """At the district: each town's list as its bundle brought it (town code → villages)."""
    out: dict[str, list[VillageEntry]] = {}
    for row in session.execute(
        select(OrgUnit)
        .where(
            col(OrgUnit.level) == "village",
            col(OrgUnit.deleted_at).is_(None),
            col(OrgUnit.owner_code) == col(OrgUnit.parent_code),  # a town's row about a village
        )
        .order_by(col(OrgUnit.code))
    ).scalars():
        out.setdefault(row.owner_code, []).append(
            VillageEntry(row.code, row.name, row.started, True)
        )
    return out


def _known_elsewhere(session: Session, town: str) -> list[tuple[str, str]]:
    cards = session.execute(
        select(col(PeerKey.org_code), col(PeerKey.org_name)).where(
            col(PeerKey.kind) == "village", col(PeerKey.parent_code) == town
        )
    ).all()
    own_rows = session.execute(  # a village's own row, from its bundle
        select(col(OrgUnit.code), col(OrgUnit.name)).where(
            col(OrgUnit.level) == "village",
            col(OrgUnit.owner_code) == col(OrgUnit.code),
            col(OrgUnit.parent_code) == town,
            col(OrgUnit.deleted_at).is_(None),
        )
    ).all()
    return [(c, n) for c, n in [*own_rows, *cards]]


def _village_code(raw: object, town: str) -> str:
    try:
        code = normalize_org_code(raw, "village")
    except FieldError as e:
        raise ValidationError({"village_code": str(e)}) from e
    if code[:9] != town[:9]:
        raise ValidationError(
            {"village_code": f"{code} 不是本镇（{town[:9]}）的村：村代码的前9位应与本镇代码相同"}
        )
    return code


def _name(raw: object) -> str:
    name = clean(raw)
    if not name or len(name) > 50:
        raise ValidationError({"village_name": "请填写村名（不超过50个字）"})
    return name


@requires("records")
def save_village(
    code: object, name: object, started: bool | None, *, session: Session, actor: Actor
) -> VillageEntry:
    """Add a village to the town's list, or change its name or 已开展."""
    info = workspace_info(session)
    if info.kind != "town":
        raise WorkspaceError("村名单只在乡镇的工作区里维护。")
    code = _village_code(code, info.org_code)
    clean_name = _name(name)
    row = session.get(OrgUnit, unit_row_id(info.org_code, code))
    if row is None:
        row = OrgUnit(
            id=unit_row_id(info.org_code, code),
            code=code,
            name=clean_name,
            level="village",
            parent_code=info.org_code,
            started=started,
            **actor.stamp(),
        )
        session.add(row)
        action = "添加行政村"
    elif (row.name, row.started, row.deleted_at) == (clean_name, started, None):
        return VillageEntry(code, clean_name, started, True)  # nothing to change
    else:
        row.name, row.started, row.deleted_at = clean_name, started, None
        touch(row, actor)
        action = "修改行政村"
    session.flush()
    record_audit(
        session, actor, action, "org_unit", row.id, f"{code} {clean_name} {STARTED_TEXT[started]}"
    )
    return VillageEntry(code, clean_name, started, True)


@requires("records")
def set_started(
    code: object, started: bool | None, *, session: Session, actor: Actor
) -> VillageEntry:
    """Change a village's 已开展 (a village known only from its card or bundle is put on the
    list with it)."""
    info = workspace_info(session)
    code = _village_code(code, info.org_code)
    row = session.get(OrgUnit, unit_row_id(info.org_code, code))
    if row is None:
        known = {v.code: v for v in town_villages(session)}
        if code not in known:
            raise NotFoundError(f"本镇的村名单里没有代码为 {code} 的村。")
        return save_village(code, known[code].name, started, session=session, actor=actor)
    row.started = started
    touch(row, actor)
    session.flush()
    record_audit(
        session, actor, "修改行政村", "org_unit", row.id, f"{code} {STARTED_TEXT[started]}"
    )
    return VillageEntry(code, row.name, started, True)


def remember_village(session: Session, actor: Actor, code: str, name: str) -> None:
    """A village's key card arrived at its town: put the village on the list (已开展 not said)
    if it is not there yet. Part of the caller's permitted action (importing the card)."""
    info = workspace_info(session)
    if info.kind != "town" or code[:9] != info.org_code[:9]:
        return
    row_id = unit_row_id(info.org_code, code)
    if session.get(OrgUnit, row_id) is not None:
        return
    session.add(
        OrgUnit(
            id=row_id,
            code=code,
            name=name,
            level="village",
            parent_code=info.org_code,
            **actor.stamp(),
        )
    )
    session.flush()
    record_audit(session, actor, "添加行政村", "org_unit", row_id, f"{code} {name}（导入密钥卡时）")


def parse_started(raw: object) -> bool | None:
    """已开展 as typed in a sheet or on the command line: 是/否/yes/no/已开展/未开展/1/0/空."""
    text = clean(raw).lower()
    if text in ("", "未填", "不详", "-"):
        return None
    if text in ("是", "yes", "y", "1", "已开展", "开展", "√", "true", "有"):
        return True
    if text in ("否", "no", "n", "0", "未开展", "没有", "×", "false", "无"):
        return False
    raise ValidationError({"started": f"“{clean(raw)[:20]}”看不懂：已开展请填 是 或 否"})
