"""The workspace lock: one GUI window writes a workspace at a time.

The GUI holds an OS file lock on `huzhu.lock` for as long as it is open (`filelock`: `flock` on
Linux, `LockFileEx` through msvcrt on Windows). The operating system drops the lock when the
process ends however it ends — closed, killed, the power cut — so a crashed holder never leaves
a lock behind that a clerk would have to delete. Beside it, `huzhu.lock.json` says who holds it
(PC name, OS user, since when); it is only read when the lock is taken, so a stale one from a
crashed holder is overwritten by the next.

A second window opens read-only and says who is using the workspace. Command-line writes do not
take this lock: they are serialised with the GUI's through the database (transactions begin
with SQLite's write lock, see db.engine), and the GUI sees their changes through `data_version`.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import platform
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from huzhu_desktop.core import clock
from huzhu_desktop.core.atomic import atomic_path

LOCK_NAME = "huzhu.lock"
HOLDER_NAME = "huzhu.lock.json"


@dataclass(frozen=True)
class Holder:
    """Who holds a workspace open for writing."""

    pc: str
    user: str
    since: str  # local time, ISO
    pid: int

    def describe(self) -> str:
        when = self.since
        with contextlib.suppress(ValueError):
            when = datetime.fromisoformat(self.since).strftime("%Y-%m-%d %H:%M")
        return f"电脑“{self.pc}”上的用户“{self.user}”（{when} 起）"

    @classmethod
    def here(cls, user: str | None = None) -> Holder:
        try:
            os_user = user or getpass.getuser()
        except (KeyError, OSError):  # no user name in the environment (a service account)
            os_user = "未知用户"
        return cls(platform.node() or "本机", os_user, clock.now().isoformat(), os.getpid())


class WorkspaceLock:
    """The GUI's hold on a workspace folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = FileLock(folder / LOCK_NAME, timeout=0)

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def try_acquire(self, user: str | None = None) -> bool:
        """Take the lock now if nobody holds it; record who we are."""
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False
        holder = Holder.here(user)
        with contextlib.suppress(OSError), atomic_path(self.folder / HOLDER_NAME) as tmp:
            tmp.write_text(json.dumps(holder.__dict__, ensure_ascii=False), encoding="utf-8")
        return True

    def holder(self) -> Holder | None:
        """Who holds the lock, as they wrote it (None if unreadable)."""
        try:
            raw = json.loads((self.folder / HOLDER_NAME).read_text(encoding="utf-8"))
            return Holder(str(raw["pc"]), str(raw["user"]), str(raw["since"]), int(raw["pid"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def release(self) -> None:
        if self._lock.is_locked:
            with contextlib.suppress(OSError):
                (self.folder / HOLDER_NAME).unlink()
            self._lock.release()
