"""Pick elders or helpers by typing: name, pinyin initials, phone tail, 组 — the register search."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core.services.search import SearchIndex


class PersonPicker(QWidget):
    """A search box over a list; `selected_ids()` gives the chosen people in list order."""

    changed = Signal()

    def __init__(
        self, rows: list[Any], describe: Any, *, multi: bool, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.rows, self.describe = rows, describe
        self.index = SearchIndex(rows)
        self.search = QLineEdit()
        self.search.setPlaceholderText("输入姓名、拼音首字母或电话尾号")
        self.list = QListWidget()
        self.list.setSelectionMode(
            QAbstractItemView.SelectionMode.MultiSelection
            if multi
            else QAbstractItemView.SelectionMode.SingleSelection
        )
        self.list.itemSelectionChanged.connect(self.changed.emit)
        self.search.textChanged.connect(self.refresh)
        self.search.returnPressed.connect(self._pick_first)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.search)
        lay.addWidget(self.list)
        self.refresh()

    def set_rows(self, rows: list[Any]) -> None:
        """The people to pick from (loaded after the dialog opened)."""
        self.rows = rows
        self.index = SearchIndex(rows)
        self.refresh()

    def refresh(self) -> None:
        chosen = set(self.selected_ids())
        self.list.blockSignals(True)
        self.list.clear()
        shown = self.index.search(self.search.text())[:300]
        ids = {self.rows[i].id for i in shown}
        for row_id in chosen - ids:  # keep what was chosen visible
            shown.insert(0, next(i for i, r in enumerate(self.rows) if r.id == row_id))
        for i in shown:
            row = self.rows[i]
            item = QListWidgetItem(self.describe(row))
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.list.addItem(item)
            item.setSelected(row.id in chosen)
        self.list.blockSignals(False)

    def _pick_first(self) -> None:
        if self.list.count() and not self.list.selectedItems():
            self.list.item(0).setSelected(True)

    def selected_ids(self) -> list[str]:
        return [item.data(Qt.ItemDataRole.UserRole) for item in self.list.selectedItems()]

    def select_ids(self, ids: list[str]) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setSelected(item.data(Qt.ItemDataRole.UserRole) in ids)
