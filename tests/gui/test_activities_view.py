"""活动 page: the clerk records the 院坝会 held this morning, ticks who came, fixes the title,
and deletes a duplicate — the households' points follow."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from huzhu_desktop.core import clock
from huzhu_desktop.core.services.points_read import all_balances
from huzhu_desktop.gui import forms
from huzhu_desktop.gui.dialogs.activity_dialog import ActivityDialog
from tests.gui.conftest import type_text
from tests.gui.windows import show_window


def open_page(qtbot, settle, ws):  # type: ignore[no-untyped-def]
    return show_window(qtbot, settle, ws, "活动").activities


def the_dialog() -> ActivityDialog:
    [dialog] = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, ActivityDialog) and w.isVisible()
    ]
    return dialog


def test_record_edit_and_delete_an_activity(qtbot, settle, demo_ws, monkeypatch) -> None:
    page = open_page(qtbot, settle, demo_ws)
    before = page.model.rowCount()
    assert before and "季度" in page.summary.text()
    with demo_ws.reading() as s:
        balances = all_balances(s)
    page.add()
    settle()
    dialog = the_dialog()
    dialog.save()  # nothing filled in: told what is missing, nothing saved
    settle()
    assert dialog.isVisible() and "请选择活动类型" in dialog.errors.general.text() + "".join(
        label.text() for label in dialog.errors.labels.values()
    )
    dialog.kind.setCurrentIndex(dialog.kind.findData("院坝会"))
    type_text(qtbot, dialog.title_edit, "互助养老议事会")
    type_text(qtbot, dialog.place, "村互助养老中心点")
    ticked = [dialog.list.item(i) for i in range(2)]
    for item in ticked:
        item.setCheckState(Qt.CheckState.Checked)
    dialog.save()
    settle()
    settle()
    assert not dialog.isVisible() and page.model.rowCount() == before + 1
    newest = page.model.row_at(0)
    assert newest is not None and newest.held_on == clock.today()
    assert (newest.title, newest.attendance, len(newest.participants)) == ("互助养老议事会", 2, 2)
    assert newest.points_c > 0
    with demo_ws.reading() as s:
        assert sum(all_balances(s).values()) == sum(balances.values()) + newest.points_c

    page.table.selectRow(0)
    page.edit()
    dialog = the_dialog()
    assert dialog.when.isReadOnly() and not dialog.list.isVisible()
    dialog.title_edit.setText("互助养老议事院坝会")
    dialog.save()
    settle()
    settle()
    assert page.model.row_at(0).title == "互助养老议事院坝会"  # type: ignore[union-attr]

    monkeypatch.setattr(forms, "ask_deletion_reason", lambda *_a: "重复登记")
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: told.append(text))
    page.table.selectRow(0)
    page.delete()
    settle()
    settle()
    assert page.model.rowCount() == before and told and "已冲正" in told[0]
    with demo_ws.reading() as s:  # the award came back out of every household
        after = all_balances(s)
    assert {h: b for h, b in after.items() if b} == {h: b for h, b in balances.items() if b}


def test_a_quarter_without_an_activity_is_flagged(qtbot, settle, ws) -> None:
    page = open_page(qtbot, settle, ws)
    assert page.model.rowCount() == 0
    assert "还没有开展集体活动" in page.summary.text()
