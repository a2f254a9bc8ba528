"""关于 — the version, where the program and the data are, and the licences of what ships."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
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

from huzhu_desktop import __version__, paths
from huzhu_desktop.about import LIBRARIES, libraries, program_folder
from huzhu_desktop.core.db.schema import SCHEMA_HEAD
from huzhu_desktop.core.sync.container import VERSION as BUNDLE_FORMAT
from huzhu_desktop.gui.app_icon import icon_path


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
        form.addRow("数据文件夹", self._path(paths.data_root()))
        if workspace is not None:
            form.addRow("当前工作区", self._path(workspace))
        note = QLabel(
            "卸载或升级本软件不会删除数据文件夹；数据文件夹里的工作区请按“设置 → 备份”定期备份。"
        )
        note.setWordWrap(True)

        table = QTableWidget(len(LIBRARIES), 3)
        table.setObjectName("licences")
        table.setHorizontalHeaderLabels(["随软件附带的组件", "版本", "许可证"])
        for r, lib in enumerate(libraries()):
            for c, text in enumerate((lib.name, lib.version, lib.licence)):
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
