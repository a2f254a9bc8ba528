"""从备份恢复 — pick a backup (this workspace's own, newest first, or a file from a USB stick), see
what it holds, and put it in place. Works when the database cannot be opened at all.

The dialog never holds the workspace itself: the caller passes `release`, called just before
the restore runs (the window closes its workspace and gives up its lock), and reopens after.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core.db import backup
from huzhu_desktop.core.db import restore as restoring
from huzhu_desktop.core.errors import HuzhuError
from huzhu_desktop.gui import files
from huzhu_desktop.gui.ops import BackgroundOp

WHY = {  # the reason at the end of an automatic backup's name
    "manual": "手动备份",
    "daily": "每日自动备份",
    "on-close": "关闭时自动备份",
    "before-restore": "恢复前自动保存",
}


def describe_backup(path: Path) -> str:
    """A backup as the list shows it: when, and why it was made."""
    when = backup.made_at(path)
    why = path.stem.split("-", 4)[-1] if path.stem.startswith("huzhu-") else ""
    reason = WHY.get(why, "升级前自动备份" if why.startswith("before-upgrade") else why)
    if when is None:
        return path.name
    return f"{when:%Y-%m-%d %H:%M}　{reason}"


class RestoreDialog(QDialog):
    """Choose → preview → 恢复. `release()` runs just before the database is replaced."""

    def __init__(
        self, folder: Path, release: Callable[[], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("从备份恢复")
        self.setMinimumWidth(560)
        self.folder, self._release = folder, release
        self.chosen: Path | None = None
        self.restored: restoring.Restored | None = None
        self.released = False
        intro = QLabel(
            "选择一份备份。恢复前会先显示备份里有什么；当前的数据（即使已损坏）会先另存到"
            " backups 文件夹，不会丢失。"
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("backups")
        for path in sorted(
            (folder / "backups").glob("*.db"), key=lambda p: p.stat().st_mtime, reverse=True
        ):
            item = QListWidgetItem(describe_backup(path))
            item.setData(256, str(path))
            self.list.addItem(item)
        self.list.currentItemChanged.connect(self._picked)
        other = QPushButton("选择其他备份文件（如U盘上的）…")
        other.setObjectName("other_file")
        other.clicked.connect(self._other)
        self.preview = QLabel("请选择一份备份。")
        self.preview.setObjectName("preview")
        self.preview.setWordWrap(True)
        self.move_ok = QCheckBox("这是搬到新电脑：确认用这份备份代替本工作区")
        self.move_ok.setObjectName("move")
        self.move_ok.setVisible(False)
        self.move_ok.toggled.connect(self._update_button)
        self.go = QPushButton("恢复")
        self.go.setObjectName("restore")
        self.go.setEnabled(False)
        self.go.clicked.connect(self._confirm)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.go)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(other)
        layout.addWidget(self.preview)
        layout.addWidget(self.move_ok)
        layout.addLayout(buttons)
        self._usable = False
        self._foreign = False
        if self.list.count():
            self.list.setCurrentRow(0)

    def _other(self) -> None:
        path = files.choose_open_path(self, "选择备份文件", "数据库备份 (*.db);;所有文件 (*)")
        if path:
            self.list.clearSelection()
            self.inspect(Path(path))

    def _picked(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.inspect(Path(str(item.data(256))))

    def inspect(self, path: Path) -> None:
        """Read what `path` holds (off the GUI thread) and say whether it can be restored."""
        self.chosen, self._usable, self._foreign = path, False, False
        self.move_ok.setVisible(False)
        self.move_ok.setChecked(False)
        self._update_button()
        self.preview.setText("正在读取备份……")
        folder = self.folder

        def work() -> tuple[restoring.BackupInfo, restoring.Identity | None]:
            return restoring.inspect_backup(path), restoring.workspace_identity(folder)

        def done(result: tuple[restoring.BackupInfo, restoring.Identity | None]) -> None:
            if self.chosen != path:
                return  # the clerk picked another one meanwhile
            info, current = result
            lines = info.lines()
            theirs = info.identity
            if current is not None and theirs is not None and not theirs.same_workspace(current):
                self._foreign = True
                lines.append(
                    f"注意：这份备份不是本工作区的（本工作区是{current.describe()}）。"
                    "只有在搬到新电脑时才应该用它。"
                )
                self.move_ok.setVisible(True)
            self.preview.setText("\n".join(lines))
            self._usable = True
            self._update_button()

        def failed(exc: BaseException) -> bool:
            if self.chosen == path:
                message = exc.user_message if isinstance(exc, HuzhuError) else str(exc)
                self.preview.setText(f"不能用这份备份恢复：{message}")
            return True

        BackgroundOp(self, work).on_success(done).on_error(failed).run()

    def _update_button(self, *_a: object) -> None:
        self.go.setEnabled(self._usable and (not self._foreign or self.move_ok.isChecked()))

    def _confirm(self) -> None:
        if self.chosen is None:
            return
        answer = QMessageBox.question(
            self,
            "从备份恢复",
            "确定用这份备份代替现在的数据吗？\n现在的数据会先另存到 backups 文件夹。"
            "\n恢复时程序会先关闭工作区，恢复后重新打开。",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.run_restore()

    def run_restore(self) -> None:
        """Release the workspace and restore (off the GUI thread)."""
        assert self.chosen is not None
        source, folder, move = self.chosen, self.folder, self.move_ok.isChecked()
        if not self.released:
            self._release()
            self.released = True
        self.go.setEnabled(False)

        def done(result: restoring.Restored) -> None:
            self.restored = result
            kept = f"\n恢复前的数据已另存为：{result.kept}" if result.kept else ""
            QMessageBox.information(self, "恢复完成", f"已从备份恢复。{kept}")
            self.accept()

        def failed(exc: BaseException) -> bool:
            message = exc.user_message if isinstance(exc, HuzhuError) else str(exc)
            self.preview.setText(f"没有恢复：{message}")
            self._update_button()
            return True

        (
            BackgroundOp(
                self,
                lambda: restoring.restore(folder, source, confirm_move=move),
                label="正在恢复……",
            )
            .on_success(done)
            .on_error(failed)
            .run()
        )
