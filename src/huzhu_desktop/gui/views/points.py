"""积分 — the time bank: household accounts (一户一卡), the 积分超市, 评先 lists and the rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core import clock
from huzhu_desktop.core.models import ShopItem
from huzhu_desktop.core.periods import Quarter
from huzhu_desktop.core.reports import passbook_pdf
from huzhu_desktop.core.services import activities, points, points_read, shop
from huzhu_desktop.core.services.ledger import fmt_points
from huzhu_desktop.core.services.point_rules import RuleBook, describe, list_rules
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui import card_printing, files
from huzhu_desktop.gui.dialogs import points_dialogs as dialogs
from huzhu_desktop.gui.dialogs.activity_dialog import ActivityDialog
from huzhu_desktop.gui.ops import BackgroundOp
from huzhu_desktop.gui.table_model import Column, RowTableModel, row_table


def _table(model: RowTableModel[Any], name: str) -> QTableView:
    view = row_table(model, name)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.setSortingEnabled(True)
    return view


def _selected(view: QTableView, model: RowTableModel[Any]) -> Any:
    rows = view.selectionModel().selectedRows()
    return model.row_at(rows[0].row()) if rows else None


def _buttons(row: QHBoxLayout, specs: list[tuple[str, Any]]) -> None:
    for text, slot in specs:
        button = QPushButton(text)
        button.setObjectName(f"action_{text.rstrip('…')}")
        button.clicked.connect(slot)
        row.addWidget(button)


def _points(c: int) -> str:
    return fmt_points(c) if c else ""


BOARD_YEARS = 5  # the 评先 board offers this year and the four before it


class PointsView(QWidget):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        heading = QLabel("时间银行（互助积分）")
        heading.setObjectName("heading")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.accounts = AccountsTab(ws)
        self.shop = ShopTab(ws)
        self.board = BoardTab(ws)
        self.rules = RulesTab(ws)
        for tab, title in (
            (self.accounts, "户账户"),
            (self.shop, "积分超市"),
            (self.board, "评先与合计"),
            (self.rules, "积分规则"),
        ):
            self.tabs.addTab(tab, title)
        self.tabs.currentChanged.connect(lambda _i: self.reload())
        self.shop.changed.connect(self.accounts.reload)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)

    def reload(self) -> None:
        tab = self.tabs.currentWidget()
        tab.reload()  # type: ignore[attr-defined]

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.reload()


class AccountsTab(QWidget):
    """Households with their balances; the selected one's account with the running balance."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.rows: list[points_read.Account] = []
        self.items: list[ShopItem] = []
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("按户名、成员或卡号查找")
        self.search.textChanged.connect(self.apply_filter)
        self.model: RowTableModel[points_read.Account] = RowTableModel(
            [
                Column("户名", lambda a: a.name, 110),
                Column("组", lambda a: a.group_name, 50),
                Column("成员", lambda a: a.members, 150),
                Column(
                    "结余（分）",
                    lambda a: fmt_points(a.balance_c),
                    80,
                    highlight=lambda a: a.balance_c < 0,
                ),
                Column("笔数", lambda a: a.entries, 50),
            ]
        )
        self.table = _table(self.model, "accounts")
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.show_account())
        self.lines: RowTableModel[points_read.StatementLine] = RowTableModel(
            [
                Column("日期", lambda e: e.posted_on.isoformat(), 90),
                Column("类别", lambda e: e.kind, 60),
                Column(
                    "服务内容",
                    lambda e: (
                        e.summary
                        + points_read.describe_who(e)
                        + ("〔已冲正〕" if e.reversed else "")
                    ),
                    300,
                ),
                Column("存入", lambda e: _points(max(0, e.amount_c)), 55),
                Column("取出", lambda e: _points(max(0, -e.amount_c)), 55),
                Column(
                    "结余",
                    lambda e: fmt_points(e.balance_c),
                    60,
                    highlight=lambda e: e.balance_c < 0,
                ),
                Column("经办人", lambda e: e.operator, 70),
            ]
        )
        self.statement = _table(self.lines, "statement")
        self.statement.setSortingEnabled(False)
        self.title = QLabel("请在左边选一户")
        self.title.setObjectName("account_title")
        self.count = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.search, 2)
        _buttons(top, [("活动积分…", self.activity)])
        top.addStretch(1)
        top.addWidget(self.count)
        actions = QHBoxLayout()
        _buttons(
            actions,
            [
                ("兑换…", self.redeem),
                ("转赠…", self.transfer),
                ("调整…", self.adjust),
                ("冲正选中记录…", self.reverse),
                ("积分存折存为PDF…", self.passbook),
            ],
        )
        actions.addStretch(1)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.title)
        rl.addLayout(actions)
        rl.addWidget(self.statement, 1)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(right)
        split.setSizes([460, 740])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

    def reload(self) -> None:
        def work() -> tuple[list[points_read.Account], list[ShopItem]]:
            with self.ws.reading() as s:
                return points_read.accounts(s), shop.catalog(s, include_inactive=False)

        def done(result: tuple[list[points_read.Account], list[ShopItem]]) -> None:
            chosen = self.current()
            self.rows, self.items = result
            self.model.set_rows(self.rows)
            self.apply_filter()
            if chosen is not None:
                self.select(chosen.household_id)
            elif self.model.rowCount():
                self.table.selectRow(0)

        BackgroundOp(self, work).on_success(done).run()

    def apply_filter(self, *_a: object) -> None:
        text = self.search.text().strip()
        visible = [
            i
            for i, a in enumerate(self.rows)
            if not text or text in a.name or text in a.members or text in a.card_no
        ]
        self.model.set_visible(visible)
        total = sum(a.balance_c for a in self.rows)
        self.count.setText(f"共 {len(visible)} 户，全村结余 {fmt_points(total)} 分")

    def current(self) -> points_read.Account | None:
        return _selected(self.table, self.model)

    def select(self, household_id: str) -> None:
        for view_row in range(self.model.rowCount()):
            row = self.model.row_at(view_row)
            if row is not None and row.household_id == household_id:
                self.table.selectRow(view_row)
                return

    def show_account(self) -> None:
        account = self.current()
        if account is None:
            self.lines.set_rows([])
            self.title.setText("请在左边选一户")
            return

        def work() -> list[points_read.StatementLine]:
            with self.ws.reading() as s:
                return points_read.statement(s, account.household_id)

        def done(lines: list[points_read.StatementLine]) -> None:
            self.lines.set_rows(lines)
            self.statement.scrollToBottom()
            self.title.setText(
                f"{account.name}（{account.members}）  结余 {fmt_points(account.balance_c)} 分"
            )

        BackgroundOp(self, work).on_success(done).run()

    def _need_account(self) -> points_read.Account | None:
        account = self.current()
        if account is None:
            QMessageBox.information(self, "积分", "请先在左边选一户。")
        return account

    def _open(self, dialog: dialogs.FormDialog) -> None:
        dialog.saved.connect(lambda _r: self.reload())
        dialog.open()

    def redeem(self) -> None:
        account = self._need_account()
        if account is None:
            return
        if not self.items:
            QMessageBox.information(
                self, "积分超市", "积分超市里还没有可兑换的物品，请先在“积分超市”里添加。"
            )
            return
        dialog = dialogs.RedeemDialog(self.ws, account, self.items, self)
        dialog.saved.connect(lambda r: self._receipt_offer(r))
        self._open(dialog)

    def _receipt_offer(self, receipt: shop.Receipt) -> None:
        answer = QMessageBox.question(
            self,
            "兑换成功",
            f"已兑换，单号 {receipt.redemption.receipt_no}，使用 "
            f"{fmt_points(receipt.redemption.total_c)} 分，剩余 "
            f"{fmt_points(receipt.balance_after_c)} 分。\n要把兑换凭证存为 PDF 打印吗？",
        )
        if answer == QMessageBox.StandardButton.Yes:
            save_receipt(self, self.ws, receipt.redemption.id)

    def transfer(self) -> None:
        account = self._need_account()
        if account is not None:
            self._open(dialogs.transfer_dialog(self.ws, account, self.rows, self))

    def adjust(self) -> None:
        account = self._need_account()
        if account is not None:
            self._open(dialogs.adjust_dialog(self.ws, account, self))

    def reverse(self) -> None:
        line = _selected(self.statement, self.lines)
        if line is None:
            QMessageBox.information(self, "冲正", "请先在右边选中要冲正的那条记录。")
            return
        self._open(dialogs.reverse_dialog(self.ws, line.entry_id, line.summary, self))

    def activity(self) -> None:
        def work() -> list[tuple[str, str]]:
            with self.ws.reading() as s:
                return activities.candidates(s)

        def done(people: list[tuple[str, str]]) -> None:
            self._open(ActivityDialog(self.ws, people, self))

        BackgroundOp(self, work).on_success(done).run()

    def passbook(self) -> None:
        account = self._need_account()
        if account is None:
            return
        suggested = self.ws.folder / "exports" / f"积分存折-{account.name}-{clock.today()}.pdf"
        chosen = card_printing.choose_pdf_path(self, suggested, "积分存折存为 PDF")
        if not chosen:
            return
        dest = Path(chosen)
        village = self.ws.info.org_name if self.ws.info else ""

        def work() -> int:
            with self.ws.reading() as s:
                head = points_read.passbook_head(s, account.household_id, village)
                lines = points_read.statement(s, account.household_id)
            return passbook_pdf.render_passbook(head, lines, dest)

        BackgroundOp(self, work, label="正在生成积分存折…").on_success(
            lambda _n: files.open_file(dest, self)
        ).run()


def save_receipt(parent: QWidget, ws: Workspace, redemption_id: str) -> None:
    """积分兑换凭证 as PDF, opened for printing."""
    suggested = ws.folder / "exports" / f"兑换凭证-{clock.today()}.pdf"
    chosen = card_printing.choose_pdf_path(parent, suggested, "兑换凭证存为 PDF")
    if not chosen:
        return
    dest = Path(chosen)
    village = ws.info.org_name if ws.info else ""

    def work() -> None:
        with ws.reading() as s:
            receipt = shop.receipt(s, redemption_id)
        passbook_pdf.render_receipt(village, receipt, dest, operator=ws.operator)

    BackgroundOp(parent, work, label="正在生成兑换凭证…").on_success(
        lambda _r: files.open_file(dest, parent)
    ).run()


class ShopTab(QWidget):
    """积分超市: the catalog with stock, and every redemption."""

    changed = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.model: RowTableModel[ShopItem] = RowTableModel(
            [
                Column("名称", lambda i: i.name, 140),
                Column("单位", lambda i: i.unit, 50),
                Column("所需积分", lambda i: fmt_points(i.cost_c), 70),
                Column(
                    "库存",
                    lambda i: i.stock if i.track_stock else "服务",
                    60,
                    highlight=lambda i: i.track_stock and i.stock <= 3,
                ),
                Column("状态", lambda i: "可兑换" if i.active else "已下架", 60),
            ]
        )
        self.table = _table(self.model, "catalog")
        self.reds: RowTableModel[tuple[Any, str]] = RowTableModel(
            [
                Column("单号", lambda r: r[0].receipt_no, 80),
                Column("日期", lambda r: r[0].redeemed_on.isoformat(), 90),
                Column("户名", lambda r: r[1], 90),
                Column("积分", lambda r: fmt_points(r[0].total_c), 50),
                Column(
                    "状态", lambda r: r[0].status, 60, highlight=lambda r: r[0].status != "有效"
                ),
                Column("备注", lambda r: r[0].note, 160),
            ]
        )
        self.redemptions = _table(self.reds, "redemptions")
        items = QHBoxLayout()
        _buttons(
            items,
            [
                ("添加物品…", self.add),
                ("修改…", self.edit),
                ("入库…", lambda: self.stock("入库")),
                ("报损…", lambda: self.stock("报损")),
                ("盘点…", lambda: self.stock("盘点")),
            ],
        )
        items.addStretch(1)
        reds = QHBoxLayout()
        _buttons(reds, [("撤销兑换…", self.cancel), ("打印兑换凭证…", self.receipt)])
        reds.addStretch(1)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QLabel("物品和服务"))
        ll.addLayout(items)
        ll.addWidget(self.table, 1)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel("兑换记录"))
        rl.addLayout(reds)
        rl.addWidget(self.redemptions, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)

    def reload(self) -> None:
        def work() -> tuple[list[ShopItem], list[tuple[Any, str]]]:
            with self.ws.reading() as s:
                return shop.catalog(s), points_read.redemptions(s)

        def done(result: tuple[list[ShopItem], list[tuple[Any, str]]]) -> None:
            self.model.set_rows(result[0])
            self.reds.set_rows(result[1])

        BackgroundOp(self, work).on_success(done).run()

    def _after(self, dialog: dialogs.FormDialog) -> None:
        def saved(_r: object) -> None:
            self.reload()
            self.changed.emit()

        dialog.saved.connect(saved)
        dialog.open()

    def _item(self) -> ShopItem | None:
        item = _selected(self.table, self.model)
        if item is None:
            QMessageBox.information(self, "积分超市", "请先选中一件物品。")
        return item

    def add(self) -> None:
        self._after(dialogs.item_dialog(self.ws, None, self))

    def edit(self) -> None:
        item = self._item()
        if item is not None:
            self._after(dialogs.item_dialog(self.ws, item, self))

    def stock(self, kind: str) -> None:
        item = self._item()
        if item is None:
            return
        if not item.track_stock:
            QMessageBox.information(self, "积分超市", f"“{item.name}”是服务，不记库存。")
            return
        self._after(dialogs.stock_dialog(self.ws, item, kind, self))

    def _redemption(self) -> Any:
        row = _selected(self.redemptions, self.reds)
        if row is None:
            QMessageBox.information(self, "积分超市", "请先在右边选中一次兑换。")
        return row[0] if row else None

    def cancel(self) -> None:
        red = self._redemption()
        if red is None:
            return
        reason = QLineEdit()
        reason.setPlaceholderText("如：物品退回")

        def work() -> None:
            with self.ws.transaction() as s:
                shop.cancel_redemption(red.id, reason.text(), session=s, actor=self.ws.actor)

        self._after(
            dialogs.FormDialog(
                self.ws,
                f"撤销兑换 {red.receipt_no}",
                [("撤销原因", "reason", reason)],
                work,
                note="积分退回该户，实物退回库存；原兑换记录保留并标为已撤销。",
                ok="撤销兑换",
                parent=self,
            )
        )

    def receipt(self) -> None:
        red = self._redemption()
        if red is not None:
            save_receipt(self, self.ws, red.id)


class BoardTab(QWidget):
    """评先 list of helpers for a period, and the months' and quarters' totals."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.period = QComboBox()
        self.period.setObjectName("period")
        year = clock.today().year
        for y in range(year, year - BOARD_YEARS, -1):  # 评先 looks back a few years at most
            self.period.addItem(f"{y}年全年", (date(y, 1, 1), date(y, 12, 31)))
            for q in range(4):
                self.period.addItem(Quarter(y, q + 1).label, Quarter(y, q + 1).bounds)
        self.period.currentIndexChanged.connect(lambda _i: self.reload())
        self.leaders: RowTableModel[points_read.LeaderRow] = RowTableModel(
            [
                Column("名次", lambda r: self.leaders.rows.index(r) + 1, 40),
                Column("姓名", lambda r: r.name, 70),
                Column("组", lambda r: r.group_name, 50),
                Column("户", lambda r: r.household, 90),
                Column("服务次数", lambda r: r.visits, 60),
                Column("服务时长（小时）", lambda r: f"{r.minutes / 60:.1f}", 110),
                Column("积分", lambda r: fmt_points(r.points_c), 60),
            ]
        )
        self.board = _table(self.leaders, "leaderboard")
        self.board.setSortingEnabled(False)
        self.totals: RowTableModel[points_read.PeriodTotals] = RowTableModel(
            [
                Column("期间", lambda t: t.label, 90),
                Column("获得积分（扣除冲正）", lambda t: fmt_points(t.earned_c), 140),
                Column("兑换", lambda t: fmt_points(t.redeemed_c), 60),
                Column("转赠", lambda t: fmt_points(t.transferred_c), 60),
                Column("调整", lambda t: fmt_points(t.adjusted_c), 60),
                Column("到期清零", lambda t: fmt_points(t.expired_c), 60),
            ]
        )
        self.months = _table(self.totals, "totals")
        self.months.setSortingEnabled(False)
        self.expiry = QLabel()
        self.expiry.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("期间："))
        top.addWidget(self.period)
        _buttons(top, [("到期清零…", self.run_expiry)])
        top.addStretch(1)
        split = QSplitter()
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QLabel("帮扶人评先（按积分、服务时长排）"))
        ll.addWidget(self.board, 1)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel("按月、按季度合计（附件1“互助养老积分”取获得积分）"))
        rl.addWidget(self.months, 1)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([620, 560])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.expiry)

    def reload(self) -> None:
        chosen = self.period.currentData()
        if chosen is None:
            return
        start, end = chosen

        def work() -> tuple[Any, Any, Any]:
            with self.ws.reading() as s:
                return (
                    points_read.leaderboard(s, start, end),
                    points_read.monthly_totals(s, start.year),
                    points.expiry_preview(s, clock.today()),
                )

        def done(result: tuple[Any, Any, Any]) -> None:
            self.leaders.set_rows(result[0])
            self.totals.set_rows(result[1])
            years, lines = result[2]
            if not years:
                self.expiry.setText("本村积分长期有效（积分规则“默认”里没有设置清零年限）。")
            else:
                total = sum(line.expiring_c for line in lines)
                self.expiry.setText(
                    f"积分{years}年后清零：现在清零会涉及 {len(lines)} 户，共 "
                    f"{fmt_points(total)} 分。"
                )

        BackgroundOp(self, work).on_success(done).run()

    def run_expiry(self) -> None:
        def preview() -> Any:
            with self.ws.reading() as s:
                return points.expiry_preview(s, clock.today())

        BackgroundOp(self, preview).on_success(lambda found: self._confirm_expiry(*found)).run()

    def _confirm_expiry(self, years: int | None, lines: list[Any]) -> None:
        if not years:
            QMessageBox.information(self, "到期清零", "本村没有设置积分清零规则，积分长期有效。")
            return
        if not lines:
            QMessageBox.information(self, "到期清零", "目前没有到期的积分。")
            return
        listing = "\n".join(
            f"{line.household}：结余 {fmt_points(line.balance_c)}，"
            f"清零 {fmt_points(line.expiring_c)}"
            for line in lines[:15]
        )
        more = f"\n……共 {len(lines)} 户" if len(lines) > 15 else ""
        answer = QMessageBox.question(
            self, "到期清零", f"以下各户{years}年前的积分将清零：\n{listing}{more}\n\n确定清零吗？"
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        def work() -> int:
            with self.ws.transaction() as s:
                return points.run_expiry(clock.today(), session=s, actor=self.ws.actor)

        BackgroundOp(self, work).on_success(lambda _n: self.reload()).run()


class RulesTab(QWidget):
    """The rules in force today, and every version with its dates."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.now: RowTableModel[tuple[str, str]] = RowTableModel(
            [Column("服务类别", lambda r: r[0], 90), Column("现行规则", lambda r: r[1], 500)]
        )
        self.current = _table(self.now, "rules_now")
        self.current.setSortingEnabled(False)
        self.all: RowTableModel[Any] = RowTableModel(
            [
                Column("服务类别", lambda r: r.service_kind, 90),
                Column("生效日期", lambda r: r.effective_from.isoformat(), 90),
                Column("规则", describe, 430),
                Column("说明", lambda r: r.note, 160),
                Column("设置人", lambda r: r.updated_by, 70),
            ]
        )
        self.history = _table(self.all, "rules_all")
        actions = QHBoxLayout()
        _buttons(actions, [("设置新规则…", self.add)])
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(
            QLabel("今天适用的规则（没有单独规则的类别按“默认”；都没有时每1小时计1分）")
        )
        layout.addWidget(self.current, 1)
        layout.addWidget(QLabel("所有规则版本（旧版本保留，按它入账的积分不重算）"))
        layout.addWidget(self.history, 2)

    def reload(self) -> None:
        def work() -> tuple[list[tuple[str, str]], list[Any]]:
            with self.ws.reading() as s:
                book = RuleBook(s)
                return (
                    [(k, t.describe()) for k, t in book.current(clock.today())],
                    list_rules(s),
                )

        def done(result: tuple[list[tuple[str, str]], list[Any]]) -> None:
            self.now.set_rows(result[0])
            self.all.set_rows(result[1])

        BackgroundOp(self, work).on_success(done).run()

    def add(self) -> None:
        dialog = dialogs.RuleDialog(self.ws, self)
        dialog.saved.connect(lambda _r: self.reload())
        dialog.open()
