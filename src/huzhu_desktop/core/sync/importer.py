"""查看 and 导入 a bundle: who sent it and whether to trust it, then a dry run (per table: new /
changed / unchanged / deleted / conflicts), then apply — all or nothing, in the caller's
transaction. Every refusal raises before anything is written.

Order of checks: the file's shape → is it for this workspace → is the sender one this workspace
takes bundles from → is the sender's key the trusted one → signature → replay and sequence →
decrypt → payload hash → every row. A town's bundle carries its villages' bundles as they were
received; each is checked against its own village signature before any of its rows count.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from huzhu_desktop.core import clock
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.db.bulk import larger_cache
from huzhu_desktop.core.db.schema import SCHEMA_HEAD
from huzhu_desktop.core.errors import HuzhuError
from huzhu_desktop.core.models import BundleLog, WorkspaceInfo
from huzhu_desktop.core.periods import quarter_bounds
from huzhu_desktop.core.services.keys import (
    KeyCard,
    box_key_for,
    find_peer,
    fingerprint,
    peers,
    trust,
    workspace_info,
)
from huzhu_desktop.core.services.permissions import requires
from huzhu_desktop.core.services.villages import remember_village
from huzhu_desktop.core.sync import container, log, manifest, merge, receipt, versions
from huzhu_desktop.core.sync.container import BundleRefused, RawBundle
from huzhu_desktop.core.sync.snapshot import UUID, Embedded, Snapshot, from_lines

IMPORT_CACHE_MB = 256  # page cache while a bundle is written (see import_bundle)

KEY_STATUS = {
    "trusted": "已核对（与导入的密钥卡一致）",
    "unknown": "未知（还没有导入这个单位的密钥卡）",
    "changed": "密钥已更换（与以前导入的不同）",
    "claimed": "另一把密钥（这个单位已有核对过的另一台电脑的密钥）",
}


@dataclass
class Inspection:
    """What a bundle says about itself, checked as far as possible without opening it."""

    name: str
    manifest: dict[str, Any]
    sender: KeyCard
    file_sha256: str
    key_status: str  # trusted / unknown / changed
    known_fingerprint: str
    signature_ok: bool
    for_us: bool
    target: str
    already_imported: bool

    def as_json(self) -> dict[str, Any]:
        m = self.manifest
        return {
            "file": self.name,
            "bundle_id": m["bundle_id"],
            "sender": {
                "org_code": self.sender.org_code,
                "org_name": self.sender.org_name,
                "kind": self.sender.kind,
                "workspace_id": self.sender.workspace_id,
                "fingerprint": self.sender.fingerprint,
                "pc": m["source"].get("pc", ""),
            },
            "target": self.target,
            "kind": m.get("kind", "data"),  # data / receipt (回执)
            "quarters": m.get("quarters", []),  # a 回执's statuses per quarter
            "for_this_workspace": self.for_us,
            "period": m["period"],
            "seq": m["seq"],
            "made_at": m["made_at"],
            "made_at_local": clock.local_time(m["made_at"]),
            "made_by": m.get("made_by", ""),
            "app_version": m.get("app_version", ""),
            "schema": m.get("schema", ""),
            "from_older": versions.from_older(m),
            "counts": m["counts"],
            "totals": m["totals"],
            "corrects": m.get("corrects") or [],  # quarters whose figures this bundle changes
            "villages": m.get("villages", []),
            "signature": "有效" if self.signature_ok else "无效",
            "key_status": self.key_status,
            "key_status_text": KEY_STATUS[self.key_status],
            "known_fingerprint": self.known_fingerprint,
            "already_imported": self.already_imported,
            "file_sha256": self.file_sha256,
        }


@dataclass
class SourceResult:
    org_code: str
    org_name: str
    seq: int
    status: str  # new / already / older
    tables: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class ImportResult:
    inspection: Inspection
    applied: bool
    already_imported: bool
    sources: list[SourceResult]
    warnings: list[str]
    receipt: list[str] | None = None  # a 回执's lines (what it says per quarter), else None

    def totals(self) -> dict[str, int]:
        out = dict.fromkeys(merge.COUNT_LABELS, 0)
        for s in self.sources:
            for counts in s.tables.values():
                for k in out:
                    out[k] += counts[k]
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "bundle": self.inspection.as_json(),
            "dry_run": not self.applied and not self.already_imported,
            "applied": self.applied,
            "already_imported": self.already_imported,
            "warnings": self.warnings,
            "kind": "receipt" if self.receipt is not None else "data",
            "receipt": self.receipt,
            "totals": self.totals(),
            "sources": [
                {
                    "org_code": s.org_code,
                    "org_name": s.org_name,
                    "seq": s.seq,
                    "status": s.status,
                    "tables": s.tables,
                }
                for s in self.sources
            ],
        }


def inspect_bundle(session: Session, path: Path) -> Inspection:
    return _inspect(session, container.read_head(path))


def _inspect(session: Session, raw: RawBundle) -> Inspection:
    """Signature first (over the manifest, with the key the manifest names), then every field's
    shape, then what the sender's key means here. A bad signature ends it: nothing else in the
    file is believed, so no other reason is given."""
    m = raw.manifest
    claimed = m.get("source")
    sign_public = claimed.get("sign_public") if isinstance(claimed, dict) else None
    if not isinstance(sign_public, str) or not container.verify_signature(raw, sign_public):
        raise BundleRefused(
            f"数据包“{raw.name}”的签名不对：它不是发件单位导出的原样文件（被改动过或伪造），"
            "不能查看或导入。",
            "bad signature",
        )
    manifest.validate(m, raw.name)
    versions.check(m, raw.name)
    sender = _sender(m, raw.name)
    status, known = _key_status(session, sender)
    info = workspace_info(session)
    target = m["target"]
    already = session.get(BundleLog, str(m["bundle_id"])) is not None
    return Inspection(
        raw.name,
        m,
        sender,
        raw.file_sha256,
        status,
        known,
        True,
        target.get("workspace_id") == info.workspace_id,
        f"{target.get('org_name', '')}（{target.get('org_code', '')}）",
        already,
    )


def _on_pc(m: dict[str, Any]) -> str:
    pc = m["source"].get("pc") if isinstance(m.get("source"), dict) else None
    return f"的电脑“{pc}”" if isinstance(pc, str) and pc else ""


def _key_status(session: Session, sender: KeyCard) -> tuple[str, str]:
    """trusted / unknown / changed (this workspace, another key) / claimed (a new workspace
    naming a unit already trusted with another key: never just "new"), and the fingerprint
    already trusted for it."""
    peer = find_peer(session, sender.workspace_id)
    if peer is not None:
        same = peer.sign_public == sender.sign_public and peer.box_public == sender.box_public
        return ("trusted" if same else "changed"), peer.fingerprint
    others = peers(session, sender.org_code)  # a town's 30 villages: not every key 30 times
    if others:
        return "claimed", " / ".join(p.fingerprint for p in others)
    return "unknown", ""


def _sender(m: dict[str, Any], name: str) -> KeyCard:
    try:
        s = m["source"]
        card = KeyCard(
            str(s["workspace_id"]),
            str(s["kind"]),
            str(s["org_code"]),
            str(s["org_name"]),
            s.get("parent_code"),
            str(s["sign_public"]),
            str(s["box_public"]),
            fingerprint(str(s["sign_public"]), str(s["box_public"])),
        )
        if card.fingerprint != s["fingerprint"] or not UUID.match(str(m["bundle_id"])):
            raise ValueError("fingerprint or bundle id")
        for key in ("counts", "totals", "payload", "target"):
            if not isinstance(m[key], dict):
                raise TypeError(key)
        quarter_bounds(str(m["period"]))
        _parse_stamp(str(m["made_at"]))
        if int(m["seq"]) < 1:
            raise ValueError("seq")
    except (KeyError, TypeError, ValueError, HuzhuError) as e:
        raise container.damaged(name, f"manifest fields: {e!r}") from e
    return card


@requires("sync_in")
def import_bundle(
    session: Session,
    actor: Actor,
    path: Path,
    *,
    dry_run: bool = False,
    trust_new_key: bool = False,
    accept_changed_key: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """`progress(done, total)` is called as the tables are written (it may raise Cancelled:
    the caller's transaction then leaves the database as it was)."""
    raw = container.read_head(path)
    ins = _inspect(session, raw)  # signature, fields, key status — before anything else
    m, sender, info = raw.manifest, ins.sender, workspace_info(session)
    if sender.workspace_id == info.workspace_id:
        raise BundleRefused("这是本工作区自己导出的数据包，不需要导入。")
    if not ins.for_us:
        raise BundleRefused(
            f"这个数据包是发给{ins.target}的，不是发给本单位（{info.org_name}，{info.org_code}）的，"
            "不能导入。"
        )
    is_receipt = m.get("kind") == receipt.KIND
    if is_receipt:
        receipt.check_sender(info, sender)
    else:
        _check_relation(info, sender)
    if ins.key_status == "unknown" and not trust_new_key:
        raise BundleRefused(
            f"还没有导入{sender.who()}的密钥卡。数据包上的指纹是 {sender.fingerprint}，"
            "请打电话与对方电脑上显示的指纹核对，一致后再确认导入。",
            "unknown sender key",
        )
    if ins.key_status == "claimed" and not accept_changed_key:
        raise BundleRefused(
            f"这个数据包自称来自{sender.who()}{_on_pc(m)}，但本单位已核对过{sender.org_name}另一台电脑的密钥"
            f"（指纹 {ins.known_fingerprint}），这份的密钥不同（指纹 {sender.fingerprint}）。"
            "如果对方确实换了电脑或新增了一台电脑，请打电话核对新指纹并问清是哪台电脑，"
            "一致后再确认；否则可能是伪造的数据包。",
            "claimed org with another key",
        )
    if ins.key_status == "changed" and not accept_changed_key:
        raise BundleRefused(
            f"{sender.who()}的密钥与以前的不同（以前 {ins.known_fingerprint}，现在 "
            f"{sender.fingerprint}）。可能对方重装了软件，也可能是伪造的数据包。请打电话核对新指纹，"
            "一致后再确认更换。",
            "changed sender key",
        )
    sources: list[SourceResult] = []
    warnings: list[str] = []
    if ins.already_imported:
        made = clock.local_time(m["made_at"])
        warnings.append(f"这个数据包（第{m['seq']}号，{made} 导出）已经导入过，本次没有任何改动。")
        return ImportResult(ins, False, True, sources, warnings)
    if is_receipt:
        receipt.check_sequence(session, m)
        if not dry_run and ins.key_status != "trusted":
            trust(session, sender, actor.operator, replace=True)
        lines, _body = receipt.apply(session, actor, raw, dry_run=dry_run)
        return ImportResult(ins, not dry_run, False, sources, warnings, lines)
    warnings += _sequence(session, m, raw.name)

    plain = container.unseal(
        container.read_payload(raw),
        m["payload"],
        box_key_for(session, str(m["target"].get("fingerprint", ""))),
        m["bundle_id"],
    )
    snap = _open_plain(plain, m, {sender.org_code}, raw.name)
    if snap.embedded and sender.kind != "town":
        raise container.damaged(raw.name, "embedded bundles from a non-town sender")
    seen = (m.get("acks") or {}).get(info.workspace_id, {}).get("made_at")
    plans: list[tuple[merge.MergePlan, SourceResult, RawBundle | None, bytes | None]] = []
    main = merge.plan(session, snap, info.workspace_id, seen)
    main_result = SourceResult(sender.org_code, sender.org_name, int(m["seq"]), "new")
    plans.append((main, main_result, None, None))
    for e in snap.embedded:
        plans.append(_embedded_plan(session, e, sender, raw.name, warnings, accept_changed_key))
    for p, result, _, _ in plans:
        result.tables = p.summary()
        sources.append(result)
    if dry_run:
        return ImportResult(ins, False, False, sources, warnings)

    if ins.key_status != "trusted":
        trust(session, sender, actor.operator, replace=True)
    if sender.kind == "village":  # a village that reports is on its town's 村名单
        remember_village(session, actor, sender.org_code, sender.org_name)
    # A district's file outgrows the usual 64 MB page cache: each bundle's rows land on
    # pages all over its indexes (85 s for 20 towns; 76 s with 256 MB, for this write only).
    with larger_cache(session, IMPORT_CACHE_MB):
        for p, result, village_raw, village_plain in plans:
            if result.status != "new":
                continue
            source = raw if village_raw is None else village_raw
            merge.apply(session, p, source.manifest["bundle_id"], progress)
            if village_raw is not None:
                village = _sender(village_raw.manifest, raw.name)
                if find_peer(session, village.workspace_id) is None or accept_changed_key:
                    trust(session, village, f"经{sender.org_name}转来", replace=True)
                via = sender.org_code
                _log_in(session, actor, village_raw, village_plain, p, via=via, keep=False)
    keep_payload = sender.kind == "village" and info.kind == "town"
    _log_in(session, actor, raw, plain if keep_payload else None, main, via="", keep=keep_payload)
    session.flush()
    return ImportResult(ins, True, False, sources, warnings)


def _embedded_plan(
    session: Session,
    e: Embedded,
    town: KeyCard,
    name: str,
    warnings: list[str],
    accept_changed_key: bool,
) -> tuple[merge.MergePlan, SourceResult, RawBundle | None, bytes | None]:
    """Check one village bundle carried by a town and plan its rows. A village's key is learnt
    the first time a town forwards its bundle, then held to: a town cannot swap in a village
    bundle signed by a key of its own making without the district noticing."""
    try:
        vm = json.loads(e.manifest_bytes)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        raise container.damaged(name, f"embedded manifest: {err}") from err
    if not isinstance(vm, dict):
        raise container.damaged(name, "embedded manifest is not an object")
    village_raw = RawBundle(name, e.manifest_bytes, vm, e.signature, "", b"")
    claimed = vm.get("source")
    sign_public = claimed.get("sign_public") if isinstance(claimed, dict) else None
    if not isinstance(sign_public, str) or not container.verify_signature(village_raw, sign_public):
        raise BundleRefused(
            f"{town.who()}转来的一个村的数据包签名不对，可能在乡镇被改动过。不能导入。"
        )
    manifest.validate(vm, name)
    village = _sender(vm, name)
    versions.check(vm, name, f"中转来的{village.who()}数据")
    if village.kind != "village" or village.parent_code != town.org_code:
        raise BundleRefused(
            f"{town.who()}的数据包里夹带了不属于它的村（{village.org_name}，{village.org_code}），不能导入。"
        )
    status, known = _key_status(session, village)
    if status in ("changed", "claimed") and not accept_changed_key:
        raise BundleRefused(
            f"{town.who()}转来的{village.who()}数据包用的是另一把密钥（以前 "
            f"{known}，现在 {village.fingerprint}）。"
            "请向该村核对新指纹，一致后再确认更换。",
            "changed village key",
        )
    if container.sha256(e.plain) != vm["payload"]["sha256_plain"]:
        raise BundleRefused(
            f"{town.who()}转来的{village.who()}数据与村里签名的内容不一致，不能导入。"
        )
    village_raw.file_sha256 = vm["payload"]["sha256_encrypted"]
    result = SourceResult(village.org_code, village.org_name, int(vm["seq"]), "new")
    if session.get(BundleLog, vm["bundle_id"]) is not None:
        result.status = "already"
        return merge.MergePlan(), result, village_raw, e.plain
    last = _last_in(session, village.workspace_id)
    if last is not None and last.seq >= int(vm["seq"]):
        result.status = "older"
        warnings.append(
            f"{village.who()}：已经有更新的数据（第{last.seq}号），这次转来的第{vm['seq']}号没有使用。"
        )
        return merge.MergePlan(), result, village_raw, e.plain
    snap = _open_plain(e.plain, vm, {village.org_code}, name)
    if snap.embedded:
        raise container.damaged(name, "nested embedded bundles")
    return merge.plan(session, snap, "", None), result, village_raw, e.plain


def _open_plain(plain: bytes, m: dict[str, Any], owners: set[str], name: str) -> Snapshot:
    p = m["payload"]
    if container.sha256(plain) != p.get("sha256_plain") or len(plain) != p.get("size_plain"):
        raise container.damaged(name, "plaintext hash")
    rows = container.decompress(plain, int(p["size_rows"]), name)
    return from_lines(versions.upgrade_rows(rows, m.get("schema", SCHEMA_HEAD), name), owners, name)


def _check_relation(info: WorkspaceInfo, sender: KeyCard) -> None:
    """A workspace takes bundles from its own org's other PCs and from the units right below it."""
    if sender.org_code == info.org_code and sender.kind == info.kind:
        return
    below = {"town": "village", "district": "town"}.get(info.kind)
    if sender.kind == below and sender.parent_code == info.org_code:
        return
    raise BundleRefused(
        f"这个数据包来自{sender.who()}，它不是本单位（{info.org_name}）下属的单位，也不是本单位的"
        "另一台电脑，不能导入。"
    )


def _last_in(session: Session, source_workspace: str, kind: str = "data") -> BundleLog | None:
    return session.execute(
        select(BundleLog)
        .where(
            col(BundleLog.direction) == "in",
            col(BundleLog.kind) == kind,
            col(BundleLog.source_workspace) == source_workspace,
        )
        .order_by(col(BundleLog.seq).desc())
        .limit(1)
    ).scalar()


def _sequence(session: Session, m: dict[str, Any], name: str) -> list[str]:
    last = _last_in(session, m["source"]["workspace_id"])
    seq = int(m["seq"])
    if last is None:
        return []
    if seq <= last.seq:
        last_made = clock.local_time(json.loads(last.manifest)["made_at"]) if last.manifest else ""
        made = clock.local_time(m["made_at"])
        raise BundleRefused(
            f"这个数据包（第{seq}号，{made} 导出）比已经导入的数据包（第{last.seq}号，"
            f"{last_made} 导出）旧，导入会把新数据改回旧的，已拒绝。"
        )
    if seq > last.seq + 1:
        return [
            f"上次导入的是第{last.seq}号，这次是第{seq}号，中间缺了 {seq - last.seq - 1} 个数据包。"
            "数据是完整快照，不会缺数据；只是请留意是否有U盘没有送到。"
        ]
    if m.get("prev_sha256") and m["prev_sha256"] != last.file_sha256:
        return ["这个数据包与上一次导入的接不上（对方可能重新导出过）；数据是完整快照，照常导入。"]
    return []


def _log_in(
    session: Session,
    actor: Actor,
    raw: RawBundle,
    plain: bytes | None,
    plan: merge.MergePlan,
    *,
    via: str,
    keep: bool,
) -> None:
    log.log_in(session, actor, raw, plain if keep else None, plan.summary(), via=via)


def _parse_stamp(text: str) -> Any:
    return log.parse_stamp(text)
