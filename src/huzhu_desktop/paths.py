"""Where things live on disk. Nothing is created at import time."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

from huzhu_desktop import APP_NAME

ENV_WORKSPACE = "HUZHU_WORKSPACE"
DB_NAME = "huzhu.db"
SUBFOLDERS = ("backups", "exports", "attachments", "logs")


def data_root() -> Path:
    """Per-user data folder (e.g. %LOCALAPPDATA%\\huzhu-desktop on Windows)."""
    return user_data_path(APP_NAME, appauthor=False)


def default_workspace() -> Path:
    """The real workspace: `HUZHU_WORKSPACE` if set, else `<data dir>/workspace`."""
    env = os.environ.get(ENV_WORKSPACE, "").strip()
    return Path(env).expanduser() if env else data_root() / "workspace"


def demo_workspace() -> Path:
    """The demo workspace lives in its own folder so demo data never mixes with real data."""
    return data_root() / "demo"


def resolve_workspace(explicit: str | os.PathLike[str] | None, *, demo: bool = False) -> Path:
    """`--workspace DIR` wins, then `HUZHU_WORKSPACE`, then the default (or demo) folder."""
    if explicit:
        return Path(explicit).expanduser()
    if demo and not os.environ.get(ENV_WORKSPACE, "").strip():
        return demo_workspace()
    return default_workspace()
