"""Write a file (or put a folder) so that a power cut leaves either the old one or the whole new
one."""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

from huzhu_desktop.core.platform_checks import fsync_dir


@contextlib.contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """Yield a temporary path beside `dest` to write; on success it is flushed to disk and
    renamed over `dest`, on failure removed."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    try:
        yield tmp
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(dest.parent)


def put_folder_in_place(built: Path, dest: Path) -> None:
    """Move a folder built elsewhere on the same disk to `dest` in one rename, so a reader sees
    either the old folder or the whole new one. An old `dest` is moved aside first and removed
    after (a power cut between leaves it aside, never half of each)."""
    aside = dest.with_name(f".{dest.name}.old-{uuid.uuid4().hex[:8]}")
    if dest.exists():
        os.replace(dest, aside)
    os.replace(built, dest)
    fsync_dir(dest.parent)
    if aside.exists():
        shutil.rmtree(aside, ignore_errors=True)
