"""关于 — the version, where the program and the data are, and the licences of what ships."""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop import __version__
from huzhu_desktop.core.db.schema import SCHEMA_HEAD
from huzhu_desktop.core.sync.container import VERSION as BUNDLE_FORMAT
from huzhu_desktop.gui.app_icon import icon_path
from huzhu_desktop.paths import data_root

# What the installed program carries, with the licence it is used under here. The package name
# finds the version in the installed metadata (the packaged app copies that metadata).
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


def library_version(name: str, package: str) -> str:
    if name == "Python":
        return ".".join(map(str, sys.version_info[:3]))
    if name == "Qt":
        return qVersion()
    if name.startswith("文泉驿"):
        return FONT_VERSION
    if package == "PySide6-Essentials":
        return pyside_version
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "—"


def program_folder() -> Path:
    """Where the program runs from: the installed folder of a packaged app, else the source."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parents[2]


class AboutDialog(QDialog):
    def __init__(self, workspace: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("关于互助养老桌面版")
        title = QLabel(f"互助养老桌面版 {__version__}")
        title.setObjectName("heading")
        logo = QLabel()
        logo.setPixmap(QPixmap(str(icon_path(64))))
        head = QHBoxLayout()
        head.addWidget(logo)
        head.addWidget(title, 1)

        form = QFormLayout()
        form.addRow("软件版本", QLabel(__version__))
        form.addRow("数据库版本", QLabel(SCHEMA_HEAD))
        form.addRow("数据包格式", QLabel(f"第 {BUNDLE_FORMAT} 版"))
        form.addRow("程序位置", self._path(program_folder()))
        form.addRow("数据文件夹", self._path(data_root()))
        if workspace is not None:
            form.addRow("当前工作区", self._path(workspace))
        note = QLabel(
            "卸载或升级本软件不会删除数据文件夹；数据文件夹里的工作区请按“设置 → 备份”定期备份。"
        )
        note.setWordWrap(True)

        table = QTableWidget(len(LIBRARIES), 3)
        table.setObjectName("licences")
        table.setHorizontalHeaderLabels(["随软件附带的组件", "版本", "许可证"])
        for r, (name, package, licence) in enumerate(LIBRARIES):
            for c, text in enumerate((name, library_version(name, package), licence)):
                table.setItem(r, c, QTableWidgetItem(text))
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(table, 1)
        layout.addWidget(buttons)
        self.resize(640, 620)

    @staticmethod
    def _path(path: Path) -> QLabel:
        label = QLabel(str(path))
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setWordWrap(True)
        return label
