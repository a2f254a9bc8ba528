"""A stack of paper slips typed in with the keyboard only: initials and Enter, Ctrl+S."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from huzhu_desktop.core.services import people
from huzhu_desktop.core.services.pairings import PairingForm, create_pairing
from huzhu_desktop.core.services.people import ElderForm, HelperForm, PersonForm
from huzhu_desktop.core.services.visits_read import list_visits
from huzhu_desktop.gui.main_window import MainWindow
from huzhu_desktop.gui.views.visit_grid import DATE, ELDER, HELPER, KIND, MESSAGE, MINUTES


def add(ws, name, gender, birth, elder=None, helper=None):  # type: ignore[no-untyped-def]
    with ws.transaction() as s:
        return people.save_person(
            PersonForm(name, gender, birth, group_name="3组"),
            elder,
            HelperForm(helper) if helper else None,
            session=s,
            actor=ws.actor,
        ).id


class Keyboard:
    """Keys go wherever the focus is — the table, or the cell editor it opened."""

    def __init__(self, qtbot) -> None:  # type: ignore[no-untyped-def]
        self.qtbot, self.count = qtbot, 0

    def type(self, text: str) -> None:
        for ch in text:
            self.qtbot.keyClick(QApplication.focusWidget(), ch)
            self.count += 1

    def key(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        self.qtbot.keyClick(QApplication.focusWidget(), key, modifier)
        self.qtbot.wait(5)
        self.count += 1


def test_clerk_types_a_weeks_slips_with_the_keyboard(qtbot, settle, ws) -> None:
    helper = add(ws, "王小红", "女", "1975", helper="志愿者")
    zhang = add(
        ws, "张德明", "男", "1945", elder=ElderForm(["分散特困"], living="独居", health="自理")
    )
    add(ws, "李秀英", "女", "1948", elder=ElderForm(["其他"], living="双居", health="自理"))
    with ws.transaction() as s:
        create_pairing(
            PairingForm("一对一", [zhang], [helper], "2026-01-01"), session=s, actor=ws.actor
        )
    window = MainWindow.for_workspace(ws)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    window.go_area("走访")
    settle()
    grid = window.visits.grid
    assert grid is not None and grid.currentColumn() == ELDER
    keys = Keyboard(qtbot)

    # Slip 1: the elder's initials and Enter; helper comes from the pairing, kind and time too.
    keys.type("zdm")
    keys.key(Qt.Key.Key_Return)
    assert keys.count <= 12
    assert grid.item(0, HELPER).text() == "王小红" and grid.item(0, KIND).text() == "谈谈心"
    assert grid.item(0, MINUTES).text() == "30" and grid.currentRow() == 1
    # Slip 2: another elder (no pairing): the helper carries over from the row above.
    before = keys.count
    keys.type("lxy")
    keys.key(Qt.Key.Key_Return)
    assert keys.count - before <= 12
    assert grid.item(1, HELPER).text() == "王小红" and grid.item(1, KIND).text() == "入户探访"
    # Slip 3: an elder typed wrong stays put with a message on the row.
    keys.type("xyz")
    keys.key(Qt.Key.Key_Return)
    assert "没有“xyz”" in grid.item(2, MESSAGE).text() and grid.currentRow() == 2
    keys.key(Qt.Key.Key_Escape)
    grid.item(2, ELDER).setText("")  # the clerk gives up on that slip
    # Slip 1's date was last week.
    grid.item(0, DATE).setText("2026-11-18")
    keys.key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle()
    assert "已保存 2 条" in window.visits.status.text()
    with ws.reading() as s:
        stored = list_visits(s)
    assert sorted((v.visit_date.isoformat(), v.elders[0], v.kind) for v in stored)[0] == (
        "2026-11-18",
        "张德明",
        "谈谈心",
    )
    assert {v.elders[0] for v in stored} == {"张德明", "李秀英"}
    assert window.visits.recent_model.rowCount() == 2


def test_a_future_date_keeps_the_row_with_its_reason(qtbot, settle, ws) -> None:
    helper = add(ws, "王小红", "女", "1975", helper="志愿者")
    add(ws, "张德明", "男", "1945", elder=ElderForm(["其他"], living="双居", health="自理"))
    window = MainWindow.for_workspace(ws)
    qtbot.addWidget(window)
    window.show()
    window.go_area("走访")
    settle()
    grid = window.visits.grid
    grid.item(0, DATE).setText("2099-01-01")
    grid.item(0, HELPER).setText("王小红")
    grid.item(0, ELDER).setText("zdm")
    assert grid.item(0, ELDER).text() == "张德明" and helper
    window.visits.save()
    settle()
    assert "晚于今天" in grid.item(0, MESSAGE).text() and grid.item(0, ELDER).text() == "张德明"
    assert "1 条有问题" in window.visits.status.text()


def test_editing_a_recorded_visit_keeps_a_revision(qtbot, settle, demo_ws) -> None:
    from huzhu_desktop.gui.dialogs.visit_dialog import VisitDialog

    window = MainWindow.for_workspace(demo_ws)
    qtbot.addWidget(window)
    window.show()
    window.go_area("走访")
    settle()
    visit = window.visits.recent_model.row_at(0)
    dlg = VisitDialog(demo_ws, visit)
    qtbot.addWidget(dlg)
    dlg.minutes.setText("0")
    dlg.save()
    settle()
    assert "不能为0" in dlg.errors.labels["duration_minutes"].text()
    dlg.minutes.setText("75")
    dlg.services["助浴"].setChecked(True)
    dlg.saved.connect(lambda _i: window.visits.reload())
    dlg.save()
    settle()
    settle()
    with demo_ws.reading() as s:
        edited = next(v for v in list_visits(s) if v.id == visit.id)
    assert (edited.duration_minutes, edited.rev) == (75, visit.rev + 1)
    assert "助浴" in edited.services and edited.updated_by == "演示专干"


SLIPS = [  # (name, initials typed): 单 曾 解 乐 read by the surname table
    ("张德明", "zdm"), ("李秀英", "lxy"), ("单永福", "syf"), ("曾玉兰", "zyl"),
    ("谭光荣", "tgr"), ("冉淑芬", "rsf"), ("解德贵", "xdg"), ("罗桂珍", "lgz"),
    ("向志成", "xzc"), ("乐翠英", "ycy"),
]  # fmt: skip


def test_ten_paper_slips_take_four_keys_each_and_the_kind_is_picked_by_word(
    qtbot, settle, ws, capsys
) -> None:
    """Ten slips of one helper's week: initials and Enter each; one slip's 方式 changed from
    the drop-down's words by typing b; Ctrl+S. The keystrokes are counted (the note's figure)."""
    from PySide6.QtWidgets import QComboBox

    add(ws, "王小红", "女", "1975", helper="志愿者")
    for name, _ in SLIPS:
        add(ws, name, "女", "1945", elder=ElderForm(["其他"], living="双居", health="自理"))
    window = MainWindow.for_workspace(ws)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    window.go_area("走访")
    settle()
    grid = window.visits.grid
    grid.item(0, HELPER).setText("王小红")  # the helper's name, once at the top of the stack
    keys = Keyboard(qtbot)
    for row, (name, initials) in enumerate(SLIPS):
        keys.type(initials)
        keys.key(Qt.Key.Key_Return)
        assert grid.item(row, ELDER).text() == name and grid.currentRow() == row + 1
    assert keys.count == 4 * len(SLIPS)
    # The last slip said 帮帮忙: up, over to 方式, the picker opens with the four words.
    keys.key(Qt.Key.Key_Up)
    grid.setCurrentCell(len(SLIPS) - 1, KIND)
    keys.key(Qt.Key.Key_F2)
    focus = QApplication.focusWidget()
    combo = focus if isinstance(focus, QComboBox) else focus.parent()
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "敲敲门",
        "谈谈心",
        "帮帮忙",
        "入户探访",
    ]
    keys.type("b")
    keys.key(Qt.Key.Key_Return)
    assert grid.item(len(SLIPS) - 1, KIND).text() == "帮帮忙"
    keys.key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle()
    assert f"已保存 {len(SLIPS)} 条" in window.visits.status.text()
    with capsys.disabled():
        print(f"\n[figure] keystrokes for {len(SLIPS)} paper slips: {keys.count}")
