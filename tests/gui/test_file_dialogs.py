"""File dialogs where a clerk expects them: saving to the USB stick starts on the stick and every
dialog lists the sticks on its left; opening starts where the clerk last was, else 文档."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QFileDialog

from huzhu_desktop.gui import files


def test_a_folder_dialog_starts_on_the_usb_stick_and_lists_it(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stick = tmp_path / "U盘"
    stick.mkdir()
    monkeypatch.setattr(files, "usb_volumes", lambda: [stick])
    dialog = files.folder_dialog(None, "选择保存数据包的文件夹或U盘")
    qtbot.addWidget(dialog)
    assert Path(dialog.directory().absolutePath()) == stick
    assert QUrl.fromLocalFile(str(stick)) in dialog.sidebarUrls()
    assert dialog.fileMode() == QFileDialog.FileMode.Directory


def test_without_a_stick_it_starts_in_documents_or_the_last_folder(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "usb_volumes", lambda: [])
    dialog = files.folder_dialog(None, "选择")
    qtbot.addWidget(dialog)
    assert Path(dialog.directory().absolutePath()) == files.start_folder()
    monkeypatch.setattr(files, "_last_folder", tmp_path)
    assert files.start_folder() == tmp_path


def test_usb_volumes_are_the_removable_drives(monkeypatch: pytest.MonkeyPatch) -> None:
    stick = Path("U盘")
    monkeypatch.setattr(files, "removable_drives", lambda: [stick])
    assert files.usb_volumes() == [stick]
    assert QUrl.fromLocalFile(str(stick)) in files.sidebar()
