"""Add or edit a 互助养老点 (中心点 / 分点)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core import clock, vocab
from huzhu_desktop.core.services.care_points import CarePointForm, save_care_point
from huzhu_desktop.core.services.register import CarePointRow
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui.forms import FieldErrors, combo, dialog_buttons, set_combo, submit


class CarePointDialog(QDialog):
    saved = Signal(str)

    def __init__(
        self, ws: Workspace, parent: QWidget | None = None, point: CarePointRow | None = None
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.point_id = point.id if point else None
        self.setWindowTitle("修改互助养老点" if point else "新增互助养老点")
        self.errors = FieldErrors()
        self.name = QLineEdit()
        self.kind = combo(vocab.CARE_POINT_KINDS, blank=None)
        self.group = QLineEdit()
        self.address = QLineEdit()
        self.opened = QLineEdit(clock.today().isoformat())
        self.closed = QLineEdit()
        self.closed.setPlaceholderText("仍在使用就不填")
        form = QFormLayout()
        for label, name, editor in (
            ("名称 *", "name", self.name),
            ("类型 *", "kind", self.kind),
            ("所在组", "group_name", self.group),
            ("地址", "address", self.address),
            ("设立日期 *", "opened_on", self.opened),
            ("停用日期", "closed_on", self.closed),
        ):
            self.errors.add_row(form, label, name, editor)
        if point:
            self.name.setText(point.name)
            set_combo(self.kind, point.kind)
            self.group.setText(point.group)
            self.address.setText(point.address)
            self.opened.setText(point.opened_on.isoformat() if point.opened_on else "")
            self.closed.setText(point.closed_on.isoformat() if point.closed_on else "")
        buttons = dialog_buttons(self, "保存")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def form(self) -> CarePointForm:
        return CarePointForm(
            self.name.text(),
            self.kind.currentData(),
            self.address.text(),
            self.group.text(),
            self.opened.text(),
            self.closed.text(),
        )

    def save(self) -> None:
        form = self.form()

        def work() -> str:
            with self.ws.transaction() as s:
                return save_care_point(
                    form, session=s, actor=self.ws.actor, point_id=self.point_id
                ).id

        def done(point_id: str) -> None:
            self.saved.emit(point_id)
            self.accept()

        submit(self, work, self.errors, done)
