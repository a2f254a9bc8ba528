"""Facts about the disk a workspace sits on, portable across Windows, Linux and macOS."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

DRIVE_REMOVABLE = 2


def is_removable(path: Path) -> bool:
    """True when the folder is on a USB stick or other removable drive (best effort)."""
    try:
        path = path.resolve()
    except OSError:
        return False
    if sys.platform == "win32":
        return _windows_removable(path)
    if sys.platform == "darwin":
        parts = path.parts
        return len(parts) > 2 and parts[1] == "Volumes"
    return _linux_removable(path)


def _windows_removable(path: Path) -> bool:
    import ctypes

    root = path.anchor or str(path)[:3]
    try:
        kind = ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return False
    return bool(kind == DRIVE_REMOVABLE)


def _linux_removable(path: Path) -> bool:
    try:
        with open("/proc/mounts", encoding="utf-8") as fh:
            mounts = [line.split()[:2] for line in fh if line.strip()]
    except OSError:
        return False
    best_dev, best_mnt = "", ""
    text = str(path)
    for dev, mnt in mounts:
        mnt = mnt.replace("\\040", " ")
        inside = text == mnt or text.startswith(mnt.rstrip("/") + "/")
        if inside and len(mnt) > len(best_mnt):
            best_dev, best_mnt = dev, mnt
    if not best_dev.startswith("/dev/"):
        return False
    name = os.path.basename(os.path.realpath(best_dev))
    sys_block = Path("/sys/class/block") / name
    for candidate in (
        sys_block / "removable",
        sys_block.parent / name.rstrip("0123456789") / "removable",
    ):
        try:
            if candidate.read_text().strip() == "1":
                return True
        except OSError:
            continue
    return False


def fsync_dir(folder: Path) -> None:
    """Make a rename durable on POSIX; Windows has no directory fsync and needs none."""
    if sys.platform == "win32":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def removable_drives() -> list[Path]:
    """Mounted USB sticks and other removable drives, for the export wizard to offer."""
    if sys.platform == "win32":
        import string

        found = [Path(f"{letter}:\\") for letter in string.ascii_uppercase]
        return [d for d in found if d.exists() and _windows_removable(d)]
    if sys.platform == "darwin":
        roots = [Path("/Volumes")]
    else:
        user = os.environ.get("USER", "")
        roots = [Path("/media"), Path("/media") / user, Path("/run/media") / user, Path("/mnt")]
    drives: list[Path] = []
    for root in roots:
        try:
            children = [p for p in root.iterdir() if p.is_dir()]
        except OSError:
            continue
        drives += [p for p in children if p not in drives and is_removable(p)]
    return drives


PRIVATE_UMASK = 0o077  # files and folders this program makes: for its OS user only


def keep_private() -> None:
    """From now on, what this process creates is readable by its OS user only (POSIX; on
    Windows the default workspace is in the user's own profile, whose ACL already keeps other
    users out)."""
    if os.name == "posix":
        os.umask(PRIVATE_UMASK)


def make_private(folder: Path) -> None:
    """Tighten a workspace made before files were private: the folder, its subfolders and
    their files become owner-only (0700 / 0600). Best effort: a file another user owns is left
    as it is."""
    if os.name != "posix" or not folder.stat().st_mode & 0o077:
        return  # Windows, or already private (then everything made since is too: keep_private)
    for path in (folder, *folder.rglob("*")):
        try:
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode) or not mode & 0o077:
                continue
            os.chmod(path, 0o700 if stat.S_ISDIR(mode) else 0o600)
        except OSError:
            continue
