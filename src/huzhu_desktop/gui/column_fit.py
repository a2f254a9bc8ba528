"""Columns wide enough for what they must show whole, in whatever font the clerk has: every
header, and the columns of phone numbers, ID numbers, codes, fingerprints, dates and times (a
clerk cannot use `13812345…`). Declared widths are for the normal font; large-font mode and
Windows scaling widen them — columns only ever grow here, the clerk's own dragging is kept.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QStyle, QTableView

# Headers of columns whose cells must never be cut short.
WHOLE = ("电话", "身份证", "代码", "指纹", "日期", "时间", "编号", "季度", "单位")
SAMPLE_ROWS = 300  # rows measured per column (the widest of a long list is found by its first)
SCREEN_ROWS = 40  # rows measured when a search or filter only changes which rows show
CELL_PAD = 14


def header_room(view: QTableView, column: int) -> int:
    """Pixels a header section needs for its text beside the margins and sort arrow."""
    header = view.horizontalHeader()
    model = view.model()
    text = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
    style = header.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    arrow = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
    sort = arrow + margin if view.isSortingEnabled() else 0
    return header.fontMetrics().horizontalAdvance(text) + 2 * margin + sort + 4


def must_be_whole(model: QAbstractItemModel, column: int) -> bool:
    text = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
    return any(word in text for word in WHOLE)


def cell_room(view: QTableView, column: int) -> int:
    model = view.model()
    sample = getattr(model, "fit_sample", SAMPLE_ROWS)  # RowTableModel: fewer after a search
    texts = getattr(model, "texts", None)  # RowTableModel: its cells without a QModelIndex each
    if texts is not None:
        values = set(texts(column, sample))
    else:
        values = {
            str(v)
            for row in range(min(model.rowCount(), sample))
            if (v := model.data(model.index(row, column)))
        }
    fm = view.fontMetrics()
    widest = max((fm.horizontalAdvance(v) for v in values if v), default=0)  # each text once
    return widest + CELL_PAD if widest else 0


def fit(view: QTableView) -> None:
    """Widen each column to its header, and the must-be-whole ones to their cells."""
    model = view.model()
    if model is None:
        return
    for column in range(model.columnCount()):
        if view.isColumnHidden(column):
            continue
        need = header_room(view, column)
        if must_be_whole(model, column):
            need = max(need, cell_room(view, column))
        if view.columnWidth(column) < need:
            view.setColumnWidth(column, need)


def scaled(view: QTableView, width: int) -> int:
    """A width declared for the normal font, in the view's font (large-font mode: wider)."""
    from huzhu_desktop.gui.style import NORMAL_PT

    size = view.font().pointSizeF()
    return round(width * size / NORMAL_PT) if size > NORMAL_PT else width


def keep_fitted(view: QTableView) -> None:
    """Fit now and whenever the rows change (a list filled later, a search, a new quarter)."""
    import shiboken6

    def refit() -> None:
        # A QTableWidget's own model resets while the widget is being destroyed: skip it then.
        if shiboken6.isValid(view):
            fit(view)

    model = view.model()
    fit(view)
    if model is not None:
        model.modelReset.connect(refit)
        model.layoutChanged.connect(refit)
