"""A read-only fast path for a small read from the command line (`huzhu list elders`).

Opening a workspace the full way imports SQLAlchemy, SQLModel, the 36 models and Alembic —
0.45 s before the first row, most of a village's `list elders`. A plain read needs none of
that when nothing about the workspace is unusual, so this opens the database with sqlite3
alone, checks what the full opening would check for a read, and answers; anything unusual
returns None and the caller opens the workspace the full way, which explains or fixes it
(a schema to upgrade, logins to check, a damaged or foreign file, a removable drive).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from huzhu_desktop.core import platform_checks
from huzhu_desktop.core.db.backup import looks_like_sqlite
from huzhu_desktop.core.db.schema import SCHEMA_HEAD
from huzhu_desktop.paths import DB_NAME

# PRAGMA quick_check reads every page: 5 ms for a village, 1.2 s for a district of 180,000
# elders (1.1 GB). Above this size the full check runs after start-up, off the GUI thread
# (Workspace.deep_check), and `huzhu check` runs it on demand.
DEEP_CHECK_MAX_BYTES = 256 * 2**20

BUSY_SECONDS = 30.0  # as the engine's BUSY_TIMEOUT_MS: wait out a writer's checkpoint


def quick_connection(
    folder: Path, *, removable_check: Callable[[Path], bool] | None = None, deep: bool = True
) -> sqlite3.Connection | None:
    """A read-only connection inside one read transaction (one snapshot for every query), when
    the workspace is set up, at this app's schema, without logins, sound and on a fixed disk;
    None otherwise. The caller closes it. `deep`: every page read first, as the full opening
    does for a file this size (the window's first screen skips it: the full opening follows
    at once and checks; a damaged page read meanwhile raises and shows nothing)."""
    db = folder / DB_NAME
    try:
        size = db.stat().st_size if db.is_file() else 0
    except OSError:
        return None
    if not 0 < size <= DEEP_CHECK_MAX_BYTES or (removable_check or platform_checks.is_removable)(
        folder
    ):
        return None
    if not looks_like_sqlite(db):
        return None
    try:
        conn = sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True, timeout=BUSY_SECONDS)
    except sqlite3.Error:
        return None
    try:
        conn.isolation_level = None  # BEGIN ourselves: the driver would not for a SELECT
        conn.execute("BEGIN")
        if _usable(conn, deep):
            return conn
    except sqlite3.Error:
        pass
    conn.close()
    return None


def _usable(conn: sqlite3.Connection, deep: bool) -> bool:
    if deep and conn.execute("PRAGMA quick_check").fetchone() != ("ok",):
        return False
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not {"alembic_version", "workspace_info", "app_user"} <= tables:
        return False
    if conn.execute("SELECT version_num FROM alembic_version").fetchall() != [(SCHEMA_HEAD,)]:
        return False
    if conn.execute("SELECT 1 FROM workspace_info WHERE id = 1").fetchone() is None:
        return False
    return conn.execute("SELECT 1 FROM app_user LIMIT 1").fetchone() is None
