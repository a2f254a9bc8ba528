"""Look and feel: a CJK font that exists on this machine, sizes for normal and large-font mode."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

# Preferred UI fonts: Windows, then 统信UOS/麒麟 and other Linux, then macOS.
CJK_FAMILIES = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "微软雅黑",
    "SimHei",
    "黑体",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "PingFang SC",
    "Heiti SC",
)
NORMAL_PT, LARGE_PT = 11, 15


def pick_family() -> str | None:
    available = set(QFontDatabase.families())
    return next((f for f in CJK_FAMILIES if f in available), None)


def apply_style(app: QApplication, *, large: bool) -> None:
    size = LARGE_PT if large else NORMAL_PT
    font = QFont(app.font())
    family = pick_family()
    if family:
        font.setFamily(family)
    font.setPointSize(size)
    app.setFont(font)
    pad = 8 if large else 4
    app.setStyleSheet(f"""
        QLabel#heading {{ font-size: {size + 7}pt; font-weight: bold; padding: 4px 0; }}
        QLabel[role="tileValue"] {{ font-size: {size + 16}pt; font-weight: bold; color: #1a5fb4; }}
        QFrame#tile {{ background: #f6f8fb; border: 1px solid #d0d7e2; border-radius: 6px; }}
        QLabel#demoBanner {{
            background: #fff3bf; color: #5c4400; padding: 6px; font-weight: bold;
        }}
        QLabel#readOnlyBanner {{
            background: #fde2e1; color: #8a1c14; padding: 6px; font-weight: bold;
        }}
        QListWidget#nav {{ font-size: {size + 2}pt; }}
        QListWidget#nav::item {{ padding: {pad + 6}px {pad + 4}px; }}
        QListWidget#nav::item:selected {{ background: #1a5fb4; color: white; }}
        QPushButton {{ padding: {pad}px {pad * 2}px; }}
        QLineEdit, QComboBox {{ padding: {pad // 2 + 1}px; }}
    """)
