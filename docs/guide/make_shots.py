"""Remake the pictures of the in-app guide (使用说明) from the demo, so they show the app as it
is: a fresh demo workspace (village and its demo town), each task's screen grabbed offscreen at
1280×760, scaled to 900 px wide and kept in 256 colours beside guide.md.

    .venv/bin/python docs/guide/make_shots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "src" / "huzhu_desktop" / "resources" / "guide" / "shots"
WIDTH = 900


def main() -> int:
    from PIL import Image
    from PySide6.QtWidgets import QApplication, QWidget

    from huzhu_desktop.core.demo import make_demo_folder
    from huzhu_desktop.core.reports.review_findings import review_rows
    from huzhu_desktop.core.workspace import Workspace
    from huzhu_desktop.gui.dialogs.review_dialog import ReviewDialog
    from huzhu_desktop.gui.main_window import MainWindow
    from huzhu_desktop.gui.setup_wizard import SetupWizard
    from huzhu_desktop.gui.style import apply_style

    app = QApplication([])
    apply_style(app, large=False)
    SHOTS.mkdir(parents=True, exist_ok=True)

    def spin(seconds: float = 1.5) -> None:
        end = time.time() + seconds
        while time.time() < end:
            app.processEvents()
            time.sleep(0.02)

    def save(widget: QWidget, name: str) -> None:
        spin(0.5)
        path = SHOTS / f"{name}.png"
        widget.grab().save(str(path))
        image = Image.open(path).convert("RGB")
        if image.width > WIDTH:
            image = image.resize((WIDTH, round(image.height * WIDTH / image.width)))
        image.quantize(256).save(path, optimize=True)
        print(path.relative_to(ROOT))

    with tempfile.TemporaryDirectory() as tmp:
        fresh = Workspace.open(Path(tmp) / "new")
        wizard = SetupWizard(fresh)
        wizard.show()
        save(wizard, "setup")
        wizard.close()
        fresh.close()

        demo = make_demo_folder(Path(tmp) / "demo")
        for folder, pages in (
            (demo.workspace, (("老人", "elders"), ("结对", "pairings"), ("走访", "visits"),
                              ("积分", "points"), ("同步", "sync_village"))),
            (demo.town_workspace, ()),
        ):  # fmt: skip
            ws = Workspace.open(Path(folder))
            window = MainWindow.for_workspace(ws)
            window.resize(1280, 760)
            window.show()
            spin()
            for area, name in pages:
                window.go_area(area)
                spin()
                save(window, name)
            if not pages:  # the town: the review of its village
                with ws.reading() as s:
                    (row, *_rest) = [r for r in review_rows(s, review_quarter(s)) if r.seq]
                dialog = ReviewDialog(ws, row, window)
                dialog.show()
                spin()
                save(dialog, "review")
                dialog.close()
            window.close()
            ws.close()
    return 0


def review_quarter(s: object) -> str:
    from huzhu_desktop.core.sync.status import last_quarters

    return last_quarters(2)[0]


if __name__ == "__main__":
    sys.exit(main())
