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
from typing import TYPE_CHECKING  # noqa: E402

from huzhu_desktop import __version__  # noqa: E402

if TYPE_CHECKING:
    from huzhu_desktop.core.db.lock import WorkspaceLock
    from huzhu_desktop.core.workspace import Workspace
    from huzhu_desktop.gui.main_window import MainWindow

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
    p.add_argument("--version", action="version", version=f"互助养老桌面版 {__version__}")
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
    from huzhu_desktop.gui.areas import AREAS

    if args.page not in AREAS:
        print(f"错误：没有“{args.page}”这个页面。可以用：{'、'.join(AREAS)}。", file=sys.stderr)
        return 2
    if headless():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        if not args.smoke and not args.screenshot:
            print("没有可用的显示器（无图形界面）：改为无界面方式运行，并保存主窗口截图。")
            args.screenshot = "auto"

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from huzhu_desktop.core.quick_info import read_shell_info
    from huzhu_desktop.core.settings import load_settings
    from huzhu_desktop.gui.app_icon import app_icon
    from huzhu_desktop.gui.main_window import MainWindow
    from huzhu_desktop.gui.style import apply_style
    from huzhu_desktop.gui.translations import install_chinese
    from huzhu_desktop.paths import resolve_workspace

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("互助养老")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    chinese = install_chinese(app)
    if args.smoke:  # the packaged app's check that Qt's Chinese was found
        print(f"qt_translations={','.join(chinese) or 'none'}", flush=True)
    folder = resolve_workspace(args.workspace, demo=args.demo)
    apply_style(app, large=args.large_font or load_settings(folder).large_font)
    state = _State(args, folder)

    shell = read_shell_info(folder)
    if shell is None:  # new, demo-to-be or unusual workspace: open it fully before any window
        ws = state.open_workspace()
        if ws is None or not state.ensure_set_up(ws):
            return state.exit_code
        window = MainWindow.for_workspace(ws)
    else:  # paint the frame, then the 首页's counts from a quick read, then open the workspace
        window = MainWindow(shell)
        window.first_paint.connect(lambda: QTimer.singleShot(0, lambda: state.first(window)))
    state.watch(window)
    window.show()
    code = app.exec()
    state.close()
    return code or state.exit_code


class _State:
    """What `main` carries between the first paint and the open workspace."""

    def __init__(self, args: argparse.Namespace, folder: Path) -> None:
        self.args, self.folder = args, folder
        self.ws: Workspace | None = None
        self.lock: WorkspaceLock | None = None
        self.window: MainWindow | None = None  # the window opened after a restore
        self.exit_code = 0

    @property
    def unattended(self) -> bool:
        return bool(self.args.smoke or self.args.screenshot)

    def open_workspace(self) -> Workspace | None:
        from huzhu_desktop.core.db.lock import WorkspaceLock
        from huzhu_desktop.core.errors import DamagedDatabase, HuzhuError
        from huzhu_desktop.core.workspace import Workspace

        if not self.unattended and self._lost_database() and self.offer_restore(lost=True):
            return self.open_workspace()
        try:
            if self.args.demo:  # a new demo is built whole beside its folder, then put in place
                from huzhu_desktop.core.demo import holds_a_workspace, make_demo_folder

                if not holds_a_workspace(self.folder):
                    make_demo_folder(self.folder)
            ws = Workspace.open(self.folder)
            setup_logging(self.folder)
            from huzhu_desktop.gui.thread_watch import install_from_environment

            install_from_environment()
            self.lock = WorkspaceLock(self.folder)
            if not self.lock.try_acquire():  # another window writes here: look, do not touch
                holder = self.lock.holder()
                who = holder.describe() if holder else "另一个窗口"
                ws.read_only = f"此工作区正由{who}打开"
                log.info("opened read-only: %s", ws.read_only)
            elif self.args.demo:
                from huzhu_desktop.core.demo import demo_outdated, make_demo

                if not ws.is_initialized or demo_outdated(ws):
                    make_demo(ws)
            if ws.has_users and not self.log_in(ws):
                self.ws = ws
                self.close(backup=False)  # nobody logged in: nothing to keep
                return None
        except DamagedDatabase as exc:
            if not self.unattended and self.offer_restore(message=exc.user_message):
                return self.open_workspace()
            self.fail(exc.user_message, "无法打开工作区")
            return None
        except HuzhuError as exc:
            self.fail(exc.user_message, "无法打开工作区")
            return None
        self.ws = ws
        return ws

    def log_in(self, ws: Workspace) -> bool:
        """A workspace with users: the login dialog (unattended runs take HUZHU_USER and
        HUZHU_PASSWORD); False when the clerk leaves instead."""
        if self.unattended:
            from huzhu_desktop.core.errors import HuzhuError
            from huzhu_desktop.core.services import users

            name, password = os.environ.get("HUZHU_USER"), os.environ.get("HUZHU_PASSWORD")
            if not name or password is None:
                self.fail("这个工作区设有用户：请设置 HUZHU_USER 和 HUZHU_PASSWORD。", "")
                return False
            try:
                users.log_in(ws, name, password)
            except HuzhuError as exc:
                self.fail(exc.user_message, "无法登录")
                return False
            return True
        from huzhu_desktop.gui.dialogs.login_dialog import LoginDialog, user_names

        dialog = LoginDialog(ws, user_names(ws))
        return bool(dialog.exec()) and dialog.done_login is not None

    def _lost_database(self) -> bool:
        """huzhu.db is gone but the folder has backups: restore rather than start afresh."""
        from huzhu_desktop.paths import DB_NAME

        return not (self.folder / DB_NAME).exists() and any((self.folder / "backups").glob("*.db"))

    def offer_restore(self, *, message: str = "", lost: bool = False) -> bool:
        """Ask whether to restore from a backup, and do it; True when restored."""
        from PySide6.QtWidgets import QMessageBox

        from huzhu_desktop.gui.dialogs.restore_dialog import RestoreDialog

        text = (
            "这个工作区的数据库文件不见了，但 backups 文件夹里还有备份。\n"
            "可以从备份恢复；若确实要从头开始，请选“新建”。"
            if lost
            else message
        )
        box = QMessageBox(QMessageBox.Icon.Warning, "无法打开工作区", text)
        restore = box.addButton("从备份恢复…", QMessageBox.ButtonRole.AcceptRole)
        if lost:
            box.addButton("新建空工作区", QMessageBox.ButtonRole.RejectRole)
        else:
            box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is not restore:
            return False
        dialog = RestoreDialog(self.folder, release=lambda: None)
        return bool(dialog.exec()) and dialog.restored is not None

    def restore_from(self, window: MainWindow) -> None:
        """设置 → 从备份恢复 in a running window: close the workspace, restore, open it anew."""
        from huzhu_desktop.gui.dialogs.restore_dialog import RestoreDialog
        from huzhu_desktop.gui.main_window import MainWindow

        dialog = RestoreDialog(self.folder, release=self.close, parent=window)
        dialog.exec()
        if not dialog.released:
            return
        window.hide()
        ws = self.open_workspace()
        if ws is None or not self.ensure_set_up(ws):
            window.close()
            return
        fresh = MainWindow.for_workspace(ws)
        self.watch(fresh)
        fresh.show()
        self.window = fresh
        window.deleteLater()

    def close(self, *, backup: bool = True) -> None:
        """Close the workspace (a backup on the way out) and give up the lock."""
        if self.ws is not None:
            from huzhu_desktop.gui.ops import finish_background

            finish_background(self.ws.interrupt_reads)  # reads stopped, writes committed
            writable = not self.ws.read_only and not self.unattended
            if backup and writable and self.ws.is_initialized:
                from huzhu_desktop.core.errors import HuzhuError
                from huzhu_desktop.core.workspace import automatic_backup

                try:
                    _made, warning = automatic_backup(self.ws, "on-close")
                    if warning:
                        log.warning(warning)
                except HuzhuError as exc:  # never keep a clerk from closing
                    log.warning("backup on close failed: %s", exc)
            self.ws.close()
            self.ws = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def ensure_set_up(self, ws: Workspace) -> bool:
        if ws.is_initialized:
            return True
        if self.unattended:
            self.fail("工作区尚未设置单位（请先运行 huzhu init 或 huzhu demo）。", "")
            return False
        from huzhu_desktop.gui.setup_wizard import SetupWizard

        return bool(SetupWizard(ws).exec())

    def first(self, window: MainWindow) -> None:
        """The first screen's counts before the database stack is imported (`first_screen`),
        painted, then the full opening; an unusual workspace goes straight to the opening."""
        from PySide6.QtCore import Qt, QTimer

        from huzhu_desktop.core import clock
        from huzhu_desktop.core.quick_info import DEMO_VERSION, demo_stamp_version
        from huzhu_desktop.core.services.first_screen import quick_first_figures

        refilled = (  # an older app's demo is refilled on opening: no stale counts meanwhile
            self.args.demo and window.shell.is_demo
            and demo_stamp_version(self.folder) < DEMO_VERSION
        )  # fmt: skip
        figures = None if refilled else quick_first_figures(self.folder, clock.today())
        if figures is None:
            self.attach(window)
            return
        window.first_screen.connect(
            lambda: QTimer.singleShot(0, lambda: self.attach(window)),
            Qt.ConnectionType.SingleShotConnection,
        )
        window.show_first_screen(figures)

    def attach(self, window: MainWindow) -> None:
        from PySide6.QtWidgets import QApplication

        ws = self.open_workspace()
        if ws is None:
            QApplication.quit()
            return
        window.attach(ws)

    def fail(self, message: str, title: str) -> None:
        self.exit_code = 1
        if self.unattended:
            print(f"错误：{message}", file=sys.stderr)
            return
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, title, message)

    def watch(self, window: MainWindow) -> None:
        window.restore_wanted.connect(lambda: self.restore_from(window))
        if not self.unattended:
            window.ready.connect(lambda: self.daily_backup(window))
        if self.args.smoke:
            window.first_paint.connect(lambda: print(f"startup_ms={_ms()}", flush=True))
            window.first_screen.connect(  # and whether the database stack was needed for it
                lambda: print(
                    f"first_screen_ms={_ms()} orm={'yes' if 'sqlalchemy' in sys.modules else 'no'}",
                    flush=True,
                )
            )
            window.ready.connect(lambda: _quit_after_ready(window))
        if self.args.screenshot:
            target = (
                self.folder / "screenshots" / "main-window.png"
                if self.args.screenshot == "auto"
                else Path(self.args.screenshot)
            )
            page = self.args.page
            window.ready.connect(lambda: _screenshot_when_loaded(window, target, page))

    def daily_backup(self, window: MainWindow) -> None:
        """The first start of a day makes that day's backup, quietly, off the GUI thread."""
        from datetime import datetime

        from huzhu_desktop.core.db import backup
        from huzhu_desktop.gui.ops import BackgroundOp

        ws = self.ws
        if ws is None or ws.read_only or backup.made_today(ws.folder / "backups", datetime.now()):
            return

        def failed(exc: BaseException) -> bool:
            log.warning("daily backup failed: %s", exc)
            return True

        from huzhu_desktop.core.workspace import automatic_backup

        def told(result: tuple[object, str]) -> None:
            if result[1]:
                window.statusBar().showMessage(result[1], 15_000)

        op = BackgroundOp(window, lambda: automatic_backup(ws, "daily"))
        op.on_success(told).on_error(failed).run()


def _ms() -> str:
    return f"{(time.perf_counter() - T0) * 1000:.0f}"


def _quit_after_ready(window: MainWindow) -> None:
    from PySide6.QtWidgets import QApplication

    print(f"ready_ms={_ms()}", flush=True)
    window.ready.disconnect()
    QApplication.quit()


def _screenshot_when_loaded(window: MainWindow, target: Path, page: str) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from huzhu_desktop.gui.ops import BackgroundOp

    window.ready.disconnect()
    window.go_area(page)
    waited = [0]

    def attempt() -> None:
        waited[0] += 50
        if BackgroundOp.running and waited[0] < 15_000:
            QTimer.singleShot(50, attempt)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(target))
        print(f"主窗口截图：{target}")
        print(f"工作区：{window.shell.folder}")
        QApplication.quit()

    QTimer.singleShot(300, attempt)


if __name__ == "__main__":
    raise SystemExit(main())
