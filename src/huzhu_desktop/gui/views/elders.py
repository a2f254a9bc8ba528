"""老人 — the register of elders with search, filters and the add / edit / status actions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QMessageBox

from huzhu_desktop.core import vocab
from huzhu_desktop.core.labels import FIELD_LABELS as L
from huzhu_desktop.core.reports.targets import in_42_ledger
from huzhu_desktop.core.services import register
from huzhu_desktop.core.services.register import ElderRow
from huzhu_desktop.core.validate import mask_id, mask_phone
from huzhu_desktop.gui.table_model import Column
from huzhu_desktop.gui.views.register_view import PERSON_COLUMNS, RegisterView


def _yes(flag: bool) -> str:
    return "是" if flag else ""


def _special_text(r: Any) -> str:
    """是 — by the rule; 是（村认定） — by the clerk's mark (the reason in the record)."""
    if not r.special:
        return ""
    return "是（村认定）" if r.special_reason else "是"


def _gone(r: Any) -> bool:
    return bool(r.status != vocab.ACTIVE_STATUS)


class EldersView(RegisterView):
    title = "老人台账"
    empty_hint = (
        "还没有登记老人。有 Excel 台账（附件2 或村里自己的表）的，点“从Excel导入台账”一次导入，"
        "帮扶人和结对会一起导入；没有的，点“新增老人”逐个登记。"
    )
    adds = "elder"
    _special_of: object = None  # the rows _special was worked out for
    _special: Sequence[bool] = ()

    def columns(self) -> list[Column[Any]]:
        return [
            *self.unit_columns(),
            *PERSON_COLUMNS,
            Column(L["elder_types"], lambda r: "、".join(r.elder_types), 130),
            Column(L["living"], lambda r: r.living, 90),
            Column(L["health"], lambda r: r.health, 80),
            Column(L["phone"], lambda r: mask_phone(r.phone), 120),
            Column(L["id_number"], lambda r: mask_id(r.id_number) if r.id_number else "", 160),
            Column("特殊老人", _special_text, 70, highlight=lambda r: r.special),
            Column(
                "结对",
                lambda r: _pairing_text(r),
                70,
                highlight=lambda r: r.special and _unpaired(r),
            ),
            Column(
                L["status"],
                lambda r: r.status,
                60,
                highlight=lambda r: r.status != vocab.ACTIVE_STATUS,
            ),
        ]

    def build_filters(self) -> None:
        self.type_filter = QComboBox()
        self.type_filter.setObjectName("type_filter")
        self.type_filter.addItem("全部老人类型", "")
        for t in vocab.ELDER_TYPES:
            self.type_filter.addItem(t, t)
        self.special_only = QCheckBox("只看特殊老人")
        self.special_only.setObjectName("special_only")
        self.unpaired_only = QCheckBox("只看未结对")
        self.unpaired_only.setObjectName("unpaired_only")
        self.ledger_42 = QCheckBox("只看42号台账")
        self.ledger_42.setObjectName("ledger_42")
        self.ledger_42.setToolTip("分散特困、高龄（80岁及以上）、独居、留守老人：结对帮扶率的底数")
        self.show_inactive = QCheckBox("含迁出、去世")
        self.show_inactive.setObjectName("show_inactive")
        for w in (
            self.type_filter,
            self.special_only,
            self.ledger_42,
            self.unpaired_only,
            self.show_inactive,
        ):
            self.filter_bar.addWidget(w)
            signal = w.currentIndexChanged if isinstance(w, QComboBox) else w.toggled
            signal.connect(self.refilter)

    def make_filter(self) -> Callable[[ElderRow], bool]:
        wanted_type = self.type_filter.currentData()
        special_only = self.special_only.isChecked()
        unpaired_only = self.unpaired_only.isChecked()
        ledger_42 = self.ledger_42.isChecked()
        inactive_too = self.show_inactive.isChecked()

        def keep(row: ElderRow) -> bool:
            return (
                (not wanted_type or wanted_type in row.elder_types)
                and (not special_only or row.special)
                and (not unpaired_only or _unpaired(row))
                and (not ledger_42 or in_42_ledger(row))
                and (inactive_too or row.status == vocab.ACTIVE_STATUS)
            )

        return keep

    def describe_count(self, visible: list[int]) -> str:
        if self._special_of is not self.rows:  # per row, once per load: a keystroke only adds
            self._special_of, self._special = self.rows, [r.special for r in self.rows]
        special = sum(map(self._special.__getitem__, visible))
        return f"共 {len(visible)} 人，其中特殊老人 {special} 人"

    def load_rows(self) -> list[ElderRow]:
        with self.ws.reading() as s:
            return register.list_elders(s)

    def actions_spec(self) -> list[tuple[str, str, Callable[[], None]]]:
        return [
            ("新增老人", "Ctrl+N", self.add),
            ("修改", "Ctrl+E", self.edit_current),
            ("迁出/去世", "", self.change_status),
            ("从Excel导入台账", "", self.import_xlsx),
        ]

    def import_xlsx(self) -> None:
        from huzhu_desktop.gui.dialogs.import_wizard import ImportWizard

        wizard = ImportWizard(self.ws, self)
        wizard.imported.connect(self.reload)
        wizard.open()

    def change_status(self) -> None:
        from huzhu_desktop.gui.dialogs.status_dialog import StatusDialog

        row = self.current_row()
        if row is None:
            QMessageBox.information(self, "迁出/去世", "请先在列表中选中一位老人。")
            return
        dlg = StatusDialog(self.ws, row.id, row.name, row.status, self)
        dlg.saved.connect(self.reload)
        dlg.open()


def _unpaired(row: ElderRow) -> bool:
    """A 特殊老人 needs a 一对一 pairing; anyone else any pairing."""
    return not row.one_to_one if row.special else not row.paired


def _pairing_text(row: ElderRow) -> str:
    if row.special and row.paired and not row.one_to_one:
        return "无一对一"
    return "已结对" if row.paired else "未结对"
