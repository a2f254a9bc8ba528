"""结对 — pairings with their 明白卡 state; new, end, and print or save the cards."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core import clock
from huzhu_desktop.core.labels import FIELD_LABELS as L
from huzhu_desktop.core.services import cards as card_service
from huzhu_desktop.core.services.pairings_read import PairingRow, with_card_states
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui.flow_layout import FlowLayout
from huzhu_desktop.gui.forms import shortcut
from huzhu_desktop.gui.ops import BackgroundOp
from huzhu_desktop.gui.table_model import Column, RowTableModel, row_table


class PairingsView(QWidget):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.rows: list[PairingRow] = []
        self.cards: list[card_service.CardData] = []
        heading = QLabel("结对帮扶")
        heading.setObjectName("heading")
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("按老人或帮扶人姓名查找")
        self.search.textChanged.connect(self.apply_filter)
        self.state = QComboBox()
        self.state.setObjectName("state")
        self.state.addItems(["进行中", "已结束", "全部"])
        self.state.currentIndexChanged.connect(self.apply_filter)
        self.a5 = QCheckBox("一张A4纸印两张A5卡")
        self.a5.setObjectName("a5")
        self.two_copies = QCheckBox("每张两份（老人家一份、帮扶人一份）")
        self.two_copies.setObjectName("two_copies")
        self.model: RowTableModel[PairingRow] = RowTableModel(
            [
                Column(L["pairing_kind"], lambda r: r.kind, 80),
                Column(L["elders"], lambda r: "、".join(r.elders), 220),
                Column(L["helpers"], lambda r: "、".join(r.helpers), 140),
                Column(L["plan"], lambda r: r.plan, 230),
                Column(L["start_date"], lambda r: r.start_date.isoformat(), 100),
                Column(L["end_date"], lambda r: r.end_date.isoformat() if r.end_date else "", 100),
                Column(L["end_reason"], lambda r: r.end_reason, 140),
                Column(
                    L["card"],
                    lambda r: r.card,
                    80,
                    highlight=lambda r: r.needs_print,
                ),
            ]
        )
        self.table = row_table(self.model, "table")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.count = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.search, 2)
        top.addWidget(self.state)
        top.addStretch(1)
        actions = QHBoxLayout()  # pairings
        cards_row = FlowLayout()  # 明白卡 (wraps on a narrow window)
        cards_row.addWidget(QLabel("明白卡："))
        for row, text, slot in (
            (actions, "新建结对（Ctrl+N）", self.add),
            (actions, "结束结对", self.end),
            (cards_row, "打印选中的明白卡", self.print_selected),
            (cards_row, "打印所有需重印/未打印的", self.print_changed),
        ):
            button = QPushButton(text)
            button.setObjectName(f"action_{text}")
            button.clicked.connect(slot)
            row.addWidget(button)
        self.group = QComboBox()
        self.group.setObjectName("group")
        by_group = QPushButton("打印这个组的")
        by_group.setObjectName("action_print_group")
        by_group.clicked.connect(self.print_group)
        save = QPushButton("存为PDF…")
        save.setObjectName("action_save_pdf")
        save.clicked.connect(self.save_pdf)
        sheets = QPushButton("帮扶人名单存为PDF…")
        sheets.setObjectName("action_helper_sheets")
        sheets.clicked.connect(self.save_helper_sheets)
        for widget in (self.group, by_group, save, self.a5, self.two_copies, sheets):
            cards_row.addWidget(widget)
        actions.addStretch(1)
        actions.addWidget(self.count)
        shortcut("Ctrl+N", self, self.add)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addLayout(cards_row)
        layout.addWidget(self.table, 1)

    def reload(self) -> None:
        def work() -> tuple[list[PairingRow], list[card_service.CardData]]:
            with self.ws.reading() as s:
                return with_card_states(s, today=clock.today())

        def done(result: tuple[list[PairingRow], list[card_service.CardData]]) -> None:
            self.rows, self.cards = result
            current = self.group.currentText()
            self.group.clear()
            self.group.addItems(
                sorted({c.group for c in self.cards if c.group}, key=lambda g: (len(g), g))
            )
            self.group.setCurrentText(current)
            self.model.set_rows(self.rows, [])
            self.apply_filter()

        BackgroundOp(self, work).on_success(done).run()

    def apply_filter(self, *_a: object) -> None:
        text = self.search.text().strip()
        state = self.state.currentText()
        visible = [
            i
            for i, r in enumerate(self.rows)
            if (state == "全部" or (state == "进行中") == r.active)
            and (not text or any(text in n for n in r.elders + r.helpers))
        ]
        self.model.set_visible(visible)
        self.count.setText(f"共 {len(visible)} 个结对")

    def selected(self) -> list[PairingRow]:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        return [r for r in (self.model.row_at(i) for i in sorted(rows)) if r is not None]

    def add(self) -> None:
        from huzhu_desktop.gui.dialogs.pairing_dialog import PairingDialog

        dlg = PairingDialog(self.ws, self)
        dlg.saved.connect(lambda _i: self.reload())
        dlg.open()

    def end(self) -> None:
        from huzhu_desktop.gui.dialogs.pairing_dialog import EndPairingDialog

        chosen = self.selected()
        if not chosen or not chosen[0].active:
            QMessageBox.information(self, "结束结对", "请先选中一个进行中的结对。")
            return
        row = chosen[0]
        dlg = EndPairingDialog(
            self.ws, row.id, f"{'、'.join(row.helpers)} → {'、'.join(row.elders)}", self
        )
        dlg.saved.connect(lambda _i: self.reload())
        dlg.open()

    def _cards_for(self, pairing_ids: set[str]) -> list[card_service.CardData]:
        return [c for c in self.cards if c.pairing_id in pairing_ids]

    def print_selected(self) -> None:
        self._print(self._cards_for({r.id for r in self.selected()}))

    def print_changed(self) -> None:
        self._print(self._cards_for({r.id for r in self.rows if r.needs_print}))

    def print_group(self) -> None:
        group = self.group.currentText()
        self._print([c for c in self.cards if c.group == group])

    def _print(self, chosen: list[card_service.CardData]) -> None:
        from huzhu_desktop.gui.card_printing import print_cards

        if not chosen:
            QMessageBox.information(
                self, "打印明白卡", "没有要打印的明白卡（请先选中进行中的结对）。"
            )
            return
        print_cards(self, self.ws, chosen, self.a5.isChecked(), on_done=lambda _r: self.reload(),
                    copies=2 if self.two_copies.isChecked() else 1)  # fmt: skip

    def save_pdf(self) -> None:
        from huzhu_desktop.gui.card_printing import save_cards_pdf

        chosen = self._cards_for({r.id for r in self.selected()}) or self.cards
        save_cards_pdf(self, self.ws, chosen, self.a5.isChecked(), on_done=lambda _p: self.reload(),
                       copies=2 if self.two_copies.isChecked() else 1)  # fmt: skip

    def save_helper_sheets(self) -> None:
        """帮扶人名单: each 互助员's elders on a sheet of their own (all pairings in force)."""
        from huzhu_desktop.gui.card_printing import save_helper_sheets

        save_helper_sheets(self, self.ws, self.cards)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.reload()
