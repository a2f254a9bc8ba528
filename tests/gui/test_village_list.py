"""A town clerk keeps the 村名单 on the 同步 page: every village in the 已报送 table, those that
never sent too, with 已开展 set by a click."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QPushButton

from huzhu_desktop.core.services import villages
from huzhu_desktop.gui.dialogs.village_dialog import VillageDialog
from tests.gui.windows import show_window
from tests.sync.helpers import make


def test_the_town_adds_a_village_and_marks_it_started(qtbot, settle, tmp_path, monkeypatch) -> None:
    town = make(tmp_path, "town", "500112108", "茨竹镇", "渝北区")
    try:
        window = show_window(qtbot, settle, town, "同步")
        page = window.sync
        headers = [c.header for c in page.matrix_model.columns]
        assert "已开展" in headers
        opened: list[VillageDialog] = []
        monkeypatch.setattr(VillageDialog, "open", lambda self: opened.append(self))
        page.findChild(QPushButton, "action_添加村").click()
        (dialog,) = opened
        qtbot.addWidget(dialog)
        assert dialog.code.text() == "500112108"  # the town's part, typed for the clerk
        dialog.code.setText("500112109201")
        dialog.name.setText("外镇村")
        dialog.accept()
        assert "不是本镇" in dialog.error.text() and dialog.result() == 0
        dialog.code.setText("500112108202")
        dialog.name.setText("大石村")
        dialog.accept()
        settle()
        rows = [page.matrix_model.row_at(i) for i in range(page.matrix_model.rowCount())]
        assert [(u.code, u.started, u.sent) for u in rows] == [("500112108202", "未填", {})]
        page.matrix_view.selectRow(0)
        page.findChild(QPushButton, "action_设为已开展").click()
        settle()
        with town.reading() as s:
            assert [v.started for v in villages.town_villages(s)] == [True]
        assert page.matrix_model.row_at(0).started == "已开展"
        page.matrix_view.clearSelection()
        page.matrix_view.setCurrentIndex(page.matrix_model.index(-1, -1))
        told: list[str] = []
        monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
        page.findChild(QPushButton, "action_设为未开展").click()
        assert told == ["请先在表里点选一个村。"]
    finally:
        town.close()


def test_the_town_sees_what_needs_a_look_per_village(qtbot, settle, tmp_path, monkeypatch) -> None:
    from huzhu_desktop.core.models import Person
    from tests.fixtures.ledgers import an_id

    town = make(tmp_path, "town", "500112108", "茨竹镇", "渝北区")
    try:
        with town.transaction() as s:
            for code, name in (("500112108201", "石坪村"), ("500112108202", "大石村")):
                villages.save_village(code, name, True, session=s, actor=town.actor)
                s.add(Person(owner_code=code, origin="x", name="王小红", gender="女",
                             birth_year=1950, id_number=an_id("19500101")))  # fmt: skip
        window = show_window(qtbot, settle, town, "同步")
        page = window.sync
        column = [c.header for c in page.matrix_model.columns].index("需核实")
        counts = [page.matrix_model.data(page.matrix_model.index(r, column))
                  for r in range(page.matrix_model.rowCount())]  # fmt: skip
        assert counts == ["1", "1"]
        told: list[str] = []
        monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
        page.matrix_view.selectRow(1)
        page.findChild(QPushButton, "action_需要核实的问题").click()
        assert told and "大石村：同一身份证登记在多个村" in told[0]
    finally:
        town.close()


def test_the_town_approves_and_returns_a_village_on_screen(qtbot, settle, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QInputDialog

    from tests.sync.helpers import bring, chain, export

    c = chain(tmp_path)
    try:
        bring(c.town, export(c.village, c.usb))
        window = show_window(qtbot, settle, c.town, "同步")
        page = window.sync
        index = page.matrix_quarter.findData("2026Q4")
        if index >= 0:
            page.matrix_quarter.setCurrentIndex(index)
        settle()
        column = [col.header for col in page.matrix_model.columns].index("审核")
        page.matrix_view.selectRow(0)
        monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *_a: ("走访记录不全", True))
        page.findChild(QPushButton, "action_退回").click()
        settle()
        state = page.matrix_model.data(page.matrix_model.index(0, column))
        assert state == "退回"
        page.matrix_view.selectRow(0)
        page.findChild(QPushButton, "action_审核通过").click()
        settle()
        assert page.matrix_model.data(page.matrix_model.index(0, column)) == "已审核"
    finally:
        c.close()
