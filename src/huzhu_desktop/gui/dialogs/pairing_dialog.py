"""新建结对 and 结束结对."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core import clock, vocab
from huzhu_desktop.core.services import register
from huzhu_desktop.core.services.pairings import (
    PairingForm,
    PairingSaved,
    create_pairing,
    end_pairing,
)
from huzhu_desktop.core.settings import load_settings
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui.forms import FieldErrors, combo, dialog_buttons, submit
from huzhu_desktop.gui.ops import BackgroundOp
from huzhu_desktop.gui.widgets.person_picker import PersonPicker


class PairingDialog(QDialog):
    saved = Signal(str)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("新建结对帮扶")
        self.resize(820, 560)
        self.errors = FieldErrors()
        self.kind = combo(vocab.PAIRING_KINDS, blank=None)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.start = QLineEdit(clock.today().isoformat())
        self.plan = QLineEdit(vocab.PAIRING_PLANS[vocab.ONE_TO_ONE])
        self.elders = PersonPicker(
            [],
            lambda e: (
                f"{e.name}　{e.group}　{e.age or ''}岁　{_paired_text(e)}"
                + ("　★特殊老人" if e.special else "")
            ),
            multi=False,
        )
        self.helpers = PersonPicker(
            [],
            lambda h: f"{h.name}　{h.group}　{h.role}　已帮扶{h.elders_helped}人",
            multi=False,
        )
        form = QFormLayout()
        self.errors.add_row(form, "结对方式", "kind", self.kind)
        self.errors.add_row(form, "开始日期", "start_date", self.start)
        self.errors.add_row(form, "帮扶内容", "plan", self.plan)
        pickers = QHBoxLayout()
        for label, name, picker in (
            ("被帮扶老人", "elders", self.elders),
            ("帮扶人", "helpers", self.helpers),
        ):
            col = QFormLayout()
            self.errors.add_row(col, label, name, picker)
            pickers.addLayout(col)
        buttons = dialog_buttons(self, "保存")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(pickers, 1)
        layout.addWidget(
            QLabel("一对一：一位帮扶人对一位老人。划片式：小组长带同组几位老人（可多选）。")
        )
        layout.addWidget(buttons)
        BackgroundOp(self, self._load).on_success(self._loaded).run()

    def _load(self) -> tuple[list[Any], list[Any]]:
        with self.ws.reading() as s:
            return (
                [e for e in register.list_elders(s) if e.status == vocab.ACTIVE_STATUS],
                [h for h in register.list_helpers(s) if h.active],
            )

    def _loaded(self, people: tuple[list[Any], list[Any]]) -> None:
        self.elders.set_rows(people[0])
        self.helpers.set_rows(people[1])

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.plan.setText(vocab.PAIRING_PLANS[kind])
        mode = (
            self.elders.list.SelectionMode.MultiSelection
            if kind == vocab.AREA_GROUP
            else self.elders.list.SelectionMode.SingleSelection
        )
        for picker in (self.elders, self.helpers):  # 划片式: several elders, maybe several helpers
            picker.list.clearSelection()
            picker.list.setSelectionMode(mode)

    def form(self) -> PairingForm:
        return PairingForm(
            self.kind.currentData(),
            self.elders.selected_ids(),
            self.helpers.selected_ids(),
            self.start.text(),
            self.plan.text(),
        )

    def save(self) -> None:
        form = self.form()
        limit = load_settings(self.ws.folder).max_elders_per_helper

        def work() -> PairingSaved:
            with self.ws.transaction() as s:
                return create_pairing(
                    form, session=s, actor=self.ws.actor, max_elders_per_helper=limit
                )

        def done(result: PairingSaved) -> None:
            if result.warnings:
                QMessageBox.information(self, "已保存，请留意", "\n".join(result.warnings))
            self.saved.emit(result.pairing.id)
            self.accept()

        submit(self, work, self.errors, done)


class EndPairingDialog(QDialog):
    saved = Signal(str)

    def __init__(self, ws: Workspace, pairing_id: str, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws, self.pairing_id = ws, pairing_id
        self.setWindowTitle(f"结束结对：{title}")
        self.errors = FieldErrors()
        self.when = QLineEdit(clock.today().isoformat())
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("如：帮扶人外出务工；老人去世；改为划片式")
        form = QFormLayout()
        self.errors.add_row(form, "结束日期", "end_date", self.when)
        self.errors.add_row(form, "结束原因", "end_reason", self.reason)
        buttons = dialog_buttons(self, "结束结对")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("结束后仍保留历史记录；特殊老人请及时安排新的一对一结对。"))
        layout.addWidget(buttons)

    def save(self) -> None:
        when, why = self.when.text(), self.reason.text()

        def work() -> None:
            with self.ws.transaction() as s:
                end_pairing(self.pairing_id, when, why, session=s, actor=self.ws.actor)

        def done(_r: object) -> None:
            self.saved.emit(self.pairing_id)
            self.accept()

        submit(self, work, self.errors, done)


def _paired_text(e: register.ElderRow) -> str:
    """Whether the elder already has a pairing: a 特殊老人 needs one 一对一."""
    if e.one_to_one:
        return "已一对一结对"
    return "已结对（划片式）" if e.paired else "未结对"
