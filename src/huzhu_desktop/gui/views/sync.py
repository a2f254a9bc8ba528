"""同步 — carrying data on a USB stick: 报送 (export / import, and for a town or district the
已报送 matrix of the units below), 记录 (every bundle), 冲突 (rows edited on two PCs) and
密钥 (this unit's fingerprint, key cards in and out)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core.errors import HuzhuError
from huzhu_desktop.core.models import PeerKey
from huzhu_desktop.core.periods import quarter_label, reporting_quarter
from huzhu_desktop.core.reports import review_findings
from huzhu_desktop.core.services import keys, review, villages
from huzhu_desktop.core.sync import batch, receipt, status
from huzhu_desktop.core.sync.totals import TOTAL_LABELS
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui import files
from huzhu_desktop.gui.dialogs import bundle_dialogs
from huzhu_desktop.gui.flow_layout import FlowLayout
from huzhu_desktop.gui.ops import BackgroundOp
from huzhu_desktop.gui.table_model import Column, RowTableModel, row_table

KIND_BELOW = {"town": "村", "district": "乡镇"}


def choose_card_to_read(parent: QWidget) -> str:
    """The OS file picker for a key card (tests replace this function)."""
    return files.choose_open_path(parent, "选择密钥卡", "密钥卡 (*.json *.card);;所有文件 (*)")


def choose_card_to_write(parent: QWidget, suggested: Path) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, "导出密钥卡", str(suggested), "密钥卡 (*.json)")
    return path


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """A yes/no question (tests replace this function)."""
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


def _buttons(specs: tuple[tuple[str, Any], ...]) -> FlowLayout:
    """A row of action buttons, left-aligned, wrapping on a narrow window (object names
    action_<text> for tests)."""
    row = FlowLayout()
    for text, slot in specs:
        b = QPushButton(text)
        b.setObjectName(f"action_{text.rstrip('…')}")
        b.clicked.connect(slot)
        row.addWidget(b)
    return row


def _table(model: RowTableModel[Any], name: str) -> QTableView:
    view = row_table(model, name)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class SyncView(QWidget):
    changed = Signal()

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        kind = ws.info.kind if ws.info else "village"
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)
        self.tabs.addTab(self._send_tab(kind), "报送")
        self.history_model: RowTableModel[status.LogLine] = RowTableModel(
            [
                Column("时间", lambda r: f"{r.at:%Y-%m-%d %H:%M}", 130),
                Column("类别", lambda r: r.direction, 50),
                Column("单位", lambda r: r.unit, 250),
                Column("季度", lambda r: r.period, 70),
                Column("序号", lambda r: r.seq, 50),
                Column("内容", lambda r: r.figures, 330),
                Column("经办人", lambda r: r.by, 80),
                Column("文件", lambda r: r.file_name, 200),
            ]
        )
        self.tabs.addTab(_table(self.history_model, "bundle_history"), "记录")
        self.tabs.addTab(self._conflict_tab(), "冲突")
        self.tabs.addTab(self._keys_tab(), "密钥")
        # Read when first shown: at a district the matrix and its review take a while, and the
        # 首页 must not wait behind them at start-up.
        self._shown_once = False

    # --- 报送 ---------------------------------------------------------------------------

    def _send_tab(self, kind: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        actions = [("导出数据包…", self.export), ("导入数据包…", self.import_)]
        if kind != "village":  # a town or district receives a stick's worth at once
            actions.append(("导入文件夹中的全部数据包…", self.import_folder))
        layout.addLayout(_buttons(tuple(actions)))
        hint = {
            "village": "每季度把本村数据导出到U盘，交到镇民政办。数据包已加密，只有镇里能打开。",
            "town": "导入各村交来的数据包；汇总后导出本镇数据包报送区县。",
            "district": "导入各乡镇报送的数据包（其中含各村的原始数据和签名）。",
        }[kind]
        layout.addWidget(QLabel(hint))
        self.matrix_model: RowTableModel[status.UnitReport] | None = None
        self.reviews: dict[str, Any] = {}  # unit code → its review row (status, findings)
        if kind in KIND_BELOW:
            self.quarters = status.last_quarters(4)
            top = QHBoxLayout()
            top.addWidget(QLabel(f"已报送情况（各{KIND_BELOW[kind]}）　数字按季度："))
            self.matrix_quarter = QComboBox()
            self.matrix_quarter.setObjectName("matrix_quarter")
            for q in self.quarters[::-1]:  # 2026年第四季度 on screen, 2026Q4 underneath
                self.matrix_quarter.addItem(quarter_label(q), q)
            self.matrix_quarter.setCurrentIndex(
                max(0, self.matrix_quarter.findData(str(reporting_quarter())))
            )
            self.matrix_quarter.currentIndexChanged.connect(lambda _i: self.refresh())
            top.addWidget(self.matrix_quarter)
            top.addStretch(1)
            layout.addLayout(top)
            columns: list[Column[status.UnitReport]] = [
                Column("单位", lambda u: u.name, 120),
                Column("代码", lambda u: u.code, 110),
            ]
            columns.append(Column("审核", self._review_state, 90))
            columns.append(
                Column(
                    "需核实",
                    lambda u: len(self._findings(u)) or "",
                    60,
                    highlight=lambda u: bool(self._findings(u)),
                )
            )
            if kind == "town":  # the 村名单: every village, also those that never sent
                columns.append(Column("已开展", lambda u: u.started or "未填", 60))
                layout.addLayout(
                    _buttons(
                        (
                            ("添加村…", self.add_village),
                            ("设为已开展", lambda: self.set_started(True)),
                            ("设为未开展", lambda: self.set_started(False)),
                            ("导入村名单…", self.import_villages),
                        )
                    )
                )
            else:
                columns.append(Column("已开展的村", _started_share, 80))
            layout.addLayout(
                _buttons(
                    (
                        ("审核…", self.open_review),
                        ("需要核实的问题…", self.show_findings),
                        ("审核通过", self.approve),
                        ("退回…", self.send_back),
                        (
                            f"写回执给选中的{KIND_BELOW[kind]}…",
                            lambda: self.write_receipts(selected=True),
                        ),
                        (
                            f"写回执给所有{KIND_BELOW[kind]}…",
                            lambda: self.write_receipts(selected=False),
                        ),
                    )
                )
            )
            for q in self.quarters:
                columns.append(_sent_column(q))
            columns.append(
                Column("最近报送", lambda u: f"{u.last_at:%Y-%m-%d}" if u.last_at else "—", 90)
            )
            for key, label in TOTAL_LABELS.items():
                columns.append(_figure_column(key, label))
            self.matrix_model = RowTableModel(columns)
            self.matrix_view = _table(self.matrix_model, "report_matrix")
            self.matrix_view.doubleClicked.connect(lambda _i: self.open_review())
            layout.addWidget(self.matrix_view, 2)
        self.sent_model: RowTableModel[receipt.SentQuarter] | None = None
        if kind != "district":  # a unit with an upper unit: what its 回执 said
            upper = "镇里" if kind == "village" else "区里"
            layout.addWidget(QLabel(f"本单位的报送情况（导入{upper}发回的回执后更新）："))
            self.sent_model = RowTableModel(
                [
                    Column("季度", lambda r: quarter_label(r.quarter), 130),
                    Column("报送时间", lambda r: r.sent_at or "未报", 130),
                    Column("第几号", lambda r: r.seq or "", 60),
                    Column("状态", lambda r: r.status, 80, highlight=lambda r: r.status == "退回"),
                    Column("审核时间", lambda r: r.reviewed_at or "", 130),
                    Column("退回原因", _reasons, 360),
                ]
            )
            self.sent_view = _table(self.sent_model, "sent_status")
            self.sent_view.doubleClicked.connect(self.show_reasons)
            layout.addWidget(self.sent_view, 1)
        elif self.matrix_model is None:
            layout.addStretch(1)
        return page

    def show_reasons(self) -> None:
        """The 退回 reasons of the picked quarter, each with the record it names."""
        assert self.sent_model is not None
        index = self.sent_view.currentIndex()
        row = self.sent_model.row_at(index.row()) if index.isValid() else None
        if row is None or not row.reasons:
            return
        lines = [
            f"{i}. {x['text']}" + (f"（记录：{x['label']}）" if x.get("label") else "")
            for i, x in enumerate(row.reasons, 1)
        ]
        QMessageBox.information(
            self,
            f"退回原因（{quarter_label(row.quarter)}）",
            "\n".join(lines) + "\n\n改正后重新导出数据包交上去，上级会重新审核。",
        )

    def write_receipts(self, *, selected: bool) -> None:
        """回执 for the picked unit (or every unit below whose key this PC holds) into a folder."""
        codes: list[str] = []
        if selected:
            unit = self._selected_unit("写回执")
            if unit is None:
                return
            codes = [unit.code]
        chosen = bundle_dialogs.choose_folder(self)
        if not chosen:
            return
        ws, folder = self.ws, Path(chosen)

        def work(report: Any) -> Any:
            with ws.transaction() as s:
                return receipt.export_receipts(s, ws.actor, folder, to=codes, progress=report)

        def done(written: Any) -> None:
            lines = [f"{w.unit_name}：{w.path.name}" for w in written]
            QMessageBox.information(
                self,
                "写回执",
                f"已写 {len(written)} 份回执到：\n{folder}\n\n"
                + "\n".join(lines)
                + "\n\n已读回校验无误。请把U盘交给各单位，在“同步”页导入。",
            )
            self.refresh()

        BackgroundOp(self, work, label="正在写回执…", with_progress=True).on_success(done).on_error(
            lambda e: self._refused(e, "写回执", QMessageBox.information)
        ).run()

    def _review_state(self, u: status.UnitReport) -> str:
        row = self.reviews.get(u.code)
        if row is None:
            return ""
        return row.status + ("（重新报送）" if row.reopened else "")

    def _findings(self, u: status.UnitReport) -> tuple[Any, ...]:
        row = self.reviews.get(u.code)
        return row.findings if row is not None else ()

    def _current_unit(self) -> status.UnitReport | None:
        assert self.matrix_model is not None
        index = self.matrix_view.currentIndex()
        return self.matrix_model.row_at(index.row()) if index.isValid() else None

    def _selected_unit(
        self, what: str, ask: str = "请先在表里点选一个单位。"
    ) -> status.UnitReport | None:
        """The unit picked in the table; without one, says so (titled `what`)."""
        unit = self._current_unit()
        if unit is None:
            QMessageBox.information(self, what, ask)
        return unit

    def open_review(self) -> None:
        """The picked unit's quarter on screen: figures against last quarter, findings with
        their records, 审核通过 / 退回 with reasons."""
        from huzhu_desktop.gui.dialogs.review_dialog import ReviewDialog

        unit = self._selected_unit("审核")
        if unit is None:
            return
        row = self.reviews.get(unit.code)
        if row is None:
            return
        self.review_dialog = ReviewDialog(self.ws, row, self)
        self.review_dialog.decided.connect(lambda _v: self.refresh())
        self.review_dialog.open()

    def approve(self) -> None:
        unit = self._selected_unit("审核通过")
        if unit is not None:
            self._verdict(unit.code, None)

    def send_back(self) -> None:
        unit = self._selected_unit("退回")
        if unit is None:
            return
        reason, ok = QInputDialog.getMultiLineText(
            self, "退回", f"退回{unit.name}{self.matrix_quarter.currentText()}的数据，原因："
        )
        if ok:
            self._verdict(unit.code, reason)

    def _verdict(self, code: str, reason: str | None) -> None:
        ws, quarter = self.ws, self.matrix_quarter.currentData()

        def work() -> None:
            with ws.transaction() as s:
                if reason is None:
                    review.approve(code, quarter, session=s, actor=ws.actor)
                else:
                    review.send_back(
                        code, quarter, [review.Reason(reason)], session=s, actor=ws.actor
                    )

        BackgroundOp(self, work).on_success(lambda _r: self.refresh()).on_error(
            lambda e: self._refused(e, "审核", QMessageBox.warning)
        ).run()

    def show_findings(self) -> None:
        """The findings of the selected unit (or of all), each with what to check."""
        assert self.matrix_model is not None
        unit = self._current_unit()
        chosen = [unit] if unit is not None else self.matrix_model.rows
        lines = [f"{u.name}：{f.title}：{f.text}" for u in chosen for f in self._findings(u)]
        quarter = self.matrix_quarter.currentText()
        text = "\n\n".join(lines) if lines else "没有发现需要核实的问题。"
        QMessageBox.information(self, f"需要核实的问题（{quarter}）", text)

    def add_village(self) -> None:
        from huzhu_desktop.gui.dialogs.village_dialog import VillageDialog

        dialog = VillageDialog(self.ws, self)
        dialog.accepted.connect(self.refresh)
        dialog.open()

    def set_started(self, started: bool) -> None:
        unit = self._selected_unit("已开展", "请先在表里点选一个村。")
        if unit is None:
            return
        ws, code = self.ws, unit.code

        def work() -> None:
            with ws.transaction() as s:
                villages.set_started(code, started, session=s, actor=ws.actor)

        BackgroundOp(self, work).on_success(lambda _r: self.refresh()).on_error(
            lambda e: self._refused(e, "已开展", QMessageBox.warning)
        ).run()

    def import_villages(self) -> None:
        chosen = files.choose_open_path(self, "导入村名单", "村名单 (*.xlsx *.csv);;所有文件 (*)")
        if not chosen:
            return
        ws, path = self.ws, Path(chosen)

        def work() -> Any:
            from huzhu_desktop.core.importers.village_list import import_village_list

            with ws.transaction() as s:
                return import_village_list(path, session=s, actor=ws.actor)

        def done(result: Any) -> None:
            QMessageBox.information(self, "导入村名单", f"已导入村名单：{result.text()}")
            self.refresh()

        BackgroundOp(self, work, label="正在导入村名单…").on_success(done).on_error(
            lambda e: self._refused(e, "导入村名单", QMessageBox.warning)
        ).run()

    def export(self) -> None:
        def work() -> Any:
            with self.ws.reading() as s:
                return bundle_dialogs.recipient(s)  # refuses with what to do when no card yet

        def ready(target: Any) -> None:
            dialog = bundle_dialogs.ExportDialog(self.ws, target, self)
            dialog.exported.connect(lambda _r: self.refresh())
            dialog.open()

        BackgroundOp(self, work).on_success(ready).on_error(
            lambda e: self._refused(e, "导出数据包", QMessageBox.information)
        ).run()

    def import_(self) -> None:
        chosen = bundle_dialogs.choose_bundle(self)
        if not chosen:
            return
        path = Path(chosen)

        def work() -> dict[str, Any]:  # reads and checks the whole file: off the GUI thread
            with self.ws.reading() as s:
                return bundle_dialogs.inspect(s, path)

        def ready(seen: dict[str, Any]) -> None:
            dialog = bundle_dialogs.ImportDialog(self.ws, path, seen, self)
            dialog.imported.connect(self._imported)
            dialog.open()

        BackgroundOp(self, work, label="正在读取数据包…").on_success(ready).on_error(
            lambda e: self._refused(e, "导入数据包", QMessageBox.warning)
        ).run()

    def import_folder(self) -> None:
        """Every bundle in a folder (the stick) in one go: each whole or refused, then one list
        of what became of each file."""
        chosen = bundle_dialogs.choose_bundle_folder(self)
        if not chosen:
            return
        folder = Path(chosen)

        def work(report: Any) -> list[batch.BatchEntry]:
            return batch.import_many(self.ws, batch.bundle_files([folder]), progress=report)

        def done(entries: list[batch.BatchEntry]) -> None:
            self._imported(None)
            refused = sum(not e.ok for e in entries)
            head = f"共 {len(entries)} 个数据包，导入 {len(entries) - refused} 个"
            head += f"，{refused} 个没有导入：" if refused else "："
            tail = (
                "\n\n没有导入的数据包可以用“导入数据包…”逐个打开，按提示处理。" if refused else ""
            )
            text = head + "\n" + "\n".join("· " + e.describe() for e in entries) + tail
            show = QMessageBox.warning if refused else QMessageBox.information
            show(self, "导入数据包", text)

        def failed(exc: BaseException) -> bool:
            self._imported(None)  # groups written before a stop stay
            return self._refused(exc, "导入数据包", QMessageBox.warning)

        BackgroundOp(
            self, work, label="正在导入数据包…", with_progress=True, cancellable=True
        ).on_success(done).on_error(failed).run()

    def _imported(self, _result: object) -> None:
        self.refresh()
        self.changed.emit()

    def _refused(self, exc: BaseException, title: str, show: Any) -> bool:
        if isinstance(exc, HuzhuError):
            show(self, title, exc.user_message)
            return True
        return False

    # --- 冲突 ---------------------------------------------------------------------------

    def _conflict_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            QLabel(
                "两台电脑都改过的记录：保留的是较新的版本，被覆盖的版本记在这里。"
                "请核对，需要时按被覆盖的内容重新修改，然后标记为已核对。"
            )
        )
        self.conflict_model: RowTableModel[status.ConflictLine] = RowTableModel(
            [
                Column("时间", lambda c: f"{c.at:%Y-%m-%d %H:%M}", 130),
                Column("内容", lambda c: c.what, 80),
                Column("被覆盖的是", lambda c: c.lost_side, 80),
                Column(
                    "不同之处（保留 / 被覆盖）",
                    lambda c: "；".join(f"{k}：{a} / {b}" for k, a, b in c.differences()),
                    380,
                ),
                Column(
                    "核对", lambda c: c.reviewed_by or "未核对", 120, lambda c: not c.reviewed_by
                ),
            ]
        )
        self.conflict_view = _table(self.conflict_model, "conflicts")
        layout.addWidget(self.conflict_view, 1)
        b = QPushButton("标记为已核对")
        b.setObjectName("action_标记为已核对")
        b.clicked.connect(self.mark_reviewed)
        layout.addWidget(b)
        return page

    def mark_reviewed(self) -> None:
        rows = self.conflict_view.selectionModel().selectedRows()
        line = self.conflict_model.row_at(rows[0].row()) if rows else None
        if line is None:
            return

        def work() -> None:
            with self.ws.transaction() as s:
                status.mark_reviewed(s, line.id, self.ws.actor.operator)

        BackgroundOp(self, work).on_success(lambda _r: self.refresh()).run()

    # --- 密钥 ---------------------------------------------------------------------------

    def _keys_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("本单位的指纹（对方导入密钥卡时，请念给对方核对）："))
        self.own_fingerprint = QLabel()
        self.own_fingerprint.setObjectName("own_fingerprint")
        self.own_fingerprint.setStyleSheet(
            "font-size: 22pt; font-weight: bold; letter-spacing: 3px;"
        )
        layout.addWidget(self.own_fingerprint)
        self.old_fingerprints = QLabel()
        self.old_fingerprints.setObjectName("old_fingerprints")
        self.old_fingerprints.setWordWrap(True)
        layout.addWidget(self.old_fingerprints)
        layout.addLayout(
            _buttons(
                (
                    ("导出本单位密钥卡…", self.export_card),
                    ("导入密钥卡…", self.import_card),
                    ("更换本单位的密钥…", self.change_keys),
                )
            )
        )
        layout.addWidget(QLabel("已导入的密钥卡（只接受这些单位的数据包，只向这些单位报送）："))
        self.peer_model: RowTableModel[PeerKey] = RowTableModel(
            [
                Column("单位", lambda p: p.org_name, 120),
                Column("代码", lambda p: p.org_code, 110),
                Column("级别", lambda p: keys.KIND_LABELS.get(p.kind, p.kind), 50),
                Column("指纹", lambda p: p.fingerprint, 200),
                Column("导入", lambda p: f"{p.trusted_at:%Y-%m-%d} {p.trusted_by}", 140),
                Column("以前的指纹", lambda p: p.previous_fingerprints, 200),
            ]
        )
        layout.addWidget(_table(self.peer_model, "peer_keys"), 1)
        return page

    def change_keys(self) -> None:
        """更换密钥 after a PC was lost or the keys may have been seen: asks first, then says
        what the other side has to do."""
        if not confirm(
            self,
            "更换密钥",
            "更换后，上级和本单位其他电脑收到本单位的下一个数据包时，会提示“密钥已更换”，"
            "要电话核对新指纹后才能导入。已经发出、还没导入的回执和数据包照样能打开。\n\n"
            "只有电脑丢失、重装或密钥可能泄露时才需要更换。确定更换吗？",
        ):
            return
        ws = self.ws

        def work() -> tuple[str, str]:
            with ws.transaction() as s:
                return keys.change_keys(s, ws.actor, data_key=ws.data_key)

        def done(fingerprints: tuple[str, str]) -> None:
            old, new = fingerprints
            QMessageBox.information(
                self,
                "更换密钥",
                f"已更换。新指纹：{new}（以前 {old}）。\n\n请导出新的密钥卡交给上级单位（和本单位"
                "其他电脑），并打电话把新指纹念给对方核对。",
            )
            self.refresh()

        BackgroundOp(self, work).on_success(done).on_error(
            lambda e: self._refused(e, "更换密钥", QMessageBox.warning)
        ).run()

    def export_card(self) -> None:
        code = self.ws.info.org_code if self.ws.info else ""
        name = self.ws.info.org_name if self.ws.info else ""
        chosen = choose_card_to_write(
            self, self.ws.folder / "exports" / f"{code}_{name}_密钥卡.json"
        )
        if not chosen:
            return

        def work() -> keys.KeyCard:
            with self.ws.transaction() as s:  # the keys are made here if this is their first use
                return keys.export_card(s, self.ws.actor, Path(chosen))

        def done(card: keys.KeyCard) -> None:
            QMessageBox.information(
                self,
                "导出密钥卡",
                f"已导出：{chosen}\n\n指纹：{card.fingerprint}\n\n"
                "请把文件交给对方，并打电话念指纹给对方核对。",
            )

        BackgroundOp(self, work).on_success(done).run()

    def import_card(self) -> None:
        """Read the card, ask the clerk to compare fingerprints (no transaction is open while
        they are asked), then trust it in one short write."""
        chosen = choose_card_to_read(self)
        if not chosen:
            return
        try:
            card = keys.read_card(Path(chosen))
            with self.ws.reading() as s:  # one row by its key: a cheap lookup
                known = keys.find_peer(s, card.workspace_id)
        except HuzhuError as e:
            QMessageBox.warning(self, "导入密钥卡", e.user_message)
            return
        question = (
            f"{card.who()}\n\n指纹：{card.fingerprint}\n\n"
            "请打电话请对方念出他电脑上显示的指纹，逐组核对。完全一致吗？"
        )
        if not confirm(self, "核对指纹", question):
            return
        replace = known is not None and known.fingerprint != card.fingerprint
        if replace and not confirm(
            self,
            "更换密钥",
            f"{card.who()}以前的指纹是 {known.fingerprint if known else ''}，现在换了。"
            "确认对方重装了软件、换了密钥吗？",
        ):
            return

        def work() -> None:
            with self.ws.transaction() as s:
                keys.trust_card(s, self.ws.actor, card, replace=replace)

        BackgroundOp(self, work).on_success(lambda _r: self.refresh()).on_error(
            lambda e: self._refused(e, "导入密钥卡", QMessageBox.warning)
        ).run()

    # --- refresh ------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self.refresh()

    def refresh(self) -> None:
        """Read everything off the GUI thread; a workspace older than its keys gets them here
        (one short write, only when they are missing — never in a read-only window)."""
        quarter = self.matrix_quarter.currentData() if self.matrix_model is not None else None
        ws = self.ws

        def work() -> tuple[Any, ...]:
            with ws.reading() as s:
                has_keys = keys.has_keys(s)
            if not has_keys and not ws.read_only:
                with ws.transaction() as s:
                    keys.ensure_keys(s)
            with ws.reading() as s:
                matrix, reviews = None, []
                if quarter is not None:  # a town or district: the matrix, read once for both
                    matrix = status.report_matrix(s, quarter)
                    reviews = review_findings.review_rows(s, quarter, units=matrix)
                return (
                    keys.own_card(s).fingerprint
                    if has_keys or not ws.read_only
                    else "（尚未生成）",
                    keys.previous_fingerprints(s),
                    keys.peers(s),
                    status.history(s),
                    status.conflicts(s),
                    matrix,
                    reviews,
                    receipt.sent_status(s) if self.sent_model is not None else [],
                )

        BackgroundOp(self, work).on_success(self._refreshed).run()

    def _refreshed(self, data: tuple[Any, ...]) -> None:
        fingerprint, previous, peers, history, conflicts, matrix, reviews, sent = data
        self.old_fingerprints.setText("以前的指纹（已更换）：" + " / ".join(previous))
        self.old_fingerprints.setVisible(bool(previous))
        if self.sent_model is not None:
            self.sent_model.set_rows(sent)
        self.reviews = {r.code: r for r in reviews}
        self.own_fingerprint.setText(fingerprint)
        self.peer_model.set_rows(peers)
        self.history_model.set_rows(history)
        self.conflict_model.set_rows(conflicts)
        if self.matrix_model is not None and matrix is not None:
            picked = self._current_unit()  # kept across the refresh: 退回, then 写回执 for it
            self.matrix_model.set_rows(matrix)
            codes = [u.code for u in matrix]
            if picked is not None and picked.code in codes:
                row = codes.index(picked.code)
                self.matrix_view.setCurrentIndex(self.matrix_model.index(row, 0))
        unreviewed = sum(1 for c in self.conflict_model.rows if not c.reviewed_by)
        self.tabs.setTabText(2, f"冲突（{unreviewed}）" if unreviewed else "冲突")


def _reasons(r: receipt.SentQuarter) -> str:
    return "；".join(x["text"] for x in r.reasons)


def _started_share(u: status.UnitReport) -> str:
    """A district's town: how many of the villages on its list have started (plan: ≥ 60%)."""
    if not u.villages_started:
        return "—"
    started, listed = u.villages_started
    return f"{started}/{listed}（{started * 100 // listed}%）" if listed else "—"


def _sent_column(quarter: str) -> Column[status.UnitReport]:
    """A quarter of the 已报送 matrix: when its bundle arrived, or 未报."""

    def shown(u: status.UnitReport) -> str:
        return f"✓ {u.sent[quarter]:%m-%d}" if quarter in u.sent else "未报"

    return Column(quarter_label(quarter), shown, 110, highlight=lambda u: quarter not in u.sent)


def _figure_column(key: str, label: str) -> Column[status.UnitReport]:
    return Column(label, lambda u: u.figures.get(key, ""), 70)
