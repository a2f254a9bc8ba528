"""A workspace: one folder with `huzhu.db`, `backups/`, `exports/`, `attachments/`, `logs/`.

Opening checks the folder (writable, not on a removable drive) and the database (really ours,
not corrupt, not newer than this app) before anything is written, backs it up and migrates it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event, select, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col

from huzhu_desktop import __version__
from huzhu_desktop.core import models
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.db import backup, migrate
from huzhu_desktop.core.db.engine import BUSY_TIMEOUT_MS, WRITE, make_engine, writer
from huzhu_desktop.core.db.quick import DEEP_CHECK_MAX_BYTES
from huzhu_desktop.core.errors import Cancelled, DamagedDatabase, WorkspaceError
from huzhu_desktop.core.platform_checks import is_removable, keep_private, make_private
from huzhu_desktop.core.settings import load_settings
from huzhu_desktop.paths import DB_NAME, SUBFOLDERS

# Called with "read" or "write" whenever a session opens (the GUI's debug watch uses it to
# find database work on the GUI thread; see gui/thread_watch.py).
SessionObserver = Callable[[str], None]
_observers: list[SessionObserver] = []


def observe_sessions(observer: SessionObserver) -> Callable[[], None]:
    """Register an observer of session opens; returns the function that removes it."""
    _observers.append(observer)
    return lambda: _observers.remove(observer)


def _opening(kind: str) -> None:
    for observer in tuple(_observers):
        observer(kind)


class Workspace:
    """An open workspace. Use `Workspace.open(folder)`; close it when done."""

    def __init__(self, folder: Path, engine: Engine) -> None:
        self.folder = folder
        self.engine = engine
        self._writer = writer(engine)
        self.read_only = ""  # why this window may not write (another window holds the lock)
        self.commits = 0  # transactions committed through this object (see data_version)
        self._watch: sqlite3.Connection | None = None
        self.info: models.WorkspaceInfo | None = None
        self.operator = ""
        self.role: str | None = None  # the logged-in user's role (see services.users)
        self.data_key: bytes | None = None  # an admin's, unwrapped at login (services.key_vault)
        self.has_users = False  # False: login-free (the demo, a workspace before logins)
        self.deep_check_pending = False  # too big to check before opening: check after start
        self._reads: set[sqlite3.Connection] = set()  # connections inside a read, for interrupt
        self._reads_lock = threading.Lock()
        event.listen(engine, "begin", self._began)
        event.listen(engine, "commit", self._ended)
        event.listen(engine, "rollback", self._ended)
        self.reload_info()

    # --- reads that may be stopped ------------------------------------------------------------

    def _began(self, conn: Connection) -> None:
        if not conn.get_execution_options().get(WRITE):
            self._track(conn.connection.driver_connection, True)

    def _ended(self, conn: Connection) -> None:
        self._track(conn.connection.driver_connection, False)

    def _track(self, driver: Any, reading: bool) -> None:
        if isinstance(driver, sqlite3.Connection):
            with self._reads_lock:
                (self._reads.add if reading else self._reads.discard)(driver)

    def interrupt_reads(self) -> int:
        """Stop every read running now (a window closing while the 首页's figures are still
        being read: at a district that kept the process, and the workspace's lock, 13 s after
        the window had gone). Each stopped read raises Cancelled in its thread; writes are
        never touched. Returns how many were running."""
        with self._reads_lock:
            running = list(self._reads)
        for conn in running:
            conn.interrupt()
        return len(running)

    # --- opening --------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        folder: Path,
        *,
        must_exist: bool = False,
        removable_check: Callable[[Path], bool] = is_removable,
    ) -> Workspace:
        """Open (and with `must_exist=False`, create) the workspace in `folder`."""
        folder = Path(folder)
        if must_exist and not (folder / DB_NAME).is_file():
            raise WorkspaceError(
                f"“{folder}”里没有工作区。请先运行 huzhu init（或 huzhu demo）创建，"
                "或用 --workspace 指定正确的文件夹。"
            )
        prepare_folder(folder, removable_check)
        db_path = folder / DB_NAME
        big = db_path.exists() and db_path.stat().st_size > DEEP_CHECK_MAX_BYTES
        revision = precheck_database(db_path, deep=not big)
        engine = make_engine(db_path)
        try:
            if migrate.needs_upgrade(revision):
                if revision is not None:
                    backup.auto_backup(
                        db_path,
                        folder / "backups",
                        f"before-upgrade-{revision}",
                        keep_keys=not backup.has_logins(db_path),
                    )
                migrate.upgrade_to_head(engine)
                migrate.stamp_app_version(engine, __version__)
        except Exception:
            engine.dispose()
            raise
        ws = cls(folder, engine)
        ws.deep_check_pending = big
        return ws

    def deep_check(self) -> str:
        """Every page of the database read (PRAGMA quick_check): "" when sound, else what to do.
        The GUI runs it after start-up on a database too big to check before (a district)."""
        try:
            with backup.read_only(self.db_path) as conn:
                self._track(conn, True)  # 1.2 s at a district: a closing window stops it
                try:
                    ok = conn.execute("PRAGMA quick_check").fetchone()
                finally:
                    self._track(conn, False)
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise Cancelled() from exc
            ok = (str(exc),)
        except sqlite3.Error as exc:
            ok = (str(exc),)
        self.deep_check_pending = False
        if ok and ok[0] == "ok":
            return ""
        return (
            "数据库检查发现文件有损坏。请不要继续录入，先点“设置 → 备份”复制一份，"
            "再从备份恢复（huzhu restore），或联系技术支持。"
        )

    def close(self) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None
        self.engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- identity ---------------------------------------------------------------------------

    @property
    def db_path(self) -> Path:
        return self.folder / DB_NAME

    @property
    def is_initialized(self) -> bool:
        return self.info is not None

    @property
    def is_demo(self) -> bool:
        return bool(self.info and self.info.is_demo)

    def reload_info(self) -> None:
        with Session(self.engine) as s:
            self.info = s.get(models.WorkspaceInfo, 1)
            if self.info is not None:
                s.expunge(self.info)
            clerk = s.execute(
                select(models.Clerk)
                .where(col(models.Clerk.active) == True)  # noqa: E712
                .order_by(col(models.Clerk.last_used_at).desc())
            ).first()
            if self.role is None:  # a logged-in user stays the operator
                self.operator = clerk[0].name if clerk else ""
            self.has_users = bool(s.execute(text("SELECT count(*) FROM app_user")).scalar())

    @property
    def actor(self) -> Actor:
        if self.info is None:
            raise WorkspaceError("工作区尚未设置单位，请先完成首次设置。")
        role = (self.role or "anonymous") if self.has_users else None
        return Actor(self.operator or "管理员", self.info.workspace_id, self.info.org_code, role)

    # --- units of work ----------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action = one transaction: commit on success, roll back on any error.

        It holds the database's write lock from its start: two writers (the GUI and a CLI
        import, two imports) run one after the other, the second reading what the first wrote.
        """
        if self.read_only:
            raise WorkspaceError(f"{self.read_only}，这个窗口不能修改数据。")
        _opening("write")
        with Session(self._writer, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
                self.commits += 1
            except (OperationalError, sqlite3.OperationalError) as exc:  # ORM or bulk DB-API
                session.rollback()
                raise store_error(exc) from exc
            except BaseException:
                session.rollback()
                raise

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only unit: never commits; closing releases the connection (rolling it back)
        while loaded rows stay readable."""
        _opening("read")
        with Session(self.engine, expire_on_commit=False, info={"read_only": True}) as session:
            try:
                yield session
            except (OperationalError, sqlite3.OperationalError) as exc:
                if "interrupted" in str(exc):  # interrupt_reads: the window is closing
                    raise Cancelled() from exc
                raise

    def data_version(self) -> int:
        """SQLite's count of commits made by *other* connections (another window, a command
        run meanwhile) as seen from one connection kept for this: when it moves, what is on
        screen may be stale."""
        if self._watch is None:
            self._watch = sqlite3.connect(self.db_path, check_same_thread=False, timeout=1)
        row = self._watch.execute("PRAGMA data_version").fetchone()
        return int(row[0])

    def backup(
        self,
        dest: Path | None = None,
        reason: str = "manual",
        progress: Callable[[int, int], None] | None = None,
    ) -> Path:
        if dest is None:
            return backup.auto_backup(
                self.db_path,
                self.folder / "backups",
                reason,
                progress,
                keep_keys=not self.has_users,
            )
        inside = dest.resolve().is_relative_to(self.folder.resolve())
        # A copy kept in this workspace may hold its private keys; one going elsewhere (a USB
        # stick) may not — restored, the workspace makes new keys and the town confirms them.
        # With logins, no copy holds them in clear: they are sealed (services.key_vault).
        return backup.backup_database(
            self.db_path, dest, keep_keys=inside and not self.has_users, progress=progress
        )


def automatic_backup(ws: Workspace, reason: str) -> tuple[Path, str]:
    """The daily and on-close backup: into `backups/`, and a copy into the folder set in 设置
    (a USB stick), without the private keys, in a subfolder per unit and thinned like the
    first. Returns the backup and a warning ("" when the copy was made or none is set): a
    missing stick never stops the backup itself."""
    made = ws.backup(reason=reason)
    extra = load_settings(ws.folder).copy_backups_to
    if not extra or ws.info is None:
        return made, ""
    target = Path(extra) / f"{ws.info.org_code}-{ws.info.org_name}"
    try:
        if not Path(extra).is_dir():
            raise OSError(f"“{extra}”不在（U盘没插？）")
        backup.auto_backup(ws.db_path, target, reason, keep_keys=False)
    except (OSError, WorkspaceError) as exc:
        return made, f"备份已存到工作区，但没能另存到“{extra}”：{exc}"
    return made, ""


def store_error(exc: OperationalError | sqlite3.OperationalError) -> WorkspaceError:
    """What SQLite refused, in the clerk's words (nothing was changed: the transaction rolled
    back)."""
    text = str(exc.orig if isinstance(exc, OperationalError) else exc).lower()
    if "locked" in text or "busy" in text:
        return WorkspaceError(
            "工作区正忙：另一个程序（如正在导入的命令或另一个窗口）正在写入数据，"
            f"等了 {BUSY_TIMEOUT_MS // 1000} 秒还没有写完。"
            "请稍候再试，这次的操作没有保存任何内容。",
            detail=str(exc),
        )
    if "full" in text:
        return WorkspaceError(
            "磁盘已满，这次的操作没有保存。请清理磁盘空间后再试，已有数据没有受影响。",
            detail=str(exc),
        )
    if "readonly" in text or "read-only" in text:
        return WorkspaceError(
            "工作区文件夹不能写入（只读或没有权限），这次的操作没有保存。", detail=str(exc)
        )
    return WorkspaceError(
        "数据库出错，这次的操作没有保存。请运行 huzhu check 检查。", detail=str(exc)
    )


def new_workspace_id() -> str:
    return str(uuid.uuid4())


def prepare_folder(folder: Path, removable_check: Callable[[Path], bool] = is_removable) -> None:
    """Make sure the folder exists, is writable and is not on a removable drive."""
    if folder.exists() and not folder.is_dir():
        raise WorkspaceError(f"“{folder}”是一个文件，不是文件夹。请换一个工作区文件夹。")
    if removable_check(folder if folder.exists() else folder.parent):
        raise WorkspaceError(
            f"工作区“{folder}”在U盘或其他可移动磁盘上。U盘随时可能被拔出，数据会损坏。"
            "请先把整个工作区文件夹复制到本机硬盘（例如 D 盘），再从那里打开。"
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for sub in SUBFOLDERS:
            (folder / sub).mkdir(exist_ok=True)
        probe = folder / f".write-test-{os.getpid()}"
        probe.write_bytes(b"ok")
        probe.unlink()
        keep_private()
        make_private(folder)
    except OSError as exc:
        raise WorkspaceError(
            f"无法在“{folder}”中写入文件（没有权限或磁盘已满）。"
            "请换一个有写入权限的文件夹，或请管理员开放权限。",
            detail=str(exc),
        ) from exc


def precheck_database(db_path: Path, *, deep: bool | None = None) -> str | None:
    """Read-only checks before the app writes anything. Returns the stored schema revision.
    `deep` (default: the file is at most DEEP_CHECK_MAX_BYTES): also read every page."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    if deep is None:
        deep = db_path.stat().st_size <= DEEP_CHECK_MAX_BYTES
    restore_hint = "可以点“从备份恢复”，或用命令 huzhu restore 从 backups 文件夹里的备份恢复。"
    if not backup.looks_like_sqlite(db_path):
        raise DamagedDatabase(
            f"“{db_path.name}”不是本软件的数据库文件，或已经损坏，未做任何改动。{restore_hint}"
        )
    try:
        with backup.read_only(db_path) as conn:
            if deep:
                ok = conn.execute("PRAGMA quick_check").fetchone()
                if not ok or ok[0] != "ok":
                    raise sqlite3.DatabaseError(str(ok))
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
            made_by = backup.app_version_of(conn)
    except sqlite3.Error as exc:
        raise DamagedDatabase(
            f"数据库文件“{db_path.name}”已损坏，无法打开，未做任何改动。{restore_hint}",
            detail=str(exc),
        ) from exc
    if revision is None and tables:
        raise WorkspaceError(
            f"“{db_path.name}”不是本软件的数据库，未做任何改动。请换一个工作区文件夹。"
        )
    if migrate.is_newer_than_app(revision):
        why = migrate.newer_than_app(revision, made_by)
        raise WorkspaceError(f"此工作区{why}。数据没有被改动。")
    return revision
