"""点单 — open requests: take one down, assign a helper, close it with the visit that did it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core import clock, vocab
from huzhu_desktop.core.errors import ValidationError
from huzhu_desktop.core.services import register, requests
from huzhu_desktop.core.validate import mask_phone
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui.forms import FieldErrors, combo, dialog_buttons, submit
from huzhu_desktop.gui.ops import BackgroundOp
from huzhu_desktop.gui.table_model import Column, RowTableModel, row_table
from huzhu_desktop.gui.widgets.person_picker import PersonPicker


class NewRequestDialog(QDialog):
    def __init__(self, ws: Workspace, elders: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("新点单")
        self.resize(520, 480)
        self.errors = FieldErrors()
        self.elder = PersonPicker(
            elders, lambda e: f"{e.name}　{e.group}　{mask_phone(e.phone)}", multi=False
        )
        self.service = combo(vocab.SERVICES, blank=None)
        self.wanted = QLineEdit((clock.today() + timedelta(days=1)).isoformat())
        self.note = QLineEdit()
        form = QFormLayout()
        for label, name, editor in (
            ("老人", "elder", self.elder),
            ("服务", "service", self.service),
            ("希望日期", "wanted_on", self.wanted),
            ("备注", "note", self.note),
        ):
            self.errors.add_row(form, label, name, editor)
        buttons = dialog_buttons(self, "保存")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def save(self) -> None:
        ids = self.elder.selected_ids()
        elder, service = (ids[0] if ids else ""), self.service.currentData()
        wanted, note = self.wanted.text(), self.note.text()

        def work() -> None:
            with self.ws.transaction() as s:
                requests.create_request(
                    elder, service, wanted, note, session=s, actor=self.ws.actor
                )

        submit(self, work, self.errors, lambda _r: self.accept())


class RequestsPanel(QWidget):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.elders: list[Any] = []
        self.helpers: list[Any] = []
        self.model: RowTableModel[requests.RequestRow] = RowTableModel(
            [
                Column("老人", lambda r: r.elder, 90),
                Column("组", lambda r: r.group, 60),
                Column("服务", lambda r: r.service, 90),
                Column(
                    "希望日期",
                    lambda r: r.wanted_on,
                    100,
                    highlight=lambda r: r.wanted_on < clock.today(),
                ),
                Column("状态", lambda r: r.status, 70),
                Column("帮扶人", lambda r: r.helper, 90),
                Column("备注", lambda r: r.note, 200),
            ]
        )
        self.table = row_table(self.model, "requests")
        buttons = QHBoxLayout()
        for text, slot in (
            ("新点单", self.add),
            ("派单", self.assign),
            ("完成…（选做这件事的那次走访）", self.complete),
            ("取消点单", self.cancel),
        ):
            b = QPushButton(text)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("老人点的服务：派给帮扶人，上门做完后在这里关联那次走访。"))
        layout.addLayout(buttons)
        layout.addWidget(self.table)

    def reload(self) -> None:
        def work() -> tuple[list[Any], list[Any], list[requests.RequestRow]]:
            with self.ws.reading() as s:
                return (
                    [e for e in register.list_elders(s) if e.status == vocab.ACTIVE_STATUS],
                    [h for h in register.list_helpers(s) if h.active],
                    requests.open_requests(s),
                )

        def done(data: tuple[list[Any], list[Any], list[requests.RequestRow]]) -> None:
            self.elders, self.helpers, rows = data
            self.model.set_rows(rows)

        BackgroundOp(self, work).on_success(done).run()

    def current(self) -> requests.RequestRow | None:
        index = self.table.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        if row is None:
            QMessageBox.information(self, "点单", "请先选中一个点单。")
        return row

    def _run(self, work: Any) -> None:
        def failed(exc: BaseException) -> bool:
            if isinstance(exc, ValidationError):
                QMessageBox.warning(self, "点单", "；".join(exc.errors.values()))
                return True
            return False

        BackgroundOp(self, work).on_success(lambda _r: self.reload()).on_error(failed).run()

    def add(self) -> None:
        dlg = NewRequestDialog(self.ws, self.elders, self)
        dlg.accepted.connect(self.reload)
        dlg.open()

    def assign(self) -> None:
        row = self.current()
        if row is None:
            return
        names = [f"{h.name}（{h.group}，{h.role}）" for h in self.helpers]
        choice, ok = QInputDialog.getItem(
            self, "派单", f"{row.elder}的“{row.service}”派给：", names, 0, False
        )
        if not ok:
            return
        helper = self.helpers[names.index(choice)].id

        def work() -> None:
            with self.ws.transaction() as s:
                requests.assign_request(row.id, helper, session=s, actor=self.ws.actor)

        self._run(work)

    def complete(self) -> None:
        row = self.current()
        if row is None:
            return

        def work() -> list[requests.VisitChoice]:
            with self.ws.reading() as s:
                return requests.visits_that_can_close(s, row.id)

        BackgroundOp(self, work).on_success(lambda visits: self._close_with(row, visits)).run()

    def _close_with(self, row: requests.RequestRow, visits: list[requests.VisitChoice]) -> None:
        if not visits:
            QMessageBox.information(
                self,
                "完成点单",
                f"还没有{row.elder}在点单之后的走访记录，请先在“批量录入”里登记那次上门。",
            )
            return
        labels = [v.label() for v in visits]
        choice, ok = QInputDialog.getItem(
            self, "完成点单", f"{row.elder}的哪一次走访完成了这个点单？", labels, 0, False
        )
        if not ok:
            return
        visit_id = visits[labels.index(choice)].id

        def work() -> None:
            with self.ws.transaction() as s:
                requests.complete_request(row.id, visit_id, session=s, actor=self.ws.actor)

        self._run(work)

    def cancel(self) -> None:
        row = self.current()
        if row is None:
            return
        reason, ok = QInputDialog.getText(self, "取消点单", "取消原因：")
        if not ok:
            return

        def work() -> None:
            with self.ws.transaction() as s:
                requests.cancel_request(row.id, reason, session=s, actor=self.ws.actor)

        self._run(work)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.reload()
