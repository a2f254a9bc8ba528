"""设置 — workspace facts, the current clerk, large-font mode and backups."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop import __version__
from huzhu_desktop.core import vocab
from huzhu_desktop.core.db.schema import SCHEMA_HEAD
from huzhu_desktop.core.errors import ValidationError
from huzhu_desktop.core.services.permissions import allowed
from huzhu_desktop.core.services.register import CarePointRow, list_care_points
from huzhu_desktop.core.services.setup import switch_clerk, update_contacts
from huzhu_desktop.core.settings import load_settings, save_settings
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui.dialogs.care_point_dialog import CarePointDialog
from huzhu_desktop.gui.ops import BackgroundOp
from huzhu_desktop.gui.table_model import Column, RowTableModel, row_table
from huzhu_desktop.gui.views.users_box import UsersBox


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


class SettingsView(QWidget):
    large_font_changed = Signal(bool)
    clerk_changed = Signal(str)
    restore_wanted = Signal()

    @staticmethod
    def _version_row(button: QPushButton) -> QWidget:
        row = QWidget()
        lay = QHBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel(__version__))
        lay.addWidget(button)
        lay.addStretch(1)
        return row

    def show_about(self) -> None:
        from huzhu_desktop.gui.dialogs.about_dialog import AboutDialog

        AboutDialog(self.ws.folder, self).exec()

    def __init__(self, ws: Workspace, large_font: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        info = ws.info
        heading = QLabel("设置")
        heading.setObjectName("heading")
        about = QGroupBox("本工作区")
        form = QFormLayout(about)
        if info is not None:
            form.addRow("单位", QLabel(f"{info.org_name}（{vocab.WORKSPACE_KINDS[info.kind]}）"))
            form.addRow("统计用区划代码", QLabel(info.org_code))
            form.addRow("上级单位", QLabel(f"{info.parent_name} {info.parent_code or ''}"))
            form.addRow("所属区县", QLabel(info.district_name))
        form.addRow("文件夹", QLabel(str(ws.folder)))
        form.addRow("数据库版本", QLabel(SCHEMA_HEAD))
        about_button = QPushButton("关于本软件…")
        about_button.setObjectName("about")
        about_button.clicked.connect(self.show_about)
        form.addRow("软件版本", self._version_row(about_button))

        clerk_box = QGroupBox("经办人（记录在每一次修改上）")
        row = QHBoxLayout(clerk_box)
        self.clerk = QLineEdit(ws.operator)
        self.clerk.setObjectName("clerk_name")
        switch = QPushButton("换人")
        switch.clicked.connect(self.switch)
        row.addWidget(QLabel("当前经办人"))
        row.addWidget(self.clerk)
        row.addWidget(switch)
        if ws.has_users:  # with logins, who did what is the logged-in user
            clerk_box.setTitle("经办人（已设登录：记录为登录的用户）")
            self.clerk.setReadOnly(True)
            switch.setEnabled(False)

        view_box = QGroupBox("显示")
        vlay = QVBoxLayout(view_box)
        self.large = QCheckBox("大字模式（字更大、按钮更大，适合老花眼）")
        self.large.setObjectName("large_font")
        self.large.setChecked(large_font)
        self.large.toggled.connect(self.large_font_changed.emit)
        vlay.addWidget(self.large)
        limit_row = QHBoxLayout()
        self.max_elders = QSpinBox()
        self.max_elders.setObjectName("max_elders_per_helper")
        self.max_elders.setRange(1, 100)
        self.max_elders.setValue(load_settings(ws.folder).max_elders_per_helper)
        self.max_elders.valueChanged.connect(self._save_limit)
        limit_row.addWidget(QLabel("一位帮扶人结对超过"))
        limit_row.addWidget(self.max_elders)
        limit_row.addWidget(QLabel("位老人时提醒"))
        limit_row.addStretch(1)
        vlay.addLayout(limit_row)

        backup_box = QGroupBox("备份")
        blay = QVBoxLayout(backup_box)
        told = QLabel(
            "每天第一次打开、每次关闭和升级前都会自动备份到工作区的 backups 文件夹"
            "（当天的全部保留，一个月内每天留一份，一年内每月留一份）。也可以随时手动备份。"
        )
        told.setWordWrap(True)
        blay.addWidget(told)
        backup = QPushButton("立即备份")
        backup.setObjectName("backup_now")
        backup.clicked.connect(self.backup)
        restore = QPushButton("从备份恢复…")
        restore.setObjectName("restore")
        restore.setEnabled(not ws.read_only and allowed(ws.actor.role, "restore"))
        restore.clicked.connect(self.restore_wanted)
        row = QHBoxLayout()
        row.addWidget(backup)
        row.addWidget(restore)
        row.addStretch(1)
        blay.addLayout(row)
        copy_row = QHBoxLayout()
        self.copy_to = QLabel()
        self.copy_to.setObjectName("copy_backups_to")
        self.copy_to.setWordWrap(True)
        choose = QPushButton("选择文件夹…")
        choose.setObjectName("choose_copy_folder")
        choose.clicked.connect(self.choose_copy_folder)
        stop = QPushButton("不另存")
        stop.clicked.connect(lambda: self.set_copy_folder(""))
        copy_row.addWidget(self.copy_to, 1)
        copy_row.addWidget(choose)
        copy_row.addWidget(stop)
        blay.addLayout(copy_row)
        self._show_copy_folder()

        self.users_box = UsersBox(ws)
        layout = QVBoxLayout(self)
        for w in (
            heading,
            about,
            self._contacts_box(),
            self._goals_box(),
            self._points_box(),
            clerk_box,
            self.users_box,
            view_box,
            backup_box,
        ):
            layout.addWidget(w)
        layout.addStretch(1)

    def _goals_box(self) -> QGroupBox:
        """The year's goal of each target shown at this level (the plan's unless changed);
        saved as soon as a value is left."""
        from PySide6.QtWidgets import QDoubleSpinBox

        from huzhu_desktop.core import clock
        from huzhu_desktop.core.reports import targets

        year = clock.today().year
        box = QGroupBox(f"方案指标的目标（{year}年，首页按这些目标算是否达到）")
        form = QFormLayout(box)
        kind = self.ws.info.kind if self.ws.info else "village"
        chosen = targets.goals(self.ws.folder, year)
        self.goal_boxes: dict[str, QDoubleSpinBox] = {}
        for t in targets.TARGETS:
            if kind not in t.levels:
                continue
            spin = QDoubleSpinBox()
            spin.setObjectName(f"goal_{t.id}")
            spin.setRange(0.01, 10**9)
            spin.setDecimals(2 if t.unit == "倍" else 0)
            spin.setSuffix(f" {t.unit}")
            spin.setValue(chosen[t.id])
            spin.editingFinished.connect(
                lambda tid=t.id, s=spin: targets.set_goal(self.ws.folder, tid, s.value(), year)
            )
            self.goal_boxes[t.id] = spin
            form.addRow(t.name, spin)
        return box

    def _save_limit(self, value: int) -> None:
        settings = load_settings(self.ws.folder)
        settings.max_elders_per_helper = value
        save_settings(self.ws.folder, settings)

    def _contacts_box(self) -> QGroupBox:
        box = QGroupBox("印在明白卡上的电话")
        form = QFormLayout(box)
        info = self.ws.info
        self.office_phone = QLineEdit(info.office_phone if info else "")
        self.office_phone.setObjectName("office_phone")
        self.office_phone.setPlaceholderText("村委会（或镇民政办）电话，如 023-67851234")
        self.supervision_phone = QLineEdit(info.supervision_phone if info else "")
        self.supervision_phone.setObjectName("supervision_phone")
        self.supervision_phone.setPlaceholderText("服务不到位时投诉的监督电话")
        self.contacts_message = QLabel()
        self.contacts_message.setObjectName("contacts_message")
        save = QPushButton("保存电话")
        save.clicked.connect(self.save_contacts)
        form.addRow("村委会电话", self.office_phone)
        form.addRow("监督电话", self.supervision_phone)
        form.addRow(save, self.contacts_message)
        return box

    def save_contacts(self) -> None:
        office, supervision = self.office_phone.text(), self.supervision_phone.text()

        def work() -> tuple[str, str]:
            with self.ws.transaction() as s:
                info = update_contacts(office, supervision, session=s, actor=self.ws.actor)
                return info.office_phone, info.supervision_phone

        def done(phones: tuple[str, str]) -> None:
            self.office_phone.setText(phones[0])
            self.supervision_phone.setText(phones[1])
            self.contacts_message.setStyleSheet("")
            self.contacts_message.setText(
                "已保存；之后打印的明白卡会带上这两个电话（已打印的卡将提示需重印）。"
            )
            self.ws.reload_info()

        def failed(exc: BaseException) -> bool:
            if isinstance(exc, ValidationError):
                labels = {"office_phone": "村委会电话", "supervision_phone": "监督电话"}
                self.contacts_message.setStyleSheet("color: #b00020;")
                self.contacts_message.setText(
                    "；".join(f"{labels.get(k, k)}：{v}" for k, v in exc.errors.items())
                )
                return True
            return False

        BackgroundOp(self, work).on_success(done).on_error(failed).run()

    def _points_box(self) -> QGroupBox:
        box = QGroupBox("互助养老点（中心点、分点）")
        lay = QVBoxLayout(box)
        self.points_model: RowTableModel[CarePointRow] = RowTableModel(
            [
                Column("名称", lambda p: p.name, 220),
                Column("类型", lambda p: p.kind, 70),
                Column("所在组", lambda p: p.group, 70),
                Column("地址", lambda p: p.address, 200),
                Column("设立日期", lambda p: _iso(p.opened_on), 100),
                Column("停用日期", lambda p: _iso(p.closed_on), 100),
            ]
        )
        self.points = row_table(self.points_model, "care_points")
        self.points.setMinimumHeight(150)  # four points in view; the page scrolls, not it
        self.points.setMaximumHeight(200)
        self.points.doubleClicked.connect(lambda _i: self.edit_point())
        row = QHBoxLayout()
        add = QPushButton("新增互助养老点")
        add.clicked.connect(self.add_point)
        edit = QPushButton("修改")
        edit.clicked.connect(self.edit_point)
        row.addWidget(add)
        row.addWidget(edit)
        row.addStretch(1)
        lay.addWidget(self.points)
        lay.addLayout(row)
        return box

    def reload_points(self) -> None:
        def work() -> list[CarePointRow]:
            with self.ws.reading() as s:
                return list_care_points(s)

        BackgroundOp(self, work).on_success(self.points_model.set_rows).run()

    def add_point(self) -> None:
        dlg = CarePointDialog(self.ws, self)
        dlg.saved.connect(lambda _id: self.reload_points())
        dlg.open()

    def edit_point(self) -> None:
        index = self.points.currentIndex()
        point = self.points_model.row_at(index.row()) if index.isValid() else None
        if point is None:
            return
        dlg = CarePointDialog(self.ws, self, point)
        dlg.saved.connect(lambda _id: self.reload_points())
        dlg.open()

    def _show_copy_folder(self) -> None:
        folder = load_settings(self.ws.folder).copy_backups_to
        self.copy_to.setText(
            f"自动备份另存一份到：{folder}（不含密钥；U盘没插时跳过）"
            if folder
            else "自动备份另存一份到：未设置（可选一个U盘上的文件夹，电脑坏了也有一份）"
        )

    def choose_copy_folder(self) -> None:
        from huzhu_desktop.gui import files

        chosen = files.choose_folder(self, "选择另存备份的文件夹（如U盘）")
        if chosen:
            self.set_copy_folder(chosen)

    def set_copy_folder(self, folder: str) -> None:
        settings = load_settings(self.ws.folder)
        settings.copy_backups_to = folder
        save_settings(self.ws.folder, settings)
        self._show_copy_folder()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload_points()
        self.users_box.reload()

    def switch(self) -> None:
        name = self.clerk.text()

        def work() -> str:
            with self.ws.transaction() as s:
                return switch_clerk(name, session=s).name

        def done(clean_name: str) -> None:
            self.ws.reload_info()
            self.clerk.setText(clean_name)
            self.clerk_changed.emit(clean_name)

        def failed(exc: BaseException) -> bool:
            if isinstance(exc, ValidationError):
                QMessageBox.warning(self, "经办人", next(iter(exc.errors.values())))
                return True
            return False

        BackgroundOp(self, work).on_success(done).on_error(failed).run()

    def backup(self) -> None:
        def done(path: object) -> None:
            QMessageBox.information(self, "备份完成", f"已备份到：\n{path}")

        BackgroundOp(
            self,
            lambda report: self.ws.backup(progress=report),
            label="正在备份…",
            with_progress=True,
            cancellable=True,
        ).on_success(done).run()
