"""资金筹集 — money received for 互助养老 (镇财政、村集体、慈善组织、爱心企业、爱心人士): the
year so far by source, and every record with 登记 / 修改 / 删除."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core import clock, vocab
from huzhu_desktop.core.services import funding
from huzhu_desktop.core.services.funding import FundingForm, FundingRow, yuan
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui import forms
from huzhu_desktop.gui.dialogs.points_dialogs import FormDialog
from huzhu_desktop.gui.forms import combo, set_combo
from huzhu_desktop.gui.ops import BackgroundOp
from huzhu_desktop.gui.table_model import Column, RowTableModel, row_table


class FundingDialog(FormDialog):
    def __init__(
        self, ws: Workspace, parent: QWidget | None = None, *, editing: FundingRow | None = None
    ) -> None:
        self.editing = editing
        self.when = QLineEdit(clock.today().isoformat())
        self.source = combo(vocab.FUNDING_SOURCES, blank="（请选择）")
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("单位：元，如 5000 或 1234.50")
        self.donor = QLineEdit()
        self.donor.setPlaceholderText("如：茨竹镇人民政府、某某企业、张某某")
        self.purpose = QLineEdit()
        self.purpose.setPlaceholderText("如：互助养老点运转、积分超市物品")
        self.note = QLineEdit()
        if editing is not None:
            self.when.setText(editing.received_on.isoformat())
            set_combo(self.source, editing.source)
            self.amount.setText(yuan(editing.amount_fen))
            self.donor.setText(editing.donor)
            self.purpose.setText(editing.purpose)
            self.note.setText(editing.note)
        super().__init__(
            ws,
            "修改资金记录" if editing else "登记筹集的资金",
            [
                ("到账日期", "date", self.when),
                ("资金来源", "source", self.source),
                ("金额（元）", "amount", self.amount),
                ("出资单位或个人", "donor", self.donor),
                ("用途", "purpose", self.purpose),
                ("备注", "note", self.note),
            ],
            self._work,
            note="镇街配套和捐赠的资金都在这里登记；汇总表按到账日期所在的季度统计。",
            parent=parent,
        )

    def form(self) -> FundingForm:
        return FundingForm(
            self.when.text(),
            self.source.currentData() or "",
            self.amount.text(),
            self.donor.text(),
            self.purpose.text(),
            self.note.text(),
        )

    def _work(self) -> object:
        with self.ws.transaction() as s:
            if self.editing is None:
                return funding.record_funding(self.form(), session=s, actor=self.ws.actor)
            return funding.update_funding(
                self.editing.id, self.form(), session=s, actor=self.ws.actor
            )


class FundingView(QWidget):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.village = ws.info is None or ws.info.kind == "village"
        self.summary = QLabel()
        self.summary.setObjectName("funding_summary")
        self.summary.setWordWrap(True)
        unit: list[Column[FundingRow]] = (
            [] if self.village else [Column("单位", lambda r: r.unit, 90)]
        )
        self.model: RowTableModel[FundingRow] = RowTableModel(
            [
                *unit,
                Column("到账日期", lambda r: r.received_on.isoformat(), 100),
                Column("资金来源", lambda r: r.source, 80),
                Column("出资单位或个人", lambda r: r.donor, 200),
                Column("金额（元）", lambda r: yuan(r.amount_fen), 110),
                Column("用途", lambda r: r.purpose, 220),
                Column("备注", lambda r: r.note, 200),
            ]
        )
        self.table = row_table(self.model, "funding")
        self.table.doubleClicked.connect(lambda _i: self.edit())
        buttons = QHBoxLayout()
        for text, slot in (("登记资金…", self.add), ("修改", self.edit), ("删除…", self.delete)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

    def reload(self) -> None:
        year = clock.today().year

        def work() -> tuple[list[FundingRow], dict[str, int]]:
            with self.ws.reading() as s:
                return funding.list_funding(s), funding.by_source(
                    s, date(year, 1, 1), date(year, 12, 31)
                )

        BackgroundOp(self, work).on_success(lambda r: self._show(year, *r)).run()

    def _show(self, year: int, rows: list[FundingRow], sources: dict[str, int]) -> None:
        self.model.set_rows(rows)
        total = sum(sources.values())
        parts = "、".join(f"{s} {yuan(v)}" for s, v in sources.items())
        text = f"{year}年已筹集 {yuan(total)} 元" + (f"（{parts}）" if parts else "")
        if self.village:
            text += "。"
        else:
            target = yuan(vocab.TOWN_FUNDING_TARGET_FEN)
            text += f"，含各村报送的；方案要求每个镇不少于 {target} 元。"
        self.summary.setText(text)

    def current(self) -> FundingRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _open(self, dialog: FundingDialog) -> None:
        dialog.saved.connect(lambda _r: self.reload())
        dialog.open()

    def add(self) -> None:
        self._open(FundingDialog(self.ws, self))

    def edit(self) -> None:
        row = self.current()
        if row is None:
            QMessageBox.information(self, "修改资金记录", "请先在列表里选中一条记录。")
            return
        self._open(FundingDialog(self.ws, self, editing=row))

    def delete(self) -> None:
        row = self.current()
        if row is None:
            QMessageBox.information(self, "删除资金记录", "请先在列表里选中一条记录。")
            return
        reason = forms.ask_deletion_reason(
            self, "删除资金记录", f"{row.source} {yuan(row.amount_fen)}元"
        )
        if reason is None:
            return

        def work() -> None:
            with self.ws.transaction() as s:
                funding.delete_funding(row.id, session=s, actor=self.ws.actor, reason=reason)

        BackgroundOp(self, work, label="正在删除…").on_success(lambda _r: self.reload()).run()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.reload()
