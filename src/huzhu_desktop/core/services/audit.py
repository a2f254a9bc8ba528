"""Who did what, when: the append-only audit log, and the revision stamp on changed rows."""

from __future__ import annotations

from sqlmodel import Session

from huzhu_desktop.core.models import AuditLog, Synced, utcnow
from huzhu_desktop.core.workspace import Actor


def record_audit(
    session: Session, actor: Actor, action: str, table: str = "", row_id: str = "", detail: str = ""
) -> None:
    session.add(
        AuditLog(
            operator=actor.operator,
            action=action,
            table_name=table,
            row_id=row_id,
            detail=detail[:500],
        )
    )


def touch(row: Synced, actor: Actor) -> None:
    """A synced row was changed: new revision, by whom, when and on which PC (the sync merge
    relies on these: last writer wins by rev, then time, then origin)."""
    row.updated_at = utcnow()
    row.updated_by = actor.operator
    row.origin = actor.origin
    row.rev += 1
