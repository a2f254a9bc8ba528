"""A table model over plain Python rows. Filtering and sorting happen in Python on a list of
row positions (a QSortFilterProxyModel over 100k rows measured 615 ms a filter, 17 s a sort)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTableView

from huzhu_desktop.core.pinyin import collation_key
from huzhu_desktop.gui import column_fit

T = TypeVar("T")
_DISPLAY = Qt.ItemDataRole.DisplayRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_ALERT = QBrush(QColor("#b00020"))
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    value: Callable[[T], Any]
    width: int = 80
    highlight: Callable[[T], bool] | None = None


class RowTableModel(QAbstractTableModel, Generic[T]):
    def __init__(self, columns: Sequence[Column[T]]) -> None:
        super().__init__()
        self.columns = list(columns)
        self.rows: list[T] = []
        self.visible: list[int] = []
        # Rows column_fit measures on a reset: new rows are sampled deep; a search over the same
        # rows only its first screen (columns only grow; the deep sample was 9 ms a keystroke).
        self.fit_sample = column_fit.SAMPLE_ROWS

    def set_rows(self, rows: list[T], visible: list[int] | None = None) -> None:
        self.fit_sample = column_fit.SAMPLE_ROWS
        self.beginResetModel()
        self.rows = rows
        self.visible = list(range(len(rows))) if visible is None else visible
        self.endResetModel()

    def set_visible(self, visible: list[int]) -> None:
        self.beginResetModel()
        self.visible = visible
        self.endResetModel()
        self.fit_sample = column_fit.SCREEN_ROWS

    def texts(self, column: int, limit: int) -> list[str]:
        """The first `limit` shown cells of `column` as the table shows them (column_fit
        measures these: going through a QModelIndex and `data` per cell cost 1.4 ms a search)."""
        value, rows = self.columns[column].value, self.rows
        return ["" if (v := value(rows[i])) is None else str(v) for i in self.visible[:limit]]

    def row_at(self, view_row: int) -> T | None:
        if 0 <= view_row < len(self.visible):
            return self.rows[self.visible[view_row]]
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header
        if role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if role == _DISPLAY:
            value = self.columns[index.column()].value(self.rows[self.visible[index.row()]])
            return "" if value is None else str(value)
        if role == _FOREGROUND:
            col = self.columns[index.column()]
            if col.highlight and col.highlight(self.rows[self.visible[index.row()]]):
                return _ALERT
        return None

    def multiData(self, index: Index, roleDataSpan: QModelRoleDataSpan | QModelRoleData) -> None:
        """Every role a delegate asks for a cell in one call (Qt 6 asks seven roles a cell when
        painting; one crossing into Python instead of seven makes a repaint ~1 ms cheaper)."""
        # The delegate reuses its span from cell to cell: every role must be set or cleared. The
        # row and column are looked up once for the cell, not once for each role (a district's
        # search repaints 240 cells a keystroke).
        col = self.columns[index.column()]
        row = self.rows[self.visible[index.row()]]
        for role_data in cast(Iterable[QModelRoleData], roleDataSpan):
            role = role_data.role()
            if role == 0:  # DisplayRole
                value = col.value(row)
                role_data.setData("" if value is None else str(value))
            elif role == 9 and col.highlight is not None and col.highlight(row):  # Foreground
                role_data.setData(_ALERT)
            else:
                role_data.clearData()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        getter = self.columns[column].value

        def key(i: int) -> tuple[int, int, Any]:
            """Empty cells last; numbers by value; text in Chinese order (core.pinyin)."""
            v = getter(self.rows[i])
            if v is None or v == "":
                return (1, 0, "")
            if isinstance(v, int | float) and not isinstance(v, bool):
                return (0, 0, v)
            return (0, 1, collation_key(str(v)))

        self.beginResetModel()
        self.visible.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.endResetModel()


def row_table(model: RowTableModel[Any], name: str) -> QTableView:
    """A table over a RowTableModel as every list here shows one: whole-row selection, no row
    numbers, the columns' widths."""
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.verticalHeader().setVisible(False)
    for i, col in enumerate(model.columns):
        view.setColumnWidth(i, column_fit.scaled(view, col.width))
    column_fit.keep_fitted(view)
    return view
