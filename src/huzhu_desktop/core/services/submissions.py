"""Figures once reported are kept: when a quarter's 附件1 is exported, its cells are stored with
the day; a later remake that comes out different (a late visit entered, a correction) is shown
old → new, cell by cell. Bundles keep theirs in `bundle_log`; the next bundle names every
quarter whose figures changed since it was sent (`corrects` in its manifest).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.models import BundleLog, Submission

ATTACHMENT1 = "attachment1"


@dataclass(frozen=True)
class Reported:
    """A stored submission: when, by whom, and its figures (village code → field → value)."""

    made_at: datetime
    made_by: str
    figures: dict[str, dict[str, Any]]


def record(
    session: Session, actor: Actor, period_key: str, rows: list[Any], kind: str = ATTACHMENT1
) -> None:
    """Keep the rows (dataclasses with a `code`) as reported for `period_key`."""
    figures = {r.code: asdict(r) for r in rows}
    session.add(
        Submission(
            kind=kind,
            period=period_key,
            made_by=actor.operator,
            figures=json.dumps(figures, ensure_ascii=False, sort_keys=True),
        )
    )


def last_reported(session: Session, period_key: str, kind: str = ATTACHMENT1) -> Reported | None:
    row = session.execute(
        select(Submission)
        .where(col(Submission.period) == period_key, col(Submission.kind) == kind)
        .order_by(col(Submission.made_at).desc())
        .limit(1)
    ).scalar_one_or_none()
    if row is None:
        return None
    return Reported(row.made_at, row.made_by, json.loads(row.figures or "{}"))


def changes(reported: Reported, rows: list[Any]) -> dict[tuple[str, str], tuple[Any, Any]]:
    """(village code, field) → (reported, now) for every cell that differs."""
    out: dict[tuple[str, str], tuple[Any, Any]] = {}
    for r in rows:
        now = asdict(r)
        was = reported.figures.get(r.code)
        if was is None and getattr(r, "kind", "") in ("subtotal", "total"):
            continue  # kept before 小计/合计 rows were kept: their parts are compared

        for name, value in now.items():
            if name in ("code", "name", "kind", "other_one_to_one"):  # the last: beside the form
                continue
            before = None if was is None else was.get(name)
            if before != value:
                out[(r.code, name)] = (before, value)
    return out


def corrections(
    session: Session, target_workspace: str, now: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """Quarters sent to this receiver whose figures are different now: `now` maps a period to
    its current figures. For each, the last bundle that carried it."""
    latest: dict[str, BundleLog] = {}
    for log in session.execute(
        select(BundleLog)
        .where(
            col(BundleLog.direction) == "out",
            col(BundleLog.kind) == "data",
            col(BundleLog.target_workspace) == target_workspace,
        )
        .order_by(col(BundleLog.seq))
    ).scalars():
        latest[log.period] = log
    out = []
    for period, log in sorted(latest.items()):
        if period not in now:
            continue
        try:
            sent = json.loads(log.summary or "{}").get("totals", {})
        except ValueError:
            continue
        changed = sorted(k for k in now[period] if sent.get(k) != now[period][k])
        if changed:
            out.append({"period": period, "previous_bundle_id": log.bundle_id, "changed": changed})
    return out


def sent_periods(session: Session, target_workspace: str) -> list[str]:
    return sorted(
        {
            p
            for (p,) in session.execute(
                select(col(BundleLog.period)).where(
                    col(BundleLog.direction) == "out",
                    col(BundleLog.kind) == "data",
                    col(BundleLog.target_workspace) == target_workspace,
                )
            )
        }
    )
