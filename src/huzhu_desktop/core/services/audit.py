"""Who did what, when: the append-only audit log, the revision stamp on changed rows, and how a
deletion is recorded (a reason for the log, tombstones for the bundle)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.errors import HuzhuError, ValidationError
from huzhu_desktop.core.models import AuditLog, Synced, utcnow
from huzhu_desktop.core.validate import clean


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
    relies on these: last writer wins by rev, then time, then origin). Rows another unit sent
    in a bundle are read-only here: the town never edits a village's rows."""
    if row.owner_code != actor.owner_code:
        raise HuzhuError(
            f"这条记录是下级单位（{row.owner_code}）报送来的，只能查看，不能在这里修改。"
            "请让该单位改好后重新报送。"
        )
    row.updated_at = utcnow()
    row.updated_by = actor.operator
    row.origin = actor.origin
    row.rev += 1


def deletion_reason(raw: str) -> str:
    """Why a record is deleted (it goes to the audit log): required, at most 100 characters."""
    reason = clean(raw)[:100]
    if not reason:
        raise ValidationError({"reason": "请写明删除原因，如“重复登记”"})
    return reason


def tombstone(rows: Iterable[Synced], actor: Actor) -> None:
    """Mark rows deleted, each as a new revision, so that the deletion travels in a bundle."""
    now = utcnow()
    for row in rows:
        row.deleted_at = now
        touch(row, actor)
