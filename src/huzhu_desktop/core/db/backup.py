"""Backups of the workspace database: consistent online copies, written atomically."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

from huzhu_desktop.core.errors import WorkspaceError
from huzhu_desktop.core.platform_checks import fsync_dir

SQLITE_MAGIC = b"SQLite format 3\x00"


def backup_database(
    db_path: Path,
    dest: Path,
    *,
    keep_keys: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Copy a live database to `dest` consistently (readers and writers may be active).
    Without `keep_keys` the copy leaves out the workspace's private bundle keys, overwritten
    on disk, not just unlinked (a copy leaving the workspace folder must not carry them).
    `progress(pages done, pages)` is called as the copy goes; if it raises (the clerk pressed
    取消), the copy stops and the unfinished file is removed."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(str(db_path))
    try:
        out = sqlite3.connect(str(tmp))
        try:
            if progress is None:
                src.backup(out)
            else:
                src.backup(
                    out, pages=1024, progress=lambda _s, left, total: progress(total - left, total)
                )
            if not keep_keys:
                _scrub_keys(out)
            out.execute("PRAGMA journal_mode=DELETE")
        finally:
            out.close()
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise WorkspaceError(_backup_failed(exc), detail=str(exc)) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, dest)
    fsync_dir(dest.parent)
    return dest


def _backup_failed(exc: sqlite3.Error) -> str:
    """Why a backup failed, in the clerk's words: it is a write as much as a read."""
    text = str(exc).lower()
    if "full" in text:
        return "备份失败：备份位置的磁盘已满。请清理空间或换一个位置再备份，数据库没有受影响。"
    if "readonly" in text or "unable to open" in text:
        return "备份失败：无法写入备份位置（只读或没有权限）。请换一个位置再备份。"
    return "备份失败：读取数据库或写入备份时出错，数据库没有受影响。"


def auto_backup(
    db_path: Path,
    backups_dir: Path,
    reason: str,
    progress: Callable[[int, int], None] | None = None,
    *,
    keep_keys: bool = True,
) -> Path:
    """A dated backup in `backups_dir` (the workspace's `backups/`, or a copy folder elsewhere
    without the keys); the automatic ones there are then thinned (see `to_remove`)."""
    # The wall clock, not core.clock: a name that is unique and sorts in the order made,
    # even in a test process whose clock is fixed.
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    dest = backups_dir / f"huzhu-{stamp}-{reason}.db"
    backup_database(db_path, dest, progress=progress, keep_keys=keep_keys)
    for old in to_remove(backups_dir.glob("huzhu-*-*.db"), datetime.now()):
        old.unlink(missing_ok=True)
    return dest


@contextlib.contextmanager
def read_only(db_path: Path, timeout: float = 5.0) -> Iterator[sqlite3.Connection]:
    """A database file opened for reading only (it is never created or changed), closed after;
    opening or reading a damaged one raises sqlite3.Error."""
    conn = sqlite3.connect(db_path.resolve().as_uri() + "?mode=ro", uri=True, timeout=timeout)
    try:
        yield conn
    finally:
        conn.close()


def has_logins(db_path: Path) -> bool:
    """Whether a workspace database has users: its private keys may then be in a backup only
    sealed (services.key_vault), so automatic backups of it leave the plain keys out."""
    try:
        with read_only(db_path) as conn:
            return bool(conn.execute("SELECT count(*) FROM app_user").fetchone()[0])
    except sqlite3.Error:
        return False  # an older schema: no logins yet


def app_version_of(conn: sqlite3.Connection) -> str:
    """The app version a workspace database records as having made its schema revision ("" for
    a database older than 0.2.0, which did not record it)."""
    try:
        row = conn.execute("SELECT app_version FROM workspace_info").fetchone()
    except sqlite3.Error:
        return ""
    return str(row[0])[:20] if row and row[0] else ""


def made_at(path: Path) -> datetime | None:
    """When an automatic backup was made, from its name (huzhu-YYYYmmdd-HHMMSS-ffffff-why.db)."""
    parts = path.stem.split("-")
    if len(parts) < 4 or parts[0] != "huzhu":
        return None
    try:
        return datetime.strptime(f"{parts[1]}{parts[2]}", "%Y%m%d%H%M%S")
    except ValueError:
        return None


def made_today(backups_dir: Path, now: datetime) -> bool:
    """Whether an automatic backup from `now`'s day is already there (the daily one is made
    at the first start of a day)."""
    return any(
        (when := made_at(p)) is not None and when.date() == now.date()
        for p in backups_dir.glob("huzhu-*-*.db")
    )


def to_remove(paths: Iterable[Path], now: datetime) -> list[Path]:
    """Thinning: every backup of the last day; then the newest of each day for a month; then the
    newest of each month for a year; older ones go. A backup made before an upgrade or a restore
    is kept like any other of its day. Names that do not parse are never removed."""
    dated = sorted(((made_at(p), p) for p in paths), key=lambda t: (t[0] or now, t[1].name))
    kept_buckets: set[tuple[str, object]] = set()
    remove: list[Path] = []
    for when, path in reversed(dated):  # newest first: the newest of a bucket is the one kept
        if when is None:
            continue
        age = now - when
        if age <= timedelta(days=1):
            continue
        if age <= timedelta(days=31):
            bucket: tuple[str, object] = ("day", when.date())
        elif age <= timedelta(days=366):
            bucket = ("month", (when.year, when.month))
        else:
            remove.append(path)
            continue
        if bucket in kept_buckets:
            remove.append(path)
        else:
            kept_buckets.add(bucket)
    return remove


def looks_like_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def _scrub_keys(db: sqlite3.Connection) -> None:
    """Remove the private keys from a fresh copy: no journal (the copy is still a temp file, so
    no old page survives in one) and secure_delete (freed pages are zeroed)."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'own_key'").fetchone():
        return
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA secure_delete=ON")
    db.execute("DELETE FROM own_key")
    db.commit()
