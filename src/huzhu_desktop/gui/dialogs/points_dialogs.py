"""Dialogs of the time bank: 兑换, 转赠, 调整, 冲正, 积分规则, 超市物品 and 库存 (活动积分 is
recorded with the activity: see activity_dialog)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core import clock
from huzhu_desktop.core.errors import ValidationError
from huzhu_desktop.core.models import ShopItem
from huzhu_desktop.core.services import points, shop
from huzhu_desktop.core.services.ledger import fmt_points
from huzhu_desktop.core.services.point_rules import ROUNDINGS, RULE_KINDS, RuleForm, save_rule
from huzhu_desktop.core.services.points_read import Account
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui.forms import FieldErrors, combo, dialog_buttons, submit


class FormDialog(QDialog):
    """A small form: labelled fields with inline errors, a note, and one service call."""

    saved = Signal(object)

    def __init__(
        self,
        ws: Workspace,
        title: str,
        fields: list[tuple[str, str, QWidget]],
        work: Callable[[], Any],
        *,
        note: str = "",
        ok: str = "保存",
        parent: QWidget | None = None,
        extra: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws, self.work = ws, work
        self.setWindowTitle(title)
        self.errors = FieldErrors()
        form = QFormLayout()
        for label, name, widget in fields:
            self.errors.add_row(form, label, name, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if extra is not None:
            layout.addWidget(extra)
        general = QLabel()
        general.setObjectName("error_general")
        general.setStyleSheet("color: #b00020;")
        general.setWordWrap(True)
        general.hide()
        self.errors.general = general
        layout.addWidget(general)
        if note:
            hint = QLabel(note)
            hint.setWordWrap(True)
            layout.addWidget(hint)
        layout.addWidget(dialog_buttons(self, ok))

    def save(self) -> None:
        def done(result: object) -> None:
            self.saved.emit(result)
            self.accept()

        submit(self, self.work, self.errors, done)


def _today() -> QLineEdit:
    return QLineEdit(clock.today().isoformat())


def adjust_dialog(ws: Workspace, account: Account, parent: QWidget | None = None) -> FormDialog:
    amount, reason, when = QLineEdit(), QLineEdit(), _today()
    amount.setPlaceholderText("加分写 2 或 1.5，扣分写 -2")
    reason.setPlaceholderText("如：补记纸质存折上的积分")

    def work() -> str:
        with ws.transaction() as s:
            return points.adjust(
                account.household_id,
                amount.text(),
                reason.text(),
                on=when.text(),
                session=s,
                actor=ws.actor,
            )

    return FormDialog(
        ws,
        f"调整积分：{account.name}（结余 {fmt_points(account.balance_c)} 分）",
        [("积分", "points", amount), ("原因", "reason", reason), ("日期", "date", when)],
        work,
        note="调整会作为一条新记录写入积分账本，原有记录不会改动。",
        parent=parent,
    )


def transfer_dialog(
    ws: Workspace, account: Account, others: list[Account], parent: QWidget | None = None
) -> FormDialog:
    to = QComboBox()
    to.setEditable(True)
    to.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    for a in others:
        if a.household_id != account.household_id:
            to.addItem(f"{a.name}（{a.group_name}）{a.members}", a.household_id)
    to.setCurrentIndex(-1)
    completer = to.completer()
    if completer is not None:
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(completer.CompletionMode.PopupCompletion)
    amount, note, when = QLineEdit(), QLineEdit(), _today()
    note.setPlaceholderText("如：送给邻居老人理发用")

    def work() -> str:
        target = to.currentData() if to.currentIndex() >= 0 else None
        if not target:
            raise ValidationError({"to": "请选择转给哪一户"})
        with ws.transaction() as s:
            return points.transfer(
                account.household_id,
                target,
                amount.text(),
                note.text(),
                on=when.text(),
                session=s,
                actor=ws.actor,
            )

    return FormDialog(
        ws,
        f"转赠积分：{account.name}（结余 {fmt_points(account.balance_c)} 分）",
        [
            ("转给", "to", to),
            ("积分", "points", amount),
            ("说明", "note", note),
            ("日期", "date", when),
        ],
        work,
        note="转出和转入两条记录同时写入；结余不够时不能转。",
        ok="转赠",
        parent=parent,
    )


def reverse_dialog(
    ws: Workspace, entry_id: str, summary: str, parent: QWidget | None = None
) -> FormDialog:
    reason = QLineEdit()
    reason.setPlaceholderText("如：重复记分")

    def work() -> int:
        with ws.transaction() as s:
            return points.reverse_entry(entry_id, reason.text(), session=s, actor=ws.actor)

    return FormDialog(
        ws,
        "冲正积分记录",
        [("冲正原因", "reason", reason)],
        work,
        note=f"将冲正：{summary}\n冲正会写一条相反的记录，原记录保留。",
        ok="冲正",
        parent=parent,
    )


class RuleDialog(FormDialog):
    """A new version of a 积分规则, in force from a date."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        self.kind = combo(RULE_KINDS, blank=None)
        self.start = _today()
        self.per_hour = QLineEdit("1")
        self.rounding = QComboBox()
        for minutes, label in ROUNDINGS.items():
            self.rounding.addItem(label, minutes)
        self.minimum = QLineEdit("0")
        self.cap = QLineEdit("0")
        self.award = QLineEdit("0")
        self.expire = QLineEdit("0")
        self.note_edit = QLineEdit()
        super().__init__(
            ws,
            "新的积分规则",
            [
                ("服务类别", "service_kind", self.kind),
                ("生效日期", "effective_from", self.start),
                ("每小时积分", "points_per_hour", self.per_hour),
                ("时长取整", "rounding_minutes", self.rounding),
                ("最少时长（分钟）", "minimum_minutes", self.minimum),
                ("每人每天上限（0为不限）", "daily_cap", self.cap),
                ("参加活动得分（“活动”用）", "award", self.award),
                ("积分几年后清零（0为不清零，“默认”用）", "expire_years", self.expire),
                ("说明", "note", self.note_edit),
            ],
            self._work,
            note="新规则从生效日期起用于新记录；已经入账的积分不重算。"
            "“默认”适用于没有单独规则的服务类别。",
            parent=parent,
        )

    def _work(self) -> object:
        form = RuleForm(
            self.kind.currentData(),
            self.start.text(),
            self.per_hour.text(),
            int(self.rounding.currentData()),
            self.minimum.text(),
            self.cap.text(),
            self.award.text(),
            self.expire.text(),
            self.note_edit.text(),
        )
        with self.ws.transaction() as s:
            return save_rule(form, session=s, actor=self.ws.actor).id


def item_dialog(
    ws: Workspace, item: ShopItem | None = None, parent: QWidget | None = None
) -> FormDialog:
    name = QLineEdit(item.name if item else "")
    unit = QLineEdit(item.unit if item else "件")
    cost = QLineEdit(fmt_points(item.cost_c) if item else "")
    goods = QCheckBox("实物（记库存）")
    goods.setChecked(item.track_stock if item else True)
    active = QCheckBox("可兑换（不勾选即下架）")
    active.setChecked(item.active if item else True)

    def work() -> str:
        form = shop.ItemForm(
            name.text(), unit.text(), cost.text(), goods.isChecked(), active.isChecked()
        )
        with ws.transaction() as s:
            return shop.save_item(
                form, session=s, actor=ws.actor, item_id=item.id if item else None
            ).id

    return FormDialog(
        ws,
        "修改超市物品" if item else "添加超市物品",
        [
            ("名称", "name", name),
            ("单位", "unit", unit),
            ("所需积分", "cost", cost),
            ("类别", "track_stock", goods),
            ("状态", "active", active),
        ],
        work,
        note="改了所需积分只影响以后的兑换。",
        parent=parent,
    )


def stock_dialog(
    ws: Workspace, item: ShopItem, kind: str, parent: QWidget | None = None
) -> FormDialog:
    qty = QLineEdit(str(item.stock) if kind == "盘点" else "")
    note, when = QLineEdit(), _today()
    note.setPlaceholderText({"入库": "如：镇民政办配送", "报损": "如：受潮", "盘点": ""}[kind])
    label = {"入库": "入库数量", "报损": "报损数量", "盘点": "实际库存"}[kind]

    def work() -> object:
        with ws.transaction() as s:
            return shop.move_stock(
                item.id, kind, qty.text(), note.text(), on=when.text(), session=s, actor=ws.actor
            ).id

    return FormDialog(
        ws,
        f"{kind}：{item.name}（现有 {item.stock}{item.unit}）",
        [(label, "quantity", qty), ("说明", "note", note), ("日期", "date", when)],
        work,
        parent=parent,
    )


class RedeemDialog(FormDialog):
    """积分兑换: quantities per item, the total against the balance, one receipt."""

    def __init__(
        self, ws: Workspace, account: Account, items: list[ShopItem], parent: QWidget | None = None
    ) -> None:
        self.account, self.items = account, [i for i in items if i.active]
        self.table = QTableWidget(len(self.items), 4)
        self.table.setObjectName("basket")
        self.table.setHorizontalHeaderLabels(["物品或服务", "所需积分", "库存", "数量"])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.spins: list[QSpinBox] = []
        for row, item in enumerate(self.items):
            for col, text in enumerate(
                (item.name, fmt_points(item.cost_c), str(item.stock) if item.track_stock else "—")
            ):
                cell = QTableWidgetItem(text)
                cell.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(row, col, cell)
            spin = QSpinBox()
            spin.setRange(0, item.stock if item.track_stock else shop.MAX_QUANTITY)
            spin.valueChanged.connect(self._update)
            self.table.setCellWidget(row, 3, spin)
            self.spins.append(spin)
        self.total = QLabel()
        self.total.setObjectName("total")
        self.when = _today()
        super().__init__(
            ws,
            f"积分兑换：{account.name}",
            [("日期", "date", self.when)],
            self._work,
            note="兑换后可打印兑换凭证，请领取人签字。",
            ok="兑换",
            parent=parent,
            extra=self._box(),
        )
        self.resize(560, 480)
        self._update()

    def _box(self) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table)
        lay.addWidget(self.total)
        return box

    def basket(self) -> dict[str, int]:
        return {i.id: s.value() for i, s in zip(self.items, self.spins, strict=True) if s.value()}

    def _update(self) -> None:
        total = sum(i.cost_c * s.value() for i, s in zip(self.items, self.spins, strict=True))
        have = self.account.balance_c
        text = f"合计 {fmt_points(total)} 分，结余 {fmt_points(have)} 分"
        if total > have:
            text += f"，还差 {fmt_points(total - have)} 分"
            self.total.setStyleSheet("color: #b00020;")
        else:
            text += f"，兑换后剩 {fmt_points(have - total)} 分"
            self.total.setStyleSheet("")
        self.total.setText(text)

    def _work(self) -> shop.Receipt:
        with self.ws.transaction() as s:
            return shop.redeem(
                self.account.household_id,
                self.basket(),
                on=self.when.text(),
                session=s,
                actor=self.ws.actor,
            )
