"""Render resources/huzhu-icon.svg to the sizes the app and the installers use.

    python resources/render_icon.py

Writes src/huzhu_desktop/resources/icons/huzhu-<n>.png (the window icon, the .deb's hicolor
icons) and huzhu.ico (the Windows executable and the Inno Setup wizard), PNG-compressed entries.
Run after editing the SVG and commit the results: the build machines need no SVG renderer.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "resources" / "huzhu-icon.svg"
OUT = ROOT / "src" / "huzhu_desktop" / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """An .ico holding PNG entries (Windows Vista and later read them at every size)."""
    head = struct.pack("<HHH", 0, 1, len(pngs))
    entries, blobs = b"", b""
    offset = 6 + 16 * len(pngs)
    for size, png in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return head + entries + blobs


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"cannot read {SOURCE}", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    pngs = {size: render(renderer, size) for size in SIZES}
    for size, png in pngs.items():
        (OUT / f"huzhu-{size}.png").write_bytes(png)
    (OUT / "huzhu.ico").write_bytes(ico({s: pngs[s] for s in (16, 24, 32, 48, 256)}))
    print(f"wrote {len(pngs)} PNGs and huzhu.ico to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
