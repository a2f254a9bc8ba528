"""关于: the clerk (or the 民政办 on the phone) reads the version, where the data is, and the
licences of what ships with the program."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QLabel, QTableWidget

from huzhu_desktop import __version__
from huzhu_desktop.about import LIBRARIES
from huzhu_desktop.core.db.schema import SCHEMA_HEAD
from huzhu_desktop.gui.dialogs.about_dialog import AboutDialog
from tests.gui.windows import show_window


def test_about_from_settings_shows_version_folders_and_licences(
    qtbot, settle, demo_ws, monkeypatch, tmp_path: Path
) -> None:
    shown: list[AboutDialog] = []
    monkeypatch.setattr(AboutDialog, "exec", lambda self: shown.append(self) or 0)
    window = show_window(qtbot, settle, demo_ws, "设置")
    assert window.windowTitle() == f"互助养老 — {demo_ws.info.org_name}"
    window.settings_view.findChild(object, "about").click()
    (dialog,) = shown
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert f"互助养老桌面版 {__version__}" in texts
    assert SCHEMA_HEAD in texts and str(demo_ws.folder) in texts
    assert str(tmp_path / "data-root") in texts  # the data folder (the test's own)
    table = dialog.findChild(QTableWidget, "licences")
    assert table.rowCount() == len(LIBRARIES)
    rows = {table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 2).text())
            for r in range(table.rowCount())}  # fmt: skip
    assert rows["PySide6 (Qt for Python)"][1] == "LGPL v3"
    assert rows["文泉驿微米黑 字体"][1].startswith("Apache-2.0")
    assert all(version not in ("", "—") for version, _ in rows.values())
    from huzhu_desktop.gui.app_icon import app_icon

    icon = app_icon()  # what main() gives the application (every window's icon)
    assert not icon.isNull() and len(icon.availableSizes()) == 7
    dialog.reject()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_an_unknown_page_is_refused_before_any_window(capsys) -> None:
    from huzhu_desktop.gui.app import main

    assert main(["--page", "不存在", "--smoke"]) == 2
    assert "没有“不存在”这个页面。可以用：首页、老人" in capsys.readouterr().err
