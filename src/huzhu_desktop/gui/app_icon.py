"""The app's icon (rendered from resources/huzhu-icon.svg by resources/render_icon.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def icon_path(size: int) -> Path:
    return ICONS / f"huzhu-{size}.png"


def app_icon() -> QIcon:
    icon = QIcon()
    for size in SIZES:
        icon.addFile(str(icon_path(size)))
    return icon
