"""首页 → 明细: the rows behind one target's figure, with how the figure is read from them, and
导出Excel for the meeting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from huzhu_desktop.core import clock
from huzhu_desktop.core.reports.target_rows import TargetRows, write_target_rows
from huzhu_desktop.core.reports.targets import BY_ID
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui import column_fit, files


class TargetRowsDialog(QDialog):
    def __init__(
        self, ws: Workspace, target_id: str, behind: TargetRows, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ws, self.target_id = ws, target_id
        self.setWindowTitle(f"{BY_ID[target_id].name}——明细")
        heading = QLabel(f"{behind.title}：共 {len(behind.rows)} 行，计入 {behind.counted}")
        heading.setObjectName("heading")
        how = QLabel(f"计算方法：{behind.note}")
        how.setWordWrap(True)
        self.table = QTableWidget(len(behind.rows), len(behind.header))
        self.table.setObjectName("target_rows")
        self.table.setHorizontalHeaderLabels(list(behind.header))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, values in enumerate(behind.rows):
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem("" if value is None else f"{value}"))
        self.table.resizeColumnsToContents()  # the reasons are sentences (Qt samples 1,000 rows)
        self.table.horizontalHeader().setStretchLastSection(True)
        column_fit.keep_fitted(self.table)
        empty = QLabel("没有可列出的记录。")
        empty.setVisible(not behind.rows)
        export = QPushButton("导出Excel…")
        export.setObjectName("export_target_rows")
        export.clicked.connect(self.export)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(export, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (heading, how, self.table, empty, buttons):
            layout.addWidget(w)
        self.resize(760, 520)

    def export(self) -> None:
        name = f"{self.ws.info.org_name if self.ws.info else ''}-{BY_ID[self.target_id].name}明细"
        today: date = clock.today()

        def write(s: Session, dest: Path, _report: Callable[[int, int], None]) -> object:
            return write_target_rows(s, self.target_id, dest, today=today)

        files.export_workbook(self, self.ws, f"{name}-{today:%Y-%m-%d}.xlsx", "明细", write)
