"""批量录入 — a keyboard-only grid for a stack of paper visit slips.

A typical slip takes the elder's pinyin initials and Enter: the date and helper carry over from
the row above, the elder is found by initials (or name, phone tail), and the pairing's usual kind
and duration are filled in. Enter moves on; Ctrl+S saves every good row in one transaction and
leaves the bad ones in place with the reason on the row. No dialog per row.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from huzhu_desktop.core import vocab
from huzhu_desktop.core.services.search import SearchIndex
from huzhu_desktop.core.services.visits import VisitForm

DATE, HELPER, ELDER, KIND, MINUTES, SERVICES, NOTE, MESSAGE = range(8)
HEADERS = ("日期", "帮扶人", "老人", "方式", "时长(分钟)", "服务内容", "备注", "提示")
KIND_KEYS = {
    "q": "敲敲门",
    "t": "谈谈心",
    "b": "帮帮忙",
    "r": "入户探访",
    "1": "敲敲门",
    "2": "谈谈心",
    "3": "帮帮忙",
    "4": "入户探访",
    "敲": "敲敲门",
    "谈": "谈谈心",
    "帮": "帮帮忙",
    "入": "入户探访",
    "探": "入户探访",
}
ID_ROLE = Qt.ItemDataRole.UserRole


class PeopleLookup:
    """Find one person from what the clerk typed: initials, name, phone or ID tail."""

    def __init__(self, rows: list[Any], label: str) -> None:
        self.rows, self.label = rows, label
        self.index = SearchIndex(rows)
        self.by_id = {r.id: r for r in rows}

    def resolve(self, text: str) -> tuple[Any | None, str]:
        text = text.strip()
        if not text:
            return None, f"请填{self.label}"
        exact = [r for r in self.rows if r.name == text]
        hits = exact or [self.rows[i] for i in self.index.search(text)]
        if len(hits) == 1:
            return hits[0], ""
        if not hits:
            return None, f"找不到“{text}”这位{self.label}"
        names = "、".join(f"{r.name}({r.group})" for r in hits[:5])
        return None, f"“{text}”对应{len(hits)}人：{names}……请多打几个字母或写全名"


class VisitGrid(QTableWidget):
    rows_changed = Signal()

    def __init__(
        self,
        elders: PeopleLookup,
        helpers: PeopleLookup,
        plans: dict[str, tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        """`plans`: elder id → (pairing kind, first helper id) of their active pairing."""
        super().__init__(0, len(HEADERS), parent)
        self.elders, self.helpers, self.plans = elders, helpers, plans
        self.setHorizontalHeaderLabels(HEADERS)
        for col, width in zip(range(8), (100, 110, 130, 80, 80, 150, 150, 330), strict=True):
            self.setColumnWidth(col, width)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.itemChanged.connect(self._changed)
        self._busy = False
        self.add_row()

    # --- rows ---------------------------------------------------------------------------------

    def add_row(self) -> int:
        row = self.rowCount()
        self._busy = True
        self.insertRow(row)
        for col in range(len(HEADERS)):
            self.setItem(row, col, QTableWidgetItem(""))
        self.item(row, MESSAGE).setFlags(Qt.ItemFlag.ItemIsEnabled)
        above = row - 1
        if above >= 0:  # the date and the helper carry over from the slip above
            self.item(row, DATE).setText(self.item(above, DATE).text())
            for col in (HELPER,):
                self.item(row, col).setText(self.item(above, col).text())
                self.item(row, col).setData(ID_ROLE, self.item(above, col).data(ID_ROLE))
        else:
            self.item(row, DATE).setText(date.today().isoformat())
        self._busy = False
        self.rows_changed.emit()
        return row

    def is_blank(self, row: int) -> bool:
        return not self.item(row, ELDER).text().strip()

    def forms(self) -> list[tuple[int, VisitForm]]:
        found = []
        for row in range(self.rowCount()):
            if self.is_blank(row):
                continue
            cell = self.item
            services = [
                s
                for s in cell(row, SERVICES)
                .text()
                .replace("，", "、")
                .replace(" ", "、")
                .split("、")
                if s
            ]
            found.append(
                (
                    row,
                    VisitForm(
                        cell(row, DATE).text(),
                        cell(row, MINUTES).text(),
                        cell(row, KIND).text(),
                        [i for i in [cell(row, HELPER).data(ID_ROLE)] if i],
                        [i for i in [cell(row, ELDER).data(ID_ROLE)] if i],
                        services,
                        cell(row, NOTE).text(),
                    ),
                )
            )
        return found

    def set_message(self, row: int, text: str) -> None:
        self._busy = True
        item = self.item(row, MESSAGE)
        item.setText(text)
        item.setForeground(Qt.GlobalColor.red if text else Qt.GlobalColor.black)
        self._busy = False

    # --- typing -------------------------------------------------------------------------------

    def _changed(self, item: QTableWidgetItem) -> None:
        if self._busy:
            return
        row, col = item.row(), item.column()
        self._busy = True
        try:
            if col in (HELPER, ELDER):
                lookup = self.helpers if col == HELPER else self.elders
                person, message = lookup.resolve(item.text())
                item.setData(ID_ROLE, person.id if person else None)
                if person:
                    item.setText(person.name)
                    if col == ELDER:
                        self._prefill(row, person.id)
                self.item(row, MESSAGE).setText(message)
            elif col == KIND:
                text = item.text().strip()
                item.setText(
                    KIND_KEYS.get(text[:1].lower(), text) if text not in vocab.VISIT_KINDS else text
                )
        finally:
            self._busy = False

    def _prefill(self, row: int, elder_id: str) -> None:
        kind, helper_id = self.plans.get(elder_id, ("", ""))
        if not self.item(row, KIND).text():
            self.item(row, KIND).setText("谈谈心" if kind == "一对一" else "入户探访")
        if not self.item(row, MINUTES).text():
            self.item(row, MINUTES).setText("30")
        helper_cell = self.item(row, HELPER)
        if not helper_cell.data(ID_ROLE) and helper_id in self.helpers.by_id:
            helper_cell.setText(self.helpers.by_id[helper_id].name)
            helper_cell.setData(ID_ROLE, helper_id)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, hint)
        if hint != QAbstractItemDelegate.EndEditHint.RevertModelCache:
            QTimer.singleShot(0, self.advance)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.state() != QAbstractItemView.State.EditingState
        ):
            self.advance()
            return
        super().keyPressEvent(event)

    def advance(self) -> None:
        """Where Enter goes: past a resolved elder straight to the next slip, else one cell on."""
        row, col = self.currentRow(), self.currentColumn()
        if row < 0:
            return
        if (
            col in (HELPER, ELDER)
            and not self.item(row, col).data(ID_ROLE)
            and self.item(row, col).text().strip()
        ):
            return  # not found or ambiguous: stay so the clerk can type more
        complete = all(
            self.item(row, c).text().strip() for c in (DATE, HELPER, ELDER, KIND, MINUTES)
        )
        if (col == ELDER and complete) or col >= NOTE:
            nxt = row + 1 if row + 1 < self.rowCount() else self.add_row()
            self.setCurrentCell(nxt, ELDER)
        else:
            self.setCurrentCell(row, col + 1)
