"""导出数据包 — write this workspace's bundle for its town (or district, or the village's other
PC): snapshot, encrypt, sign, write atomically, read back and verify, log."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from huzhu_desktop import __version__
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.atomic import atomic_path
from huzhu_desktop.core.db.bulk import stamp
from huzhu_desktop.core.db.schema import SCHEMA_HEAD
from huzhu_desktop.core.errors import HuzhuError
from huzhu_desktop.core.models import BundleLog, PeerKey, new_id, utcnow
from huzhu_desktop.core.periods import Quarter, reporting_quarter
from huzhu_desktop.core.services import submissions
from huzhu_desktop.core.services.keys import (
    ensure_keys,
    own_card,
    pc_name,
    peers,
    recipients,
    signing_key,
    workspace_info,
)
from huzhu_desktop.core.services.permissions import requires
from huzhu_desktop.core.sync import container, log
from huzhu_desktop.core.sync.container import BundleRefused
from huzhu_desktop.core.sync.snapshot import TABLES, Embedded, read_own, to_lines
from huzhu_desktop.core.sync.totals import org_totals


@dataclass
class Exported:
    path: Path
    bundle_id: str
    seq: int
    period: str
    target: str
    counts: dict[str, int]
    totals: dict[str, float | int]
    villages: int
    size: int


def choose_recipient(session: Session, to: str | None = None) -> PeerKey:
    """Whom the bundle is for: `to` (a workspace id or org code), else the one parent unit."""
    info = workspace_info(session)
    found = recipients(session)
    if to:  # named by the clerk: the parent unit or this unit's other PC, nobody else
        known = [p for p in peers(session) if to in (p.workspace_id, p.org_code)]
        found = [p for p in known if p in recipients(session)]
        if known and not found:
            raise HuzhuError(
                f"不能把数据包发给{known[0].org_name}（{known[0].org_code}）：数据包里是本单位的"
                "全部台账，只能交给上级单位，或本单位自己的另一台电脑。"
            )
        if len(found) != 1:
            raise HuzhuError(
                f"没有找到可以接收数据包的“{to}”（需要先导入它的密钥卡）。"
                if not found
                else f"“{to}”对应多台电脑，请用工作区编号指定。"
            )
        return found[0]
    parents = [p for p in found if p.org_code == info.parent_code]
    if not parents:
        upper = info.parent_name or "上级单位"
        raise HuzhuError(
            f"还没有导入{upper}的密钥卡，不能导出数据包。请先导入{upper}发来的密钥卡文件，并核对指纹。"
        )
    if len(parents) > 1:
        raise HuzhuError("上级单位有多台电脑的密钥卡，请指定发给哪一台。")
    return parents[0]


@requires("sync_out")
def export_bundle(
    session: Session,
    actor: Actor,
    folder: Path,
    *,
    period: str | None = None,
    to: str | None = None,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Exported:
    """Write this unit's bundle for `period` into `folder`. `progress(step, steps)` as it goes
    (reading each table, then packing, sealing and figures); if it raises (取消) before the file
    is written, nothing is written and nothing is logged."""
    info = workspace_info(session)
    if info.kind == "district" and not to:
        raise HuzhuError("区县工作区没有上级，不需要导出数据包。")
    period = str(Quarter.parse(period) if period else reporting_quarter(today))
    target = choose_recipient(session, to)
    own = ensure_keys(session)
    card = own_card(session)
    last = last_out(session, target.workspace_id)
    seq = (last.seq if last else 0) + 1
    steps = len(TABLES) + 3

    def step(done: int) -> None:
        if progress is not None:
            progress(done, steps)

    snap = read_own(session, info.org_code, lambda done, _tables: step(done))
    if info.kind == "town":
        snap.embedded = _latest_village_bundles(session)
    lines = to_lines(snap)
    step(len(TABLES))
    plain = container.compress(lines)
    bundle_id = new_id()
    made_at = stamp(utcnow())
    cipher, params = container.seal(plain, target.box_public, bundle_id)
    step(len(TABLES) + 1)
    totals = org_totals(session, info.org_code, period)
    # Quarters sent before whose figures have changed since (a late visit, a correction): the
    # receiver learns which, and from which bundle (the snapshot carries the corrected rows).
    corrects = submissions.corrections(
        session,
        target.workspace_id,
        {
            p: org_totals(session, info.org_code, p)
            for p in submissions.sent_periods(session, target.workspace_id)
        },
    )
    manifest = header(actor, card, target, own.fingerprint, bundle_id, made_at, period, seq, last)
    manifest |= {
        "counts": snap.counts(),
        "totals": totals,
        "corrects": corrects,
        "villages": [_village_line(e) for e in snap.embedded],
        "acks": _acks(session),
        "payload": payload_fields(params, len(lines), plain, cipher),
    }
    step(len(TABLES) + 2)  # the last chance to stop: the file is written next
    name = file_name(info.org_code, info.org_name, period, seq)
    dest, manifest_bytes, signature = write_signed(folder, name, manifest, cipher, own)
    size = dest.stat().st_size
    summary = {"counts": snap.counts(), "totals": totals}
    log.log_out(session, actor, card, target, dest, manifest_bytes, signature, summary)
    session.flush()
    return Exported(
        dest,
        bundle_id,
        seq,
        period,
        f"{target.org_name}（{target.org_code}）",
        snap.counts(),
        totals,
        len(snap.embedded),
        size,
    )


def last_out(session: Session, target_workspace: str, kind: str = "data") -> BundleLog | None:
    """The last bundle of `kind` written here for that receiver: the next one's sequence follows."""
    return session.execute(
        select(BundleLog)
        .where(
            col(BundleLog.direction) == "out",
            col(BundleLog.kind) == kind,
            col(BundleLog.target_workspace) == target_workspace,
        )
        .order_by(col(BundleLog.seq).desc())
        .limit(1)
    ).scalar()


def header(
    actor: Actor,
    card: Any,
    target: PeerKey,
    signer_fingerprint: str,
    bundle_id: str,
    made_at: str,
    period: str,
    seq: int,
    last: BundleLog | None,
) -> dict[str, Any]:
    """The manifest fields every bundle kind carries: who made it, for whom, when, its place in
    the (sender, receiver) sequence of its kind, and the versions that read it."""
    return {
        "format": container.FORMAT,
        "version": container.VERSION,
        "bundle_id": bundle_id,
        "app_version": __version__,
        "schema": SCHEMA_HEAD,
        "made_at": made_at,
        "made_by": actor.operator,
        "period": period,
        "seq": seq,
        "prev_sha256": last.file_sha256 if last else "",
        "source": card.fields() | {"pc": pc_name()},
        "target": {
            "workspace_id": target.workspace_id,
            "kind": target.kind,
            "org_code": target.org_code,
            "org_name": target.org_name,
            "fingerprint": target.fingerprint,
        },
        "signer_fingerprint": signer_fingerprint,
    }


def payload_fields(params: dict[str, str], size_rows: int, plain: bytes, cipher: bytes) -> dict:
    return {
        **params,
        "compression": "zlib",
        "size_rows": size_rows,
        "sha256_plain": container.sha256(plain),
        "size_plain": len(plain),
        "sha256_encrypted": container.sha256(cipher),
        "size_encrypted": len(cipher),
    }


def write_signed(
    folder: Path, name: str, manifest: dict[str, Any], cipher: bytes, own: Any
) -> tuple[Path, bytes, bytes]:
    """Sign the manifest, write the file atomically under a free name in `folder`, read it back
    whole (a failing stick shows here, not at the receiver)."""
    manifest_bytes = container.canonical(manifest)
    signature = signing_key(own).sign(manifest_bytes)
    dest = _free_name(folder, name)
    try:
        with atomic_path(dest) as tmp:
            tmp.write_bytes(container.build(manifest_bytes, signature, cipher))
    except OSError as e:
        raise HuzhuError(
            f"数据包写不进“{folder}”：{e.strerror or e}。请检查U盘是否插好、是否写保护。", repr(e)
        ) from e
    _read_back(dest, manifest_bytes, cipher, own.sign_public)
    return dest, manifest_bytes, signature


def file_name(code: str, name: str, period: str, seq: int) -> str:
    safe = re.sub(r'[\\/:*?"<>|\s]+', "", name) or "单位"
    return f"{code}_{safe}_{period}_{seq:03d}{container.SUFFIX}"


def _free_name(folder: Path, name: str) -> Path:
    dest = folder / name
    n = 2
    while dest.exists():
        dest = folder / name.replace(container.SUFFIX, f"-{n}{container.SUFFIX}")
        n += 1
    return dest


def _read_back(dest: Path, manifest_bytes: bytes, cipher: bytes, sign_public: str) -> None:
    """Read the file as written and check it whole (a failing stick shows here, not at the town)."""
    try:
        raw = container.read_head(dest)
        ok = (
            raw.manifest_bytes == manifest_bytes
            and container.verify_signature(raw, sign_public)
            and container.read_payload(raw) == cipher
        )
    except (HuzhuError, OSError) as e:
        ok, why = False, repr(e)
    else:
        why = "content differs"
    if not ok:
        dest.unlink(missing_ok=True)
        raise BundleRefused(
            "数据包写入后读回校验不一致，已删除这个文件。U盘可能有问题，请换一个U盘再导出。", why
        )


def _latest_village_bundles(session: Session) -> list[Embedded]:
    """The newest bundle applied from each village (by sequence), exactly as received."""
    rows = session.execute(
        select(BundleLog)
        .where(
            col(BundleLog.direction) == "in",
            col(BundleLog.kind) == "data",
            col(BundleLog.source_kind) == "village",
            col(BundleLog.payload).is_not(None),
        )
        .order_by(
            col(BundleLog.source_code), col(BundleLog.made_at).desc(), col(BundleLog.seq).desc()
        )
    ).scalars()
    latest: dict[str, Embedded] = {}
    for r in rows:
        if r.source_code not in latest and r.payload is not None:
            latest[r.source_code] = Embedded(
                r.manifest.encode(), bytes.fromhex(r.signature), r.payload
            )
    return list(latest.values())


def _village_line(e: Embedded) -> dict[str, Any]:
    m = json.loads(e.manifest_bytes)
    return {
        "org_code": m["source"]["org_code"],
        "org_name": m["source"]["org_name"],
        "bundle_id": m["bundle_id"],
        "seq": m["seq"],
        "period": m["period"],
        "made_at": m["made_at"],
    }


def _acks(session: Session) -> dict[str, dict[str, Any]]:
    """For each workspace this one has applied bundles from: the newest one's number and time
    (the receiver learns which of its own changes the sender had already seen)."""
    acks: dict[str, dict[str, Any]] = {}
    for r in session.execute(
        select(BundleLog)
        .where(col(BundleLog.direction) == "in", col(BundleLog.kind) == "data")
        .order_by(col(BundleLog.seq))
    ).scalars():
        made = json.loads(r.manifest)["made_at"] if r.manifest else stamp(r.made_at)
        acks[r.source_workspace] = {"seq": r.seq, "made_at": made}
    return acks
