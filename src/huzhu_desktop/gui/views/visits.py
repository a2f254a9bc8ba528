"""走访 — batch entry of paper slips, and the visits recorded lately."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core import clock, vocab
from huzhu_desktop.core.errors import FIELD_LABELS
from huzhu_desktop.core.importers.visit_import import duplicate_forms, plan_visits
from huzhu_desktop.core.importers.visit_plan import PlannedVisit
from huzhu_desktop.core.importers.visit_source import VisitSource, parse_text, read_visit_file
from huzhu_desktop.core.labels import FIELD_LABELS as L
from huzhu_desktop.core.services import register
from huzhu_desktop.core.services.people_directory import PeopleDirectory
from huzhu_desktop.core.services.visits import VISIT_FIELD_LABELS, BatchOutcome, record_batch
from huzhu_desktop.core.services.visits_read import VisitRow, active_plans, list_visits
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui import files
from huzhu_desktop.gui.forms import shortcut
from huzhu_desktop.gui.ops import BackgroundOp
from huzhu_desktop.gui.table_model import Column, RowTableModel, row_table
from huzhu_desktop.gui.views.requests_panel import RequestsPanel
from huzhu_desktop.gui.views.visit_grid import ELDER, VisitGrid

IMPORTED = (vocab.BY_SHEET, vocab.BY_WECHAT)  # sources of rows brought in from a sheet or a chat
HELP = (
    "按纸条逐条录入：在“老人”一格输入拼音首字母（如 zdm）后按回车，日期和帮扶人沿用上一行，"
    "方式和时长按结对自动填好，回车直接到下一条。"
    "“方式”一格可以打字：敲敲门（或 q）、谈谈心（t）、帮帮忙（b）、入户探访（r）。"
    "录完按 Ctrl+S 一次保存；有问题的行会留下并写明原因。"
    "帮扶人自己记的走访表或微信群里的消息，可用“导入走访表”“粘贴走访记录”放进表格，核对后保存。"
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
        from_file = QPushButton("导入走访表…")
        from_file.setObjectName("import_visits")
        from_file.clicked.connect(self.import_file)
        paste = QPushButton("粘贴走访记录…")
        paste.setObjectName("paste_visits")
        paste.clicked.connect(self.paste_dialog)
        shortcut("Ctrl+S", self, self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addWidget(clear)
        buttons.addWidget(from_file)
        buttons.addWidget(paste)
        buttons.addWidget(self.status, 1)
        self.grid_box = QVBoxLayout()
        self.recent_model: RowTableModel[VisitRow] = RowTableModel(
            [
                Column(L["visit_date"], lambda v: v.visit_date.isoformat(), 100),
                Column(L["visit_kind"], lambda v: v.kind, 80),
                Column("老人", lambda v: "、".join(v.elders), 140),
                Column(L["helpers"], lambda v: "、".join(v.helpers), 120),
                Column(L["duration_minutes"], lambda v: v.duration_minutes, 80),
                Column(L["services"], lambda v: "、".join(v.services), 160),
                Column(L["visit_source"], lambda v: v.source, 60),
                Column(L["updated_by"], lambda v: v.updated_by, 90),
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
        def work() -> tuple[list[Any], list[Any], dict[str, tuple[str, str]], list[VisitRow]]:
            with self.ws.reading() as s:
                elders = [e for e in register.list_elders(s) if e.status == vocab.ACTIVE_STATUS]
                helpers = [h for h in register.list_helpers(s) if h.active]
                return (
                    elders,
                    helpers,
                    active_plans(s, today=clock.today()),
                    list_visits(s, limit=300),
                )

        BackgroundOp(self, work).on_success(self._loaded).run()

    def _loaded(
        self, data: tuple[list[Any], list[Any], dict[str, tuple[str, str]], list[Any]]
    ) -> None:
        elders, helpers, plans, recent = data
        self.recent_model.set_rows(recent)
        if self.grid is None:
            self.grid = VisitGrid(PeopleDirectory(elders), PeopleDirectory(helpers), plans)
            self.grid.setObjectName("grid")
            self.grid.pasted.connect(self.import_text)
            self.grid_box.addWidget(self.grid)
        else:
            self.grid.elders = PeopleDirectory(elders)
            self.grid.helpers = PeopleDirectory(helpers)
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

    # --- visits from a helper's sheet or a chat -------------------------------------------------

    def import_file(self) -> None:
        path = files.choose_open_path(
            self, "选择走访记录文件", "走访记录 (*.xlsx *.csv *.txt);;所有文件 (*)"
        )
        if path:
            self._plan(lambda: read_visit_file(Path(path)), Path(path).name)

    def paste_dialog(self) -> None:
        from huzhu_desktop.gui.dialogs.paste_visits_dialog import PasteVisitsDialog

        dlg = PasteVisitsDialog(self)
        dlg.accepted.connect(lambda: self.import_text(dlg.pasted()))
        dlg.open()

    def import_text(self, text: str) -> None:
        if text.strip():
            self._plan(lambda: parse_text(text), "粘贴的内容")

    def _plan(self, read: Callable[[], VisitSource], what: str) -> None:
        """Read and match off the GUI thread; the rows land in the grid, nothing is saved."""

        def work() -> tuple[VisitSource, list[PlannedVisit]]:
            source = read()
            with self.ws.reading() as s:
                return source, plan_visits(source, session=s, today=clock.today())

        def done(result: tuple[VisitSource, list[PlannedVisit]]) -> None:
            self._planned(result[0], result[1], what)

        BackgroundOp(self, work, label="正在识别走访记录…").on_success(done).run()

    def _planned(self, source: VisitSource, planned: list[PlannedVisit], what: str) -> None:
        grid = self.grid
        if grid is None:
            return
        fresh = [v for v in planned if not v.duplicate]
        rows = grid.add_planned(fresh)
        open_ = sum(1 for v in fresh if v.problems)
        parts = [f"从{what}读入 {len(planned)} 条走访，已放进表格 {len(fresh)} 条"]
        if open_:
            parts.append(f"其中 {open_} 条要选人或改正（见“提示”列，在名字格按回车可选人）")
        duplicates = len(planned) - len(fresh)
        if duplicates:
            parts.append(f"{duplicates} 条以前已登记过，没有放进表格")
        if source.skipped_blank or source.skipped_layout:
            parts.append(
                f"空行、合计、说明等 {source.skipped_blank + source.skipped_layout} 行未读"
            )
        self.status.setText("，".join(parts) + "。核对后按“保存”。")
        if rows:
            grid.setCurrentCell(rows[0], ELDER)
            grid.setFocus()

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

        def work() -> tuple[list[BatchOutcome], list[int]]:
            with self.ws.transaction() as s:  # the duplicate check reads in the same transaction
                imported = [i for i, (_r, f) in enumerate(rows) if f.source in IMPORTED]
                repeated = duplicate_forms(s, [rows[i][1] for i in imported])
                skip = {imported[k] for k in repeated}
                keep = [i for i in range(len(rows)) if i not in skip]
                outcomes = record_batch([rows[i][1] for i in keep], session=s, actor=self.ws.actor)
            for o in outcomes:  # back to positions in `rows`
                o.index = keep[o.index]
            return outcomes, sorted(skip)

        def done(result: tuple[list[BatchOutcome], list[int]]) -> None:
            outcomes, skipped = result
            saved = [rows[o.index][0] for o in outcomes if o.visit_id]
            for o in outcomes:
                if o.errors:
                    grid.set_message(
                        rows[o.index][0],
                        "；".join(
                            f"{VISIT_FIELD_LABELS.get(k, FIELD_LABELS.get(k, k))}：{v}"
                            for k, v in o.errors.items()
                        ),
                    )
            for row in sorted(saved + [rows[i][0] for i in skipped], reverse=True):
                grid.removeRow(row)
            if grid.rowCount() == 0 or not grid.is_blank(grid.rowCount() - 1):
                grid.add_row()
            bad = len(outcomes) - len(saved)
            self.status.setText(
                f"已保存 {len(saved)} 条"
                + (f"，{len(skipped)} 条与已登记的走访重复，未再保存" if skipped else "")
                + (f"，{bad} 条有问题留在表中（见“提示”列）" if bad else "。")
            )
            self.reload()

        BackgroundOp(self, work, label="正在保存…").on_success(done).run()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.reload()
