"""A second window on a workspace in use looks but does not touch; a window sees what another
program wrote meanwhile."""

from __future__ import annotations

from huzhu_desktop.core.db.lock import WorkspaceLock
from huzhu_desktop.core.services import people
from huzhu_desktop.core.services.people import ElderForm, PersonForm
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui.main_window import MainWindow


def test_a_second_window_is_read_only_and_says_who_has_it(qtbot, settle, ws, monkeypatch) -> None:
    held = WorkspaceLock(ws.folder)
    assert held.try_acquire(user="李会计")
    second = WorkspaceLock(ws.folder)
    assert not second.try_acquire()
    ws.read_only = f"此工作区正由{second.holder().describe()}打开"  # type: ignore[union-attr]
    window = MainWindow.for_workspace(ws)
    qtbot.addWidget(window)
    window.show()
    settle()
    assert window.read_only_banner.isVisible() and "李会计" in window.read_only_banner.text()
    assert window.windowTitle().endswith("（只读）")
    from PySide6.QtWidgets import QMessageBox

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: told.append(text))
    window.go_area("走访")
    settle()
    window.visits.grid.item(0, 2).setText("张三")
    window.visits.save()
    settle()
    assert "不能修改" in window.visits.status.text() or any("不能修改" in t for t in told)
    held.release()


def test_a_window_shows_what_a_command_wrote_meanwhile(qtbot, settle, ws) -> None:
    window = MainWindow.for_workspace(ws)
    qtbot.addWidget(window)
    window.show()
    window.go_area("老人")
    settle()
    window.look_for_changes()  # the first look only takes note
    assert window.elders.model.rowCount() == 0
    other = Workspace.open(ws.folder, must_exist=True)  # `huzhu import-xlsx` in another process
    try:
        with other.transaction() as s:
            people.save_person(
                PersonForm("张德明", "男", "1948", group_name="3组"),
                ElderForm(["其他"], living="双居", health="自理"),
                None,
                session=s,
                actor=other.actor,
            )
    finally:
        other.close()
    window.look_for_changes()
    settle()
    assert window.elders.model.rowCount() == 1
