"""Read what the main window's frame needs (unit, demo flag, clerk) with the standard library only.

The GUI paints its frame from this before it imports the database stack, so a clerk sees the
window at once; the full, checked `Workspace.open` follows right after the first paint.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from huzhu_desktop.paths import DB_NAME


@dataclass(frozen=True)
class ShellInfo:
    folder: Path
    org_name: str
    kind: str
    org_code: str
    is_demo: bool
    operator: str


def read_shell_info(folder: Path) -> ShellInfo | None:
    """None when there is no set-up workspace or anything looks unusual (the slow path decides)."""
    db = folder / DB_NAME
    if not db.is_file():
        return None
    try:
        conn = sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True, timeout=2)
        try:
            row = conn.execute(
                "SELECT org_name, kind, org_code, is_demo FROM workspace_info WHERE id = 1"
            ).fetchone()
            clerk = conn.execute(
                "SELECT name FROM clerk WHERE active = 1 ORDER BY last_used_at DESC LIMIT 1"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    if row is None:
        return None
    return ShellInfo(folder, row[0], row[1], row[2], bool(row[3]), clerk[0] if clerk else "")
