"""审核 one unit's quarter on screen: its figures against last quarter, the findings that need a
look with the records behind each, and 审核通过 or 退回 with reasons — for the quarter as a whole
and for the records ticked (each becomes a reason naming its record, which the village sees in
its 回执)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core.errors import HuzhuError
from huzhu_desktop.core.labels import plain_number
from huzhu_desktop.core.periods import quarter_label
from huzhu_desktop.core.reports import review_findings
from huzhu_desktop.core.services import review
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui.ops import BackgroundOp

RECORD_ROLE = Qt.ItemDataRole.UserRole


class ReviewDialog(QDialog):
    """Opened on a row of the 同步 page's 已报送 matrix (`row`: its ReviewRow)."""

    decided = Signal(object)  # the Verdict

    def __init__(self, ws: Workspace, row: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.row = ws, row
        self.verdict: review.Verdict | None = None
        self.setWindowTitle(f"审核 — {row.name} {quarter_label(row.quarter)}")
        layout = QVBoxLayout(self)
        state = row.status + ("（更正后重新报送，请重新审核）" if row.reopened else "")
        arrived = (
            f"，第{row.seq}号数据包 {row.received_at} 收到" if row.seq else "，还没有收到数据包"
        )
        self.state = QLabel(f"状态：{state}{arrived}")
        self.state.setWordWrap(True)
        layout.addWidget(self.state)

        layout.addWidget(QLabel("数字（与上季度比较）："))
        self.figures = QTableWidget(0, 4)
        self.figures.setObjectName("review_figures")
        self.figures.setHorizontalHeaderLabels(["指标", "本季度", "上季度", "变化"])
        self.figures.verticalHeader().setVisible(False)
        self.figures.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.figures.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.figures, 3)

        count = len(row.findings)
        layout.addWidget(
            QLabel(
                f"需要核实的问题（{count} 条；勾选有问题的记录，退回时一并写进原因）："
                if count
                else "需要核实的问题：没有发现。"
            )
        )
        self.tree = QTreeWidget()
        self.tree.setObjectName("review_findings")
        self.tree.setHeaderLabels(["问题 / 记录", "说明"])
        self.tree.setColumnWidth(0, 260)
        self.tree.setWordWrap(True)
        self.tree.setVisible(bool(count))
        layout.addWidget(self.tree, 3)

        layout.addWidget(QLabel("退回原因（整体，可不填；勾选的记录会逐条列上）："))
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("review_reason")
        self.reason.setPlaceholderText("如：3组的走访记录不全，请补录10月的走访")
        self.reason.setFixedHeight(70)
        layout.addWidget(self.reason)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.approve_button = QPushButton("审核通过")
        self.approve_button.clicked.connect(lambda: self._decide(False))
        self.return_button = QPushButton("退回")
        self.return_button.clicked.connect(lambda: self._decide(True))
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        for b in (self.approve_button, self.return_button, close):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.resize(860, 680)
        self._load()

    def _load(self) -> None:
        ws, row = self.ws, self.row
        ids = [r for f in row.findings for r in f.records]

        def work() -> tuple[list[Any], dict[str, str]]:
            with ws.reading() as s:
                return (
                    review_findings.against_last_quarter(s, row.code, row.quarter),
                    review_findings.record_labels(s, ids),
                )

        BackgroundOp(self, work).on_success(self._show).run()

    def _show(self, data: tuple[list[Any], dict[str, str]]) -> None:
        lines, labels = data
        self.figures.setRowCount(len(lines))
        for i, line in enumerate(lines):
            cells = [line.label, plain_number(line.now), plain_number(line.before), line.change]
            for j, text in enumerate(cells):
                self.figures.setItem(i, j, QTableWidgetItem(text))
        self.figures.resizeColumnsToContents()
        self.figures.resizeRowsToContents()
        for f in self.row.findings:
            top = QTreeWidgetItem([f.title, f.text])
            top.setToolTip(1, f.text)
            for rid in f.records:
                child = QTreeWidgetItem([labels.get(rid, "（这条记录不在本机）"), ""])
                child.setData(0, RECORD_ROLE, (rid, f.title))
                child.setCheckState(0, Qt.CheckState.Unchecked)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
        self.tree.expandAll()

    def reasons(self) -> list[review.Reason]:
        """The quarter's reason (if written), then one per ticked record."""
        out = []
        text = self.reason.toPlainText().strip()
        if text:
            out.append(review.Reason(text))
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            assert top is not None
            for j in range(top.childCount()):
                child = top.child(j)
                if child is not None and child.checkState(0) == Qt.CheckState.Checked:
                    rid, title = child.data(0, RECORD_ROLE)
                    out.append(review.Reason(f"{title}：{child.text(0)}", rid))
        return out

    def _decide(self, send_back: bool) -> None:
        ws, row = self.ws, self.row
        reasons = self.reasons()
        if send_back and not reasons:
            self.status.setText("退回时请写明原因，或勾选有问题的记录。")
            return

        def work() -> review.Verdict:
            with ws.transaction() as s:
                if send_back:
                    return review.send_back(
                        row.code, row.quarter, reasons, session=s, actor=ws.actor
                    )
                return review.approve(row.code, row.quarter, session=s, actor=ws.actor)

        def done(verdict: review.Verdict) -> None:
            self.verdict = verdict
            self.decided.emit(verdict)
            QMessageBox.information(
                self,
                "审核",
                f"{row.name}{quarter_label(row.quarter)}：{verdict.status}。"
                "写回执交给对方后，对方就能看到。",
            )
            self.accept()

        def failed(exc: BaseException) -> bool:
            if isinstance(exc, HuzhuError):
                self.status.setText(exc.user_message)
                return True
            return False

        BackgroundOp(self, work).on_success(done).on_error(failed).run()
