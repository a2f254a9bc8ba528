"""活动 → 资金筹集: a clerk books a donation (mistyping the amount first), then deletes it."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QTabWidget

from huzhu_desktop.gui import forms
from huzhu_desktop.gui.views.funding import FundingDialog
from tests.gui.conftest import type_text
from tests.gui.windows import show_window


def open_page(qtbot, settle, ws):  # type: ignore[no-untyped-def]
    window = show_window(qtbot, settle, ws, "活动")
    window.findChild(QTabWidget, "activity_tabs").setCurrentIndex(1)
    settle()
    return window.funding


def visible_dialog() -> FundingDialog:
    [dialog] = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, FundingDialog) and w.isVisible()
    ]
    return dialog


def test_book_a_donation_then_delete_it(qtbot, settle, demo_ws, monkeypatch) -> None:
    page = open_page(qtbot, settle, demo_ws)
    before = page.model.rowCount()
    assert before and "已筹集" in page.summary.text()
    page.add()
    dialog = visible_dialog()
    dialog.source.setCurrentIndex(dialog.source.findData("爱心人士"))
    type_text(qtbot, dialog.amount, "五百")
    type_text(qtbot, dialog.donor, "在外乡贤李某某")
    dialog.save()
    settle()
    assert dialog.isVisible()  # told to type a number, nothing saved
    assert page.model.rowCount() == before
    dialog.amount.setText("500.5")
    dialog.save()
    settle()
    settle()
    assert not dialog.isVisible() and page.model.rowCount() == before + 1
    newest = page.model.row_at(0)
    assert newest is not None and (newest.amount_fen, newest.donor) == (50050, "在外乡贤李某某")
    assert "爱心人士" in page.summary.text()
    monkeypatch.setattr(forms, "ask_deletion_reason", lambda *_a: "重复登记")
    page.table.selectRow(0)
    page.delete()
    settle()
    settle()
    assert page.model.rowCount() == before
