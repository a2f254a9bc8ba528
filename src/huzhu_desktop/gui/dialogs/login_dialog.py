"""登录 and 解锁: the password box a workspace with users asks for at start, and again after the
window has been left alone (idle lock). Unlocking keeps everything typed in the window: the
lock is a dialog over it, nothing is closed or reloaded.

The password is checked off the GUI thread (argon2 takes a moment on an old PC, and the count of
wrong passwords is written)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core.errors import HuzhuError
from huzhu_desktop.core.services import users
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui.ops import BackgroundOp


class LoginDialog(QDialog):
    """登录 (any user of the workspace) or, with `unlock_as`, 解锁 (that user only)."""

    def __init__(
        self,
        ws: Workspace,
        names: list[str],
        parent: QWidget | None = None,
        *,
        unlock_as: str = "",
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.done_login: users.Login | None = None
        unit = ws.info.org_name if ws.info else ""
        self.setWindowTitle("解锁" if unlock_as else f"登录 — {unit}")
        self.setMinimumWidth(380)
        intro = QLabel(
            f"离开时间较长，窗口已锁定。请输入{unlock_as}的密码继续（没保存的内容都还在）。"
            if unlock_as
            else "这个工作区设有用户，请选择你的名字并输入密码。"
        )
        intro.setWordWrap(True)
        self.name = QComboBox()
        self.name.setObjectName("name")
        self.name.addItems([unlock_as] if unlock_as else names)
        self.name.setEnabled(not unlock_as)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel("")
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow("用户", self.name)
        form.addRow("密码", self.password)
        self.ok = QPushButton("解锁" if unlock_as else "登录")
        self.ok.setObjectName("login")
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.submit)
        leave = QPushButton("退出程序")
        leave.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok)
        buttons.addWidget(leave)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.password.setFocus()

    def submit(self) -> None:
        name, password = self.name.currentText(), self.password.text()
        self.ok.setEnabled(False)

        def done(result: users.Login) -> None:
            self.done_login = result
            self.accept()

        def failed(exc: BaseException) -> bool:
            self.message.setText(exc.user_message if isinstance(exc, HuzhuError) else str(exc))
            self.password.clear()
            self.password.setFocus()
            return True

        (
            BackgroundOp(self, lambda: users.log_in(self.ws, name, password))
            .on_success(done)
            .on_error(failed)
            .on_finally(lambda: self.ok.setEnabled(True))
            .run()
        )


def user_names(ws: Workspace) -> list[str]:
    with ws.reading() as s:
        return [u.name for u in users.list_users(s) if u.active]
