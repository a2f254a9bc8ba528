"""添加村 — one 行政村 on the town's 村名单: its 12-digit code, name and 已开展互助养老."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from huzhu_desktop.core.errors import ValidationError
from huzhu_desktop.core.services import villages
from huzhu_desktop.core.workspace import Workspace

STARTED = (("未填", None), ("已开展", True), ("未开展", False))


class VillageDialog(QDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("添加村")
        town = ws.info.org_code if ws.info else ""
        self.code = QLineEdit(town[:9])
        self.code.setObjectName("village_code")
        self.code.setPlaceholderText("12位统计用区划代码，前9位是本镇的")
        self.name = QLineEdit()
        self.name.setObjectName("village_name")
        self.started = QComboBox()
        self.started.setObjectName("started")
        for text, _value in STARTED:
            self.started.addItem(text)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("村代码", self.code)
        form.addRow("村名", self.name)
        form.addRow("已开展互助养老", self.started)
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        """Saved on the GUI thread: one row, as quick as the setup wizard's."""
        started = STARTED[self.started.currentIndex()][1]
        try:
            with self.ws.transaction() as s:
                villages.save_village(
                    self.code.text(), self.name.text(), started, session=s, actor=self.ws.actor
                )
        except ValidationError as e:
            self.error.setText("；".join(e.errors.values()))
            return
        super().accept()
