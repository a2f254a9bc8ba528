"""BackgroundOp — runs one service call off the GUI thread, shows progress, reports errors.

    BackgroundOp(parent, lambda: do_work(), label="正在保存…").on_success(cb).run()

Every slow GUI action goes through here; no widget creates its own thread. A typed HuzhuError
is shown with its Chinese message (or handed to `on_error`); anything else is logged and shown
as an unexpected error.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any, ClassVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from huzhu_desktop.core.errors import Cancelled, HuzhuError, describe_os_error

log = logging.getLogger(__name__)
PROGRESS_DELAY_MS = 400


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object, str)
    progress = Signal(int, int)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.fn, self.signals = fn, signals
        self.setAutoDelete(False)  # the op keeps it alive: Python owns it, Qt must not delete it

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:
            self._deliver(self.signals.failed, exc, traceback.format_exc())
        else:
            self._deliver(self.signals.done, result)

    def _deliver(self, signal: Any, *args: Any) -> None:
        """Emit, unless the window went away while the work ran (the app closing: its signals
        are deleted and nobody waits for the result — it printed a traceback at exit)."""
        try:
            if shiboken6.isValid(self.signals):
                signal.emit(*args)
        except RuntimeError:  # deleted between the check and the emit
            log.debug("a background result arrived after its window closed")


class BackgroundOp:
    """A plain Python object kept alive in `running` until its result has been delivered."""

    running: ClassVar[set[BackgroundOp]] = set()

    def __init__(
        self,
        parent: QWidget,
        fn: Callable[..., Any],
        *,
        label: str = "",
        with_progress: bool = False,
        cancellable: bool = False,
    ) -> None:
        """With `with_progress`, `fn` is called as fn(report) and may call report(done, total)
        from the worker thread; the dialog shows the fraction. With `cancellable` it also has
        a 取消 button: the next report() raises Cancelled in the worker, so the work stops and
        its transaction (or its temporary file) is undone — nothing is left half-written."""
        self._parent, self._label = parent, label
        self._cancellable = cancellable
        self._cancel = threading.Event()
        self._closing = False  # running when the window closed: its stopped read stays quiet
        self._success: Callable[[Any], None] | None = None
        self._error: Callable[[BaseException], bool] | None = None
        self._finally: Callable[[], None] | None = None
        self._progress: QProgressDialog | None = None
        self._signals = _Signals()
        self._signals.done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_progress)
        self._done_total = (0, 0)
        self._signals.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._runnable = _Runnable(
            (lambda: fn(self._report)) if with_progress else fn, self._signals
        )

    def _report(self, done: int, total: int) -> None:
        """Called from the worker: progress to the dialog; stop here if the clerk cancelled."""
        if self._cancel.is_set():
            raise Cancelled()
        self._signals.progress.emit(done, total)

    def cancel(self) -> None:
        """What the 取消 button does (tests call it too)."""
        self._cancel.set()
        if self._progress is not None and shiboken6.isValid(self._progress):
            self._progress.setLabelText("正在取消……")

    def on_success(self, cb: Callable[[Any], None]) -> BackgroundOp:
        self._success = cb
        return self

    def on_error(self, cb: Callable[[BaseException], bool]) -> BackgroundOp:
        """`cb` returns True when it has shown the error itself."""
        self._error = cb
        return self

    def on_finally(self, cb: Callable[[], None]) -> BackgroundOp:
        self._finally = cb
        return self

    def run(self) -> None:
        BackgroundOp.running.add(self)
        if self._label:
            self._timer.start(PROGRESS_DELAY_MS)
        QThreadPool.globalInstance().start(self._runnable)

    def _show_progress(self) -> None:
        if self not in BackgroundOp.running or not self._parent_alive():
            return
        dlg = QProgressDialog(self._label, "取消", 0, 0, self._parent)
        if self._cancellable:
            dlg.canceled.connect(self.cancel)
            dlg.setAutoReset(False)
            dlg.setAutoClose(False)
        else:
            dlg.setCancelButton(None)
        dlg.setWindowTitle("请稍候")
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(0)
        dlg.show()
        self._progress = dlg
        self._on_progress(*self._done_total)

    def _on_progress(self, done: int, total: int) -> None:
        self._done_total = (done, total)
        if self._progress is not None and shiboken6.isValid(self._progress) and total > 0:
            self._progress.setMaximum(total)
            self._progress.setValue(min(done, total))

    def _finish(self) -> None:
        BackgroundOp.running.discard(self)
        self._timer.stop()
        if self._progress is not None and shiboken6.isValid(self._progress):
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None
        if self._finally is not None and self._parent_alive():
            self._finally()

    def _parent_alive(self) -> bool:
        return shiboken6.isValid(self._parent)

    def _on_done(self, result: Any) -> None:
        try:
            if self._success is not None and self._parent_alive():
                self._success(result)
        finally:
            self._finish()

    def _on_failed(self, exc: BaseException, trace: str) -> None:
        try:
            if not self._parent_alive():
                log.warning("background op failed after its window closed: %s", exc)
                return
            if self._closing and isinstance(exc, Cancelled):  # finish_background stopped it
                log.info("stopped for closing: %s", self._label)
                return
            if self._error is not None and self._error(exc):
                return
            if isinstance(exc, Cancelled):  # the clerk asked for it: no alarm
                log.info("cancelled: %s", self._label)
                return
            if isinstance(exc, HuzhuError):
                log.info("refused: %s", exc.detail)
                QMessageBox.warning(self._parent, "无法完成", exc.user_message)
            elif isinstance(exc, OSError):
                log.warning("file error in background op:\n%s", trace)
                QMessageBox.warning(self._parent, "无法完成", describe_os_error(exc))
            else:
                log.error("unexpected error in background op:\n%s", trace)
                QMessageBox.critical(
                    self._parent,
                    "意外错误",
                    f"操作没有完成，数据未被改动。\n\n错误：{exc}\n\n"
                    "详细信息已写入工作区 logs 文件夹。",
                )
        finally:
            self._finish()


def finish_background(interrupt_reads: Callable[[], int] | None, timeout_ms: int = 10_000) -> bool:
    """Before the window or the workspace closes: stop the reads still running (their figures
    are no longer wanted) and let the writes finish their commits, waiting at most
    `timeout_ms`. True when no background work is left."""
    for op in BackgroundOp.running:
        op._closing = True
    pool = QThreadPool.globalInstance()
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        if interrupt_reads is not None:
            interrupt_reads()  # again each pass: a read may start its next query meanwhile
        if pool.waitForDone(50):
            return True
        if time.monotonic() > deadline:
            log.warning("background work still running after %d ms at close", timeout_ms)
            return False
