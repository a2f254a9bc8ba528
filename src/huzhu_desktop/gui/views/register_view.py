"""The shared shape of the 老人 and 帮扶人 lists: search-as-you-type, filters, a table, actions."""

from __future__ import annotations

from collections.abc import Callable
from itertools import compress
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core.labels import FIELD_LABELS as L
from huzhu_desktop.core.services.search import SearchIndex
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui.forms import shortcut
from huzhu_desktop.gui.ops import BackgroundOp
from huzhu_desktop.gui.table_model import Column, RowTableModel, row_table

# The first columns of both registers: who the person is.
PERSON_COLUMNS: list[Column[Any]] = [
    Column(L["name"], lambda r: r.name, 90),
    Column(L["gender"], lambda r: r.gender, 50),
    Column(L["age"], lambda r: r.age, 50),
    Column(L["group_name"], lambda r: r.group, 60),
]
UNIT_COLUMN: Column[Any] = Column(L["unit"], lambda r: r.unit, 90)
SEARCH_HINT = "搜索：姓名、拼音首字母（如 zsf）、电话或身份证尾号、组"


class RegisterView(QWidget):
    """Subclasses give the columns, how to load rows, the filter bar and the actions."""

    loaded = Signal(int)
    title = ""
    adds = "elder"  # what 新增 registers: "elder" or "helper"
    empty_hint = ""  # shown above an empty list (nobody registered yet): what to do first

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.rows: list[Any] = []
        self.index = SearchIndex([])
        self.model: RowTableModel[Any] = RowTableModel(self.columns())
        self._passing: bytes | None = None  # per row: passes the filter widgets (None: all)
        # search text → (rows shown, the count line under them), for these rows and filters
        self._shown: dict[str, tuple[list[int], str]] = {}
        self._loading = False

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(SEARCH_HINT)
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.apply_filter)
        self.search.installEventFilter(self)

        self.table = row_table(self.model, "table")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)  # rows arrive sorted by 组 and pinyin; headers re-sort
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        self.table.installEventFilter(self)

        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        # Its text changes with every keystroke: sized by the room it is given, not by its text,
        # or each new count re-laid the whole window out (the window's size limits changed).
        self.count_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.empty = QLabel(self.empty_hint)  # a new village: what to do first
        self.empty.setObjectName("empty_hint")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("font-size: 13pt; color: #2e5e46; padding: 12px;")
        self.empty.hide()

        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        self.filter_bar = QHBoxLayout()
        top.addLayout(self.filter_bar, 4)
        actions = QHBoxLayout()
        for text, keys, slot in self.actions_spec():
            btn = QPushButton(f"{text}（{keys}）" if keys else text)
            btn.setObjectName(f"action_{text}")
            btn.clicked.connect(slot)
            actions.addWidget(btn)
            if keys:
                shortcut(keys, self, slot)
        actions.addStretch(1)
        actions.addWidget(self.count_label)

        heading = QLabel(self.title)
        heading.setObjectName("heading")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        shortcut("Ctrl+F", self, self.focus_search)
        self.build_filters()

    # --- for subclasses -----------------------------------------------------------------------

    def columns(self) -> list[Column[Any]]:
        raise NotImplementedError

    def unit_columns(self) -> list[Column[Any]]:
        """A town or district sees its villages' people read-only, with the village named."""
        kind = self.ws.info.kind if self.ws.info else "village"
        return [UNIT_COLUMN] if kind != "village" else []

    def load_rows(self) -> list[Any]:
        """Runs off the GUI thread."""
        raise NotImplementedError

    def build_filters(self) -> None:
        pass

    def make_filter(self) -> Callable[[Any], bool] | None:
        """Read the filter widgets once and return a plain predicate (None: show every hit)."""
        return None

    def actions_spec(self) -> list[tuple[str, str, Callable[[], None]]]:
        return []

    def add(self) -> None:
        from huzhu_desktop.gui.dialogs.person_dialog import PersonDialog

        dlg = PersonDialog(
            self.ws, self, as_elder=self.adds == "elder", as_helper=self.adds == "helper"
        )
        dlg.saved.connect(self.reload)
        dlg.open()

    def edit_current(self) -> None:
        from huzhu_desktop.gui.dialogs.person_dialog import PersonDialog

        row = self.current_row()
        if row is None:
            return
        dlg = PersonDialog(self.ws, self, person_id=row.id)
        dlg.saved.connect(self.reload)
        dlg.open()

    def describe_count(self, visible: list[int]) -> str:
        """The line under the list for these rows (positions in `self.rows`)."""
        return f"共 {len(visible)} 人"

    # --- behaviour --------------------------------------------------------------------------

    def reload(self, select_id: str | None = None) -> None:
        if self._loading:
            return
        self._loading = True

        columns = self.model.columns

        def load() -> tuple[list[Any], list[bool], SearchIndex]:
            """The rows, which columns have nothing in any row (hidden: an all-empty
            所属组织 column only makes the clerk wonder), and the search index with its
            one-key queries ready — worked out off the GUI thread."""
            rows = self.load_rows()
            empty = [all(c.value(r) in ("", None) for r in rows) if rows else False
                     for c in columns]  # fmt: skip
            return rows, empty, SearchIndex(rows, prepare=True)

        def done(loaded: tuple[list[Any], list[bool], SearchIndex]) -> None:
            rows, empty, index = loaded
            for i, nothing in enumerate(empty):
                self.table.setColumnHidden(i, nothing)
            self.rows = rows
            self.index = index
            self.model.set_rows(rows, visible=[])
            self.empty.setVisible(not rows and bool(self.empty_hint))
            self.refilter()
            if select_id:
                self.select_id(select_id)
            self.loaded.emit(len(rows))

        def always() -> None:
            self._loading = False

        BackgroundOp(self, load).on_success(done).on_finally(always).run()

    def refilter(self, *_args: object) -> None:
        """The rows or the filter widgets changed: decide again which rows pass the filters."""
        keep = self.make_filter()
        self._passing = None if keep is None else bytes(keep(r) for r in self.rows)
        if self._passing is not None and all(self._passing):
            self._passing = None  # everybody passes: a keystroke need not look
        self._shown.clear()
        self.apply_filter()

    def apply_filter(self, *_args: object) -> None:
        """A keystroke in the search box: only the search runs; the filters' verdicts per row
        are kept from `refilter`, and an unchanged result leaves the table as it is."""
        text = self.search.text()
        shown = self._shown.get(text)
        if shown is None:
            hits = self.index.search(text)
            passing = self._passing
            visible = (
                hits if passing is None else list(compress(hits, map(passing.__getitem__, hits)))
            )
            if len(self._shown) > 64:
                self._shown.clear()
            # the count line too: 特殊老人 among the 78,000 hits of "3" is 1.6 ms to count
            shown = self._shown[text] = (visible, self.describe_count(visible))
        visible, described = shown
        if visible != self.model.visible:
            self.model.set_visible(list(visible))  # a header click sorts the model's own copy
        self.count_label.setText(described)
        if visible and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def current_row(self) -> Any:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def select_id(self, row_id: str) -> None:
        for view_row, i in enumerate(self.model.visible):
            if self.rows[i].id == row_id:
                self.table.selectRow(view_row)
                self.table.scrollTo(self.model.index(view_row, 0))
                return

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if obj is self.search and key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.table.setFocus()
                if self.model.rowCount() and not self.table.currentIndex().isValid():
                    self.table.selectRow(0)
                return True
            if obj is self.search and key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
            if obj is self.table and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.edit_current()
                return True
            if (
                obj is self.table
                and event.text().strip()
                and not event.modifiers()
                & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
            ):
                self.search.setFocus()  # typing in the table searches
                self.search.setText(self.search.text() + event.text())
                return True
        return super().eventFilter(obj, event)

    def showEvent(self, event: QEvent) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if not self.rows and not self._loading:
            QTimer.singleShot(0, self.reload)
