"""从 Excel 导入台账 — choose file and sheet → check the columns → 预检 (dry run) → 导入 → result.

Every step that reads the file or the database runs through BackgroundOp, so a 10,000-row sheet
never freezes the window. Nothing is written before the clerk presses 导入 on the preview page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from huzhu_desktop.core import clock, vocab
from huzhu_desktop.core.errors import HuzhuError
from huzhu_desktop.core.importers.columns import FIELD_LABELS
from huzhu_desktop.core.importers.ledger import ImportResult, import_ledger, require_header
from huzhu_desktop.core.importers.reader import SheetData, read_sheet
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui import files
from huzhu_desktop.gui.ops import BackgroundOp

NOT_IMPORTED = "（不导入）"
PAGE_FILE, PAGE_COLUMNS, PAGE_PREVIEW, PAGE_RESULT = range(4)


def choose_file(parent: QWidget) -> str:
    """The OS file picker (tests replace this function)."""
    return files.choose_open_path(parent, "选择台账文件", "Excel 工作簿 (*.xlsx)")


class ImportWizard(QWizard):
    imported = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.data: SheetData | None = None
        self.preview: ImportResult | None = None
        self.result_: ImportResult | None = None
        self.error_book: Path | None = None
        self.setWindowTitle("从 Excel 导入台账")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        for button, text in (
            (QWizard.WizardButton.NextButton, "下一步"),
            (QWizard.WizardButton.BackButton, "上一步"),
            (QWizard.WizardButton.FinishButton, "完成"),
            (QWizard.WizardButton.CancelButton, "取消"),
        ):
            self.setButtonText(button, text)
        self.file_page = FilePage(self)
        self.columns_page = ColumnsPage(self)
        self.preview_page = PreviewPage(self)
        self.result_page = ResultPage(self)
        for page in (self.file_page, self.columns_page, self.preview_page, self.result_page):
            self.addPage(page)
        self.resize(900, 620)

    def overrides(self) -> dict[int, str | None]:
        return self.columns_page.overrides()

    def job(self, *, dry_run: bool) -> Callable[[Any], ImportResult]:
        """The import as the pages have set it up, to run off the GUI thread (the dry run in a
        read-only unit, the real one in a transaction)."""
        data, overrides = self.data, self.overrides()
        kind, source = self.preview_page.kind.currentData(), Path(self.file_page.path.text())
        assert data is not None

        def work(report: Any) -> ImportResult:
            unit = self.ws.reading() if dry_run else self.ws.transaction()
            with unit as s:
                return import_ledger(
                    source,
                    session=s,
                    actor=self.ws.actor,
                    dry_run=dry_run,
                    overrides=overrides,
                    default_kind=kind,
                    data=data,
                    progress=report,
                )

        return work


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("第一步：选择台账文件")
        self.setSubTitle(
            "支持 Excel 工作簿（.xlsx）。常见的附件2《结对帮扶信息台账》和本村自制的台账都可以，"
            "表头在第几行、列的顺序都没关系。"
        )
        self.path = QLineEdit()
        self.path.setObjectName("path")
        self.path.setReadOnly(True)
        browse = QPushButton("选择文件…")
        browse.setObjectName("browse")
        browse.clicked.connect(self.browse)
        self.sheet = QComboBox()
        self.sheet.setObjectName("sheet")
        self.sheet.activated.connect(lambda _i: self.load(self.sheet.currentText()))
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(QLabel("工作表"))
        layout.addWidget(self.sheet)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def browse(self) -> None:
        chosen = choose_file(self)
        if chosen:
            self.path.setText(chosen)
            self.load(None)

    def load(self, sheet: str | None) -> None:
        path = Path(self.path.text())
        self.w.data = None
        self.status.setText("正在读取……")
        self.completeChanged.emit()

        def done(data: SheetData) -> None:
            self.w.data = data
            self.sheet.blockSignals(True)
            self.sheet.clear()
            self.sheet.addItems(data.sheet_names)
            self.sheet.setCurrentText(data.name)
            self.sheet.blockSignals(False)
            rows = len(data.rows) - (data.header.header_row if data.header else 0)
            self.status.setText(
                f"工作表“{data.name}”：表头在第 {data.header.header_row} 行，其下约 {rows} 行。"
                if data.header
                else f"工作表“{data.name}”里没有找到表头，请换一张工作表。"
            )
            self.completeChanged.emit()

        def failed(exc: BaseException) -> bool:
            if isinstance(exc, HuzhuError):
                self.status.setText(f"⚠ {exc.user_message}")
                return True
            return False

        BackgroundOp(self, lambda: read_sheet(path, sheet), label="正在读取文件…").on_success(
            done
        ).on_error(failed).run()

    def isComplete(self) -> bool:
        return self.w.data is not None and self.w.data.header is not None


class ColumnsPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("第二步：核对每一列导入为什么")
        self.setSubTitle("软件按表头文字自动对应。对应错了可以在右边改；不需要的列选“（不导入）”。")
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("columns")
        self.table.setHorizontalHeaderLabels(["表格中的列", "第一行数据", "导入为"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 200)
        self.table.setColumnWidth(1, 220)
        self.combos: list[QComboBox] = []
        self.error = QLabel()
        self.error.setObjectName("error_columns")
        self.error.setStyleSheet("color: #b00020;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.error)

    def initializePage(self) -> None:
        data = self.w.data
        assert data is not None and data.header is not None
        header = data.header
        first = next(
            (r for r in data.rows[header.header_row :] if any(v is not None for v in r)), []
        )
        self.table.setRowCount(len(header.columns))
        self.combos = []
        for i, col in enumerate(header.columns):
            sample = first[col.index] if col.index < len(first) else None
            self.table.setItem(i, 0, QTableWidgetItem(col.header.replace("\n", " ")))
            self.table.setItem(i, 1, QTableWidgetItem("" if sample is None else str(sample)))
            box = QComboBox()
            box.addItem(NOT_IMPORTED, None)
            for key, label in FIELD_LABELS.items():
                box.addItem(label, key)
            box.setCurrentIndex(max(0, box.findData(col.field)))
            self.table.setCellWidget(i, 2, box)
            self.combos.append(box)
        self.error.clear()

    def overrides(self) -> dict[int, str | None]:
        data = self.w.data
        if data is None or data.header is None:
            return {}
        return {
            col.index: box.currentData()
            for col, box in zip(data.header.columns, self.combos, strict=False)
        }

    def validatePage(self) -> bool:
        assert self.w.data is not None
        try:
            require_header(self.w.data, self.overrides())
        except HuzhuError as exc:
            self.error.setText(exc.user_message)
            return False
        return True


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("第三步：预检（还没有写入）")
        self.setSubTitle("先把整张表检查一遍。确认无误后点“导入”，所有能导入的行一次性写入。")
        self.summary = QLabel("正在检查……")
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.kind = QComboBox()
        self.kind.setObjectName("default_kind")
        for kind in vocab.PAIRING_KINDS:
            self.kind.addItem(kind, kind)
        self.kind.activated.connect(lambda _i: self.initializePage())
        self.rejections = QTableWidget(0, 3)
        self.rejections.setObjectName("rejections")
        self.rejections.setHorizontalHeaderLabels(["行号", "列", "问题"])
        self.rejections.horizontalHeader().setStretchLastSection(True)
        self.rejections.verticalHeader().setVisible(False)
        row = QHBoxLayout()
        row.addWidget(QLabel("表里没有“结对方式”列时，每行的结对按"))
        row.addWidget(self.kind)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(row)
        layout.addWidget(QLabel("有问题的行（不会导入，可在最后导出错误清单，改好后再导入）："))
        layout.addWidget(self.rejections)
        self.setButtonText(QWizard.WizardButton.NextButton, "导入")

    def initializePage(self) -> None:
        self.w.preview = None
        self.summary.setText("正在检查……")
        self.completeChanged.emit()
        work = self.w.job(dry_run=True)

        def done(result: ImportResult) -> None:
            self.w.preview = result
            self.summary.setText(result.summary_text())
            show_rejections(self.rejections, result)
            self.completeChanged.emit()

        BackgroundOp(
            self, work, label="正在预检……", with_progress=True, cancellable=True
        ).on_success(done).run()

    def isComplete(self) -> bool:
        p = self.w.preview
        return p is not None and (p.imported + p.updated) > 0


class ResultPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("导入结果")
        self.summary = QLabel("正在导入……")
        self.summary.setObjectName("result")
        self.summary.setWordWrap(True)
        self.open_errors = QPushButton("打开错误清单")
        self.open_errors.setObjectName("open_errors")
        self.open_errors.clicked.connect(self.show_errors)
        self.open_errors.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.open_errors)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.w.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.w.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)  # done is 完成
        self.w.result_ = None
        self.completeChanged.emit()
        work = self.w.job(dry_run=False)

        def done(result: ImportResult) -> None:
            self.w.result_ = result
            self.summary.setText(result.summary_text())
            self.open_errors.setVisible(bool(result.rejections))
            self.w.imported.emit()
            self.completeChanged.emit()

        def failed(exc: BaseException) -> bool:
            message = exc.user_message if isinstance(exc, HuzhuError) else str(exc)
            self.summary.setText(f"导入没有完成，数据库没有任何改动。\n{message}")
            return True

        BackgroundOp(
            self, work, label="正在导入……", with_progress=True, cancellable=True
        ).on_success(done).on_error(failed).run()

    def show_errors(self) -> None:
        from huzhu_desktop.core.importers.error_book import write_error_book

        result = self.w.result_
        if result is None:
            return
        stamp = clock.now().strftime("%Y%m%d-%H%M%S")
        self.w.error_book = write_error_book(
            result, self.w.ws.folder / "exports" / f"导入错误清单-{stamp}.xlsx"
        )
        self.summary.setText(self.summary.text() + f"\n错误清单：{self.w.error_book}")
        files.open_file(self.w.error_book, self)

    def isComplete(self) -> bool:
        return self.w.result_ is not None


def show_rejections(table: QTableWidget, result: ImportResult, limit: int = 200) -> None:
    rows = result.rejections[:limit]
    table.setRowCount(len(rows))
    for i, r in enumerate(rows):
        for j, text in enumerate((str(r.row), r.column.replace("\n", " "), r.message)):
            table.setItem(i, j, QTableWidgetItem(text))
    table.resizeColumnToContents(0)
