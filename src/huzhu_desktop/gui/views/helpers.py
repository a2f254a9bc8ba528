"""帮扶人 — helpers (养老专干、社工、养老助理、互助养老小组长、志愿者) with search and filters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox

from huzhu_desktop.core import vocab
from huzhu_desktop.core.labels import FIELD_LABELS as L
from huzhu_desktop.core.services import register
from huzhu_desktop.core.services.register import HelperRow
from huzhu_desktop.core.validate import mask_phone
from huzhu_desktop.gui.table_model import Column
from huzhu_desktop.gui.views.register_view import PERSON_COLUMNS, RegisterView


class HelpersView(RegisterView):
    title = "帮扶人（互助养老服务队伍）"
    empty_hint = (
        "还没有帮扶人。在“老人”页从 Excel 导入台账时，帮扶人会一起导入；"
        "也可以点“新增帮扶人”逐个登记。"
    )
    adds = "helper"

    def columns(self) -> list[Column[Any]]:
        return [
            *self.unit_columns(),
            *PERSON_COLUMNS,
            Column(L["role"], lambda r: r.role, 140),
            Column(L["phone"], lambda r: mask_phone(r.phone), 120),
            Column(L["elders_helped"], lambda r: r.elders_helped or "", 80),
            Column("本季走访", lambda r: r.visits_quarter or "", 70),
            Column(
                "最近走访",
                lambda r: f"{r.last_visit:%Y-%m-%d}" if r.last_visit else "没有",
                90,
                highlight=lambda r: r.active and r.last_visit is None,
            ),
            Column("也是老人", lambda r: "是" if r.is_elder else "", 70),
            Column(
                L["active"],
                lambda r: "在岗" if r.active else "已退出",
                60,
                highlight=lambda r: not r.active,
            ),
            Column(L["organisation"], lambda r: r.organisation, 190),
        ]

    def build_filters(self) -> None:
        self.role_filter = QComboBox()
        self.role_filter.setObjectName("role_filter")
        self.role_filter.addItem("全部角色", "")
        for role in vocab.HELPER_ROLES:
            self.role_filter.addItem(role, role)
        self.show_inactive = QCheckBox("含已退出")
        self.show_inactive.setObjectName("show_inactive")
        self.role_filter.currentIndexChanged.connect(self.refilter)
        self.show_inactive.toggled.connect(self.refilter)
        self.filter_bar.addWidget(self.role_filter)
        self.filter_bar.addWidget(self.show_inactive)
        self.filter_bar.addStretch(1)

    def make_filter(self) -> Callable[[HelperRow], bool]:
        role = self.role_filter.currentData()
        inactive_too = self.show_inactive.isChecked()
        return lambda row: (not role or row.role == role) and (inactive_too or row.active)

    def load_rows(self) -> list[HelperRow]:
        with self.ws.reading() as s:
            return register.list_helpers(s)

    def actions_spec(self) -> list[tuple[str, str, Callable[[], None]]]:
        return [("新增帮扶人", "Ctrl+N", self.add), ("修改", "Ctrl+E", self.edit_current)]
