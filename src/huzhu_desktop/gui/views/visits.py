"""走访 — batch entry of paper slips, and the visits recorded lately."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core import vocab
from huzhu_desktop.core.errors import FIELD_LABELS
from huzhu_desktop.core.services import register
from huzhu_desktop.core.services.visits import BatchOutcome, record_batch
from huzhu_desktop.core.services.visits_read import active_plans, list_visits
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui.ops import BackgroundOp
from huzhu_desktop.gui.table_model import Column, RowTableModel, row_table
from huzhu_desktop.gui.views.requests_panel import RequestsPanel
from huzhu_desktop.gui.views.visit_grid import ELDER, PeopleLookup, VisitGrid

VISIT_FIELDS = {
    "visit_date": "日期",
    "duration_minutes": "时长",
    "kind": "方式",
    "helpers": "帮扶人",
    "elders": "老人",
    "services": "服务内容",
    "source": "来源",
}
HELP = (
    "按纸条逐条录入：在“老人”一格输入拼音首字母（如 zdm）后按回车，日期和帮扶人沿用上一行，"
    "方式和时长按结对自动填好，回车直接到下一条。"
    "方式可输 q/t/b/r（敲敲门/谈谈心/帮帮忙/入户探访）。"
    "录完按 Ctrl+S 一次保存；有问题的行会留下并写明原因。"
)


class VisitsView(QWidget):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.grid: VisitGrid | None = None
        heading = QLabel("走访记录")
        heading.setObjectName("heading")
        hint = QLabel(HELP)
        hint.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("status")
        save = QPushButton("保存（Ctrl+S）")
        save.setObjectName("save")
        save.clicked.connect(self.save)
        clear = QPushButton("清空未保存的行")
        clear.clicked.connect(self.reset_grid)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addWidget(clear)
        buttons.addWidget(self.status, 1)
        self.grid_box = QVBoxLayout()
        self.recent_model: RowTableModel[dict[str, Any]] = RowTableModel(
            [
                Column("日期", lambda v: v["date"], 100),
                Column("方式", lambda v: v["kind"], 80),
                Column("老人", lambda v: "、".join(v["elders"]), 140),
                Column("帮扶人", lambda v: "、".join(v["helpers"]), 120),
                Column("时长(分钟)", lambda v: v["duration_minutes"], 80),
                Column("服务内容", lambda v: "、".join(v["services"]), 160),
                Column("来源", lambda v: v["source"], 60),
                Column("录入人", lambda v: v["updated_by"], 90),
            ]
        )
        self.recent = row_table(self.recent_model, "recent")
        self.recent.doubleClicked.connect(lambda index: self.edit_visit(index.row()))
        batch = QWidget()
        inner = QVBoxLayout(batch)
        inner.addWidget(hint)
        inner.addLayout(self.grid_box, 3)
        inner.addLayout(buttons)
        inner.addWidget(QLabel("最近录入的走访（双击一条可修改，修改会留下记录）"))
        inner.addWidget(self.recent, 2)
        self.requests = RequestsPanel(ws)
        self.tabs = QTabWidget()
        self.tabs.addTab(batch, "批量录入走访")
        self.tabs.addTab(self.requests, "点单")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs)

    def reload(self) -> None:
        def work() -> tuple[list[Any], list[Any], dict[str, tuple[str, str]], list[dict[str, Any]]]:
            with self.ws.reading() as s:
                elders = [e for e in register.list_elders(s) if e.status == vocab.ACTIVE_STATUS]
                helpers = [h for h in register.list_helpers(s) if h.active]
                return (
                    elders,
                    helpers,
                    active_plans(s, today=date.today()),
                    list_visits(s, limit=300),
                )

        BackgroundOp(self, work).on_success(self._loaded).run()

    def _loaded(
        self, data: tuple[list[Any], list[Any], dict[str, tuple[str, str]], list[Any]]
    ) -> None:
        elders, helpers, plans, recent = data
        self.recent_model.set_rows(recent)
        if self.grid is None:
            self.grid = VisitGrid(
                PeopleLookup(elders, "老人"), PeopleLookup(helpers, "帮扶人"), plans
            )
            self.grid.setObjectName("grid")
            self.grid_box.addWidget(self.grid)
        else:
            self.grid.elders = PeopleLookup(elders, "老人")
            self.grid.helpers = PeopleLookup(helpers, "帮扶人")
            self.grid.plans = plans
        self.grid.setCurrentCell(self.grid.rowCount() - 1, ELDER)
        self.grid.setFocus()

    def edit_visit(self, view_row: int) -> None:
        from huzhu_desktop.gui.dialogs.visit_dialog import VisitDialog

        visit = self.recent_model.row_at(view_row)
        if visit is None:
            return
        dlg = VisitDialog(self.ws, visit, self)
        dlg.saved.connect(lambda _i: self.reload())
        dlg.open()

    def reset_grid(self) -> None:
        if self.grid is not None:
            self.grid.setRowCount(0)
            self.grid.add_row()
            self.grid.setCurrentCell(0, ELDER)

    def save(self) -> None:
        grid = self.grid
        if grid is None:
            return
        if grid.state() == grid.State.EditingState:
            grid.setFocus()  # commit the cell being typed in
        rows = grid.forms()
        if not rows:
            self.status.setText("没有要保存的行。")
            return

        def work() -> list[BatchOutcome]:
            with self.ws.transaction() as s:
                return record_batch([f for _r, f in rows], session=s, actor=self.ws.actor)

        def done(outcomes: list[BatchOutcome]) -> None:
            saved = [rows[o.index][0] for o in outcomes if o.visit_id]
            for o in outcomes:
                if o.errors:
                    grid.set_message(
                        rows[o.index][0],
                        "；".join(
                            f"{VISIT_FIELDS.get(k, FIELD_LABELS.get(k, k))}：{v}"
                            for k, v in o.errors.items()
                        ),
                    )
            for row in sorted(saved, reverse=True):
                grid.removeRow(row)
            if grid.rowCount() == 0 or not grid.is_blank(grid.rowCount() - 1):
                grid.add_row()
            bad = len(outcomes) - len(saved)
            self.status.setText(
                f"已保存 {len(saved)} 条"
                + (f"，{bad} 条有问题留在表中（见“提示”列）" if bad else "。")
            )
            self.reload()

        BackgroundOp(self, work, label="正在保存…").on_success(done).run()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.reload()
