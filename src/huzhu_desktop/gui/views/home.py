"""首页 — the figures the town asks for, and what needs the clerk's attention today."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core import clock
from huzhu_desktop.core.labels import plain_number
from huzhu_desktop.core.periods import Quarter, current_quarter
from huzhu_desktop.core.quick_info import ShellInfo
from huzhu_desktop.core.services.first_screen import FirstFigures
from huzhu_desktop.gui.ops import BackgroundOp
from huzhu_desktop.gui.widgets.charts import BarChart, LineChart

if TYPE_CHECKING:  # the rest of the core is imported when the workspace is open (see attach)
    from huzhu_desktop.core.services.home import HomeFigures, PointsGlance
    from huzhu_desktop.core.workspace import Workspace


class Tile(QFrame):
    def __init__(self, caption: str, name: str) -> None:
        super().__init__()
        self.setObjectName("tile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QVBoxLayout(self)
        self.value = QLabel("…")
        self.value.setObjectName(f"tile_{name}")
        self.value.setProperty("role", "tileValue")
        lay.addWidget(self.value)
        lay.addWidget(QLabel(caption))


class HomeView(QWidget):
    show_unpaired = Signal()
    show_ledger_42 = Signal()  # the 42号 台账's elders without a pairing (结对帮扶率's rows)
    loaded = Signal()

    def __init__(
        self, ws: Workspace | None, parent: QWidget | None = None, *, shell: ShellInfo | None = None
    ) -> None:
        """On an open workspace, or (ws None) on the frame's `shell` alone: the first screen
        shown from the window's quick read until `attach` brings the workspace."""
        super().__init__(parent)
        self._ws = ws
        info = ws.info if ws is not None else None
        org_name = info.org_name if info else shell.org_name if shell else ""
        title = QLabel(f"{org_name} 农村互助养老")
        kind = self.kind = info.kind if info else shell.kind if shell else "village"
        title.setObjectName("heading")
        self.tiles = {
            key: Tile(caption, key)
            for key, caption in (
                ("rate", "本月特殊老人探访率（目标100%）"),
                ("last_rate", "上月特殊老人探访率"),
                (
                    "overdue",
                    "超期未走访的老人" if kind != "district" else "超期未走访的老人（由各村跟进）",
                ),
                ("elders", "在册老人"),
                ("special", "特殊老人（分散特困、失独、重残的独居老人及村里认定的）"),
                ("unpaired", "特殊老人未“一对一”结对"),
                ("helpers", "在岗帮扶人"),
                ("households", "户（一户一卡）"),
                ("points", "互助养老点"),
                ("requests", "待办点单（走访 → 点单）"),
                ("year_points", "本年互助养老积分（分）"),
                ("balance", "各户积分结余合计（分）"),
            )
        }
        grid = QGridLayout()
        for i, tile in enumerate(self.tiles.values()):
            grid.addWidget(tile, i // 3, i % 3)
        self.targets_box = QGroupBox(f"方案的主要指标（{clock.today().year}年）")
        self.targets_box.setObjectName("targets")
        self.targets_grid = QGridLayout(self.targets_box)
        self.target_rows: dict[str, tuple[QLabel, QProgressBar, QLabel]] = {}
        self.types = QLabel()
        self.types.setObjectName("by_type")
        self.attention = QLabel()
        self.attention.setObjectName("attention")
        self.attention.setWordWrap(True)
        self.go_unpaired = QPushButton("查看未结对的特殊老人")
        self.go_unpaired.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.go_unpaired.clicked.connect(self.show_unpaired.emit)
        self.go_unpaired.hide()
        self.overdue = QLabel()
        self.overdue.setObjectName("overdue_list")
        self.overdue.setWordWrap(True)
        self.export_coverage = QPushButton("导出本季度探访情况（Excel）…")
        self.export_coverage.setObjectName("export_coverage")
        self.export_coverage.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.export_coverage.setToolTip(
            "月探访率、未探访名单、未结对特殊老人、超期未走访的完整名单"
        )
        self.export_coverage.clicked.connect(self.save_coverage)
        self.points_line = QLabel()
        self.points_line.setObjectName("points_line")
        self.points_line.setWordWrap(True)
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        self.print_button = QPushButton("首页存为PDF（开会用）…")
        self.print_button.setObjectName("home_pdf")
        self.print_button.clicked.connect(self.save_pdf)
        head.addWidget(self.print_button)
        layout.addLayout(head)
        self.todo_box = QGroupBox("今天要做的事")
        self.todo_box.setObjectName("todo")
        self.todo = QLabel("正在读取……")
        self.todo.setObjectName("todo_text")
        self.todo.setWordWrap(True)
        QVBoxLayout(self.todo_box).addWidget(self.todo)
        layout.addWidget(self.todo_box)
        layout.addWidget(self.targets_box)
        charts = QHBoxLayout()
        self.rate_chart = LineChart("特殊老人月探访率", "%")
        self.rate_chart.setObjectName("chart_rate")
        self.visits_chart = BarChart("每月走访", "次")
        self.visits_chart.setObjectName("chart_visits")
        self.points_chart = BarChart("每月互助养老积分", "分")
        self.points_chart.setObjectName("chart_points")
        self.units_chart = BarChart("本季各村走访" if kind == "town" else "本季各镇走访", "次")
        self.units_chart.setObjectName("chart_units")
        self.units_chart.setVisible(kind in ("town", "district"))
        for chart in (self.rate_chart, self.visits_chart, self.points_chart, self.units_chart):
            charts.addWidget(chart)
        layout.addLayout(charts)
        layout.addLayout(grid)
        layout.addWidget(self.types)
        layout.addWidget(self.attention)
        layout.addWidget(self.go_unpaired)
        layout.addWidget(self.overdue)
        layout.addWidget(self.export_coverage)
        layout.addWidget(self.points_line)
        layout.addStretch(1)
        if ws is None:  # nothing to save until the workspace is open
            for button in (self.print_button, self.export_coverage):
                button.setEnabled(False)

    @property
    def ws(self) -> Workspace:
        if self._ws is None:
            raise RuntimeError("the 首页 has no open workspace yet (MainWindow.attach gives it)")
        return self._ws

    def attach(self, ws: Workspace) -> None:
        """The workspace, now open, behind a page built on the shell (see `__init__`)."""
        self._ws = ws
        for button in (self.print_button, self.export_coverage):
            button.setEnabled(True)

    def reload(self) -> None:
        """The first screen's counts first (the window is ready with them), then the rates,
        overdue visits and points, the targets, the charts, and the chores last."""

        from huzhu_desktop.core.reports import dashboard, targets
        from huzhu_desktop.core.services.home import first_figures

        def first() -> FirstFigures:
            with self.ws.reading() as s:
                return first_figures(s, today=clock.today())

        def goals() -> list[Any]:  # after the summary: the first screen is not kept waiting
            with self.ws.reading() as s:
                return targets.compute(s, self.ws.folder)

        def plots() -> tuple[list[Any], list[tuple[str, int]]]:
            with self.ws.reading() as s:
                units = (
                    dashboard.units_side_by_side(s) if self.units_chart.isVisibleTo(self) else []
                )
                return dashboard.monthly(s), units

        BackgroundOp(self, first).on_success(self.show_first).run()
        BackgroundOp(self, goals).on_success(self.show_targets).run()
        BackgroundOp(self, plots).on_success(self.show_charts).run()

    def show_chores(self, figures: HomeFigures) -> None:
        """今天要做的事, from the figures just shown (not read a second time)."""

        from huzhu_desktop.core.reports import dashboard

        def chores() -> list[str]:
            with self.ws.reading() as s:
                return dashboard.todo(s, figures=figures)

        BackgroundOp(self, chores).on_success(
            lambda lines: self.todo.setText("\n".join(f"• {line}" for line in lines))
        ).run()

    def show_first(self, first: FirstFigures) -> None:
        """The counts of the first screen: the window is ready (the rest fills in after)."""
        sm = first.register
        values = {
            "elders": sm.elders,
            "special": sm.special_elders,
            "helpers": sm.helpers,
            "households": sm.households,
            "points": sm.care_points,
            "requests": first.open_requests,
        }
        for key, value in values.items():
            self.tiles[key].value.setText(str(value))
        self.types.setText("老人类型：" + "，".join(f"{t} {n}人" for t, n in sm.by_type.items()))
        self.loaded.emit()
        if self._ws is None:  # the window's quick read: the rest once the workspace is open
            return

        from huzhu_desktop.core.services.home import home_figures

        def rest() -> HomeFigures:  # the rates, overdue visits and points, on the counts shown
            with self.ws.reading() as s:
                return home_figures(s, today=clock.today(), first=first)

        BackgroundOp(self, rest).on_success(self.show_summary).run()

    def show_charts(self, data: tuple[list[Any], list[tuple[str, int]]]) -> None:
        months, units = data
        labels = [m.label for m in months]
        self.rate_chart.set_data(labels, [m.visit_rate for m in months], goal=100)
        self.visits_chart.set_data(labels, [float(m.visits) for m in months])
        self.points_chart.set_data(labels, [m.points for m in months])
        self.units_chart.set_data([u[0] for u in units], [float(u[1]) for u in units])

    def save_pdf(self) -> None:
        """This page on one A4 sheet (landscape) for the monthly meeting."""
        from huzhu_desktop.gui import files

        unit = self.ws.info.org_name if self.ws.info else ""
        chosen = files.choose_save_path(
            self,
            self.ws.folder / "exports" / f"{unit}-{clock.today():%Y-%m-%d}-首页.pdf",
            "首页存为PDF",
            "PDF 文件 (*.pdf)",
        )
        if chosen:
            files.open_file(write_page_pdf(self, Path(chosen)), self)

    def show_targets(self, found: list[Any]) -> None:
        """One line a target: its name, a bar of the way to the goal, value / goal, met or not,
        and the change since the period before."""
        from huzhu_desktop.core.reports.targets import shown

        for row, t in enumerate(found):
            if t.id not in self.target_rows:
                name, bar, text = QLabel(t.name), QProgressBar(), QLabel()
                bar.setRange(0, 100)
                bar.setTextVisible(False)
                bar.setObjectName(f"target_{t.id}")
                text.setObjectName(f"target_text_{t.id}")
                self.targets_grid.addWidget(name, row, 0)
                self.targets_grid.addWidget(bar, row, 1)
                self.targets_grid.addWidget(text, row, 2)
                self.target_rows[t.id] = (name, bar, text)
                detail = QPushButton("明细")  # the rows behind the figure
                detail.setObjectName(f"target_detail_{t.id}")
                detail.setToolTip("列出这个数是怎么算出来的：计入和没计入的每一条")
                detail.clicked.connect(lambda _=False, tid=t.id: self.open_target_rows(tid))
                self.targets_grid.addWidget(detail, row, 3)
                if t.id == "helped_share":  # straight to the elders who still need a pairing
                    look = QPushButton("查看未结对的名单")
                    look.setObjectName("target_rows_helped_share")
                    look.clicked.connect(self.show_ledger_42.emit)
                    self.targets_grid.addWidget(look, row, 4)
            _name, bar, text = self.target_rows[t.id]
            bar.setValue(round(t.progress * 100))
            trend = "" if t.trend is None else f"，比上期 {plain_number(t.trend, signed=True)}"
            state = "✓ 达到" if t.met else "未达到"
            text.setText(f"{shown(t.value, t.unit)} / 目标 {shown(t.goal, t.unit)}　{state}{trend}")
            text.setStyleSheet("" if t.met else "color: #b00020;")
        self.targets_grid.setColumnStretch(1, 1)

    def open_target_rows(self, target_id: str) -> None:
        """明细: the rows behind one target, read off the GUI thread, in a dialog."""
        from huzhu_desktop.core.reports.target_rows import rows_behind
        from huzhu_desktop.gui.dialogs.target_rows_dialog import TargetRowsDialog

        def work() -> Any:
            with self.ws.reading() as s:
                return rows_behind(s, target_id)

        def show(behind: Any) -> None:
            self.target_dialog = TargetRowsDialog(self.ws, target_id, behind, self)
            self.target_dialog.open()

        BackgroundOp(self, work, label="正在列出明细…").on_success(show).run()

    def show_summary(self, figures: HomeFigures) -> None:
        """What follows the first screen's counts (`show_first` filled those)."""
        from huzhu_desktop.core.services.ledger import fmt_points

        values = {
            "rate": figures.this_month.text,
            "last_rate": figures.last_month.text,
            "overdue": "—" if figures.overdue is None else figures.overdue,
            "unpaired": figures.unpaired_special,
            "year_points": fmt_points(figures.points.year_c),
            "balance": fmt_points(figures.points.balance_c),
        }
        for key, value in values.items():
            self.tiles[key].value.setText(str(value))
        notes = []
        if figures.unpaired_special:
            notes.append(
                f"⚠ 有 {figures.unpaired_special} 位特殊老人还没有“一对一”结对帮扶。"
                "按方案要求，每位特殊老人都要有一对一结对。"
            )
        missing = figures.this_month.not_visited
        if missing:
            names = "、".join(missing[:8]) + ("……" if len(missing) > 8 else "")
            notes.append(f"本月还没有走访的特殊老人：{names}")
        if not figures.activities_this_quarter and self.ws.info and self.ws.info.kind == "village":
            notes.append("本季度还没有开展集体活动（每季度至少一次），开展后在“活动”页登记。")
        self.attention.setText("\n".join(notes) or "✓ 所有特殊老人都已结对，本月都已走访。")
        self.attention.setStyleSheet("color: #b00020;" if notes else "")
        self.go_unpaired.setVisible(bool(figures.unpaired_special))
        if figures.overdue_list:
            items = "、".join(
                f"{o.name}（{o.group}，{_since(o.days_since)}）" for o in figures.overdue_list[:12]
            )
            more = f"等 {figures.overdue} 人" if (figures.overdue or 0) > 12 else ""
            self.overdue.setText(f"超过走访间隔的老人（最久的在前）：{items}{more}。")
        else:
            self.overdue.setText("")
        self.points_line.setText(_points_text(figures.points))
        self.show_chores(figures)

    def save_coverage(self) -> None:
        """特殊老人探访情况 of this quarter as a workbook, opened when written."""
        from huzhu_desktop.gui.views.reports import save_coverage_workbook

        save_coverage_workbook(self, self.ws, str(current_quarter()))


def _points_text(p: PointsGlance) -> str:
    from huzhu_desktop.core.services.ledger import fmt_points

    text = (
        f"时间银行：{Quarter(p.year, p.quarter).label}存入 {fmt_points(p.quarter_c)} 分，"
        f"本年积分超市兑换 {fmt_points(p.redeemed_year_c)} 分。"
    )
    if p.top_helpers:
        best = "、".join(f"{r.name} {fmt_points(r.points_c)} 分" for r in p.top_helpers)
        text += f"本年积分最多的帮扶人：{best}（名单见“积分”页的“评先与合计”）。"
    return text


def _since(days: int | None) -> str:
    return "从未走访" if days is None else f"已{days}天"


def write_page_pdf(page: QWidget, dest: Path) -> Path:
    """`page` as it is on screen (drawn at twice its size, so the print is sharp), scaled onto
    one A4 landscape sheet through Qt's PDF printer."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPixmap
    from PySide6.QtPrintSupport import QPrinter

    picture = QPixmap(page.size() * 2)
    picture.setDevicePixelRatio(2)
    page.render(picture)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(dest))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    printer.setDocName(dest.stem)
    painter = QPainter(printer)
    try:
        area = printer.pageRect(QPrinter.Unit.DevicePixel)
        scale = min(area.width() / max(1, page.width()), area.height() / max(1, page.height()))
        painter.drawPixmap(QRectF(0, 0, page.width() * scale, page.height() * scale), picture,
                           QRectF(picture.rect()))  # fmt: skip
    finally:
        painter.end()
    return dest
