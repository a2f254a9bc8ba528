"""从备份恢复 on screen: from 设置 in a running window, and at start when huzhu.db is damaged."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QPushButton
from sqlalchemy import text

from huzhu_desktop.core.services.setup import SetupForm, initialize
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui import app as gui_app
from huzhu_desktop.gui.dialogs.restore_dialog import RestoreDialog, describe_backup


def _pairing_members(folder: Path) -> int:
    with Workspace.open(folder) as ws, ws.reading() as s:
        return int(s.execute(text("SELECT count(*) FROM pairing_member")).scalar_one())


def _take_the_newest_backup(qtbot, settle, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Stand in for the clerk at the restore dialog: the newest backup, 恢复."""

    def exec_dialog(dlg: RestoreDialog) -> int:
        qtbot.addWidget(dlg)
        settle()
        dlg.run_restore()
        settle()
        return int(dlg.result())

    monkeypatch.setattr(RestoreDialog, "exec", exec_dialog)


def test_the_clerk_picks_a_backup_sees_what_it_holds_and_restores(
    qtbot, settle, demo_ws, monkeypatch
) -> None:
    kept = demo_ws.backup()
    with demo_ws.transaction() as s:
        s.execute(text("DELETE FROM pairing_member"))
    folder = demo_ws.folder
    released: list[bool] = []

    def release() -> None:  # what the window does: close the workspace, give up the lock
        demo_ws.close()
        released.append(True)

    dlg = RestoreDialog(folder, release)
    qtbot.addWidget(dlg)
    settle()
    assert dlg.list.count() >= 1 and "手动备份" in dlg.list.item(0).text()
    assert dlg.chosen == kept and "单位：演示村" in dlg.preview.text()
    assert dlg.go.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    dlg.go.click()
    settle()
    assert released == [True] and dlg.restored is not None and dlg.result()
    assert _pairing_members(folder) > 0


def test_another_units_backup_needs_the_move_box_ticked(qtbot, settle, demo_ws, tmp_path) -> None:
    other = Workspace.open(tmp_path / "木耳村")
    with other.transaction() as s:
        initialize(
            SetupForm("village", "500112109201", "木耳村", "木耳镇", "渝北区", "王文书"),
            session=s,
        )
    stranger = other.backup(tmp_path / "木耳村.db")
    other.close()
    dlg = RestoreDialog(demo_ws.folder, lambda: None)
    qtbot.addWidget(dlg)
    dlg.inspect(stranger)
    settle()
    assert "不是本工作区的" in dlg.preview.text() and not dlg.go.isEnabled()
    dlg.move_ok.setChecked(True)
    assert dlg.go.isEnabled()


def test_a_file_that_is_no_backup_is_explained(qtbot, settle, demo_ws, tmp_path) -> None:
    empty = tmp_path / "空.db"
    empty.write_bytes(b"")
    dlg = RestoreDialog(demo_ws.folder, lambda: None)
    qtbot.addWidget(dlg)
    dlg.inspect(empty)
    settle()
    assert "空文件" in dlg.preview.text() and not dlg.go.isEnabled()


def test_backups_are_listed_by_when_and_why() -> None:
    assert describe_backup(Path("huzhu-20261130-174501-123456-on-close.db")) == (
        "2026-11-30 17:45　关闭时自动备份"
    )
    assert "升级前" in describe_backup(Path("huzhu-20261130-174501-123456-before-upgrade-0006.db"))
    assert describe_backup(Path("U盘备份.db")) == "U盘备份.db"


def test_a_damaged_database_at_start_offers_the_backups(
    qtbot, settle, demo_ws, monkeypatch
) -> None:
    demo_ws.backup()
    folder = demo_ws.folder
    demo_ws.close()
    db = folder / "huzhu.db"
    with open(db, "r+b") as fh:  # a bad sector in the middle
        fh.seek(db.stat().st_size // 3)
        fh.write(os.urandom(db.stat().st_size // 3))
    offered: list[str] = []

    def exec_box(box: QMessageBox) -> int:
        offered.append(box.text())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    monkeypatch.setattr(QMessageBox, "clickedButton", lambda box: box.buttons()[0])
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)

    _take_the_newest_backup(qtbot, settle, monkeypatch)
    args = argparse.Namespace(smoke=False, screenshot=None, demo=False, page=None)
    state = gui_app._State(args, folder)
    ws = state.open_workspace()
    assert offered and "已损坏" in offered[0]
    assert ws is not None and ws.is_initialized
    state.close()
    assert _pairing_members(folder) > 0
    assert any(p.name.startswith("damaged-") for p in (folder / "backups").iterdir())


def test_restore_from_settings_reopens_the_window_on_the_restored_data(
    qtbot, settle, demo_ws, monkeypatch
) -> None:
    from huzhu_desktop.gui.main_window import MainWindow

    demo_ws.backup()
    folder = demo_ws.folder
    demo_ws.close()
    args = argparse.Namespace(smoke=False, screenshot=None, demo=False, page=None)
    state = gui_app._State(args, folder)
    ws = state.open_workspace()
    assert ws is not None
    with ws.transaction() as s:
        s.execute(text("DELETE FROM pairing_member"))
    window = MainWindow.for_workspace(ws)
    qtbot.addWidget(window)
    state.watch(window)
    window.show()
    window.go_area("设置")
    settle()
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)

    _take_the_newest_backup(qtbot, settle, monkeypatch)
    window.settings_view.findChild(QPushButton, "restore").click()
    settle()
    assert state.window is not None and state.window is not window
    qtbot.addWidget(state.window)
    assert state.ws is not None and state.lock is not None and state.lock.held
    with state.ws.reading() as s:
        assert s.execute(text("SELECT count(*) FROM pairing_member")).scalar_one() > 0
    state.close()
