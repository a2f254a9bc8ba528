"""App versions as other files state them (a bundle's manifest, a workspace database): read
plainly, compared with this app's, and named when the clerk must install a newer one."""

from __future__ import annotations

import re
from typing import Any

from huzhu_desktop import __version__

VERSION_TEXT = re.compile(r"^[0-9A-Za-z.+-]{1,20}$")


def shown_version(value: Any) -> str:
    """A version from a file, fit to show ("" when it is not plain version text)."""
    return value if isinstance(value, str) and VERSION_TEXT.match(value) else ""


def version_key(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", text)[:4])


def newer_app(value: Any) -> str:
    """The version a file says made it, when that is an app newer than this one ("" when it is
    not said, not plain, or not newer: naming it would not help)."""
    made_by = shown_version(value)
    return made_by if version_key(made_by) > version_key(__version__) else ""


def install(made_by: str) -> str:
    return f"请安装互助养老桌面版 {made_by} 或更新的版本"
