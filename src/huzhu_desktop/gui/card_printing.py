"""明白卡 to a printer (with preview) or to a PDF file.

The printer path draws the very same layout as the PDF: `cards_pdf._draw_card` talks to a small
canvas interface, and `QtCanvas` implements that interface on a QPainter (reportlab's origin is
bottom-left in points; Qt's is top-left in device pixels).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPainter, QPainterPath, QPen
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from huzhu_desktop.core import clock
from huzhu_desktop.core.reports import cards_pdf
from huzhu_desktop.core.reports.fonts import BUNDLED, cjk_font
from huzhu_desktop.core.services.cards import CardData, record_prints
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui import files
from huzhu_desktop.gui.ops import BackgroundOp

_family: list[str] = []


def card_family() -> str:
    if not _family:
        font_id = QFontDatabase.addApplicationFont(str(BUNDLED))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        _family.append(families[0] if families else QFont().family())
    return _family[0]


class _Text:
    def __init__(self, canvas: QtCanvas, x: float, y: float) -> None:
        self.canvas, self.x, self.y, self.size, self.bold = canvas, x, y, 12.0, False

    def setFont(self, _name: str, size: float) -> None:
        self.size = size

    def setTextRenderMode(self, mode: int) -> None:
        self.bold = mode == 2

    def textLine(self, text: str) -> None:
        self.canvas.text(self.x, self.y, text, self.size, self.bold)


class _Path:
    def __init__(self) -> None:
        self.path = QPainterPath()

    def rect(self, x: float, y: float, w: float, h: float) -> None:
        self.path.addRect(QRectF(x, y, w, h))


class QtCanvas:
    """The subset of reportlab's Canvas that the 明白卡 layout uses, drawn with a QPainter."""

    def __init__(self, painter: QPainter, page_height: float) -> None:
        self.p, self.h = painter, page_height
        self.family = card_family()
        self.line_width = 1.0
        self.dash = False

    def _y(self, y: float) -> float:
        return self.h - y

    def beginText(self, x: float, y: float) -> _Text:
        return _Text(self, x, y)

    def drawText(self, _t: _Text) -> None:
        pass

    def text(self, x: float, y: float, text: str, size: float, bold: bool) -> None:
        font = QFont(self.family)
        font.setPixelSize(max(1, round(size)))  # the painter is scaled: 1 unit = 1 point
        font.setBold(bold)
        self.p.setFont(font)
        self.p.setPen(QColor("black"))
        self.p.drawText(QPointF(x, self._y(y)), text)

    def setFont(self, _name: str, size: float) -> None:
        self.size = size

    def drawString(self, x: float, y: float, text: str) -> None:
        self.text(x, y, text, getattr(self, "size", 10), False)

    def setLineWidth(self, w: float) -> None:
        self.line_width = w

    def saveState(self) -> None:
        self._saved = self.line_width

    def restoreState(self) -> None:
        self.line_width = getattr(self, "_saved", self.line_width)

    def setDash(self, *args: float) -> None:
        self.dash = bool(args)

    def _pen(self) -> QPen:
        pen = QPen(QColor("black"), self.line_width)
        if self.dash:
            pen.setStyle(Qt.PenStyle.DashLine)
        return pen

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self.p.setPen(self._pen())
        self.p.drawLine(QPointF(x1, self._y(y1)), QPointF(x2, self._y(y2)))

    def rect(self, x: float, y: float, w: float, h: float, stroke: int = 1, fill: int = 0) -> None:
        r = QRectF(x, self._y(y + h), w, h)
        if fill:
            self.p.fillRect(r, QColor("black"))
        if stroke:
            self.p.setPen(self._pen())
            self.p.setBrush(Qt.BrushStyle.NoBrush)
            self.p.drawRect(r)

    def beginPath(self) -> _Path:
        return _Path()

    def setFillGray(self, _g: float) -> None:
        pass

    def drawPath(self, path: _Path, stroke: int = 0, fill: int = 1) -> None:
        self.p.save()
        self.p.translate(0, self.h)
        self.p.scale(1, -1)  # the path was built in reportlab's bottom-up coordinates
        self.p.fillPath(path.path, QColor("black"))
        self.p.restore()


def paint_cards(printer: QPrinter, cards: list[CardData], a5: bool, today: date) -> None:
    """Draw the cards on a printer (or a PDF-mode QPrinter), one A4 sheet per page."""
    font = cjk_font()  # reportlab's metrics of the same font lay the lines out
    painter = QPainter(printer)
    try:
        rect = printer.pageLayout().fullRectPoints()
        scale = printer.resolution() / 72.0
        painter.scale(scale, scale)
        w, h = float(rect.width()), float(rect.height())
        per_page = 2 if a5 else 1
        for n, start in enumerate(range(0, len(cards), per_page)):
            if n:
                printer.newPage()
            canvas = QtCanvas(painter, h)
            for slot, card in enumerate(cards[start : start + per_page]):
                x0 = slot * w / 2 if a5 else 0
                cards_pdf._draw_card(canvas, card, font, x0, 0, w / 2 if a5 else w, h, today)
            if a5:  # where to cut the sheet into two A5 cards, as on the PDF
                canvas.setLineWidth(0.5)
                canvas.setDash(4, 4)
                canvas.line(w / 2, 8 * cards_pdf.MM, w / 2, h - 8 * cards_pdf.MM)
                canvas.setDash()
    finally:
        painter.end()


def make_printer(a5: bool) -> QPrinter:
    from PySide6.QtGui import QPageLayout, QPageSize

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(
        QPageLayout.Orientation.Landscape if a5 else QPageLayout.Orientation.Portrait
    )
    printer.setFullPage(True)
    printer.setDocName("互助养老明白卡")
    return printer


def preview_and_print(parent: QWidget, printer: QPrinter, cards: list[CardData], a5: bool) -> bool:
    """The print preview; returns True when the clerk printed (tests replace this function)."""
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle("明白卡 打印预览")
    dialog.paintRequested.connect(lambda p: paint_cards(p, cards, a5, clock.today()))
    return bool(dialog.exec())


def choose_pdf_path(parent: QWidget, suggested: Path, title: str = "明白卡存为 PDF") -> str:
    """The OS save dialog for a PDF (tests replace this function)."""
    return files.choose_save_path(parent, suggested, title, "PDF 文件 (*.pdf)")


def print_cards(
    parent: QWidget,
    ws: Workspace,
    cards: list[CardData],
    a5: bool,
    on_done: Any = None,
    copies: int = 1,
) -> bool:
    """Preview and print (`copies` 2: each card for the household and the helper); the prints
    are recorded off the GUI thread (then `on_done`)."""
    printer = make_printer(a5)
    if not preview_and_print(parent, printer, cards_pdf.with_copies(cards, copies), a5):
        return False

    def work() -> None:
        with ws.transaction() as s:
            record_prints(cards, "A5" if a5 else "A4", session=s, actor=ws.actor)

    op = BackgroundOp(parent, work)
    if on_done is not None:
        op.on_success(on_done)
    op.run()
    return True


def save_cards_pdf(
    parent: QWidget,
    ws: Workspace,
    cards: list[CardData],
    a5: bool,
    on_done: Any = None,
    copies: int = 1,
) -> None:
    suggested = ws.folder / "exports" / f"明白卡-{clock.today().isoformat()}.pdf"
    chosen = choose_pdf_path(parent, suggested)
    if not chosen:
        return
    dest = Path(chosen)

    def work(report: Any) -> int:
        pages = cards_pdf.render_cards(cards, dest, a5=a5, copies=copies, progress=report)
        with ws.transaction() as s:
            record_prints(cards, "A5" if a5 else "A4", session=s, actor=ws.actor)
        return pages

    op = BackgroundOp(parent, work, label="正在生成明白卡…", with_progress=True, cancellable=True)
    if on_done is not None:
        op.on_success(on_done)
    op.run()


def save_helper_sheets(parent: QWidget, ws: Workspace, cards: list[CardData]) -> None:
    """帮扶人名单 as a PDF, then 已保存到 … with 打开."""
    unit = ws.info.org_name if ws.info else ""
    chosen = choose_pdf_path(
        parent, ws.folder / "exports" / f"{unit}-帮扶人名单.pdf", "帮扶人名单存为 PDF"
    )
    if not chosen:
        return
    dest = Path(chosen)

    def work() -> int:
        return cards_pdf.render_helper_sheets(cards, dest, today=clock.today())

    BackgroundOp(parent, work, label="正在生成帮扶人名单…").on_success(
        lambda _n: files.open_file(dest, parent)
    ).run()
