"""Who did what, when: the append-only audit log, and the revision stamp on changed rows."""

from __future__ import annotations

from sqlmodel import Session

from huzhu_desktop.core.errors import HuzhuError
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
