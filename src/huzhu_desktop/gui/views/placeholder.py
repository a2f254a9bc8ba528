"""Pages for areas still being built: they say what will be there and what exists already."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

COMING: dict[str, tuple[str, list[str]]] = {
    "报表": (
        "报表",
        [
            "附件1《农村互助养老服务工作进展情况汇总表》和附件2《农村互助养老结对帮扶信息台账》，与区里下发的表格逐字一致。",
            "互助养老明白卡（A4 或两张 A5）、积分存折、特殊老人月探访情况、花名册。",
        ],
    ),
}


class ComingSoonPage(QWidget):
    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title, lines = COMING[key]
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("heading")
        layout.addWidget(heading)
        note = QLabel("本功能正在建设中，完成后这里将提供：")
        note.setObjectName("coming_note")
        layout.addWidget(note)
        for line in lines:
            label = QLabel("• " + line)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)
        layout.addStretch(1)
