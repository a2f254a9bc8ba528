"""设置 → 用户和登录: turn logins on (the first 村管理员 and the recovery code), add users, reset
a password, stop a user. A login-free workspace says it is login-free."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core.errors import HuzhuError
from huzhu_desktop.core.models import AppUser
from huzhu_desktop.core.services import users
from huzhu_desktop.core.services.permissions import ROLES, allowed
from huzhu_desktop.core.settings import load_settings
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui.forms import dialog_buttons
from huzhu_desktop.gui.ops import BackgroundOp


class NewUserDialog(QDialog):
    """Name, role (unless it is the first admin) and the password twice."""

    def __init__(self, parent: QWidget, title: str, *, with_role: bool, name: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.name = QLineEdit(name)
        self.name.setObjectName("name")
        self.name.setReadOnly(bool(name))
        self.role = QComboBox()
        self.role.setObjectName("role")
        for key, label in ROLES.items():
            self.role.addItem(label, key)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.again = QLineEdit()
        self.again.setObjectName("again")
        for box in (self.password, self.again):
            box.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel("")
        self.message.setStyleSheet("color: #b00020;")
        form = QFormLayout(self)
        form.addRow("用户名", self.name)
        if with_role:
            form.addRow("角色", self.role)
        form.addRow("密码（至少 6 位）", self.password)
        form.addRow("再输一次", self.again)
        form.addRow(self.message)
        form.addRow(dialog_buttons(self, ok="确定"))

    def save(self) -> None:
        if self.password.text() != self.again.text():
            self.message.setText("两次输入的密码不一样。")
            return
        self.accept()


class UsersBox(QGroupBox):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__("用户和登录", parent)
        self.ws = ws
        self.state = QLabel()
        self.state.setObjectName("users_state")
        self.state.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("users")
        self.list.setMaximumHeight(120)
        self.first = QPushButton("设置登录（第一个村管理员）…")
        self.first.setObjectName("first_admin")
        self.first.clicked.connect(self.make_first_admin)
        self.add = QPushButton("添加用户…")
        self.add.setObjectName("add_user")
        self.add.clicked.connect(self.add_user)
        self.passwd = QPushButton("修改密码…")
        self.passwd.setObjectName("set_password")
        self.passwd.clicked.connect(self.set_password)
        self.toggle = QPushButton("停用/启用选中的用户")
        self.toggle.setObjectName("toggle_user")
        self.toggle.clicked.connect(self.toggle_user)
        row = QHBoxLayout()
        for b in (self.first, self.add, self.passwd, self.toggle):
            row.addWidget(b)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.state)
        lay.addWidget(self.list)
        lay.addLayout(row)
        self.users: list[AppUser] = []

    def reload(self) -> None:
        def work() -> list[AppUser]:
            with self.ws.reading() as s:
                return users.list_users(s)

        BackgroundOp(self, work).on_success(self._show).run()

    def _show(self, found: list[AppUser]) -> None:
        self.users = found
        self.list.clear()
        for u in found:
            self.list.addItem(f"{u.name}　{ROLES[u.role]}　{'在用' if u.active else '已停用'}")
        ws, free = self.ws, not found
        admin = allowed(ws.actor.role if ws.is_initialized else None, "users")
        self.state.setText(
            "免登录：这台电脑上谁都能打开这个工作区。在共用的村委会电脑上，请设置登录。"
            if free
            else f"已设登录（{len(found)} 个用户）。当前：{ws.operator}"
            f"（{ROLES.get(ws.role or '', '未登录')}）。{self._idle_text()}"
        )
        writable = not ws.read_only
        self.first.setVisible(free)
        self.first.setEnabled(writable)
        self.list.setVisible(not free)
        for b in (self.add, self.toggle):
            b.setVisible(not free)
            b.setEnabled(writable and admin)
        self.passwd.setVisible(not free)
        self.passwd.setEnabled(writable)

    def _idle_text(self) -> str:
        minutes = load_settings(self.ws.folder).idle_lock_minutes
        return f"{minutes} 分钟无操作会自动锁定。" if minutes else "不自动锁定。"

    def _run(self, work: object, done_text: str, after: object = None) -> None:
        def done(result: object) -> None:
            if callable(after):
                after(result)
            elif done_text:
                QMessageBox.information(self, "用户和登录", done_text)
            self.ws.reload_info()
            self.reload()

        def failed(exc: BaseException) -> bool:
            text = exc.user_message if isinstance(exc, HuzhuError) else str(exc)
            QMessageBox.warning(self, "用户和登录", text)
            return True

        BackgroundOp(self, work).on_success(done).on_error(failed).run()  # type: ignore[arg-type]

    def make_first_admin(self) -> None:
        dlg = NewUserDialog(self, "设置第一个村管理员", with_role=False)
        if not dlg.exec():
            return
        name, password = dlg.name.text(), dlg.password.text()

        def work() -> str:
            with self.ws.transaction() as s:
                code = users.create_first_admin(s, name, password)
            self.ws.reload_info()
            users.log_in(self.ws, name, password)
            return code

        self._run(work, "", after=self._show_code)

    def _show_code(self, code: object) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "恢复码",
            "已设好登录，以后打开这个工作区都要输入用户名和密码。\n\n"
            f"恢复码（只显示这一次，请抄下或打印后锁好；忘了管理员密码时用它重设）：\n\n{code}",
            parent=self,
        )
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.exec()

    def add_user(self) -> None:
        dlg = NewUserDialog(self, "添加用户", with_role=True)
        if not dlg.exec():
            return
        name, role, password = dlg.name.text(), str(dlg.role.currentData()), dlg.password.text()

        def work() -> None:
            with self.ws.transaction() as s:
                users.add_user(s, self.ws.actor, name, role, password, self.ws.data_key)

        self._run(work, f"已添加{ROLES[role]}{name}。")

    def _selected_name(self) -> str:
        row = self.list.currentRow()
        return self.users[row].name if 0 <= row < len(self.users) else ""

    def set_password(self) -> None:
        name = self._selected_name() if allowed(self.ws.role, "users") else ""
        dlg = NewUserDialog(self, "修改密码", with_role=False, name=name or self.ws.operator)
        if not dlg.exec():
            return
        who, password = dlg.name.text(), dlg.password.text()

        def work() -> None:
            with self.ws.transaction() as s:
                users.set_password(s, self.ws.actor, who, password, self.ws.data_key)

        self._run(work, f"已修改{who}的密码。")

    def toggle_user(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.users):
            QMessageBox.information(self, "用户和登录", "请先在列表里选中一个用户。")
            return
        user = self.users[row]

        def work() -> None:
            with self.ws.transaction() as s:
                users.set_active(s, self.ws.actor, user.name, not user.active)

        self._run(work, f"已{'停用' if user.active else '启用'}{user.name}。")
