"""报表 — 附件1 《农村互助养老服务工作进展情况汇总表》 for a quarter (or 本年累计), seen on screen
before it is saved as the district's workbook; 附件2 《结对帮扶信息台账》 for the same period; the
quarter's 特殊老人探访情况."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core import clock
from huzhu_desktop.core.periods import Period, last_quarters, reporting_quarter
from huzhu_desktop.core.reports.attachment1 import (
    VillageFigures,
    form_rows,
    write_attachment1,
)
from huzhu_desktop.core.reports.attachment2 import write_attachment2
from huzhu_desktop.core.reports.coverage_xlsx import write_coverage
from huzhu_desktop.core.services import submissions
from huzhu_desktop.core.services.funding import yuan
from huzhu_desktop.core.services.ledger import fmt_points
from huzhu_desktop.core.services.submissions import Reported
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui import files
from huzhu_desktop.gui.flow_layout import FlowLayout
from huzhu_desktop.gui.ops import BackgroundOp
from huzhu_desktop.gui.table_model import Column, RowTableModel, row_table

# (heading on screen — the workbook has the form's —, VillageFigures field, width, as shown)
FIGURES: list[tuple[str, str, int, Callable[[Any], Any]]] = [
    ("社工组织", "social_orgs", 200, str),
    ("社工", "social_workers", 55, int),
    ("养老点", "centres", 65, int),
    ("分点", "branches", 55, int),
    ("志愿者", "volunteers", 70, int),
    ("一对一（对）", "one_to_one", 100, int),
    ("划片式（组）", "area_groups", 100, int),
    ("积分（分）", "points_c", 90, lambda c: fmt_points(int(c or 0))),
    ("活动（场）", "activities", 90, int),
    ("资金（元）", "funding_fen", 110, lambda f: yuan(int(f or 0))),
]


class ReportsView(QWidget):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        heading = QLabel("报表")
        heading.setObjectName("heading")
        self.quarter = QComboBox()
        self.quarter.setObjectName("quarter")
        for q in reversed(last_quarters(8)):
            self.quarter.addItem(q.label, str(q))
        self.quarter.setCurrentIndex(max(0, self.quarter.findData(str(reporting_quarter()))))
        self.year_to_date = QCheckBox("本年累计（1月至季度末）")
        self.quarter.currentIndexChanged.connect(self.reload)
        self.year_to_date.toggled.connect(self.reload)
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel("统计期间："))
        chooser.addWidget(self.quarter)
        chooser.addWidget(self.year_to_date)
        chooser.addStretch(1)
        title = QLabel("附件1　农村互助养老服务工作进展情况汇总表")
        title.setObjectName("subheading")
        # (village code, field) → (as reported, now) where a remake differs from the 附件1 kept
        self.changed: dict[tuple[str, str], tuple[Any, Any]] = {}
        self.model: RowTableModel[VillageFigures] = RowTableModel(
            [Column("行政村", lambda r: r.name, 100)] + [self._column(*f) for f in FIGURES]
        )
        self.table = row_table(self.model, "attachment1")
        self.explain = QLabel(
            "数字取自本工作区的台账：社工、志愿者、互助养老点和结对按期末在岗、在用、在结的算；"
            "积分、集体活动和资金按期间内发生的算（积分不扣兑换）。镇里导入各村数据包后，每村一行，"
            "镇里自己登记的（如镇财政配套资金）单列“镇本级”一行；区里按镇分组，每镇一行小计；"
            "最后一行合计。与导出的 Excel 完全一致。"
        )
        self.explain.setWordWrap(True)
        self.difference = QLabel()
        self.difference.setObjectName("difference")
        self.difference.setWordWrap(True)
        buttons = FlowLayout()  # wraps on a narrow window
        for text, slot in (
            ("导出附件1（Excel）…", self.save_attachment1),
            ("导出附件2 结对帮扶信息台账（Excel）…", self.save_attachment2),
            ("导出特殊老人探访情况（Excel）…", self.save_coverage),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(chooser)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.difference)
        self.beside = QLabel()
        self.beside.setObjectName("beside_form")
        self.beside.setWordWrap(True)
        layout.addWidget(self.beside)
        layout.addWidget(self.explain)
        layout.addLayout(buttons)
        registers = FlowLayout()  # seed 002's 档案, printed like the forms
        registers.addWidget(QLabel("档案（本年）："))
        for reg_id, text in (
            ("roster", "导出队伍名单…"),
            ("activities", "导出活动台账…"),
            ("funding", "导出资金台账…"),
            ("points", "导出积分汇总…"),
        ):
            button = QPushButton(text)
            button.setObjectName(f"register_{reg_id}")
            button.clicked.connect(lambda _c=False, r=reg_id: self.save_register(r))
            registers.addWidget(button)
        layout.addLayout(registers)

    def _column(
        self, heading: str, field: str, width: int, show: Callable[[Any], Any]
    ) -> Column[VillageFigures]:
        def value(r: VillageFigures) -> Any:
            was = self.changed.get((r.code, field))
            now = show(getattr(r, field))
            return now if was is None else f"{show(was[0]) if was[0] is not None else '—'} → {now}"

        return Column(heading, value, width, highlight=lambda r: (r.code, field) in self.changed)

    def period(self) -> Period:
        return Period.of(self.quarter.currentData(), year_to_date=self.year_to_date.isChecked())

    def reload(self, *_args: object) -> None:
        period = self.period()

        def work() -> tuple[list[VillageFigures], Reported | None, dict[Any, Any]]:
            with self.ws.reading() as s:
                rows = form_rows(s, period)  # exactly the workbook's rows, 小计 and 合计 too
                kept = submissions.last_reported(s, period.key)
            changed = submissions.changes(kept, rows) if kept is not None else {}
            return rows, kept, changed

        BackgroundOp(self, work).on_success(lambda r: self._loaded(*r)).run()

    def _loaded(
        self, rows: list[VillageFigures], kept: Reported | None, changed: dict[Any, Any]
    ) -> None:
        self.changed = changed
        self.model.set_rows(rows)
        others = rows[-1].other_one_to_one if rows else 0  # the 合计 row
        self.beside.setText(
            f"另有 {others} 对“一对一”结对的老人不是特殊老人（分散特困、失独、重残独居），"
            "按附件1的口径不计入“特殊老人一对一结对帮扶”，在结对页可以看到。"
            if others
            else ""
        )
        if kept is None:
            self.difference.setText("")
        elif changed:
            when = kept.made_at.astimezone().strftime("%Y-%m-%d")
            self.difference.setText(
                f"与 {when} 导出报送的附件1 相比，有 {len(changed)} 个数字变了（标红的格子："
                "报送时 → 现在），例如后来补录了走访或更正了台账。再次导出即按现在的数字。"
            )
        else:
            when = kept.made_at.astimezone().strftime("%Y-%m-%d")
            self.difference.setText(f"与 {when} 导出报送的附件1 一致。")

    def _unit(self) -> tuple[str, str]:
        info = self.ws.info
        return (info.district_name, info.org_name) if info else ("", "")

    def save_attachment1(self) -> None:
        period, ws = self.period(), self.ws

        def write_and_keep(
            s: Any, dest: Any, progress: Any = None, **kw: Any
        ) -> list[VillageFigures]:
            rows = write_attachment1(s, dest, **kw)  # one row a village: quick
            if not ws.read_only:  # the figures as sent, to compare later remakes with
                with ws.transaction() as t:
                    submissions.record(t, ws.actor, period.key, rows)
            return rows

        self._save_form("附件1", "互助养老进展情况汇总表", write_and_keep, then=self.reload)

    def save_attachment2(self) -> None:
        self._save_form("附件2", "结对帮扶信息台账", write_attachment2)

    def save_register(self, register_id: str) -> None:
        from huzhu_desktop.core.reports.registers import REGISTERS, write_register

        year = clock.today().year
        unit = self.ws.info.org_name if self.ws.info else ""
        title = REGISTERS[register_id].title
        files.export_workbook(
            self,
            self.ws,
            f"{unit}-{year}年-{title}.xlsx",
            title,
            lambda s, dest, _report: write_register(s, register_id, dest, year=year),
        )

    def save_coverage(self) -> None:
        save_coverage_workbook(self, self.ws, self.quarter.currentData())

    def _save_form(
        self,
        what: str,
        name: str,
        write: Callable[..., object],
        then: Callable[[], None] | None = None,
    ) -> None:
        period = self.period()
        district, unit = self._unit()
        suffix = "本年累计" if self.year_to_date.isChecked() else ""
        files.export_workbook(
            self,
            self.ws,
            f"{what}-{unit}-{self.quarter.currentData()}{suffix}-{name}.xlsx",
            what,
            lambda s, dest, report: write(
                s, dest, period=period, district=district, unit=unit, progress=report
            ),
            then=then,
        )

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.reload()


def save_coverage_workbook(parent: QWidget, ws: Workspace, quarter: str) -> None:
    """特殊老人探访情况 of a quarter as a workbook (报表 and 首页 both offer it)."""
    unit = ws.info.org_name if ws.info else ""
    files.export_workbook(
        parent,
        ws,
        f"{unit}-{quarter}-特殊老人探访情况.xlsx",
        "探访情况",
        lambda s, dest, _report: write_coverage(s, dest, quarter=quarter, unit=unit),
    )
