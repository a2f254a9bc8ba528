"""导出数据包 and 导入数据包 — the USB stick's two ends.

Export: pick the quarter and the drive, see what goes in, export (off the GUI thread), and be
told when the stick may be pulled. Import: 查看 (who sent it, signature, key, fingerprint) →
预览 (per table: 新增 / 修改 / 未变 / 删除 / 冲突) → 导入, all or nothing. Nothing is written
before the clerk presses 确认导入.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from huzhu_desktop.core.errors import HuzhuError
from huzhu_desktop.core.models import PeerKey
from huzhu_desktop.core.periods import last_quarters, quarter_label, reporting_quarter
from huzhu_desktop.core.platform_checks import removable_drives
from huzhu_desktop.core.sync.export import Exported, choose_recipient, export_bundle
from huzhu_desktop.core.sync.importer import ImportResult, import_bundle, inspect_bundle
from huzhu_desktop.core.sync.merge import CHANGES, COUNT_LABELS, TABLE_LABELS, describe_counts
from huzhu_desktop.core.sync.totals import TOTAL_LABELS, org_totals
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui import files
from huzhu_desktop.gui.ops import BackgroundOp

OTHER_FOLDER = "选择其他文件夹…"


def choose_folder(parent: QWidget) -> str:
    """The OS folder picker (tests replace this function)."""
    return files.choose_folder(parent, "选择保存数据包的文件夹或U盘")


def choose_bundle(parent: QWidget) -> str:
    """The OS file picker for a bundle (tests replace this function)."""
    return files.choose_open_path(parent, "选择数据包", "互助养老数据包 (*.huzhu)")


def choose_bundle_folder(parent: QWidget) -> str:
    """The OS folder picker for a stick of bundles (tests replace this function)."""
    return files.choose_folder(parent, "选择放数据包的文件夹（U盘）")


def _bold(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("font-weight: bold;")
    return label


def recipient(session: Session) -> PeerKey:
    """Whom a bundle goes to (raises with what to do when no key card was imported yet)."""
    return choose_recipient(session)


def inspect(session: Session, path: Path) -> dict[str, Any]:
    """What a bundle file says, checked (raises on a file that is not one)."""
    return inspect_bundle(session, path).as_json()


class ExportDialog(QDialog):
    exported = Signal(object)

    def __init__(self, ws: Workspace, target: PeerKey, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.result_: Exported | None = None
        self.setWindowTitle("导出数据包（报送上级）")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.target = QLabel(f"{target.org_name}（{target.org_code}）　指纹 {target.fingerprint}")
        form.addRow("发给", self.target)
        self.quarter = QComboBox()
        for q in reversed(last_quarters(4)):
            self.quarter.addItem(q.label, str(q))
        self.quarter.setCurrentIndex(max(0, self.quarter.findData(str(reporting_quarter()))))
        self.quarter.currentIndexChanged.connect(lambda _i: self._show_figures())
        form.addRow("报送季度", self.quarter)
        self.place = QComboBox()
        for drive in removable_drives():
            self.place.addItem(f"U盘 {drive}", str(drive))
        self.place.addItem(
            f"工作区的 exports 文件夹（{ws.folder / 'exports'}）", str(ws.folder / "exports")
        )
        self.place.addItem(OTHER_FOLDER, "")
        self.place.activated.connect(self._maybe_pick)
        form.addRow("保存到", self.place)
        layout.addLayout(form)
        self.figures = QLabel()
        self.figures.setWordWrap(True)
        layout.addWidget(self.figures)
        layout.addWidget(
            QLabel("数据包里是本单位的全部数据（含已删除的记录），加密后只有接收单位能打开。")
        )
        self.status = _bold("")
        layout.addWidget(self.status)
        row = QHBoxLayout()
        row.addStretch(1)
        self.go = QPushButton("导出")
        self.go.setObjectName("action_导出")
        self.go.clicked.connect(self.run)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        row.addWidget(self.go)
        row.addWidget(close)
        layout.addLayout(row)
        self._show_figures()
        self.resize(640, 320)

    def _show_figures(self) -> None:
        quarter, label = str(self.quarter.currentData()), self.quarter.currentText()
        code = self.ws.info.org_code if self.ws.info else ""
        self.figures.setText(f"{label}的数字：正在统计……")

        def work() -> dict[str, float | int]:
            with self.ws.reading() as s:
                return org_totals(s, code, quarter)

        def show(figures: dict[str, float | int]) -> None:
            if str(self.quarter.currentData()) == quarter:  # not a quarter chosen since
                stated = "，".join(f"{TOTAL_LABELS[k]} {v}" for k, v in figures.items())
                self.figures.setText(f"{label}的数字：{stated}")

        BackgroundOp(self, work).on_success(show).run()

    def _maybe_pick(self, index: int) -> None:
        if self.place.itemData(index):
            return
        chosen = choose_folder(self)
        if chosen:
            self.place.insertItem(0, chosen, chosen)
            self.place.setCurrentIndex(0)

    def folder(self) -> Path | None:
        data = self.place.currentData()
        return Path(data) if data else None

    def run(self) -> None:
        folder = self.folder()
        if folder is None:
            self.status.setText("请选择保存到哪里。")
            return
        quarter = str(self.quarter.currentData())
        self.go.setEnabled(False)

        def work(report: Callable[[int, int], None]) -> Exported:
            with self.ws.transaction() as s:
                return export_bundle(s, self.ws.actor, folder, period=quarter, progress=report)

        def done(result: Exported) -> None:
            self.result_ = result
            self.status.setText(
                f"已导出第{result.seq}号数据包：{result.path}\n已读回校验无误，可以安全拔出U盘。"
            )
            self.exported.emit(result)

        (
            BackgroundOp(self, work, label="正在导出数据包…", with_progress=True, cancellable=True)
            .on_success(done)
            .on_finally(lambda: self.go.setEnabled(True))
            .run()
        )


class ImportDialog(QDialog):
    imported = Signal(object)

    def __init__(
        self, ws: Workspace, path: Path, seen: dict[str, Any], parent: QWidget | None = None
    ) -> None:
        """`seen`: what `inspect()` found in the file (read off the GUI thread beforehand)."""
        super().__init__(parent)
        self.ws, self.path = ws, path
        self.preview: ImportResult | None = None
        self.result_: ImportResult | None = None
        self.seen = seen
        self.is_receipt = seen.get("kind") == "receipt"
        noun = "回执" if self.is_receipt else "数据包"
        self.setWindowTitle(f"导入{noun} — {path.name}")
        layout = QVBoxLayout(self)
        self.steps = QStackedWidget()
        self.steps.addWidget(self._inspect_page())
        self.steps.addWidget(self._preview_page())
        layout.addWidget(self.steps, 1)
        self.status = _bold("")
        layout.addWidget(self.status)
        row = QHBoxLayout()
        row.addStretch(1)
        self.next = QPushButton("预览导入结果")
        self.next.setObjectName("action_预览")
        self.next.clicked.connect(self.run_preview)
        self.apply_button = QPushButton("确认导入")
        self.apply_button.setObjectName("action_确认导入")
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.run_apply)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        for b in (self.next, self.apply_button, close):
            row.addWidget(b)
        layout.addLayout(row)
        self._update_buttons()
        self.resize(760, 560)

    def _inspect_page(self) -> QWidget:
        v = self.seen
        page = QWidget()
        form = QFormLayout(page)
        sender = v["sender"]
        form.addRow("发送单位", QLabel(f"{sender['org_name']}（{sender['org_code']}）"))
        target = v["target"] + ("" if v["for_this_workspace"] else "　—— 不是本单位！")
        form.addRow("接收单位", QLabel(target))
        if v.get("kind") == "receipt":
            form.addRow("内容", _bold("回执：上级单位收到了哪些数据包、各季度的审核情况"))
            form.addRow("序号", QLabel(f"第{v['seq']}号"))
            states = "；".join(
                f"{quarter_label(q['quarter'])} {q['status']}" for q in v["quarters"]
            )
            form.addRow("审核情况", QLabel(states or "（还没有审核）"))
        else:
            form.addRow("季度 / 序号", QLabel(f"{quarter_label(v['period'])}　第{v['seq']}号"))
        form.addRow("导出时间", QLabel(f"{v['made_at_local']}　经办人 {v['made_by']}"))
        made_by = v["from_older"] or f"互助养老桌面版 {v['app_version']}"
        form.addRow("软件版本", QLabel(made_by))
        form.addRow("签名", QLabel(v["signature"]))
        form.addRow("密钥", QLabel(v["key_status_text"]))
        fp = QLabel(sender["fingerprint"])
        fp.setStyleSheet("font-size: 18pt; font-weight: bold; letter-spacing: 2px;")
        form.addRow("指纹", fp)
        figures = "，".join(
            f"{label} {v['totals'][k]}" for k, label in TOTAL_LABELS.items() if k in v["totals"]
        )
        if figures:
            form.addRow("数字", QLabel(figures))
        if v["villages"]:
            names = "、".join(f"{x['org_name']}（第{x['seq']}号）" for x in v["villages"])
            form.addRow("转报的村", QLabel(names))
        self.confirm_key = QCheckBox()
        if v["key_status"] == "unknown":
            self.confirm_key.setText("我已打电话与对方核对，指纹一致（首次接收这个单位的数据包）")
        elif v["key_status"] == "changed":
            self.confirm_key.setText(
                f"对方换了密钥（以前 {v['known_fingerprint']}）。我已打电话核对新指纹，确认更换"
            )
        elif v["key_status"] == "claimed":
            form.addRow(
                "",
                _bold(
                    f"注意：这个数据包来自{v['sender']['org_name']}的电脑"
                    f"“{v['sender'].get('pc') or '（未写明）'}”。已核对过该单位另一台电脑的密钥"
                    f"（指纹 {v['known_fingerprint']}），这个数据包的密钥不同。可能是对方新增或"
                    "更换了电脑，也可能是伪造的数据包。"
                ),
            )
            self.confirm_key.setText(
                "我已打电话问清是对方哪台电脑，并核对了新指纹，确认接收这台电脑的数据包"
            )
        self.confirm_key.setVisible(v["key_status"] != "trusted")
        self.confirm_key.toggled.connect(self._update_buttons)
        form.addRow("", self.confirm_key)
        if v["already_imported"]:
            form.addRow("", _bold("这个数据包已经导入过。"))
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 2 + len(COUNT_LABELS))
        self.table.setObjectName("bundle_preview")
        self.table.setHorizontalHeaderLabels(["单位", "内容", *COUNT_LABELS.values()])
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        return page

    def _update_buttons(self) -> None:
        key_ok = self.seen["key_status"] == "trusted" or self.confirm_key.isChecked()
        self.next.setEnabled(key_ok and self.preview is None)

    def _flags(self) -> dict[str, bool]:
        confirmed = self.confirm_key.isChecked()
        return {
            "trust_new_key": confirmed and self.seen["key_status"] == "unknown",
            "accept_changed_key": confirmed and self.seen["key_status"] in ("changed", "claimed"),
        }

    def _job(self, dry_run: bool) -> Any:
        flags = self._flags()

        def work(report: Any) -> ImportResult:
            with self.ws.transaction() as s:
                return import_bundle(
                    s, self.ws.actor, self.path, dry_run=dry_run, progress=report, **flags
                )

        return work

    def run_preview(self) -> None:
        self.next.setEnabled(False)

        def done(result: ImportResult) -> None:
            self.preview = result
            self._show(result)
            self.steps.setCurrentIndex(1)
            self.apply_button.setEnabled(not result.already_imported)

        def failed(exc: BaseException) -> bool:
            self.next.setEnabled(True)
            if isinstance(exc, HuzhuError):
                self.status.setText(exc.user_message)
                return True
            return False

        BackgroundOp(
            self, self._job(True), label="正在检查数据包…", with_progress=True, cancellable=True
        ).on_success(done).on_error(failed).run()

    def run_apply(self) -> None:
        self.apply_button.setEnabled(False)

        def done(result: ImportResult) -> None:
            self.result_ = result
            self._show(result)
            t = result.totals()
            if result.receipt is not None:
                self.status.setText("已导入回执，“同步”页的报送情况已更新。")
            else:
                self.status.setText(
                    f"已导入：{describe_counts(t, CHANGES)}。"
                    + ("冲突已记入“冲突”页，请核对。" if t["conflicts"] else "")
                )
            self.imported.emit(result)

        def failed(exc: BaseException) -> bool:
            if isinstance(exc, HuzhuError):
                self.status.setText(exc.user_message + "（数据库没有任何改动）")
                return True
            return False

        BackgroundOp(
            self, self._job(False), label="正在导入数据包…", with_progress=True, cancellable=True
        ).on_success(done).on_error(failed).run()

    def _show(self, result: ImportResult) -> None:
        lines = []
        if result.already_imported:
            lines.append(result.warnings[0])
        elif result.receipt is not None:
            head = "回执内容" if result.applied else "回执内容（还没有导入）"
            lines += [f"{head}：", *result.receipt]
        else:
            t = result.totals()
            head = "导入结果" if result.applied else "预览（还没有写入）"
            lines.append(f"{head}：{describe_counts(t)}")
            lines += [f"注意：{w}" for w in result.warnings]
        self.summary.setText("\n".join(lines))
        self.table.setVisible(result.receipt is None)
        rows = [
            (src.org_name, TABLE_LABELS.get(table, table), counts)
            for src in result.sources
            for table, counts in src.tables.items()
            if any(counts.values())
        ]
        self.table.setRowCount(len(rows))
        for i, (unit, what, counts) in enumerate(rows):
            cells = [unit, what, *(str(counts[k]) for k in COUNT_LABELS)]
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
