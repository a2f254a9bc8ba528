"""The bundle log's rows: one for each bundle or 回执 written here (`log_out`) or applied here
(`log_in`), whatever its kind — one place that knows which manifest field fills which column."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlmodel import Session

from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.models import BundleLog, PeerKey, utcnow
from huzhu_desktop.core.sync import container
from huzhu_desktop.core.sync.container import RawBundle


def parse_stamp(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def log_out(
    session: Session,
    actor: Actor,
    card: Any,
    target: PeerKey,
    dest: Path,
    manifest_bytes: bytes,
    signature: bytes,
    summary: dict[str, Any],
    *,
    kind: str = "data",
) -> None:
    m = json.loads(manifest_bytes)
    session.add(
        BundleLog(
            bundle_id=m["bundle_id"],
            direction="out",
            kind=kind,
            source_workspace=card.workspace_id,
            source_kind=card.kind,
            source_code=card.org_code,
            source_name=card.org_name,
            target_workspace=target.workspace_id,
            target_code=target.org_code,
            seq=int(m["seq"]),
            period=str(m["period"]),
            made_at=utcnow(),
            file_name=dest.name,
            file_sha256=container.sha256(dest.read_bytes()),
            manifest=manifest_bytes.decode(),
            signature=signature.hex(),
            summary=json.dumps(summary, ensure_ascii=False),
            done_by=actor.operator,
        )
    )


def log_in(
    session: Session,
    actor: Actor,
    raw: RawBundle,
    payload: bytes | None,
    summary: Any,
    *,
    kind: str = "data",
    via: str = "",
) -> None:
    m = raw.manifest
    s = m["source"]
    session.add(
        BundleLog(
            bundle_id=m["bundle_id"],
            direction="in",
            kind=kind,
            source_workspace=s["workspace_id"],
            source_kind=s["kind"],
            source_code=s["org_code"],
            source_name=s["org_name"],
            target_workspace=m["target"].get("workspace_id", ""),
            target_code=m["target"].get("org_code", ""),
            seq=int(m["seq"]),
            period=str(m["period"])[:6],
            made_at=parse_stamp(m["made_at"]),
            file_name=raw.name,
            file_sha256=raw.file_sha256,
            manifest=raw.manifest_bytes.decode(),
            signature=raw.signature.hex(),
            payload=payload,
            summary=json.dumps(summary, ensure_ascii=False),
            via_code=via,
            done_by=actor.operator,
            done_at=utcnow(),
        )
    )
