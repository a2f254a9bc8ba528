"""GUI helpers: wait for background work, fill forms like a clerk does."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QThreadPool

from huzhu_desktop.gui.ops import BackgroundOp


@pytest.fixture(autouse=True)
def _no_unexpected_message_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message box nobody expected would wait for a click forever (a hung CI run): fail the
    test with its text instead. Tests that expect one replace these themselves."""
    from PySide6.QtWidgets import QMessageBox

    def unexpected(kind: str):  # type: ignore[no-untyped-def]
        def show(_parent, title, text, *_a, **_k):  # type: ignore[no-untyped-def]
            raise AssertionError(f"unexpected QMessageBox.{kind}: {title}: {text}")

        return show

    for kind in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, unexpected(kind))

    from PySide6.QtWidgets import QFileDialog

    def no_file_dialog(self, *_a, **_k):  # type: ignore[no-untyped-def]
        raise AssertionError(f"unexpected file dialog: {self.windowTitle()}")

    monkeypatch.setattr(QFileDialog, "exec", no_file_dialog)  # the same for a file dialog

    def no_box(self, *_a, **_k):  # type: ignore[no-untyped-def]
        raise AssertionError(f"unexpected message box: {self.windowTitle()}: {self.text()}")

    monkeypatch.setattr(QMessageBox, "exec", no_box)


# Database sessions the GUI may open on its own thread: cheap lookups of one row or a handful,
# each measured at well under a millisecond on the demo. Everything else runs in a BackgroundOp.
GUI_THREAD_ALLOWED = {
    # first-time setup: one org unit, one clerk and the workspace's keys, a few milliseconds,
    # while the wizard waits for it anyway
    "gui.setup_wizard:accept",
    # one peer key by its id, before asking the clerk to compare fingerprints
    "gui.views.sync:import_card",
    # the users' names for the login box (a handful of rows), before any window is shown
    "gui.dialogs.login_dialog:user_names",
    # one village on a town's 村名单 (one row), while the dialog waits for it
    "gui.dialogs.village_dialog:accept",
}


@pytest.fixture(autouse=True)
def _gui_thread_only_paints(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Fail a GUI test that opened a database session on the GUI thread outside the allow-list
    (the debug watch of gui/thread_watch.py, switched on for every GUI test)."""
    from huzhu_desktop.gui.thread_watch import Hit, watch

    hits: list[Hit] = []
    stop = watch(hits.append)
    yield hits
    stop()
    unexpected = sorted(  # "?": opened by the test itself, not by the GUI
        {str(h) for h in hits if h.where not in GUI_THREAD_ALLOWED and h.where != "?"}
    )
    if unexpected and "gui_thread_allowed" not in request.keywords:
        pytest.fail("database work on the GUI thread:\n" + "\n".join(unexpected))


@pytest.fixture
def settle(qtbot):  # type: ignore[no-untyped-def]
    """Wait until every BackgroundOp has finished and delivered its result."""

    def wait(timeout: int = 10_000) -> None:
        # Ops start from timers and chain (a list loads, then the home page refreshes), so wait
        # for a quiet moment twice in a row.
        for _ in range(2):
            qtbot.wait(30)
            qtbot.waitUntil(lambda: not BackgroundOp.running, timeout=timeout)

    yield wait
    qtbot.waitUntil(lambda: not BackgroundOp.running, timeout=10_000)
    QThreadPool.globalInstance().waitForDone(5_000)


def type_text(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type as a clerk does: ASCII as key presses, Chinese as the input method commits it."""
    import re

    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    for chunk in re.findall(r"[\x00-\x7f]+|[^\x00-\x7f]+", text):
        if chunk.isascii():
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)
