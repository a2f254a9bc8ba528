"""积分 page: a household redeems at the 积分超市, gives points away, a rule changes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from huzhu_desktop.core.services.ledger import balance_c
from huzhu_desktop.gui import card_printing, files
from huzhu_desktop.gui.dialogs import points_dialogs
from tests.conftest import TODAY
from tests.gui.windows import show_window


def open_points(qtbot, settle, ws):  # type: ignore[no-untyped-def]
    window = show_window(qtbot, settle, ws, "积分")
    return window, window.points


def test_redeeming_at_the_shop_and_printing_the_receipt(
    qtbot, settle, demo_ws, monkeypatch, tmp_path: Path
) -> None:
    _, page = open_points(qtbot, settle, demo_ws)
    tab = page.accounts
    richest = max(tab.rows, key=lambda a: a.balance_c)
    tab.search.setText(richest.name)
    tab.select(richest.household_id)
    settle()
    assert tab.lines.rowCount() == richest.entries and richest.name in tab.title.text()
    dialog = points_dialogs.RedeemDialog(demo_ws, richest, tab.items, tab)
    qtbot.addWidget(dialog)
    dialog.show()
    cheapest = min(range(len(dialog.items)), key=lambda i: dialog.items[i].cost_c)
    too_many = richest.balance_c // dialog.items[cheapest].cost_c + 1
    dialog.spins[cheapest].setMaximum(10_000)
    dialog.spins[cheapest].setValue(too_many)
    if not dialog.items[cheapest].track_stock or dialog.items[cheapest].stock >= too_many:
        assert "还差" in dialog.total.text()
        dialog.save()
        settle()
        assert dialog.isVisible() and "积分不足" in dialog.errors.general.text()
    dialog.spins[cheapest].setValue(1)
    assert "兑换后剩" in dialog.total.text()
    receipts: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(card_printing, "choose_pdf_path", lambda *_a: str(tmp_path / "凭证.pdf"))
    monkeypatch.setattr(files, "open_file", lambda p, *_a: receipts.append(str(p)))
    dialog.saved.connect(tab._receipt_offer)
    dialog.saved.connect(lambda _r: tab.reload())
    dialog.save()
    settle()
    settle()
    with demo_ws.reading() as s:
        after = balance_c(s, richest.household_id)
    assert after == richest.balance_c - dialog.items[cheapest].cost_c
    assert receipts and (tmp_path / "凭证.pdf").read_bytes().startswith(b"%PDF")
    assert tab.current().balance_c == after
    assert tab.lines.rows[-1].kind == "兑换"


def test_passbook_pdf_and_a_transfer(qtbot, settle, demo_ws, monkeypatch, tmp_path) -> None:
    _, page = open_points(qtbot, settle, demo_ws)
    tab = page.accounts
    giver = max(tab.rows, key=lambda a: a.balance_c)
    taker = next(a for a in tab.rows if a.household_id != giver.household_id)
    tab.select(giver.household_id)
    settle()
    opened: list[str] = []
    monkeypatch.setattr(card_printing, "choose_pdf_path", lambda *_a: str(tmp_path / "存折.pdf"))
    monkeypatch.setattr(files, "open_file", lambda p, *_a: opened.append(str(p)))
    tab.passbook()
    settle()
    assert opened and Path(opened[0]).read_bytes().startswith(b"%PDF")
    dialog = points_dialogs.transfer_dialog(demo_ws, giver, tab.rows, tab)
    qtbot.addWidget(dialog)
    dialog.show()
    to = dialog.findChild(points_dialogs.QComboBox, "to")
    to.setCurrentIndex(to.findData(taker.household_id))
    dialog.findChild(points_dialogs.QLineEdit, "points").setText("1")
    dialog.save()
    settle()
    with demo_ws.reading() as s:
        assert balance_c(s, giver.household_id) == giver.balance_c - 100
        assert balance_c(s, taker.household_id) == taker.balance_c + 100


def test_a_new_rule_version_shows_on_the_rules_tab(qtbot, settle, demo_ws) -> None:
    _, page = open_points(qtbot, settle, demo_ws)
    page.tabs.setCurrentWidget(page.rules)
    settle()
    before = page.rules.all.rowCount()
    dialog = points_dialogs.RuleDialog(demo_ws, page.rules)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.kind.setCurrentIndex(dialog.kind.findData("帮帮忙"))
    dialog.per_hour.setText("1.5")
    dialog.start.setText("2020-01-01")
    dialog.save()
    settle()
    assert dialog.isVisible() and "已入账" in dialog.errors.labels["effective_from"].text()
    dialog.start.setText("2099-01-01")
    dialog.saved.connect(lambda _r: page.rules.reload())
    dialog.save()
    settle()
    assert page.rules.all.rowCount() == before + 1
    page.tabs.setCurrentWidget(page.board)
    settle()
    board = page.board  # the demo's year (the clock may already be in the next one)
    board.period.setCurrentIndex(board.period.findText(f"{TODAY.year}年全年"))
    settle()
    assert page.board.leaders.rowCount() > 0
    assert page.board.totals.rows[-1].label.endswith("年合计")


def test_activity_points_are_recorded_as_an_activity(qtbot, settle, demo_ws) -> None:
    """积分 → 活动积分… opens the same 登记集体活动 form: the award and the activity are one."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from huzhu_desktop.core.services import activities
    from huzhu_desktop.gui.dialogs.activity_dialog import ActivityDialog

    window, page = open_points(qtbot, settle, demo_ws)
    with demo_ws.reading() as s:
        before = len(activities.list_activities(s))
    page.accounts.activity()
    settle()
    [dialog] = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, ActivityDialog) and w.isVisible()
    ]
    dialog.kind.setCurrentIndex(dialog.kind.findData("节日娱乐活动"))
    dialog.title_edit.setText("春节文艺汇演")
    dialog.list.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.save()
    settle()
    settle()
    with demo_ws.reading() as s:
        found = activities.list_activities(s)
    assert len(found) == before + 1 and found[0].title == "春节文艺汇演" and found[0].points_c > 0
    window.go_area("活动")
    settle()
    assert window.activities.model.row_at(0).title == "春节文艺汇演"  # type: ignore[union-attr]
