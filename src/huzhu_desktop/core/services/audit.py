"""The append-only audit log: who did what, when."""

from __future__ import annotations

from sqlmodel import Session

from huzhu_desktop.core.models import AuditLog
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
