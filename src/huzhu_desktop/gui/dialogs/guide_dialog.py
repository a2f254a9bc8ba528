"""使用说明 — the clerk's guide inside the app (F1, 帮助 menu): one section per task, opened on the
one for the page in view, with screenshots made from the demo (docs/guide/make_shots.py), and
the whole guide saved as one PDF to print and keep beside the PC."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.gui import files

TASKS = (
    "第一次使用",
    "导入台账",
    "结对与明白卡",
    "录入走访",
    "积分与积分超市",
    "季度报送",
    "镇里审核",
)
PRINT_WIDTH = 760  # a picture's width in the printed guide (the A4 text width here)
FOR_PAGE = {  # the section F1 opens on each page
    "老人": "导入台账",
    "帮扶人": "导入台账",
    "结对": "结对与明白卡",
    "走访": "录入走访",
    "积分": "积分与积分超市",
    "报表": "季度报送",
    "同步": "季度报送",
}


def guide_folder() -> Path:
    return Path(str(resources.files("huzhu_desktop") / "resources" / "guide"))


def guide_text() -> str:
    return (guide_folder() / "guide.md").read_text(encoding="utf-8")


def sections(text: str | None = None) -> dict[str, str]:
    """Title → the section's markdown, in the guide's order (the part before the first one is
    the introduction, shown with every section)."""
    text = guide_text() if text is None else text
    head, *parts = text.split("\n## ")
    intro = head.split("\n", 1)[1].strip() if "\n" in head else ""
    found = {}
    for part in parts:
        title, _, body = part.partition("\n")
        found[title.strip()] = f"## {title.strip()}\n\n{body.strip()}\n\n---\n\n{intro}\n"
    return found


def section_for(page: str, kind: str) -> str:
    if page == "同步" and kind in ("town", "district"):
        return "镇里审核"
    return FOR_PAGE.get(page, "第一次使用")


def document() -> QTextDocument:
    """The whole guide as one document, its pictures found beside it."""
    doc = QTextDocument()
    text = guide_text()
    doc.setMarkdown(text)  # (it clears the resources: the pictures go in after)
    for name in re.findall(r"\]\((shots/[^)]+)\)", text):
        image = QImage(str(guide_folder() / name))
        if image.width() > PRINT_WIDTH:  # within the A4 page's margins
            image = image.scaledToWidth(PRINT_WIDTH, Qt.TransformationMode.SmoothTransformation)
        doc.addResource(QTextDocument.ResourceType.ImageResource.value, QUrl(name), image)
    return doc


def write_pdf(dest: Path) -> Path:
    """The guide as an A4 PDF (Qt's PDF printer: the same route as printing on paper)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(dest))
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QPageLayout.margins(QPageLayout()),
        )
    )
    printer.setDocName("互助养老桌面版 使用说明")
    document().print_(printer)
    return dest


class GuideDialog(QDialog):
    """Sections on the left, the chosen one on the right; stays open beside the work."""

    def __init__(self, parent: QWidget | None = None, section: str = "第一次使用") -> None:
        super().__init__(parent)
        self.setWindowTitle("使用说明")
        self.parts = sections()
        self.list = QListWidget()
        self.list.setObjectName("guide_sections")
        self.list.addItems(list(self.parts))
        self.list.setMaximumWidth(180)
        self.view = QTextBrowser()
        self.view.setObjectName("guide_text")
        self.view.setSearchPaths([str(guide_folder())])
        self.list.currentTextChanged.connect(self.show_section)
        body = QHBoxLayout()
        body.addWidget(self.list)
        body.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        pdf = QPushButton("导出为PDF（打印）")
        pdf.setObjectName("guide_pdf")
        pdf.clicked.connect(self.save_pdf)
        close = QPushButton("关闭")
        close.clicked.connect(self.close)
        buttons.addWidget(pdf)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)
        self.resize(980, 680)
        self.open_at(section)

    def open_at(self, section: str) -> None:
        titles = list(self.parts)
        self.list.setCurrentRow(titles.index(section) if section in titles else 0)

    def show_section(self, title: str) -> None:
        if title in self.parts:
            self.view.setMarkdown(self.parts[title])

    def save_pdf(self) -> None:
        chosen = files.choose_save_path(
            self, files.start_folder() / "互助养老使用说明.pdf", "导出使用说明", "PDF 文件 (*.pdf)"
        )
        if chosen:
            files.open_file(write_pdf(Path(chosen)), self)
