"""The main window as a clerk opens it, built one way for every GUI test."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from huzhu_desktop.gui.main_window import MainWindow


def show_window(qtbot, settle, ws, area: str = "首页", *, active: bool = False) -> MainWindow:  # type: ignore[no-untyped-def]
    """Build the window on `ws`, show it on `area` and wait until its page has loaded."""
    window = MainWindow.for_workspace(ws)
    qtbot.addWidget(window)
    window.show()
    if active:  # key presses go to the active window
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    window.go_area(area)
    settle()
    return window
