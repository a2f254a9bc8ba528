"""The clerk double-clicks the icon: the frame, then the 首页's counts read straight from the
database, then the rest of the program (issue 20: the first screen on 5,000 elders < 0.5 s;
importing the database stack alone took 0.45 s of it). Nothing is shown before a login."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from huzhu_desktop.core import clock
from huzhu_desktop.core.quick_info import read_shell_info
from huzhu_desktop.core.services.first_screen import quick_first_figures
from huzhu_desktop.core.services.home import first_figures
from huzhu_desktop.gui import app as gui_app
from huzhu_desktop.gui.areas import AREAS
from huzhu_desktop.gui.main_window import MainWindow


def _state(folder: Path) -> gui_app._State:
    args = argparse.Namespace(smoke=False, screenshot=None, demo=False, page=None)
    return gui_app._State(args, folder)


def test_the_counts_show_first_and_the_same_page_carries_on_when_the_workspace_opens(
    qtbot, settle, demo_ws
) -> None:
    folder = demo_ws.folder
    with demo_ws.reading() as s:
        expected = first_figures(s, today=clock.today())
    demo_ws.close()
    assert quick_first_figures(folder, clock.today()) == expected

    shell = read_shell_info(folder)
    assert shell is not None
    window = MainWindow(shell)
    qtbot.addWidget(window)
    state = _state(folder)
    try:
        with qtbot.waitSignal(window.first_screen, timeout=10_000):
            window.show()
            window.first_paint.connect(lambda: state.first(window))
        early = window.stack.widget(0).widget()  # the 首页 inside its scroll area
        tiles = early.tiles
        assert tiles["elders"].value.text() == str(expected.register.elders)
        assert tiles["special"].value.text() == str(expected.register.special_elders)
        assert tiles["helpers"].value.text() == str(expected.register.helpers)
        assert "老人类型：" in early.types.text()
        # what needs the open workspace waits for it: the other pages, the PDF, the export
        assert not early.print_button.isEnabled() and not early.export_coverage.isEnabled()

        with qtbot.waitSignal(window.ready, timeout=20_000):
            pass  # state.first attaches the workspace after the first screen's paint
        settle()
        assert window.home is early and window.nav.isEnabled()
        assert window.stack.count() == len(AREAS)
        assert early.print_button.isEnabled() and early.export_coverage.isEnabled()
        assert tiles["rate"].value.text() != "…"  # the figures after the counts followed
        window.go_area("老人")
        settle()
        assert window.stack.currentWidget() is window.elders
        assert window.elders.model.rowCount() == expected.register.elders
    finally:
        state.close()


def test_a_workspace_with_logins_shows_nothing_before_the_login(
    qtbot, settle, demo_ws, monkeypatch
) -> None:
    from huzhu_desktop.cli import main as cli

    folder = demo_ws.folder
    demo_ws.close()
    monkeypatch.setenv("HUZHU_NEW_PASSWORD", "admin-2026")
    assert cli(["--workspace", str(folder), "users", "first-admin", "王主任"]) == 0
    assert quick_first_figures(folder, clock.today()) is None

    from huzhu_desktop.gui.dialogs.login_dialog import LoginDialog

    asked: list[bool] = []

    def refuse(dialog: LoginDialog) -> int:
        asked.append(True)
        return 0  # 退出程序

    monkeypatch.setattr(LoginDialog, "exec", refuse)
    shell = read_shell_info(folder)
    assert shell is not None
    window = MainWindow(shell)
    qtbot.addWidget(window)
    shown: list[bool] = []
    window.first_screen.connect(lambda: shown.append(True))
    state = _state(folder)
    monkeypatch.setattr("PySide6.QtWidgets.QApplication.quit", lambda: None)
    try:
        state.first(window)
        settle()
        assert asked and shown == []
        assert window._early_home is None  # no counts were put on screen
    finally:
        state.close()


def test_the_smoke_start_reports_the_first_screen_before_the_database_stack(demo_ws) -> None:
    """As the benchmark times it: the frame, the counts (the ORM not yet imported), ready."""
    folder = demo_ws.folder
    demo_ws.close()
    out = subprocess.run(
        [sys.executable, "-m", "huzhu_desktop", "--workspace", str(folder), "--smoke"],
        capture_output=True, text=True, timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    marks = [line.split("=")[0] for line in out.stdout.splitlines() if "_ms=" in line]
    assert marks == ["startup_ms", "first_screen_ms", "ready_ms"], out.stdout
    first = next(line for line in out.stdout.splitlines() if line.startswith("first_screen"))
    assert "orm=no" in first, first


def test_the_demo_shows_its_counts_first_unless_it_is_to_be_refilled(
    qtbot, demo_ws, monkeypatch
) -> None:
    """`huzhu-desktop --demo` (the README's first command): a current demo's counts come first;
    a demo an older app filled is refilled on opening, so its old counts are never shown."""
    from huzhu_desktop.core.quick_info import DEMO_STAMP, DEMO_VERSION

    folder = demo_ws.folder
    demo_ws.close()
    opened: list[int] = []
    for version, quick in ((1, False), (DEMO_VERSION, True)):
        (folder / DEMO_STAMP).write_text(f'{{"version": {version}}}', encoding="utf-8")
        shell = read_shell_info(folder)
        assert shell is not None and shell.is_demo
        window = MainWindow(shell)
        qtbot.addWidget(window)
        args = argparse.Namespace(smoke=False, screenshot=None, demo=True, page=None)
        state = gui_app._State(args, folder)
        monkeypatch.setattr(state, "attach", lambda _w, v=version: opened.append(v))
        state.first(window)
        assert (window._early_home is not None) is quick, version
    assert opened == [1]  # the old demo went straight to the full opening, which refills it
