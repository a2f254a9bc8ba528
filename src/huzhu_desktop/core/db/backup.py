"""Backups of the workspace database: consistent online copies, written atomically."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from huzhu_desktop.core.errors import WorkspaceError
from huzhu_desktop.core.platform_checks import fsync_dir

SQLITE_MAGIC = b"SQLite format 3\x00"
AUTO_BACKUPS_KEPT = 30


def backup_database(db_path: Path, dest: Path) -> Path:
    """Copy a live database to `dest` consistently (readers and writers may be active)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(str(db_path))
    try:
        out = sqlite3.connect(str(tmp))
        try:
            src.backup(out)
            out.execute("PRAGMA journal_mode=DELETE")
        finally:
            out.close()
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise WorkspaceError("备份失败：无法读取数据库。", detail=str(exc)) from exc
    finally:
        src.close()
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, dest)
    fsync_dir(dest.parent)
    return dest


def auto_backup(db_path: Path, backups_dir: Path, reason: str) -> Path:
    """A dated backup in `backups/`, keeping the newest few automatic ones."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    dest = backups_dir / f"huzhu-{stamp}-{reason}.db"
    backup_database(db_path, dest)
    autos = sorted(backups_dir.glob("huzhu-*-*.db"))
    for old in autos[:-AUTO_BACKUPS_KEPT]:
        old.unlink(missing_ok=True)
    return dest


def looks_like_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == SQLITE_MAGIC
    except OSError:
        return False
