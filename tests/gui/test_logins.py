"""Logins on screen: turning them on in 设置 (the recovery code shown once), the login box at
start, and the idle lock that keeps what was typed."""

from __future__ import annotations

import argparse

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from huzhu_desktop.core.services import users
from huzhu_desktop.gui import app as gui_app
from huzhu_desktop.gui.dialogs.login_dialog import LoginDialog
from huzhu_desktop.gui.idle_lock import IdleLock
from huzhu_desktop.gui.views.users_box import NewUserDialog
from tests.gui.windows import show_window


def test_the_admin_turns_logins_on_in_settings(qtbot, settle, demo_ws, monkeypatch) -> None:
    window = show_window(qtbot, settle, demo_ws, "设置")
    box = window.settings_view.users_box
    settle()
    assert "免登录" in box.state.text() and box.first.isVisible()

    def fill(dlg: NewUserDialog) -> int:
        dlg.name.setText("王主任")
        dlg.password.setText("admin-2026")
        dlg.again.setText("admin-2026")
        return 1

    shown: list[str] = []
    monkeypatch.setattr(NewUserDialog, "exec", fill)
    monkeypatch.setattr(QMessageBox, "exec", lambda m: shown.append(m.text()) or 0)
    box.first.click()
    settle()
    assert shown and "恢复码" in shown[0]
    assert demo_ws.has_users and demo_ws.role == "admin" and demo_ws.operator == "王主任"
    assert "已设登录（1 个用户）" in box.state.text() and box.add.isEnabled()


def _with_users(ws) -> None:  # type: ignore[no-untyped-def]
    with ws.transaction() as s:
        users.create_first_admin(s, "王主任", "admin-2026")
    ws.reload_info()
    users.log_in(ws, "王主任", "admin-2026")
    with ws.transaction() as s:
        users.add_user(s, ws.actor, "李录入", "clerk", "luru-2026")


def test_the_login_box_counts_wrong_passwords_then_lets_the_clerk_in(
    qtbot, settle, demo_ws
) -> None:
    _with_users(demo_ws)
    users.log_out(demo_ws)
    assert demo_ws.actor.role == "anonymous"
    dlg = LoginDialog(demo_ws, ["李录入", "王主任"])
    qtbot.addWidget(dlg)
    dlg.password.setText("wrong")
    dlg.ok.click()
    settle()
    assert "再错 4 次" in dlg.message.text() and dlg.password.text() == ""
    dlg.password.setText("luru-2026")
    dlg.ok.click()
    settle()
    assert dlg.result() and dlg.done_login is not None
    assert (demo_ws.operator, demo_ws.actor.role) == ("李录入", "clerk")


def test_a_workspace_with_users_asks_at_start(qtbot, settle, demo_ws, monkeypatch) -> None:
    _with_users(demo_ws)
    folder = demo_ws.folder
    demo_ws.close()

    def log_in(dlg: LoginDialog) -> int:
        qtbot.addWidget(dlg)
        dlg.name.setCurrentText("王主任")
        dlg.password.setText("admin-2026")
        dlg.submit()
        settle()
        return int(dlg.result())

    monkeypatch.setattr(LoginDialog, "exec", log_in)
    state = gui_app._State(argparse.Namespace(smoke=False, screenshot=None, demo=False), folder)
    ws = state.open_workspace()
    assert ws is not None and ws.actor.role == "admin"
    state.close()
    monkeypatch.setattr(LoginDialog, "exec", lambda dlg: 0)  # 退出程序
    state = gui_app._State(argparse.Namespace(smoke=False, screenshot=None, demo=False), folder)
    assert state.open_workspace() is None and state.lock is None


def test_the_idle_lock_fires_after_the_quiet_time_and_input_restarts_it(qtbot) -> None:
    fired: list[bool] = []
    lock = IdleLock(1, lambda: fired.append(True))
    lock.timer.setInterval(300)
    lock.timer.start()
    qtbot.wait(150)
    before = lock.timer.remainingTime()
    QApplication.sendEvent(
        QApplication.instance(),
        QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier),
    )
    assert lock.timer.remainingTime() > before  # typing restarted the countdown
    qtbot.waitUntil(lambda: bool(fired), timeout=3000)
    lock.stop()


def test_a_read_only_user_sees_a_record_masked_and_nothing_is_logged(
    qtbot, settle, demo_ws
) -> None:
    from sqlalchemy import text

    from huzhu_desktop.core.services import register
    from huzhu_desktop.gui.dialogs.person_dialog import PersonDialog

    _with_users(demo_ws)
    with demo_ws.transaction() as s:
        users.add_user(s, demo_ws.actor, "张审计", "auditor", "shenji-2026")
    users.log_in(demo_ws, "张审计", "shenji-2026")
    with demo_ws.reading() as s:
        elder = next(e for e in register.list_elders(s) if len(e.phone) == 11)
    dlg = PersonDialog(demo_ws, person_id=elder.id)
    qtbot.addWidget(dlg)
    settle()
    assert dlg.phone.text() == elder.phone[:3] + "****" + elder.phone[-4:]
    with demo_ws.reading() as s:
        logged = s.execute(text("SELECT count(*) FROM audit_log WHERE action = '查看个人信息'"))
        assert logged.scalar_one() == 0
