"""批量录入 — a keyboard-only grid for a stack of paper slips, and the review grid for visits
brought in from a helper's sheet or a chat.

A typical slip takes the elder's pinyin initials and Enter: the date and helper carry over from
the row above, the elder is found by initials (or name, phone tail), and the pairing's usual kind
and duration are filled in. Enter moves on; Ctrl+S saves every good row in one transaction and
leaves the bad ones in place with the reason on the row. No dialog per row.

A name that fits several people (or none exactly, with look-alikes) opens a picker at the cell:
the clerk chooses, nothing is guessed. The 老人 and 帮扶人 cells take several names
(张德明、李秀英).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QMenu,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from huzhu_desktop.core import clock, vocab
from huzhu_desktop.core.importers.visit_plan import SPLIT_NAMES, PlannedVisit
from huzhu_desktop.core.services.people_directory import NameMatch, PeopleDirectory
from huzhu_desktop.core.services.visits import VisitForm, default_kind
from huzhu_desktop.core.validate import FieldError, implausible_date_warning, parse_date
from huzhu_desktop.gui import column_fit

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


class KindDelegate(QStyledItemDelegate):
    """方式 as a picker: a drop-down of the four words; typing works as before (q/t/b/r, 1–4 or
    the first character), mapped when the cell is left."""

    def createEditor(self, parent: QWidget, option: Any, index: Any) -> QWidget:
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.addItems(list(vocab.VISIT_KINDS))
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        return combo

    def setEditorData(self, editor: QWidget, index: Any) -> None:
        assert isinstance(editor, QComboBox)
        editor.setEditText(str(index.data() or ""))
        line = editor.lineEdit()
        if line is not None:
            line.selectAll()

    def setModelData(self, editor: QWidget, model: Any, index: Any) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText())


ID_ROLE = Qt.ItemDataRole.UserRole  # list of person ids the cell's names resolved to
CANDIDATES_ROLE = Qt.ItemDataRole.UserRole + 1  # [(id, label)] for the first open name
SOURCE_ROLE = Qt.ItemDataRole.UserRole + 2  # on the date cell: 纸质 / 表格 / 微信


def _ids(item: QTableWidgetItem) -> list[str]:
    data = item.data(ID_ROLE)
    if not data:
        return []
    return [data] if isinstance(data, str) else list(data)


class VisitGrid(QTableWidget):
    rows_changed = Signal()
    pasted = Signal(str)  # several lines pasted into the grid: the view plans them

    def __init__(
        self,
        elders: PeopleDirectory,
        helpers: PeopleDirectory,
        plans: dict[str, tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        """`plans`: elder id → (pairing kind, first helper id) of their active pairing."""
        super().__init__(0, len(HEADERS), parent)
        self.elders, self.helpers, self.plans = elders, helpers, plans
        self.picker: QMenu | None = None
        self.setHorizontalHeaderLabels(HEADERS)
        for col, width in zip(range(8), (100, 110, 150, 80, 80, 150, 150, 360), strict=True):
            self.setColumnWidth(col, column_fit.scaled(self, width))
        self.horizontalHeader().setStretchLastSection(True)  # 提示 takes what room is left
        self.kinds = KindDelegate(self)
        self.setItemDelegateForColumn(KIND, self.kinds)
        self.itemChanged.connect(lambda _item: column_fit.fit(self))
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

    def cell(self, row: int, col: int) -> QTableWidgetItem:
        """A cell's item (every cell of a row is made with the row, see add_row)."""
        item = self.item(row, col)
        assert item is not None, (row, col)
        return item

    def add_row(self) -> int:
        row = self.rowCount()
        self._busy = True
        self.insertRow(row)
        for col in range(len(HEADERS)):
            self.setItem(row, col, QTableWidgetItem(""))
        self.cell(row, MESSAGE).setFlags(Qt.ItemFlag.ItemIsEnabled)
        above = row - 1
        if above >= 0 and not self.is_blank(above):  # date and helper carry over from above
            self.cell(row, DATE).setText(self.cell(above, DATE).text())
            for col in (HELPER,):
                self.cell(row, col).setText(self.cell(above, col).text())
                self.cell(row, col).setData(ID_ROLE, self.cell(above, col).data(ID_ROLE))
        else:
            self.cell(row, DATE).setText(clock.today().isoformat())
        self._busy = False
        self.rows_changed.emit()
        return row

    def is_blank(self, row: int) -> bool:
        return not self.cell(row, ELDER).text().strip()

    def forms(self) -> list[tuple[int, VisitForm]]:
        found = []
        for row in range(self.rowCount()):
            if self.is_blank(row):
                continue
            cell = self.cell
            services = [s for s in SPLIT_NAMES.split(cell(row, SERVICES).text()) if s]
            found.append(
                (
                    row,
                    VisitForm(
                        cell(row, DATE).text(),
                        cell(row, MINUTES).text(),
                        cell(row, KIND).text(),
                        _ids(cell(row, HELPER)),
                        _ids(cell(row, ELDER)),
                        services,
                        cell(row, NOTE).text(),
                        source=cell(row, DATE).data(SOURCE_ROLE) or vocab.PAPER,
                    ),
                )
            )
        return found

    def set_message(self, row: int, text: str) -> None:
        self._busy = True
        item = self.cell(row, MESSAGE)
        item.setText(text)
        item.setToolTip(text)
        item.setForeground(Qt.GlobalColor.red if text else Qt.GlobalColor.black)
        self._busy = False

    def add_planned(self, visits: list[PlannedVisit]) -> list[int]:
        """Rows for visits read from a sheet or a chat, with what is still open on each."""
        if self.rowCount() and self.is_blank(self.rowCount() - 1):
            self.removeRow(self.rowCount() - 1)
        rows = []
        for v in visits:
            row = self.add_row()
            self._busy = True
            values = {
                DATE: v.day.isoformat() if v.day else "",
                KIND: v.kind,
                MINUTES: "" if v.minutes is None else str(v.minutes),
                SERVICES: "、".join(v.services),
                NOTE: v.note,
            }
            for col, text in values.items():
                self.cell(row, col).setText(text)
            self.cell(row, DATE).setData(SOURCE_ROLE, v.source)
            self._set_names(row, HELPER, v.helpers)
            self._set_names(row, ELDER, v.elders)
            self._busy = False
            self.set_message(row, "；".join([p.message for p in v.problems] + v.warnings))
            rows.append(row)
        self.add_row()
        return rows

    # --- names --------------------------------------------------------------------------------

    def _directory(self, col: int) -> tuple[PeopleDirectory, str]:
        return (self.helpers, "帮扶人") if col == HELPER else (self.elders, "老人")

    def _set_names(self, row: int, col: int, matches: list[NameMatch]) -> str:
        """Show what the names resolved to; keep the first open one's candidates for the picker."""
        item = self.cell(row, col)
        _directory, label = self._directory(col)
        item.setText("、".join(m.name or m.text for m in matches))
        ids = [m.person_id for m in matches if m.person_id]
        open_ = [m for m in matches if not m.found]
        item.setData(ID_ROLE, ids if not open_ else [])
        item.setData(
            CANDIDATES_ROLE,
            [(c.id, c.label()) for c in open_[0].candidates] if open_ else None,
        )
        return "；".join(m.message(label) for m in open_)

    def resolve_cell(self, row: int, col: int) -> None:
        directory, _label = self._directory(col)
        item = self.cell(row, col)
        parts = [p for p in SPLIT_NAMES.split(item.text()) if p]
        matches = [directory.resolve(p) for p in parts]
        message = self._set_names(row, col, matches)
        ids = _ids(item)
        if col == ELDER and ids:
            self._prefill(row, ids[0])
        self.cell(row, MESSAGE).setText(message)

    def choose(self, row: int, col: int, person_id: str) -> None:
        """The clerk picked a person for the cell's first open name."""
        self.close_picker()
        directory, _label = self._directory(col)
        item = self.cell(row, col)
        if item is None or person_id not in directory.by_id:
            return  # the row was saved or cleared meanwhile
        parts = [p for p in SPLIT_NAMES.split(item.text()) if p]
        matches = [directory.resolve(p) for p in parts] or [NameMatch("")]
        first_open = next((i for i, m in enumerate(matches) if not m.found), 0)
        matches[first_open] = directory.choose(person_id, matches[first_open].text)
        self._busy = True
        try:
            message = self._set_names(row, col, matches)
            ids = _ids(item)
            if col == ELDER and ids:
                self._prefill(row, ids[0])
            self.cell(row, MESSAGE).setText(message)
        finally:
            self._busy = False
        self.setCurrentCell(row, col)
        if not message:
            QTimer.singleShot(0, self.advance)

    def show_picker(self, row: int, col: int) -> QMenu | None:
        """A menu of the candidates at the cell; choosing one settles the name."""
        self.close_picker()
        candidates = self.cell(row, col).data(CANDIDATES_ROLE)
        if not candidates:
            return None
        menu = QMenu(self)
        menu.setObjectName("picker")
        for person_id, label in candidates:
            action = QAction(label, menu)
            action.triggered.connect(lambda _c=False, pid=person_id: self.choose(row, col, pid))
            menu.addAction(action)
        rect = self.visualRect(self.model().index(row, col))
        menu.popup(self.viewport().mapToGlobal(rect.bottomLeft() + QPoint(0, 1)))
        self.picker = menu
        return menu

    def close_picker(self) -> None:
        if self.picker is not None:
            self.picker.close()
            self.picker.deleteLater()
            self.picker = None

    # --- typing -------------------------------------------------------------------------------

    def _changed(self, item: QTableWidgetItem) -> None:
        if self._busy:
            return
        row, col = item.row(), item.column()
        self._busy = True
        try:
            if col in (HELPER, ELDER):
                self.resolve_cell(row, col)
            elif col == DATE:
                self._check_date(row, item.text())
            elif col == KIND:
                text = item.text().strip()
                item.setText(
                    KIND_KEYS.get(text[:1].lower(), text) if text not in vocab.VISIT_KINDS else text
                )
        finally:
            self._busy = False

    def _check_date(self, row: int, text: str) -> None:
        """A future date is refused at 保存; a date before 2000 only earns a second look."""
        try:
            day = parse_date(text, allow_future=True)
        except FieldError:
            return
        warning = implausible_date_warning(day)
        if warning:
            self.cell(row, MESSAGE).setText(warning)
            self.cell(row, MESSAGE).setForeground(Qt.GlobalColor.darkYellow)

    def _prefill(self, row: int, elder_id: str) -> None:
        kind, helper_id = self.plans.get(elder_id, ("", ""))
        if not self.cell(row, KIND).text():
            self.cell(row, KIND).setText(default_kind(kind or None))
        if not self.cell(row, MINUTES).text() and self.cell(row, DATE).data(SOURCE_ROLE) is None:
            self.cell(row, MINUTES).setText("30")  # a paper slip; imported rows keep theirs
        helper_cell = self.cell(row, HELPER)
        if not _ids(helper_cell) and not helper_cell.text() and helper_id in self.helpers.by_id:
            helper_cell.setText(self.helpers.by_id[helper_id].name)
            helper_cell.setData(ID_ROLE, [helper_id])

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, hint)
        if hint != QAbstractItemDelegate.EndEditHint.RevertModelCache:
            QTimer.singleShot(0, self.advance)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            text = QApplication.clipboard().text()
            if "\n" in text.strip():  # lines from a chat or rows from Excel: plan them all
                self.pasted.emit(text)
                return
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
        item = self.cell(row, col)
        if col in (HELPER, ELDER) and item.text().strip() and not _ids(item):
            self.show_picker(row, col)  # several people fit, or look-alikes: choose one
            return  # stay so the clerk can choose or type more
        complete = all(
            self.cell(row, c).text().strip() for c in (DATE, HELPER, ELDER, KIND, MINUTES)
        )
        if (col == ELDER and complete) or col >= NOTE:
            nxt = row + 1 if row + 1 < self.rowCount() else self.add_row()
            self.setCurrentCell(nxt, ELDER)
        else:
            self.setCurrentCell(row, col + 1)
