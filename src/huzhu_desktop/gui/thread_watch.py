"""Debug watch: database sessions opened on the GUI thread (the GUI thread should only paint).

`HUZHU_WATCH_GUI_THREAD=1` logs every session a window opens on its own thread, with the GUI
function that opened it; the GUI tests run with the watch on and fail on any that is not on
their short allow-list of cheap lookups (tests/gui/conftest.py).
"""

from __future__ import annotations

import logging
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QThread

from huzhu_desktop.core.workspace import observe_sessions

ENV = "HUZHU_WATCH_GUI_THREAD"
log = logging.getLogger("huzhu_desktop.gui_thread")


@dataclass(frozen=True)
class Hit:
    kind: str  # read / write
    where: str  # module:function of the innermost GUI frame that opened the session

    def __str__(self) -> str:
        return f"{self.kind} session on the GUI thread from {self.where}"


def _where() -> str:
    for frame in reversed(traceback.extract_stack()[:-3]):
        if "/huzhu_desktop/gui/" in frame.filename.replace("\\", "/"):
            module = frame.filename.replace("\\", "/").rsplit("/huzhu_desktop/", 1)[1]
            return f"{module.removesuffix('.py').replace('/', '.')}:{frame.name}"
    return "?"


def watch(record: Callable[[Hit], None]) -> Callable[[], None]:
    """Call `record` for every session opened on the GUI thread; returns the stop function."""

    def observe(kind: str) -> None:
        app = QCoreApplication.instance()
        if app is not None and QThread.currentThread() is app.thread():
            record(Hit(kind, _where()))

    return observe_sessions(observe)


def install_from_environment() -> None:
    if os.environ.get(ENV) == "1":
        watch(lambda hit: log.warning("%s", hit))
