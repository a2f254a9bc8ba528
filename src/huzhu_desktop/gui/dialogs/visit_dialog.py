"""修改走访记录 — the row keeps its id; rev goes up and the audit log keeps what it said before."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core import vocab
from huzhu_desktop.core.services.visits import VisitForm, update_visit
from huzhu_desktop.core.services.visits_read import VisitRow
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui.forms import FieldErrors, combo, dialog_buttons, set_combo, submit


class VisitDialog(QDialog):
    saved = Signal(str)

    def __init__(self, ws: Workspace, visit: VisitRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.visit = ws, visit
        self.setWindowTitle(f"修改走访记录（第{visit.rev}版，{visit.updated_by}录入）")
        self.errors = FieldErrors()
        self.date = QLineEdit(visit.visit_date.isoformat())
        self.kind = combo(vocab.VISIT_KINDS, blank=None)
        set_combo(self.kind, visit.kind)
        self.minutes = QLineEdit(str(visit.duration_minutes))
        self.services = {s: QCheckBox(s) for s in vocab.SERVICES}
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, (name, cb) in enumerate(self.services.items()):
            cb.setChecked(name in visit.services)
            grid.addWidget(cb, i // 4, i % 4)
        self.source = combo(vocab.VISIT_SOURCES, blank=None)
        set_combo(self.source, visit.source)
        self.confirmation = combo(vocab.CONFIRMATIONS, blank="（未确认）")
        set_combo(self.confirmation, visit.confirmation)
        self.note = QLineEdit(visit.note)
        form = QFormLayout()
        form.addRow("老人", QLabel("、".join(visit.elders)))
        form.addRow("帮扶人", QLabel("、".join(visit.helpers)))
        for label, name, editor in (
            ("日期", "visit_date", self.date),
            ("方式", "kind", self.kind),
            ("时长（分钟）", "duration_minutes", self.minutes),
            ("服务内容", "services", box),
            ("来源", "source", self.source),
            ("老人确认", "confirmation", self.confirmation),
            ("备注", "note", self.note),
        ):
            self.errors.add_row(form, label, name, editor)
        buttons = dialog_buttons(self, "保存")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def form(self) -> VisitForm:
        return VisitForm(
            self.date.text(),
            self.minutes.text(),
            self.kind.currentData(),
            list(self.visit.helper_ids),
            list(self.visit.elder_ids),
            [s for s, cb in self.services.items() if cb.isChecked()],
            self.note.text(),
            self.source.currentData(),
            self.confirmation.currentData() or "",
        )

    def save(self) -> None:
        form, visit_id = self.form(), self.visit.id

        def work() -> None:
            with self.ws.transaction() as s:
                update_visit(visit_id, form, session=s, actor=self.ws.actor)

        def done(_r: object) -> None:
            self.saved.emit(visit_id)
            self.accept()

        submit(self, work, self.errors, done)
