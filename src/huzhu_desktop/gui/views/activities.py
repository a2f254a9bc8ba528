"""活动 — the village's 集体活动: this quarter against the 方案's one-a-quarter, and every activity
with who took part and the points it gave."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core.periods import current_quarter
from huzhu_desktop.core.services import activities
from huzhu_desktop.core.services.activities import ActivityRow
from huzhu_desktop.core.services.ledger import fmt_points
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui import forms
from huzhu_desktop.gui.dialogs.activity_dialog import ActivityDialog
from huzhu_desktop.gui.forms import shortcut
from huzhu_desktop.gui.ops import BackgroundOp
from huzhu_desktop.gui.table_model import Column, RowTableModel, row_table


def _names(row: ActivityRow) -> str:
    shown = "、".join(row.participants[:3])
    return shown + (f"等{len(row.participants)}人" if len(row.participants) > 3 else "")


class ActivitiesView(QWidget):
    changed = Signal()  # activities gave or took back points

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        heading = QLabel("集体活动")
        heading.setObjectName("heading")
        self.summary = QLabel()
        self.summary.setObjectName("quarter_summary")
        self.summary.setWordWrap(True)
        self.village = ws.info is None or ws.info.kind == "village"
        unit: list[Column[ActivityRow]] = (
            [] if self.village else [Column("单位", lambda r: r.unit, 90)]
        )
        self.model: RowTableModel[ActivityRow] = RowTableModel(
            [
                *unit,
                Column("日期", lambda r: r.held_on.isoformat(), 100),
                Column("活动类型", lambda r: r.kind, 110),
                Column("活动名称", lambda r: r.title, 220),
                Column("地点", lambda r: r.place, 150),
                Column("参加人数", lambda r: r.attendance, 70),
                Column("登记的参加者", _names, 260),
                Column("积分", lambda r: fmt_points(r.points_c), 60),
                Column("备注", lambda r: r.note, 160),
            ]
        )
        self.table = row_table(self.model, "activities")
        self.table.doubleClicked.connect(lambda _i: self.edit())
        buttons = QHBoxLayout()
        for text, slot in (
            ("登记活动（Ctrl+N）", self.add),
            ("修改", self.edit),
            ("删除…", self.delete),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        shortcut("Ctrl+N", self, self.add)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        hint = QLabel(
            "院坝会、互助文化活动、节日娱乐、集体生日会、健康服务（义诊、健康课堂）、生活支持"
            "（理发、剪指甲）、数字鸿沟消除（教用智能手机、防诈骗）等都可登记。"
            "登记的参加者所在的户按积分规则里“活动”的分值记分。"
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)

    def reload(self) -> None:
        def work() -> tuple[list[ActivityRow], int]:
            with self.ws.reading() as s:
                start, end = current_quarter().bounds
                return activities.list_activities(s), activities.count_between(s, start, end)

        BackgroundOp(self, work).on_success(self._show).run()

    def _show(self, result: tuple[list[ActivityRow], int]) -> None:
        rows, this_quarter = result
        self.model.set_rows(rows)
        label = current_quarter().label
        if not self.village:
            self.summary.setText(
                f"{label}各村已开展 {this_quarter} 场集体活动（方案：开展互助养老的村每季度"
                f"至少 1 场；集体活动场次数不低于村数×季度数）；共 {len(rows)} 场。"
            )
            self.summary.setStyleSheet("")
        elif this_quarter >= activities.QUARTER_MINIMUM:
            self.summary.setText(
                f"{label}已开展 {this_quarter} 场集体活动（每村每季度至少 1 场）；"
                f"共登记 {len(rows)} 场。"
            )
            self.summary.setStyleSheet("")
        else:
            self.summary.setText(
                f"⚠ {label}还没有开展集体活动。按方案，开展互助养老的村每季度至少开展一次集体活动。"
            )
            self.summary.setStyleSheet("color: #b00020;")

    def current(self) -> ActivityRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _open(self, dialog: ActivityDialog) -> None:
        def saved(_result: object) -> None:
            self.reload()
            self.changed.emit()

        dialog.saved.connect(saved)
        dialog.open()

    def add(self) -> None:
        def work() -> list[tuple[str, str]]:
            with self.ws.reading() as s:
                return activities.candidates(s)

        BackgroundOp(self, work).on_success(
            lambda people: self._open(ActivityDialog(self.ws, people, self))
        ).run()

    def edit(self) -> None:
        row = self.current()
        if row is None:
            QMessageBox.information(self, "修改活动", "请先在列表里选中一场活动。")
            return
        self._open(ActivityDialog(self.ws, [], self, editing=row))

    def delete(self) -> None:
        row = self.current()
        if row is None:
            QMessageBox.information(self, "删除活动", "请先在列表里选中一场活动。")
            return
        reason = forms.ask_deletion_reason(self, "删除活动", row.title)
        if reason is None:
            return

        def work() -> int:
            with self.ws.transaction() as s:
                return activities.delete_activity(
                    row.id, session=s, actor=self.ws.actor, reason=reason
                )

        def done(reversed_: int) -> None:
            self.reload()
            self.changed.emit()
            if reversed_:
                QMessageBox.information(
                    self, "删除活动", f"已删除，{reversed_} 笔活动积分已冲正（户账户里可以看到）。"
                )

        BackgroundOp(self, work, label="正在删除…").on_success(done).run()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.reload()
