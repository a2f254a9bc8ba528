"""回执 — the town's (district's) answer to a unit below, carried down on the same USB stick:
which of its bundles arrived (ids, numbers, when), each quarter's review as the town stands
(已接收 / 已审核 / 退回 with the reasons, a record id where a reason is about one) and the notices
the town sends down (its 监督电话 and office phone).

A bundle kind of its own: `kind: receipt`, format 2 (an app before 0.3.0 refuses it, naming the
version to install), signed and encrypted for the receiving PC like a data bundle, with its own
sequence per (sender, receiver) — a 回执 older than one already applied is refused, as bundles
are. The receiver keeps each applied 回执's content in its bundle log; its 报送情况 per quarter
(`sent_status`) is its own sent bundles read against the newest 回执.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from huzhu_desktop.core import clock
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.db.bulk import stamp
from huzhu_desktop.core.errors import HuzhuError, NotFoundError, WorkspaceError
from huzhu_desktop.core.models import BundleLog, PeerKey, Person, WorkspaceInfo, new_id, utcnow
from huzhu_desktop.core.periods import reporting_quarter
from huzhu_desktop.core.services import review
from huzhu_desktop.core.services.audit import record_audit
from huzhu_desktop.core.services.keys import (
    KeyCard,
    box_key_for,
    ensure_keys,
    own_card,
    peers,
    workspace_info,
)
from huzhu_desktop.core.services.permissions import requires
from huzhu_desktop.core.services.villages import town_villages
from huzhu_desktop.core.sync import container, log, manifest
from huzhu_desktop.core.sync.container import BundleRefused, RawBundle
from huzhu_desktop.core.sync.export import (
    file_name,
    header,
    last_out,
    payload_fields,
    write_signed,
)

KIND = "receipt"
ABOVE = {"village": "town", "town": "district"}
BELOW = {"town": "village", "district": "town"}
UNIT_WORD = {"village": "村", "town": "乡镇"}
MAX_RECEIVED = 40  # the newest bundles a 回执 lists as arrived


@dataclass
class Written:
    path: Path
    unit_code: str
    unit_name: str
    seq: int
    quarters: list[dict[str, str]]
    size: int


@dataclass
class SentQuarter:
    """One quarter as the unit below sees it after the 回执: 未报 / 已报送 (sent, not yet
    acknowledged) / 已接收 / 已审核 / 退回, with the town's reasons."""

    quarter: str
    sent_at: str | None
    seq: int | None
    status: str
    reviewed_at: str | None
    reasons: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "quarter": self.quarter,
            "sent_at": self.sent_at,
            "seq": self.seq,
            "status": self.status,
            "reviewed_at": self.reviewed_at,
            "reasons": self.reasons,
        }


def units_below(session: Session) -> list[PeerKey]:
    """The PCs of the units below whose keys this workspace holds (a 回执 is sealed for one)."""
    info = workspace_info(session)
    below = BELOW.get(info.kind)
    return [p for p in peers(session) if p.kind == below and p.parent_code == info.org_code]


def content(session: Session, unit: str) -> dict[str, Any]:
    """What a 回执 to `unit` says: its bundles that arrived, each quarter's review, notices."""
    arrived = session.execute(
        select(BundleLog)
        .where(
            col(BundleLog.direction) == "in",
            col(BundleLog.kind) == "data",
            col(BundleLog.source_code) == unit,
            col(BundleLog.via_code) == "",
        )
        .order_by(col(BundleLog.seq).desc())
        .limit(MAX_RECEIVED)
    ).scalars()
    received = [
        {
            "bundle_id": r.bundle_id,
            "seq": r.seq,
            "period": r.period,
            "made_at": stamp(r.made_at),
            "received_at": stamp(r.done_at),
        }
        for r in arrived
    ]
    verdicts = review.verdicts_of(session, unit)
    reviews = []
    for q in sorted({r["period"] for r in received} | set(verdicts)):
        seen = review.carriers(session, q, unit=unit).get(unit)
        verdict = verdicts.get(q)
        status, reasons, reopened = review.state(seen[1] if seen else None, verdict)
        reviews.append(
            {
                "quarter": q,
                "status": status,
                "reasons": [{"record_id": r.record_id, "text": r.text} for r in reasons],
                "reviewed_at": stamp(verdict.reviewed_at) if verdict and not reopened else None,
                "seen_seq": seen[1] if seen else 0,
                "reopened": reopened,
            }
        )
    info = workspace_info(session)
    notices = {
        "from": info.org_name,
        "supervision_phone": info.supervision_phone,
        "office_phone": info.office_phone,
    }
    return {"received": received, "reviews": reviews, "notices": notices}


@requires("sync_out")
def export_receipts(
    session: Session,
    actor: Actor,
    folder: Path,
    *,
    to: Sequence[str] = (),
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Written]:
    """Write a 回执 for each unit below named in `to` (12-digit codes), or for every unit below
    whose key this workspace holds, into `folder`. One per PC of a unit."""
    info = workspace_info(session)
    below = BELOW.get(info.kind)
    if below is None:
        raise WorkspaceError("回执由乡镇写给村、区县写给乡镇；村里不需要写回执。")
    chosen = _chosen(session, info, below, to)
    own, card = ensure_keys(session), own_card(session)
    period = str(reporting_quarter(today))
    written = []
    for done, target in enumerate(chosen):
        if progress is not None:
            progress(done, len(chosen))
        written.append(_write(session, actor, folder, target, own, card, period))
    if progress is not None:
        progress(len(chosen), len(chosen))
    session.flush()
    return written


def _chosen(session: Session, info: WorkspaceInfo, below: str, to: Sequence[str]) -> list[PeerKey]:
    units = units_below(session)
    word = UNIT_WORD[below]
    if not to:
        if not units:
            raise HuzhuError(
                f"还没有导入任何{word}的密钥卡或数据包，没有可写的回执（回执要用对方的密钥加密）。"
            )
        return units
    chosen: list[PeerKey] = []
    names = {v.code: v.name for v in town_villages(session)} if below == "village" else {}
    for raw_code in to:
        code = raw_code.strip()
        found = [p for p in units if p.org_code == code]
        if found:
            chosen += [p for p in found if p not in chosen]
        elif code in names:
            raise HuzhuError(
                f"还没有收到{names[code]}（{code}）的密钥卡或数据包，写不了它的回执："
                "回执要用对方的密钥加密。"
            )
        else:
            raise NotFoundError(f"本单位下面没有代码为 {code[:20]} 的{word}。")
    return chosen


def _write(
    session: Session,
    actor: Actor,
    folder: Path,
    target: PeerKey,
    own: Any,
    card: KeyCard,
    period: str,
) -> Written:
    body = content(session, target.org_code)
    data = json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
    plain = container.compress(data)
    bundle_id, made_at = new_id(), stamp(utcnow())
    cipher, params = container.seal(plain, target.box_public, bundle_id)
    last = last_out(session, target.workspace_id, KIND)
    seq = (last.seq if last else 0) + 1
    quarters = [{"quarter": r["quarter"], "status": r["status"]} for r in body["reviews"]]
    m = header(actor, card, target, own.fingerprint, bundle_id, made_at, period, seq, last)
    m |= {
        "version": container.RECEIPT_VERSION,
        "kind": KIND,
        "counts": {},
        "totals": {},
        "quarters": quarters,
        "payload": payload_fields(params, len(data), plain, cipher),
    }
    name = receipt_name(target.org_code, target.org_name, period, seq)
    dest, manifest_bytes, signature = write_signed(folder, name, m, cipher, own)
    size = dest.stat().st_size
    log.log_out(session, actor, card, target, dest, manifest_bytes, signature,
                {"quarters": quarters}, kind=KIND)  # fmt: skip
    return Written(dest, target.org_code, target.org_name, seq, quarters, size)


def receipt_name(code: str, name: str, period: str, seq: int) -> str:
    """`500112001001_张家村_回执_2026Q4_001.huzhu` — the receiver's code and name first."""
    return file_name(code, name, period, seq).replace(f"_{period}_", f"_回执_{period}_", 1)


# --- the receiving side ------------------------------------------------------------------


def check_sender(info: WorkspaceInfo, sender: KeyCard) -> None:
    """A 回执 comes only from this unit's own upper unit."""
    if sender.kind == ABOVE.get(info.kind) and sender.org_code == info.parent_code:
        return
    raise BundleRefused(
        f"这份回执来自{sender.who()}，它不是本单位（{info.org_name}）的上级单位，不能导入。"
    )


def _last_in(session: Session, source_workspace: str) -> BundleLog | None:
    return session.execute(
        select(BundleLog)
        .where(
            col(BundleLog.direction) == "in",
            col(BundleLog.kind) == KIND,
            col(BundleLog.source_workspace) == source_workspace,
        )
        .order_by(col(BundleLog.seq).desc())
        .limit(1)
    ).scalar()


def check_sequence(session: Session, m: dict[str, Any]) -> None:
    last = _last_in(session, m["source"]["workspace_id"])
    if last is not None and int(m["seq"]) <= last.seq:
        made = clock.local_time(m["made_at"])
        last_made = clock.local_time(json.loads(last.manifest)["made_at"])
        raise BundleRefused(
            f"这份回执（第{m['seq']}号，{made} 写）比已经导入的回执（第{last.seq}号，"
            f"{last_made} 写）旧，导入会把审核情况改回旧的，已拒绝。"
        )


def open_body(session: Session, raw: RawBundle) -> tuple[dict[str, Any], bytes]:
    """Decrypt, check and parse a 回执's content (any failure: the one clear refusal)."""
    m = raw.manifest
    plain = container.unseal(
        container.read_payload(raw),
        m["payload"],
        box_key_for(session, str(m["target"].get("fingerprint", ""))),
        m["bundle_id"],
    )
    if container.sha256(plain) != m["payload"]["sha256_plain"]:
        raise container.damaged(raw.name, "plaintext hash")
    data = container.decompress(plain, int(m["payload"]["size_rows"]), raw.name)
    try:
        body = json.loads(data.decode("utf-8"))
        manifest.mapping(body, BODY)
    except (ValueError, manifest.Malformed, RecursionError) as e:
        raise container.damaged(raw.name, f"receipt body: {e}") from e
    return body, data


def apply(
    session: Session, actor: Actor, raw: RawBundle, *, dry_run: bool
) -> tuple[list[str], dict[str, Any]]:
    """Check and (unless `dry_run`) keep a 回执; the lines that tell the clerk what it says."""
    body, data = open_body(session, raw)
    lines = describe(body)
    if dry_run:
        return lines, body
    summary = {"quarters": raw.manifest.get("quarters", [])}
    log.log_in(session, actor, raw, data, summary, kind=KIND)
    phone = body["notices"].get("supervision_phone", "")
    info = workspace_info(session)
    if phone and phone != info.supervision_phone:
        before = info.supervision_phone
        info.supervision_phone = phone
        record_audit(session, actor, "监督电话（回执带来）", "workspace_info", "1",
                     f"{before or '（空）'} → {phone}")  # fmt: skip
        sender = body["notices"].get("from", "上级")
        lines.append(f"监督电话已更新为 {phone}（{sender}发来，明白卡上印这个号码）。")
    session.flush()
    return lines, body


def describe(body: dict[str, Any]) -> list[str]:
    from huzhu_desktop.core.periods import quarter_label

    lines = []
    for r in body["reviews"]:
        text = f"{quarter_label(r['quarter'])}：{r['status']}"
        if r.get("reopened"):
            text += "（更正后的数据已收到，等待重新审核）"
        if r["reasons"]:
            text += "。原因：" + "；".join(x["text"] for x in r["reasons"])
        lines.append(text)
    return lines or ["回执里还没有任何季度的审核情况。"]


def _reason(value: Any) -> None:
    manifest.mapping(
        value,
        {"record_id": lambda v: manifest.text(v, 36), "text": lambda v: manifest.text(v, 200)},
    )


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise manifest.Malformed("not a yes/no")
    return value


_STAMP = manifest.pattern(manifest.STAMP)
BODY: dict[str, Callable[[Any], Any]] = {
    "received": lambda v: manifest.listing(
        v,
        lambda x: manifest.mapping(
            x,
            {
                "bundle_id": manifest.pattern(manifest.UUID),
                "seq": lambda n: manifest.integer(n, 1),
                "period": manifest.pattern(manifest.PERIOD),
                "made_at": _STAMP,
                "received_at": _STAMP,
            },
        ),
    ),
    "reviews": lambda v: manifest.listing(
        v,
        lambda x: manifest.mapping(
            x,
            {
                "quarter": manifest.pattern(manifest.PERIOD),
                "status": manifest.one_of(*manifest.STATUSES),
                "reasons": lambda rs: manifest.listing(rs, _reason),
                "reviewed_at": manifest.optional(_STAMP),
                "seen_seq": manifest.integer,
                "reopened": _flag,
            },
        ),
    ),
    "notices": lambda v: manifest.mapping(
        v,
        {"from": manifest.text},
        optional={
            "supervision_phone": lambda p: manifest.text(p, 20),
            "office_phone": lambda p: manifest.text(p, 20),
        },
    ),
}


# --- what the unit below reads -----------------------------------------------------------


def latest_body(session: Session) -> dict[str, Any] | None:
    """The newest 回执 applied here (by its sequence), its content."""
    info = workspace_info(session)
    row = session.execute(
        select(BundleLog)
        .where(
            col(BundleLog.direction) == "in",
            col(BundleLog.kind) == KIND,
            col(BundleLog.source_code) == (info.parent_code or ""),
        )
        .order_by(col(BundleLog.done_at).desc(), col(BundleLog.seq).desc())
        .limit(1)
    ).scalar()
    if row is None or row.payload is None:
        return None
    found = json.loads(row.payload)
    return found if isinstance(found, dict) else None


def sent_status(session: Session) -> list[SentQuarter]:
    """Per quarter this unit sent (or the town reviewed), newest first: what the newest 回执 says
    of it, read against this PC's own sent bundles — a bundle sent after the 回执 was written
    shows 已报送 until the next 回执 acknowledges it."""
    info = workspace_info(session)
    sent: dict[str, tuple[int, str]] = {}
    for row in session.execute(
        select(BundleLog)
        .where(
            col(BundleLog.direction) == "out",
            col(BundleLog.kind) == "data",
            col(BundleLog.target_code) == (info.parent_code or ""),
        )
        .order_by(col(BundleLog.seq))
    ).scalars():
        for q in {row.period} | review.corrected(row.manifest):
            sent[q] = (row.seq, clock.local_time(str(row.done_at)))
    body = latest_body(session) or {"received": [], "reviews": []}
    received = {int(r["seq"]) for r in body["received"]}
    reviews = {r["quarter"]: r for r in body["reviews"]}
    out = []
    for q in sorted(set(sent) | set(reviews), reverse=True):
        seq, at = sent.get(q, (None, None))
        r = reviews.get(q)
        if seq is not None and (r is None or seq > int(r["seen_seq"])):
            status = "已接收" if seq in received else "已报送"
            out.append(SentQuarter(q, at, seq, status, None))
            continue
        assert r is not None
        reviewed = clock.local_time(r["reviewed_at"]) if r.get("reviewed_at") else None
        reasons = [dict(x, label=record_label(session, x["record_id"])) for x in r["reasons"]]
        out.append(SentQuarter(q, at, seq, r["status"], reviewed, reasons))
    return out


def record_label(session: Session, record_id: str) -> str:
    """The name a reason's record goes by here ("" when it names none or is not found)."""
    if not record_id:
        return ""
    person = session.get(Person, record_id)
    return person.name if person is not None else ""
