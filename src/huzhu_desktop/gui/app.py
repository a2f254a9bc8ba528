"""`huzhu-desktop` — start the GUI on a workspace.

    huzhu-desktop [--workspace DIR] [--demo] [--large-font] [--smoke] [--screenshot FILE]

With no display (a server, CI) it says so, runs offscreen, saves a screenshot of the main window
and prints where it is, so a set-up can still show that the app works.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import argparse  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from logging.handlers import RotatingFileHandler  # noqa: E402
from pathlib import Path  # noqa: E402

log = logging.getLogger("huzhu_desktop")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="huzhu-desktop", description="互助养老桌面版")
    p.add_argument("--workspace", metavar="DIR", help="工作区文件夹")
    p.add_argument("--demo", action="store_true", help="打开演示工作区（第一次会生成演示数据）")
    p.add_argument("--large-font", action="store_true", help="大字模式")
    p.add_argument(
        "--smoke", action="store_true", help="启动到主窗口第一次绘制后退出，打印启动毫秒数"
    )
    p.add_argument("--screenshot", metavar="FILE", help="数据显示后保存主窗口截图并退出")
    p.add_argument("--page", default="首页", help="截图时打开的页面，如 老人")
    return p.parse_args(argv)


def headless() -> bool:
    """True when Qt would find no screen (Linux without DISPLAY / WAYLAND_DISPLAY)."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return False
    if sys.platform in ("win32", "darwin"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def setup_logging(folder: Path) -> None:
    handler = RotatingFileHandler(
        folder / "logs" / "huzhu.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if headless():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        if not args.smoke and not args.screenshot:
            print("没有可用的显示器（无图形界面）：改为无界面方式运行，并保存主窗口截图。")
            args.screenshot = "auto"

    from PySide6.QtWidgets import QApplication, QMessageBox

    from huzhu_desktop.core.errors import HuzhuError
    from huzhu_desktop.core.settings import load_settings
    from huzhu_desktop.core.workspace import Workspace
    from huzhu_desktop.gui.style import apply_style
    from huzhu_desktop.paths import resolve_workspace

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("互助养老")
    folder = resolve_workspace(args.workspace, demo=args.demo)
    try:
        ws = Workspace.open(folder)
        setup_logging(folder)
        if args.demo and not ws.is_initialized:
            from huzhu_desktop.core.demo import make_demo

            make_demo(ws)
    except HuzhuError as exc:
        if args.smoke or args.screenshot:
            print(f"错误：{exc.user_message}", file=sys.stderr)
        else:
            apply_style(app, large=False)
            QMessageBox.critical(None, "无法打开工作区", exc.user_message)
        return 1
    apply_style(app, large=args.large_font or load_settings(folder).large_font)

    if not ws.is_initialized:
        if args.smoke or args.screenshot:
            print(
                "错误：工作区尚未设置单位（请先运行 huzhu init 或 huzhu demo）。", file=sys.stderr
            )
            return 1
        from huzhu_desktop.gui.setup_wizard import SetupWizard

        wizard = SetupWizard(ws)
        if not wizard.exec():
            return 0

    from huzhu_desktop.gui.main_window import MainWindow

    window = MainWindow(ws)
    if args.smoke:
        window.first_paint.connect(lambda: _report_start(app))
    if args.screenshot:
        target = (
            folder / "screenshots" / "main-window.png"
            if args.screenshot == "auto"
            else Path(args.screenshot)
        )
        window.go_area(args.page)
        window.first_paint.connect(lambda: _screenshot_when_loaded(window, target))
    window.show()
    code = app.exec()
    ws.close()
    return code


def _report_start(app: object) -> None:
    from PySide6.QtWidgets import QApplication

    print(f"startup_ms={(time.perf_counter() - T0) * 1000:.0f}", flush=True)
    QApplication.quit()


def _screenshot_when_loaded(window: object, target: Path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from huzhu_desktop.gui.main_window import MainWindow
    from huzhu_desktop.gui.ops import BackgroundOp

    assert isinstance(window, MainWindow)
    waited = [0]

    def attempt() -> None:
        waited[0] += 50
        if BackgroundOp.running and waited[0] < 15_000:
            QTimer.singleShot(50, attempt)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(target))
        print(f"主窗口截图：{target}")
        print(f"工作区：{window.ws.folder}")
        QApplication.quit()

    QTimer.singleShot(200, attempt)


if __name__ == "__main__":
    raise SystemExit(main())
