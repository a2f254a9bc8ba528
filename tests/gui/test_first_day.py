"""A clerk's first day: set up the village, type in elders and helpers, find them, reopen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from huzhu_desktop.core.services import register
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui.dialogs.person_dialog import PersonDialog
from huzhu_desktop.gui.main_window import AREAS, MainWindow
from huzhu_desktop.gui.setup_wizard import SetupWizard
from tests.gui.conftest import type_text

ELDERS = [
    ("张德明", "男", "1945-02-11", "zdm"),
    ("李秀英", "女", "1948", "lxy"),
    ("单永福", "男", "1939", "syf"),
    ("曾玉兰", "女", "1941", "zyl"),
    ("谭光荣", "男", "1950", "tgr"),
    ("冉淑芬", "女", "1943", "rsf"),
    ("解德贵", "男", "1936", "xdg"),
    ("罗桂珍", "女", "1952", "lgz"),
    ("向志成", "男", "1947", "xzc"),
    ("乐翠英", "女", "1944", "ycy"),
]
HELPERS = [
    ("王小红", "女", "1975", "志愿者"),
    ("陈建国", "男", "1962", "互助养老小组长"),
    ("刘芳", "女", "1990", "社工"),
    ("周海", "男", "1968", "养老助理"),
    ("杨春梅", "女", "1970", "养老专干"),
]


def error_text(widget, name: str) -> str:  # type: ignore[no-untyped-def]
    label = widget.findChild(QLabel, f"error_{name}")
    return label.text() if label is not None and not label.isHidden() else ""


def finish_wizard(qtbot, wizard: SetupWizard) -> None:  # type: ignore[no-untyped-def]
    type_text(qtbot, wizard.org_code, "500112108")  # a town code typed in a village workspace
    type_text(qtbot, wizard.org_name, "石坪村")
    type_text(qtbot, wizard.parent_name, "茨竹镇")
    wizard.next()
    assert "应为12位" in error_text(wizard, "org_code")
    assert wizard.district_name.text() == "渝北区"  # guessed from the code
    wizard.org_code.clear()
    type_text(qtbot, wizard.org_code, "500112108201")
    wizard.next()
    assert error_text(wizard, "org_code") == ""
    type_text(qtbot, wizard.clerk_name, "王文书")
    wizard.accept()


def type_person(qtbot, dlg: PersonDialog, name: str, gender: str, birth: str) -> None:  # type: ignore[no-untyped-def]
    type_text(qtbot, dlg.name, name)
    dlg.gender.setCurrentIndex(dlg.gender.findData(gender))
    type_text(qtbot, dlg.birth, birth)
    type_text(qtbot, dlg.phone, "138" + str(abs(hash(name)) % 10**8).zfill(8))
    dlg.group.setCurrentText("2组")


def test_clerk_sets_up_enters_ten_elders_five_helpers_and_finds_them(
    qtbot, settle, tmp_path: Path
) -> None:
    ws = Workspace.open(tmp_path / "village")
    wizard = SetupWizard(ws)
    qtbot.addWidget(wizard)
    wizard.show()
    finish_wizard(qtbot, wizard)
    assert ws.is_initialized and ws.info.org_code == "500112108201" and ws.operator == "王文书"

    window = MainWindow.for_workspace(ws)
    qtbot.addWidget(window)
    window.show()
    settle()
    window.go_area("老人")
    for name, gender, birth, _ in ELDERS:
        dlg = PersonDialog(ws, window.elders, as_elder=True)
        dlg.saved.connect(window.elders.reload)
        qtbot.addWidget(dlg)
        dlg.show()
        type_person(qtbot, dlg, name, gender, birth)
        dlg.type_checks["低保"].setChecked(True)
        dlg.living.setCurrentIndex(dlg.living.findData("独居"))
        dlg.health.setCurrentIndex(dlg.health.findData("自理"))
        qtbot.keyClick(dlg.phone, Qt.Key.Key_Return)  # Enter saves
        settle()
        assert dlg.result() == dlg.DialogCode.Accepted, [
            error_text(dlg, f) for f in dlg.errors.labels
        ]
        settle()
    window.go_area("帮扶人")
    for name, gender, birth, role in HELPERS:
        dlg = PersonDialog(ws, window.helpers, as_helper=True)
        dlg.saved.connect(window.helpers.reload)
        qtbot.addWidget(dlg)
        dlg.show()
        type_person(qtbot, dlg, name, gender, birth)
        dlg.role.setCurrentIndex(dlg.role.findData(role))
        dlg.activateWindow()
        qtbot.waitUntil(lambda d=dlg: QApplication.activeWindow() is d, timeout=3000)
        qtbot.keyClick(dlg.name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        settle()
        assert dlg.result() == dlg.DialogCode.Accepted, [
            error_text(dlg, f) for f in dlg.errors.labels
        ]
    settle()
    assert window.helpers.model.rowCount() == 5

    window.go_area("老人")
    view = window.elders
    for name, _, _, initials in ELDERS:
        view.search.clear()
        type_text(qtbot, view.search, initials)
        shown = [view.model.row_at(r).name for r in range(view.model.rowCount())]
        assert name in shown, (initials, shown)
    window.close()
    ws.close()

    again = Workspace.open(tmp_path / "village")
    with again.reading() as s:
        assert sorted(r.name for r in register.list_elders(s)) == sorted(e[0] for e in ELDERS)
        helpers = register.list_helpers(s)
    assert {h.role for h in helpers} == {h[3] for h in HELPERS}
    assert again.operator == "王文书"
    again.close()


def test_bad_id_shows_an_inline_message_and_saves_nothing(qtbot, settle, ws) -> None:
    dlg = PersonDialog(ws, None, as_elder=True)
    qtbot.addWidget(dlg)
    dlg.show()
    type_text(qtbot, dlg.name, "张德明")
    type_text(qtbot, dlg.id_number, "500112194803051230")
    type_text(qtbot, dlg.phone, "1381234")
    dlg.save()
    settle()
    assert "校验位" in error_text(dlg, "id_number")
    assert "11位" in error_text(dlg, "phone")
    assert "老人类型" in error_text(dlg, "elder_types")
    assert dlg.isVisible() and dlg.result() != dlg.DialogCode.Accepted
    with ws.reading() as s:
        assert register.list_elders(s) == []
    hint = dlg.findChild(QLabel, "hint_id_number")  # explained in full, wrapped, not cut
    assert hint.wordWrap() and hint.text() == "填了身份证号，性别和出生日期会自动带出。"
    # fixing a field takes its message away at once; the others stay until they are fixed
    dlg.phone.clear()
    type_text(qtbot, dlg.phone, "13812345678")
    assert error_text(dlg, "phone") == ""
    assert "校验位" in error_text(dlg, "id_number")


def test_every_area_says_what_it_holds(qtbot, settle, demo_ws) -> None:
    window = MainWindow.for_workspace(demo_ws)
    qtbot.addWidget(window)
    window.show()
    settle()
    assert window.findChild(QLabel, "demoBanner") is not None
    for i, area in enumerate(AREAS):
        window.go(i)
        settle()
        page = window.stack.currentWidget()
        texts = [label.text() for label in page.findChildren(QLabel) if label.text().strip()]
        assert len(texts) >= 2, area
    settle()
    assert window.home.tiles["elders"].value.text().isdigit()
    assert window.home.tiles["year_points"].value.text() != "…"
    assert window.home.points_line.text().startswith("时间银行：")


def test_real_workspace_has_no_demo_banner(qtbot, settle, ws) -> None:
    window = MainWindow.for_workspace(ws)
    qtbot.addWidget(window)
    window.show()
    settle()
    assert window.findChild(QLabel, "demoBanner") is None
    # a new village's empty lists say what to do first
    for area, page in (("老人", window.elders), ("帮扶人", window.helpers)):
        window.go_area(area)
        settle()
        hint = page.findChild(QLabel, "empty_hint")
        assert hint.isVisible() and "导入台账" in hint.text()


def test_a_list_with_people_shows_no_first_steps(qtbot, settle, demo_ws) -> None:
    window = MainWindow.for_workspace(demo_ws)
    qtbot.addWidget(window)
    window.show()
    window.go_area("老人")
    settle()
    assert not window.elders.findChild(QLabel, "empty_hint").isVisible()


def test_the_wizard_says_it_filled_the_district_and_typing_replaces_it(qtbot, ws) -> None:
    wizard = SetupWizard(ws)
    qtbot.addWidget(wizard)
    wizard.show()
    type_text(qtbot, wizard.org_code, "500112108201")
    field = wizard.district_name
    assert field.text() == "渝北区" and field.derived
    assert "已按统计用区划代码填好" in field.toolTip()
    field.setFocus()
    qtbot.waitUntil(lambda: field.selectedText() == "渝北区", timeout=2000)
    type_text(qtbot, field, "渝北区")  # the clerk types it anyway, with the input method
    assert field.text() == "渝北区" and not field.derived
    wizard.org_code.clear()
    type_text(qtbot, wizard.org_code, "500112108201")
    assert field.text() == "渝北区"  # what the clerk typed stays


def test_the_clerk_marks_an_elder_special_with_a_reason(qtbot, settle, ws) -> None:  # type: ignore[no-untyped-def]
    """Not special by the rule (其他, 双居): the reason typed makes the elder a 特殊老人, the form
    says so as it is typed, the list shows 是（村认定）, and the card shows the helper's health."""
    from huzhu_desktop.core import clock
    from huzhu_desktop.core.services import cards
    from huzhu_desktop.core.services.pairings import PairingForm, create_pairing

    dlg = PersonDialog(ws, None, as_elder=True)
    qtbot.addWidget(dlg)
    dlg.show()
    type_person(qtbot, dlg, "刘芳", "女", "1956-03-04")
    dlg.type_checks["其他"].setChecked(True)
    dlg.living.setCurrentIndex(dlg.living.findData("双居"))
    dlg.health.setCurrentIndex(dlg.health.findData("自理"))
    assert dlg.special_hint.text() == ""
    type_text(qtbot, dlg.special_reason, "子女长期在外、无人照料")
    assert "村里认定为特殊老人" in dlg.special_hint.text()
    dlg.save()
    settle()
    assert dlg.result() == dlg.DialogCode.Accepted, [error_text(dlg, f) for f in dlg.errors.labels]
    helper_dlg = PersonDialog(ws, None, as_helper=True)
    qtbot.addWidget(helper_dlg)
    helper_dlg.show()
    type_person(qtbot, helper_dlg, "王小红", "女", "1975-05-06")
    helper_dlg.role.setCurrentIndex(helper_dlg.role.findData("志愿者"))
    helper_dlg.helper_health.setCurrentIndex(helper_dlg.helper_health.findData("健康"))
    helper_dlg.save()
    settle()
    assert helper_dlg.result() == helper_dlg.DialogCode.Accepted
    with ws.reading() as s:
        liu = next(r for r in register.list_elders(s) if r.name == "刘芳")
        wang = next(h for h in register.list_helpers(s) if h.name == "王小红")
    assert liu.special and liu.special_reason == "子女长期在外、无人照料"
    with ws.transaction() as s:
        create_pairing(PairingForm("一对一", [liu.id], [wang.id], "2026-01-05"),
                       session=s, actor=ws.actor)  # fmt: skip
    with ws.reading() as s:
        card = next(c for c in cards.collect_cards(s, today=clock.today()) if c.elder_id == liu.id)
    assert [(h.name, h.health) for h in card.helpers] == [("王小红", "健康")]
    again = PersonDialog(ws, None, person_id=liu.id)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.special_reason.text() == "子女长期在外、无人照料")
