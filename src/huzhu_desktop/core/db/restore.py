"""Restore from a backup — the tool for the day `huzhu.db` is damaged, lost or wrong.

It works when the current database cannot be opened (that is when it is needed), and it refuses
what would make things worse, each with its reason: an empty or non-SQLite file, a damaged copy,
a database of another program, one from a newer app, and a backup of *another unit* (a
neighbour village's, the town's) unless the clerk confirms a move to new hardware. Before it
replaces anything it says what the backup holds (unit, when, how many elders …) and it keeps the
current state — as a proper backup when it is readable, as the raw damaged file when it is not.

Which unit this workspace is comes from its database, or, when that is damaged or missing,
from the newest readable backup in its `backups/` folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from huzhu_desktop.core import clock
from huzhu_desktop.core.db import backup, migrate
from huzhu_desktop.core.db.lock import WorkspaceLock
from huzhu_desktop.core.errors import WorkspaceError
from huzhu_desktop.core.platform_checks import fsync_dir
from huzhu_desktop.paths import DB_NAME

COUNTED = {  # what the preview counts, as the clerk calls it
    "elders": ("老人", "SELECT count(*) FROM elder_profile WHERE deleted_at IS NULL"),
    "helpers": ("帮扶人", "SELECT count(*) FROM helper_profile WHERE deleted_at IS NULL"),
    "pairings": ("结对", "SELECT count(*) FROM pairing WHERE deleted_at IS NULL"),
    "visits": ("走访记录", "SELECT count(*) FROM visit WHERE deleted_at IS NULL"),
}
KIND_NAMES = {"village": "村", "town": "镇", "district": "区"}


class BackupRefused(WorkspaceError):
    """This file cannot be restored (the reason is the message); nothing was changed."""


class ForeignBackup(WorkspaceError):
    """The backup belongs to another unit or another workspace; restoring needs confirmation."""

    def __init__(self, message: str, backup: BackupInfo, current: Identity) -> None:
        super().__init__(message)
        self.backup, self.current = backup, current


@dataclass(frozen=True)
class Identity:
    org_code: str
    org_name: str
    workspace_id: str
    kind: str

    def same_workspace(self, other: Identity) -> bool:
        """The same unit's same workspace (a renamed unit is still itself)."""
        return (self.org_code, self.workspace_id) == (other.org_code, other.workspace_id)

    def describe(self) -> str:
        return f"{self.org_name}（{KIND_NAMES.get(self.kind, self.kind)}，{self.org_code}）"


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds, shown before it replaces anything."""

    path: Path
    size: int
    revision: str | None
    identity: Identity | None
    saved_at: datetime  # the file's time: when the backup was written
    latest_change: str  # the newest change recorded in it (local time), "" if none
    counts: dict[str, int] = field(default_factory=dict)
    has_keys: bool = False
    keys_sealed: bool = False  # the private keys only sealed (a workspace with logins)
    app_version: str = ""  # the app that made its schema revision ("" before 0.2.0)

    def lines(self) -> list[str]:
        """The preview, line by line, in the clerk's words."""
        unit = self.identity.describe() if self.identity else "（尚未设置单位）"
        out = [
            f"单位：{unit}",
            f"备份时间：{self.saved_at.strftime('%Y-%m-%d %H:%M')}",
            f"数据库版本：{self.revision}（{self.app_version or '0.2.0 以前的版本'}）",
        ]
        if self.latest_change:
            out.append(f"其中最后一次修改：{self.latest_change}")
        counted = "，".join(f"{COUNTED[k][0]} {n}" for k, n in self.counts.items())
        if counted:
            out.append(f"内容：{counted}")
        if self.keys_sealed:
            out.append("本单位的密钥在这份备份里是加密保存的：恢复后村管理员登录一次即可恢复。")
        elif not self.has_keys:
            out.append("这份备份不含本单位的密钥：恢复后会生成新密钥，需把新的密钥卡交给上级核对。")
        return out

    def to_json(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "size": self.size,
            "schema": self.revision,
            "app_version": self.app_version,
            "org_code": self.identity.org_code if self.identity else None,
            "org_name": self.identity.org_name if self.identity else None,
            "workspace_id": self.identity.workspace_id if self.identity else None,
            "saved_at": self.saved_at.isoformat(timespec="seconds"),
            "latest_change": self.latest_change,
            "counts": self.counts,
            "has_keys": self.has_keys,
            "keys_sealed": self.keys_sealed,
        }


@dataclass(frozen=True)
class Restored:
    source: BackupInfo
    kept: Path | None  # where the state before the restore was kept (None: there was none)
    kept_damaged: bool  # the kept copy is the raw damaged file, not a checked backup
    moved: bool  # another unit's or workspace's backup, restored as confirmed


def inspect_backup(path: Path) -> BackupInfo:
    """Read what a backup holds, refusing anything that cannot be restored (BackupRefused)."""
    name = f"“{path.name}”"
    try:
        st = path.stat()
    except OSError as exc:
        raise BackupRefused(f"找不到备份文件{name}。", detail=repr(exc)) from exc
    if not stat.S_ISREG(st.st_mode):
        raise BackupRefused(f"{name}不是一个普通文件（是文件夹或设备），不能用来恢复。")
    if st.st_size == 0:
        raise BackupRefused(f"{name}是空文件（0 字节），里面没有数据，不能用来恢复。")
    if not backup.looks_like_sqlite(path):
        raise BackupRefused(f"{name}不是本软件的备份（不是数据库文件），不能用来恢复。")
    try:
        with backup.read_only(path) as conn:
            return _read_backup(conn, path, st)
    except sqlite3.Error as exc:
        raise BackupRefused(
            f"备份文件{name}已损坏，不能用来恢复。请换一份更早的备份。", detail=str(exc)
        ) from exc


def _read_backup(conn: sqlite3.Connection, path: Path, st: os.stat_result) -> BackupInfo:
    name = f"“{path.name}”"
    ok = conn.execute("PRAGMA quick_check").fetchone()
    if not ok or ok[0] != "ok":
        raise sqlite3.DatabaseError(str(ok))
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "alembic_version" not in tables or "workspace_info" not in tables:
        raise BackupRefused(f"{name}不是本软件的备份（是别的程序的数据库），不能用来恢复。")
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    revision = row[0] if row else None
    if migrate.is_newer_than_app(revision):
        made_by = backup.app_version_of(conn)
        raise BackupRefused(f"{name}{migrate.newer_than_app(revision, made_by)}。")
    identity = _identity(conn)
    counts = {}
    for key, (_label, sql) in COUNTED.items():
        try:
            counts[key] = int(conn.execute(sql).fetchone()[0])
        except sqlite3.Error:  # a table an early schema did not have yet
            continue
    latest = ""
    if "audit_log" in tables:
        at = conn.execute("SELECT max(at) FROM audit_log").fetchone()[0]
        if at:
            latest = clock.local_time(str(at))
    has_keys = "own_key" in tables and bool(
        conn.execute("SELECT count(*) FROM own_key").fetchone()[0]
    )
    columns = {r[1] for r in conn.execute("PRAGMA table_info(workspace_info)")}
    sealed = "key_seal" in columns and bool(
        conn.execute("SELECT key_seal FROM workspace_info WHERE id = 1").fetchone()[0]
    )
    return BackupInfo(
        path,
        st.st_size,
        revision,
        identity,
        datetime.fromtimestamp(st.st_mtime),
        latest,
        counts,
        has_keys,
        sealed and not has_keys,
        backup.app_version_of(conn),
    )


def _identity(conn: sqlite3.Connection) -> Identity | None:
    row = conn.execute(
        "SELECT org_code, org_name, workspace_id, kind FROM workspace_info WHERE id = 1"
    ).fetchone()
    return Identity(*(str(v or "") for v in row)) if row else None


def workspace_identity(folder: Path) -> Identity | None:
    """Which unit this workspace is: from its database, or — damaged or missing — from the
    newest readable backup in `backups/` (None for a workspace never set up)."""
    candidates = [folder / DB_NAME]
    backups_dir = folder / "backups"
    if backups_dir.is_dir():
        candidates += sorted(backups_dir.glob("*.db"), key=_mtime, reverse=True)
    for path in candidates:
        try:
            with backup.read_only(path, timeout=2) as conn:
                found = _identity(conn)
        except (sqlite3.Error, OSError):
            continue
        if found is not None:
            return found
    return None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def restore(folder: Path, source: Path, *, confirm_move: bool = False) -> Restored:
    """Replace the workspace's database by the backup `source` (see the module's note).

    The workspace must not be open in a window (its lock is taken for the duration). Raises
    BackupRefused, ForeignBackup (unless `confirm_move`) or WorkspaceError; on any of them
    nothing has changed."""
    info = inspect_backup(source)
    current = workspace_identity(folder)
    moved = False
    theirs = info.identity
    if current is not None and theirs is not None and not theirs.same_workspace(current):
        same_unit = theirs.org_code == current.org_code
        if not confirm_move:
            raise ForeignBackup(_foreign_message(theirs, current, same_unit), info, current)
        moved = True
    lock = WorkspaceLock(folder)
    if not lock.try_acquire():
        holder = lock.holder()
        who = holder.describe() if holder else "另一个窗口"
        raise WorkspaceError(f"这个工作区正在被{who}使用。请先关闭那个窗口，再恢复。")
    try:
        kept, damaged = _keep_current(folder)
        _put_in_place(folder, source)
    finally:
        lock.release()
    return Restored(info, kept, damaged, moved)


def _foreign_message(theirs: Identity, ours: Identity, same_unit: bool) -> str:
    if same_unit:
        return (
            f"这份备份来自{theirs.describe()}的另一个工作区（另一台电脑或重新设置过），"
            "与本工作区不是同一个。只有在把数据搬到新电脑、并确认用它代替本工作区时才能恢复。"
        )
    return (
        f"这份备份属于{theirs.describe()}，而本工作区是{ours.describe()}。"
        "用它恢复会把本单位的数据换成别的单位的，因此没有恢复。"
        "如果确实是换了电脑、要把那个单位的数据搬到这里，请确认“搬到新电脑”后再恢复。"
    )


def _keep_current(folder: Path) -> tuple[Path | None, bool]:
    """Keep what is there now: a checked backup if it can be read, else the raw files."""
    db_path = folder / DB_NAME
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None, False
    backups_dir = folder / "backups"
    try:
        kept = backup.auto_backup(
            db_path, backups_dir, "before-restore", keep_keys=not backup.has_logins(db_path)
        )
    except WorkspaceError:
        pass  # damaged: keep the file itself (and its journal) as it is
    else:
        _checkpoint(db_path)  # its journal is then empty: removing it loses nothing
        return kept, False
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")  # wall clock: unique file names
    kept = backups_dir / f"damaged-{stamp}.db"
    backups_dir.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copyfile(db_path, kept)
        wal = Path(str(db_path) + "-wal")
        if wal.exists():
            shutil.copyfile(wal, Path(str(kept) + "-wal"))
    except OSError as exc:
        raise WorkspaceError(
            f"无法先保存当前（已损坏的）数据库：{exc.strerror or exc}。没有恢复，什么也没改。",
            detail=repr(exc),
        ) from exc
    return kept, True


def _checkpoint(db_path: Path) -> None:
    """Fold the write-ahead log into the database file, so a power cut after the log is removed
    and before the backup is in place leaves the whole old database."""
    with contextlib.suppress(sqlite3.Error):
        conn = sqlite3.connect(db_path, timeout=5)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()


def _put_in_place(folder: Path, source: Path) -> None:
    db_path = folder / DB_NAME
    tmp = db_path.with_name(DB_NAME + ".restore")
    try:
        shutil.copyfile(source, tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        for suffix in ("-wal", "-shm", "-journal"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        os.replace(tmp, db_path)
        fsync_dir(folder)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise WorkspaceError(
            f"恢复时写不进工作区文件夹：{exc.strerror or exc}。请检查磁盘空间后再试。",
            detail=repr(exc),
        ) from exc
