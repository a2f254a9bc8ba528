"""The idle lock: a workspace with users locks after a while with no key press or mouse use
(设置: 无操作自动锁定, default 10 minutes). The lock is a dialog over the window — whatever was
typed stays where it was."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

INPUT = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleLock(QObject):
    def __init__(self, minutes: int, lock: Callable[[], None]) -> None:
        super().__init__()
        self._lock = lock
        self.locked = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(minutes * 60_000)
        self.timer.timeout.connect(self._fire)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.locked and event.type() in INPUT:
            self.timer.start()  # restart the countdown
        return False

    def _fire(self) -> None:
        self.locked = True
        try:
            self._lock()
        finally:
            self.locked = False
            self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
