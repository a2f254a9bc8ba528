"""First-run set-up of a workspace: its kind, org unit (统计用区划代码) and first clerk."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import Session, col

from huzhu_desktop.core import vocab
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.errors import ValidationError, WorkspaceError
from huzhu_desktop.core.models import Clerk, OrgUnit, WorkspaceInfo, new_id, utcnow
from huzhu_desktop.core.services import keys
from huzhu_desktop.core.services.audit import record_audit
from huzhu_desktop.core.services.keys import KeyCard, ensure_keys
from huzhu_desktop.core.services.permissions import requires
from huzhu_desktop.core.validate import (
    FieldError,
    clean,
    normalize_name,
    normalize_org_code,
    normalize_phone,
    parent_code_of,
)

# Districts the app knows by code, so the wizard can pre-fill the name (附件 titles use it).
KNOWN_DISTRICTS = {"500112": "渝北区"}


@dataclass
class SetupForm:
    kind: str = "village"  # village / town / district
    org_code: str = ""
    org_name: str = ""
    parent_name: str = ""  # the town of a village, the district of a town
    district_name: str = ""
    clerk_name: str = ""
    office_phone: str = ""  # 村委会 (镇民政办) phone, printed on every 明白卡; may come later
    supervision_phone: str = ""  # 监督电话 for complaints, on every 明白卡


def validate_setup(form: SetupForm) -> dict[str, str]:
    errors: dict[str, str] = {}
    if form.kind not in vocab.WORKSPACE_KINDS:
        errors["kind"] = "请选择工作区类型：村、镇或区"
        return errors
    try:
        normalize_org_code(form.org_code, form.kind)
    except FieldError as exc:
        errors["org_code"] = str(exc)
    if not clean(form.org_name):
        errors["org_name"] = "请填写单位名称，例如“演示村”"
    if form.kind != "district" and not clean(form.parent_name):
        errors["parent_name"] = "请填写上级单位名称（村填所属镇，镇填所属区）"
    if form.kind != "district" and not clean(form.district_name):
        errors["district_name"] = "请填写所属区县名称，例如“渝北区”（报表标题要用）"
    try:
        normalize_name(form.clerk_name)
    except FieldError as exc:
        errors["clerk_name"] = str(exc).replace("姓名", "经办人姓名", 1)
    for key in ("office_phone", "supervision_phone"):
        try:
            normalize_phone(getattr(form, key))
        except FieldError as exc:
            errors[key] = str(exc)
    return errors


_UNIT_ROWS = uuid.UUID("6d1f5b8e-3c2a-5e7b-9f40-1a2b3c4d5e6f")  # namespace of org_unit row ids


def unit_row_id(owner_code: str, code: str) -> str:
    """The id of the org_unit row that unit `owner_code` keeps about unit `code`: the same on
    every PC of that unit, so a village set up on two PCs holds one row for itself (and one for
    its town) after they exchange bundles, not two."""
    return str(uuid.uuid5(_UNIT_ROWS, f"{owner_code}/{code}"))


def initialize(
    form: SetupForm, *, session: Session, workspace_id: str | None = None, is_demo: bool = False
) -> WorkspaceInfo:
    """Record the workspace's org unit and first clerk. Refuses a workspace already set up."""
    if session.get(WorkspaceInfo, 1) is not None:
        raise WorkspaceError("这个工作区已经设置过单位，不能再次设置。")
    errors = validate_setup(form)
    if errors:
        raise ValidationError(errors)
    code = normalize_org_code(form.org_code, form.kind)
    parent = parent_code_of(code, form.kind)
    district = clean(form.district_name) or (
        clean(form.org_name) if form.kind == "district" else ""
    )
    info = WorkspaceInfo(
        workspace_id=workspace_id or new_id(),
        kind=form.kind,
        org_code=code,
        org_name=clean(form.org_name),
        parent_code=parent,
        parent_name=clean(form.parent_name),
        district_name=district,
        is_demo=is_demo,
        office_phone=normalize_phone(form.office_phone),
        supervision_phone=normalize_phone(form.supervision_phone),
    )
    clerk = Clerk(name=normalize_name(form.clerk_name))
    session.add(info)
    session.add(clerk)
    ensure_keys(session)  # the bundle keys: signing and encryption, made once per workspace
    actor = Actor(clerk.name, info.workspace_id, code)
    session.add(
        OrgUnit(
            id=unit_row_id(code, code),
            owner_code=code,
            origin=info.workspace_id,
            updated_by=clerk.name,
            code=code,
            name=info.org_name,
            level=form.kind,
            parent_code=parent,
        )
    )
    if parent:
        parent_level = "town" if form.kind == "village" else "district"
        session.add(
            OrgUnit(
                id=unit_row_id(code, parent),
                owner_code=code,
                origin=info.workspace_id,
                updated_by=clerk.name,
                code=parent,
                name=info.parent_name,
                level=parent_level,
                parent_code=parent_code_of(parent, parent_level),
            )
        )
    record_audit(
        session,
        actor,
        "设置工作区",
        "workspace_info",
        "1",
        f"{vocab.WORKSPACE_KINDS[form.kind]} {code} {info.org_name}",
    )
    return info


@requires("settings")
def update_contacts(
    office_phone: str, supervision_phone: str, *, session: Session, actor: Actor
) -> WorkspaceInfo:
    """村委会 phone and 监督电话, printed on every 明白卡."""
    errors: dict[str, str] = {}
    clean_phones = {}
    for key, raw in (("office_phone", office_phone), ("supervision_phone", supervision_phone)):
        try:
            clean_phones[key] = normalize_phone(raw)
        except FieldError as exc:
            errors[key] = str(exc)
    if errors:
        raise ValidationError(errors)
    info = session.get(WorkspaceInfo, 1)
    if info is None:
        raise WorkspaceError("工作区尚未设置单位。")
    info.office_phone, info.supervision_phone = (
        clean_phones["office_phone"],
        clean_phones["supervision_phone"],
    )
    record_audit(
        session,
        actor,
        "修改联系电话",
        "workspace_info",
        "1",
        f"{info.office_phone} / {info.supervision_phone}",
    )
    return info


def switch_clerk(name: str, *, session: Session) -> Clerk:
    """Make `name` the current operator (creating the clerk on first use)."""
    try:
        clean_name = normalize_name(name)
    except FieldError as exc:
        raise ValidationError({"clerk_name": str(exc)}) from exc
    clerk = session.query(Clerk).filter(col(Clerk.name) == clean_name).first()
    if clerk is None:
        clerk = Clerk(name=clean_name)
        session.add(clerk)
    clerk.active = True
    clerk.last_used_at = utcnow()
    return clerk


def form_from_card(card: KeyCard, names: dict[str, str], clerk_name: str = "") -> SetupForm:
    """The setup of another PC of the unit whose key card this is (read from its first PC):
    the same kind, code and names — so both PCs' rows, the unit's own row included, share their
    ids and nothing is listed twice once their bundles cross."""
    return SetupForm(
        card.kind,
        card.org_code,
        card.org_name,
        names.get("parent_name", ""),
        names.get("district_name", ""),
        clerk_name,
    )


def join_from_card(
    card: KeyCard, names: dict[str, str], clerk_name: str, *, session: Session
) -> WorkspaceInfo:
    """第二台电脑: set this workspace up as another PC of `card`'s unit and trust the first
    PC's key (the clerk compared its fingerprint on both screens). The first PC then imports
    this PC's card and exports a bundle for it: the register arrives whole."""
    info = initialize(form_from_card(card, names, clerk_name), session=session)
    keys.trust(session, card, normalize_name(clerk_name))
    return info
