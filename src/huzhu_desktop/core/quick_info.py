"""Read what the main window's frame needs (unit, demo flag, clerk) with the standard library only.

The GUI paints its frame from this before it imports the database stack, so a clerk sees the
window at once; the full, checked `Workspace.open` follows right after the first paint.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from huzhu_desktop.paths import DB_NAME

# Bump when the demo shows something new, so that an old demo workspace is refilled (demo data
# is disposable; a workspace with real data is never touched). Here, not in core.demo: the
# window reads it before the database stack is imported.
DEMO_VERSION = 8  # 8: a 特殊老人 by the clerk's mark, helpers' 身体状况; 7: 登记日期, first spells
DEMO_STAMP = "demo.json"  # beside the demo's database: the DEMO_VERSION that filled it


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


def demo_stamp_version(folder: Path) -> int:
    """The DEMO_VERSION that filled the demo in `folder` (0: none, or unreadable). `core.demo`
    refills a demo older than this app's; the window shows no counts from one before that."""
    try:
        version = json.loads((folder / DEMO_STAMP).read_text(encoding="utf-8")).get("version", 0)
    except (OSError, ValueError, AttributeError):
        return 0
    return version if isinstance(version, int) else 0
