"""Keys for bundles: each workspace signs what it sends (Ed25519) and opens what is sent to it
(X25519). A town hands its villages a 密钥卡 (key card: a small versioned JSON file with its
public keys); the fingerprint — 5 groups of 4 digits — is read aloud or compared by eye on both
screens. Private keys stay in the workspace database.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import platform
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import select
from sqlmodel import Session, col

from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.atomic import atomic_path
from huzhu_desktop.core.errors import HuzhuError, UnreadableFileError
from huzhu_desktop.core.models import OwnKey, PeerKey, WorkspaceInfo, utcnow
from huzhu_desktop.core.services import key_vault
from huzhu_desktop.core.services.permissions import requires
from huzhu_desktop.core.validate import plain_text

CARD_FORMAT = "huzhu-keycard"
CARD_VERSION = 1
CARD_MAX_BYTES = 16 * 1024
KIND_LABELS = {"village": "村", "town": "乡镇", "district": "区县"}


class KeyTrustError(HuzhuError):
    """A key card or sender key that cannot be trusted as it is."""


def fingerprint(sign_public: str, box_public: str) -> str:
    """First 80 bits of SHA-256 over both public keys, as 20 decimal digits in 5 groups of 4
    (the 80-bit number reduced mod 10^20: about 66 bits to compare by eye)."""
    digest = hashlib.sha256(bytes.fromhex(sign_public) + bytes.fromhex(box_public)).digest()
    digits = f"{int.from_bytes(digest[:10], 'big') % 10**20:020d}"
    return " ".join(digits[i : i + 4] for i in range(0, 20, 4))


def has_keys(session: Session) -> bool:
    return session.get(OwnKey, 1) is not None


def ensure_keys(session: Session) -> OwnKey:
    """This workspace's keys, made on first use (at setup, or when an older workspace first
    exports or imports a bundle)."""
    own = session.get(OwnKey, 1)
    if own is not None:
        return own
    if key_vault.sealed_only(session):  # restored from a backup of a workspace with logins
        raise HuzhuError(
            "本单位的密钥在恢复的备份里是加密保存的：请村管理员登录一次以恢复密钥，"
            "再导出或导入数据包（不要另做新密钥，否则上级要重新核对）。"
        )
    return _generate(session)


def _generate(session: Session) -> OwnKey:
    sign = Ed25519PrivateKey.generate()
    box = X25519PrivateKey.generate()
    sign_pub = sign.public_key().public_bytes_raw().hex()
    box_pub = box.public_key().public_bytes_raw().hex()
    own = OwnKey(
        sign_private=sign.private_bytes_raw().hex(),
        box_private=box.private_bytes_raw().hex(),
        sign_public=sign_pub,
        box_public=box_pub,
        fingerprint=fingerprint(sign_pub, box_pub),
    )
    session.add(own)
    session.flush()
    return own


@requires("sync_in")
def change_keys(
    session: Session, actor: Actor, *, data_key: bytes | None = None
) -> tuple[str, str]:
    """更换密钥 — a new key pair for this workspace (after a PC was lost, or the keys may have
    been seen). The old pair is kept as retired (row id > 1): bundles and 回执 already sealed
    for it still open here (chosen by the fingerprint their manifest names). The receivers
    confirm the new fingerprint by phone when its card or first bundle arrives; they keep the
    old one in their history. In a workspace with logins the new keys are sealed for backups
    at once, so an admin must be logged in (`data_key`). Returns (old, new) fingerprints."""
    info = workspace_info(session)
    if info.key_seal and data_key is None:
        raise HuzhuError(
            "更换密钥要由管理员登录后操作（新密钥要加密保存进备份）。请用管理员账号登录后再换。"
        )
    old = ensure_keys(session)
    retired = OwnKey(
        id=max(k.id for k in all_keys(session)) + 1,
        sign_private=old.sign_private,
        box_private=old.box_private,
        sign_public=old.sign_public,
        box_public=old.box_public,
        fingerprint=old.fingerprint,
        created_at=old.created_at,
    )
    session.delete(old)
    session.flush()
    session.add(retired)
    new = _generate(session)
    if data_key is not None:
        key_vault.refresh(session, data_key)
    from huzhu_desktop.core.services.audit import record_audit

    record_audit(
        session, actor, "更换密钥", "own_key", "1", f"{old.fingerprint} → {new.fingerprint}"
    )
    return retired.fingerprint, new.fingerprint


def all_keys(session: Session) -> list[OwnKey]:
    """This workspace's key pairs: the one in use (id 1) first, then the retired, newest first."""
    found = list(session.execute(select(OwnKey).order_by(col(OwnKey.id))).scalars())
    return found[:1] + found[1:][::-1]


def previous_fingerprints(session: Session) -> list[str]:
    return [k.fingerprint for k in all_keys(session) if k.id != 1]


def box_key_for(session: Session, sealed_for: str) -> X25519PrivateKey:
    """The private key a bundle was sealed for, by the fingerprint its manifest names (a retired
    one after 更换密钥), else the one in use."""
    own = ensure_keys(session)
    for k in all_keys(session):
        if k.fingerprint == sealed_for:
            return box_key(k)
    return box_key(own)


def signing_key(own: OwnKey) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(own.sign_private))


def box_key(own: OwnKey) -> X25519PrivateKey:
    return X25519PrivateKey.from_private_bytes(bytes.fromhex(own.box_private))


@dataclass(frozen=True)
class KeyCard:
    workspace_id: str
    kind: str
    org_code: str
    org_name: str
    parent_code: str | None
    sign_public: str
    box_public: str
    fingerprint: str

    def who(self) -> str:
        return f"{self.org_name}（{KIND_LABELS.get(self.kind, self.kind)}，{self.org_code}）"

    def fields(self) -> dict[str, Any]:
        """As written in a key card and in a bundle manifest's `source`."""
        return dataclasses.asdict(self)


def workspace_info(session: Session) -> WorkspaceInfo:
    """This workspace's unit (exporting, importing and key cards all need one)."""
    info = session.get(WorkspaceInfo, 1)
    if info is None:
        raise HuzhuError("工作区尚未设置单位，请先完成首次设置。")
    return info


def own_card(session: Session) -> KeyCard:
    info = workspace_info(session)
    own = ensure_keys(session)
    return KeyCard(
        info.workspace_id,
        info.kind,
        info.org_code,
        info.org_name,
        info.parent_code,
        own.sign_public,
        own.box_public,
        own.fingerprint,
    )


def pc_name() -> str:
    """This computer's name, as a key card and a bundle say where they were made (so a town
    asked to trust a second PC of a village can ask the village which PC that is)."""
    name = "".join(ch for ch in platform.node() if ch.isprintable())[:50]
    return name if plain_text(name, 50) else ""


def card_json(card: KeyCard) -> dict[str, Any]:
    return {
        "format": CARD_FORMAT,
        "version": CARD_VERSION,
        **card.fields(),
        "pc": pc_name(),
        "made_at": utcnow().isoformat(timespec="seconds"),
    }


def write_card(session: Session, dest: Path) -> KeyCard:
    """Write this workspace's key card (public keys only) to `dest`, atomically."""
    card = own_card(session)
    info = workspace_info(session)
    unit = {"parent_name": info.parent_name, "district_name": info.district_name}
    data = json.dumps(card_json(card) | {"unit": unit}, ensure_ascii=False, indent=2).encode()
    with atomic_path(dest) as tmp:
        tmp.write_bytes(data)
    return card


def read_card(path: Path) -> KeyCard:
    """A key card file, checked: format, version, key lengths, and that the fingerprint written
    in it is the one its keys give."""
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a FIFO would hang, /dev/zero would never end
            raise UnreadableFileError(f"“{path.name}”不是一个普通文件，不是密钥卡。")
        with open(path, "rb") as fh:
            data = fh.read(CARD_MAX_BYTES + 1)  # the cap, whatever the size says
        if len(data) > CARD_MAX_BYTES:
            raise UnreadableFileError(f"“{path.name}”太大，不是密钥卡。")
        raw = json.loads(data.decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise UnreadableFileError(f"“{path.name}”不是可读的密钥卡文件。", repr(e)) from e
    if not isinstance(raw, dict) or raw.get("format") != CARD_FORMAT:
        raise UnreadableFileError(f"“{path.name}”不是互助养老密钥卡。")
    if raw.get("version") != CARD_VERSION:
        raise UnreadableFileError(
            f"密钥卡格式版本 {raw.get('version')} 本软件不认识，请升级软件或让对方重新导出。"
        )
    fields = ("workspace_id", "kind", "org_code", "org_name", "sign_public", "box_public")
    if not all(isinstance(raw.get(f), str) and raw.get(f) for f in fields):
        raise UnreadableFileError(f"密钥卡“{path.name}”缺少内容。")
    if not all(plain_text(raw[f]) for f in fields):
        raise UnreadableFileError(f"密钥卡“{path.name}”里有过长的内容或不可见的控制字符。")
    if raw["kind"] not in KIND_LABELS or not _is_key(raw["sign_public"], raw["box_public"]):
        raise UnreadableFileError(f"密钥卡“{path.name}”内容不正确。")
    fp = fingerprint(raw["sign_public"], raw["box_public"])
    if raw.get("fingerprint") != fp:
        raise KeyTrustError(
            f"密钥卡“{path.name}”上的指纹与其中的密钥不符，文件可能被改动过，不能导入。"
        )
    parent = raw.get("parent_code")
    return KeyCard(
        raw["workspace_id"][:36],
        raw["kind"],
        raw["org_code"][:12],
        raw["org_name"][:50],
        parent[:12] if isinstance(parent, str) else None,
        raw["sign_public"],
        raw["box_public"],
        fp,
    )


def card_unit_names(path: Path) -> dict[str, str]:
    """The names a key card carries beside its keys (cards since 0.3.0): the unit's upper unit
    and district, so a second PC of the unit is set up from the first one's card without
    retyping. Read after `read_card` accepted the file; {} when absent or malformed."""
    try:
        unit = json.loads(path.read_bytes()[: CARD_MAX_BYTES + 1].decode("utf-8")).get("unit")
    except (OSError, ValueError, AttributeError):
        return {}
    if not isinstance(unit, dict):
        return {}
    return {
        k: str(unit[k])[:50]
        for k in ("parent_name", "district_name")
        if isinstance(unit.get(k), str) and plain_text(unit[k])
    }


def _is_key(*hex_keys: str) -> bool:
    try:
        return all(len(bytes.fromhex(k)) == 32 for k in hex_keys)
    except ValueError:
        return False


def find_peer(session: Session, workspace_id: str) -> PeerKey | None:
    return session.get(PeerKey, workspace_id)


def trust(session: Session, card: KeyCard, operator: str, *, replace: bool = False) -> PeerKey:
    """Record a workspace's public keys as trusted (a key card imported, or a fingerprint the
    clerk confirmed). A different key for a known workspace needs `replace=True`."""
    own = session.get(WorkspaceInfo, 1)
    if own is not None and card.workspace_id == own.workspace_id:
        raise KeyTrustError("这是本工作区自己的密钥卡，不需要导入。")
    peer = session.get(PeerKey, card.workspace_id)
    if peer is not None and peer.fingerprint != card.fingerprint:
        if not replace:
            raise KeyTrustError(
                f"{card.who()}的密钥与以前导入的不同（以前 {peer.fingerprint}，现在 "
                f"{card.fingerprint}）。请电话核对新指纹后再确认更换。"
            )
        old = [f for f in peer.previous_fingerprints.split(" / ") if f]
        peer.previous_fingerprints = " / ".join([*old, peer.fingerprint])
    values = card.fields() | {"trusted_by": operator, "trusted_at": utcnow()}
    del values["workspace_id"]
    if peer is None:
        peer = PeerKey(workspace_id=card.workspace_id, **values)
        session.add(peer)
    else:
        for name, value in values.items():
            setattr(peer, name, value)
    session.flush()
    return peer


def peers(session: Session, org_code: str | None = None) -> list[PeerKey]:
    """The keys trusted here (of `org_code` only, when given)."""
    stmt = select(PeerKey).order_by(PeerKey.org_code)
    if org_code is not None:
        stmt = stmt.where(col(PeerKey.org_code) == org_code)
    return list(session.execute(stmt).scalars())


def recipients(session: Session) -> list[PeerKey]:
    """Whom this workspace can send a bundle to: its parent org's workspaces and other PCs of
    its own org (a village's second PC)."""
    info = session.get(WorkspaceInfo, 1)
    if info is None:
        return []
    return [
        p
        for p in peers(session)
        if p.org_code == info.org_code or (info.parent_code and p.org_code == info.parent_code)
    ]


@requires("sync_in")
def trust_card(session: Session, actor: Actor, card: KeyCard, *, replace: bool = False) -> PeerKey:
    """导入密钥卡 as a user does it (the fingerprint compared by phone): `trust` with the
    permission check and the user recorded. A village's card at its town puts the village on
    the town's 村名单."""
    from huzhu_desktop.core.services.villages import remember_village

    peer = trust(session, card, actor.operator, replace=replace)
    if card.kind == "village":
        remember_village(session, actor, card.org_code, card.org_name)
    return peer


@requires("sync_out")
def export_card(session: Session, actor: Actor, path: Path) -> KeyCard:
    """导出密钥卡 as a user does it."""
    return write_card(session, path)
