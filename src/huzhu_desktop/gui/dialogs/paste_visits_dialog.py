"""粘贴走访记录 — lines copied from a WeChat group, or rows copied out of Excel/WPS."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from huzhu_desktop.gui.forms import dialog_buttons

HINT = (
    "把微信群里的走访消息或 Excel/WPS 里复制的表格粘贴到下面，每条一行，例如：\n"
    "3. 王秀英 11.28 看望张德明40分钟 帮买药\n"
    "陈建国 11月27日 给李秀英打扫卫生1小时\n"
    "识别后会放进“批量录入”表格，请核对后再按“保存”；名字对不上的行会请您选人。"
)


class PasteVisitsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("粘贴走访记录")
        self.resize(640, 420)
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("pasted")
        self.text.setPlaceholderText("在这里粘贴（Ctrl+V）")
        buttons = dialog_buttons(self, "识别并放进表格")
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)

    def save(self) -> None:
        self.accept()

    def pasted(self) -> str:
        return self.text.toPlainText()
