"""What 关于 and `huzhu about` say: the version, the formats, where the program and the data are,
and the licences of what ships with the program (Qt-free: the CLI and the GUI both show it)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from huzhu_desktop import __version__, paths

# (shown name, distribution whose metadata gives the version, licence as used here). The
# packaged app copies these distributions' metadata (installers/huzhu.spec).
LIBRARIES: tuple[tuple[str, str, str], ...] = (
    ("Python", "", "PSF License"),
    ("Qt", "", "LGPL v3"),
    ("PySide6 (Qt for Python)", "PySide6-Essentials", "LGPL v3"),
    ("SQLAlchemy", "SQLAlchemy", "MIT"),
    ("SQLModel", "sqlmodel", "MIT"),
    ("Alembic", "alembic", "MIT"),
    ("openpyxl", "openpyxl", "MIT"),
    ("XlsxWriter", "XlsxWriter", "BSD-2-Clause"),
    ("defusedxml", "defusedxml", "PSF License"),
    ("ReportLab", "reportlab", "BSD"),
    ("cryptography", "cryptography", "Apache-2.0 或 BSD"),
    ("argon2-cffi", "argon2-cffi", "MIT"),
    ("pypinyin", "pypinyin", "MIT"),
    ("segno", "segno", "BSD-3-Clause"),
    ("filelock", "filelock", "Unlicense"),
    ("platformdirs", "platformdirs", "MIT"),
    ("文泉驿微米黑 字体", "", "Apache-2.0（或 GPLv3 附字体嵌入例外）"),
)
FONT_VERSION = "0.2.0-beta"
DISTRIBUTIONS = tuple(d for _n, d, _l in LIBRARIES if d and d != "PySide6-Essentials")


@dataclass(frozen=True)
class Library:
    name: str
    version: str
    licence: str


def library_version(name: str, distribution: str) -> str:
    if name == "Python":
        return ".".join(map(str, sys.version_info[:3]))
    if name.startswith("文泉驿"):
        return FONT_VERSION
    if name == "Qt" or distribution == "PySide6-Essentials":
        try:  # only when Qt is there (the GUI; the CLI never imports it otherwise)
            import PySide6
            from PySide6.QtCore import qVersion
        except ImportError:
            return "—"
        return qVersion() if name == "Qt" else PySide6.__version__
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "—"


def libraries() -> list[Library]:
    return [Library(n, library_version(n, d), lic) for n, d, lic in LIBRARIES]


def program_folder() -> Path:
    """Where the program runs from: the installed folder of a packaged app, else the source."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent


def facts() -> dict[str, object]:
    from huzhu_desktop.core.db.schema import SCHEMA_HEAD
    from huzhu_desktop.core.sync.container import VERSION

    return {
        "version": __version__,
        "schema": SCHEMA_HEAD,
        "bundle_format": VERSION,
        "program_folder": str(program_folder()),
        "data_folder": str(paths.data_root()),
        "packaged": bool(getattr(sys, "frozen", False)),
        "libraries": [vars(lib) for lib in libraries()],
    }
