"""Files the clerk saves and opens: the OS save dialog, opening a finished file with its usual
program (Excel, the PDF reader) — tests replace these two — and exporting a workbook."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget
from sqlmodel import Session

from huzhu_desktop.core.platform_checks import removable_drives
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui.ops import BackgroundOp


def choose_save_path(parent: QWidget, suggested: Path, title: str, file_filter: str) -> str:
    """The OS save dialog; '' when the clerk cancels."""
    suggested.parent.mkdir(parents=True, exist_ok=True)
    path, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), file_filter)
    return path


_last_folder: Path | None = None  # where the clerk last picked a file, this session


def start_folder() -> Path:
    """Where an open dialog starts: the folder of the last file picked, else 文档 (Documents),
    else the home folder — never the program's own folder."""
    if _last_folder is not None and _last_folder.is_dir():
        return _last_folder
    for location in (
        QStandardPaths.StandardLocation.DocumentsLocation,
        QStandardPaths.StandardLocation.DesktopLocation,
        QStandardPaths.StandardLocation.HomeLocation,
    ):
        found = QStandardPaths.writableLocation(location)
        if found and Path(found).is_dir():
            return Path(found)
    return Path.home()


def usb_volumes() -> list[Path]:
    """The USB sticks (removable drives) mounted now (core.platform_checks decides)."""
    return removable_drives()


def sidebar() -> list[QUrl]:
    """The places a file dialog lists on its left: 文档, 桌面, and each USB stick."""
    places = [
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation),
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DesktopLocation),
    ]
    urls = [QUrl.fromLocalFile(p) for p in places if p and Path(p).is_dir()]
    return urls + [QUrl.fromLocalFile(str(v)) for v in usb_volumes()]


def folder_dialog(parent: QWidget | None, title: str) -> QFileDialog:
    """The dialog that picks a folder to save into (a USB stick): started on the stick when one
    is in, else where the clerk last was; the sticks listed on the left."""
    sticks = usb_volumes()
    dialog = QFileDialog(parent, title, str(sticks[0] if sticks else start_folder()))
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    dialog.setSidebarUrls(sidebar())
    return dialog


def run(dialog: QFileDialog) -> str:
    """Show a file dialog; the picked path, or '' when the clerk cancels (tests replace this)."""
    chosen = dialog.selectedFiles() if dialog.exec() else []
    return chosen[0] if chosen else ""


def choose_folder(parent: QWidget | None, title: str) -> str:
    """A folder to save into, or '' when the clerk cancels."""
    return run(folder_dialog(parent, title))


def open_dialog(parent: QWidget | None, title: str, file_filter: str) -> QFileDialog:
    """The open dialog, started in `start_folder()` with the USB sticks listed."""
    dialog = QFileDialog(parent, title, str(start_folder()), file_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setSidebarUrls(sidebar())
    return dialog


def choose_open_path(parent: QWidget | None, title: str, file_filter: str) -> str:
    """A file to open, or '' when the clerk cancels; the next dialog starts in its folder."""
    global _last_folder
    path = run(open_dialog(parent, title, file_filter))
    if path:
        _last_folder = Path(path).parent
    return path


def open_file(path: Path, parent: QWidget | None = None) -> None:
    """After an export: say where the file went (also on the main window's status line), with
    打开 and 打开所在文件夹; when this PC has no program for it, say so and what to do."""
    window = parent.window() if parent is not None else None
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(f"已保存：{path}", 15000)
    box = QMessageBox(parent)
    box.setWindowTitle("已保存")
    box.setIcon(QMessageBox.Icon.Information)
    box.setText(f"已保存到：\n{path}")
    open_it = box.addButton("打开", QMessageBox.ButtonRole.AcceptRole)
    folder = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
    box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_it)
    box.exec()
    if box.clickedButton() is open_it:
        show(path, parent)
    elif box.clickedButton() is folder:
        show(path.parent, parent)


def show(path: Path, parent: QWidget | None = None) -> bool:
    """Open a file or folder with the system's program; a message when there is none."""
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    QMessageBox.information(
        parent,
        "打不开",
        f"这台电脑上没有能直接打开它的程序。文件在：\n{path}\n\n"
        "请到这个文件夹里找到它，可以复制到U盘或用 WPS 打开。",
    )
    return False


def export_workbook(
    parent: QWidget,
    ws: Workspace,
    name: str,
    what: str,
    write: Callable[[Session, Path, Callable[[int, int], None]], object],
    then: Callable[[], None] | None = None,
) -> None:
    """Ask where to save (the workspace's exports folder offered), write the workbook from a read
    of the workspace off the GUI thread, and open it when written. `write` gets a progress
    callback; if the clerk presses 取消 it raises there and no file is left."""
    chosen = choose_save_path(
        parent, ws.folder / "exports" / name, f"导出{what}", "Excel 工作簿 (*.xlsx)"
    )
    if not chosen:
        return
    dest = Path(chosen)

    def work(report: Callable[[int, int], None]) -> object:
        with ws.reading() as s:
            return write(s, dest, report)

    def done(_result: object) -> None:
        open_file(dest, parent)
        if then is not None:
            then()

    op = BackgroundOp(parent, work, label=f"正在导出{what}…", with_progress=True, cancellable=True)
    op.on_success(done).run()
