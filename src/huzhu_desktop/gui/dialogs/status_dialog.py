"""迁出 / 去世 (or back to 在册): the person stays in the register and the change is kept."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core import clock, vocab
from huzhu_desktop.core.services import people
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui.forms import FieldErrors, combo, dialog_buttons, submit


class StatusDialog(QDialog):
    saved = Signal(str)

    def __init__(
        self, ws: Workspace, person_id: str, name: str, current: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ws, self.person_id = ws, person_id
        self.setWindowTitle(f"人员状态变更：{name}")
        self.errors = FieldErrors()
        form = QFormLayout()
        form.addRow("当前状态", QLabel(current))
        self.status = combo([s for s in vocab.PERSON_STATUSES if s != current], blank=None)
        self.when = QLineEdit(clock.today().isoformat())
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("如：病故；随子女迁往主城")
        self.errors.add_row(form, "变更为", "status", self.status)
        self.errors.add_row(form, "变动日期", "status_date", self.when)
        self.errors.add_row(form, "原因", "reason", self.reason)
        buttons = dialog_buttons(self, "确定")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("历史记录会保留；迁出或去世的人员不再计入在册人数。"))
        layout.addWidget(buttons)

    def save(self) -> None:
        to, when, why = self.status.currentData(), self.when.text(), self.reason.text()

        def work() -> None:
            with self.ws.transaction() as s:
                people.change_status(self.person_id, to, when, why, session=s, actor=self.ws.actor)

        def done(_r: object) -> None:
            self.saved.emit(self.person_id)
            self.accept()

        submit(self, work, self.errors, done)
