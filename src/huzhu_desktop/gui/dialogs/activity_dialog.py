"""登记 / 修改 集体活动: what it was, where, how many came, and who of the register took part
(each of them earns the 活动 award for their household)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from huzhu_desktop.core import clock, vocab
from huzhu_desktop.core.services import activities
from huzhu_desktop.core.services.activities import ActivityForm, ActivityRow
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui.dialogs.points_dialogs import FormDialog
from huzhu_desktop.gui.forms import combo, set_combo


class ActivityDialog(FormDialog):
    def __init__(
        self,
        ws: Workspace,
        people: list[tuple[str, str]],
        parent: QWidget | None = None,
        *,
        editing: ActivityRow | None = None,
    ) -> None:
        self.editing = editing
        self.when = QLineEdit(clock.today().isoformat())
        self.kind = combo(vocab.ACTIVITY_KINDS, blank="（请选择）")
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("如：重阳节集体生日会")
        self.place = QLineEdit()
        self.place.setPlaceholderText("如：村互助养老中心点")
        self.attendance = QLineEdit()
        self.attendance.setPlaceholderText("签到的总人数；不填就按下面勾选的人数")
        self.note = QLineEdit()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("按姓名筛选")
        self.list = QListWidget()
        self.list.setObjectName("participants")
        for pid, label in people:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, pid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.filter.textChanged.connect(self._filter)
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        if editing is None:
            lay.addWidget(self.filter)
            lay.addWidget(self.list)
            note = (
                "勾选的参加者所在的户，按积分规则里“活动”的分值记分。"
                "日期和参加者保存后不能再改；登记错了可以删除后重新登记。"
            )
        else:
            self.when.setText(editing.held_on.isoformat())
            self.when.setReadOnly(True)
            set_combo(self.kind, editing.kind)
            self.title_edit.setText(editing.title)
            self.place.setText(editing.place)
            self.attendance.setText(str(editing.attendance))
            self.note.setText(editing.note)
            names = QLabel("、".join(editing.participants) or "（没有登记参加者）")
            names.setWordWrap(True)
            lay.addWidget(names)
            note = "日期和参加者决定了积分，不能修改；如登记错了，请删除这条活动后重新登记。"
        super().__init__(
            ws,
            "修改集体活动" if editing else "登记集体活动",
            [
                ("日期", "date", self.when),
                ("活动类型", "activity_kind", self.kind),
                ("活动名称", "title", self.title_edit),
                ("地点", "place", self.place),
                ("参加人数", "attendance", self.attendance),
                ("登记的参加者", "people", box),
                ("备注", "note", self.note),
            ],
            self._work,
            note=note,
            ok="保存",
            parent=parent,
        )
        self.resize(480, 620)

    def checked(self) -> list[str]:
        return [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _filter(self, text: str) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(text) and text not in item.text())

    def form(self) -> ActivityForm:
        return ActivityForm(
            self.when.text(),
            self.kind.currentData() or "",
            self.title_edit.text(),
            self.place.text(),
            self.attendance.text(),
            self.note.text(),
            self.checked(),
        )

    def _work(self) -> object:
        with self.ws.transaction() as s:
            if self.editing is None:
                return activities.record_activity(self.form(), session=s, actor=self.ws.actor)
            return activities.update_activity(
                self.editing.id, self.form(), session=s, actor=self.ws.actor
            )
