"""The 老人 and 帮扶人 lists: search-as-you-type, filters, keyboard, large font, status changes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from huzhu_desktop.core.settings import load_settings
from huzhu_desktop.gui.dialogs.status_dialog import StatusDialog
from huzhu_desktop.gui.main_window import MainWindow
from tests.gui.conftest import type_text


def open_window(qtbot, settle, workspace) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow.for_workspace(workspace)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    window.go_area("老人")
    settle()
    return window


def visible_rows(view):  # type: ignore[no-untyped-def]
    return [view.model.row_at(r) for r in range(view.model.rowCount())]


def test_search_and_filters_narrow_the_elder_list(qtbot, settle, demo_ws) -> None:
    view = open_window(qtbot, settle, demo_ws).elders
    everyone = visible_rows(view)
    assert everyone and all(r.status == "在册" for r in everyone)
    target = everyone[5]
    type_text(qtbot, view.search, target.initials)
    assert target in visible_rows(view)
    assert all(
        r.initials.startswith(target.initials)
        or target.initials in r.initials
        or target.initials in r.pinyin
        for r in visible_rows(view)
    )
    qtbot.keyClick(view.search, Qt.Key.Key_Escape)
    assert view.search.text() == ""
    view.special_only.setChecked(True)
    assert visible_rows(view) and all(r.special for r in visible_rows(view))
    view.unpaired_only.setChecked(True)
    assert all(r.special and not r.paired for r in visible_rows(view))
    view.special_only.setChecked(False)
    view.unpaired_only.setChecked(False)
    view.type_filter.setCurrentIndex(view.type_filter.findData("低保"))
    assert visible_rows(view) and all("低保" in r.elder_types for r in visible_rows(view))
    assert "共" in view.count_label.text()


def test_typing_in_the_table_jumps_to_search_and_enter_opens_the_record(
    qtbot, settle, demo_ws
) -> None:
    window = open_window(qtbot, settle, demo_ws)
    view = window.elders
    view.table.setFocus()
    type_text(qtbot, view.table, "z")
    assert view.search.text() == "z" and view.search.hasFocus()
    qtbot.keyClick(view.search, Qt.Key.Key_Down)
    assert view.table.hasFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    dialogs = [w for w in QApplication.topLevelWidgets() if w.windowTitle() == "修改人员信息"]
    assert dialogs and dialogs[0].name.text() == view.current_row().name
    dialogs[0].reject()


def test_home_button_shows_unpaired_special_elders(qtbot, settle, demo_ws) -> None:
    window = open_window(qtbot, settle, demo_ws)
    window.go_area("首页")
    settle()
    unpaired = int(window.home.tiles["unpaired"].value.text())
    window.show_unpaired_special()
    assert len(visible_rows(window.elders)) == unpaired


def test_moving_away_hides_the_elder_from_the_register(qtbot, settle, demo_ws) -> None:
    view = open_window(qtbot, settle, demo_ws).elders
    target = visible_rows(view)[0]
    dlg = StatusDialog(demo_ws, target.id, target.name, target.status)
    qtbot.addWidget(dlg)
    dlg.status.setCurrentIndex(dlg.status.findData("迁出"))
    type_text(qtbot, dlg.reason, "随子女迁往主城")
    dlg.saved.connect(view.reload)
    dlg.save()
    settle()
    settle()
    assert target.id not in {r.id for r in visible_rows(view)}
    view.show_inactive.setChecked(True)
    assert "迁出" in {r.status for r in visible_rows(view) if r.id == target.id}


def test_large_font_mode_is_remembered(qtbot, settle, demo_ws) -> None:
    window = open_window(qtbot, settle, demo_ws)
    app = QApplication.instance()
    normal = app.font().pointSize()
    window.settings_view.large.setChecked(True)
    assert app.font().pointSize() > normal
    assert load_settings(demo_ws.folder).large_font is True
    window.settings_view.large.setChecked(False)
    assert load_settings(demo_ws.folder).large_font is False


def test_helpers_filter_by_role(qtbot, settle, demo_ws) -> None:
    window = open_window(qtbot, settle, demo_ws)
    window.go_area("帮扶人")
    settle()
    view = window.helpers
    view.role_filter.setCurrentIndex(view.role_filter.findData("互助养老小组长"))
    rows = visible_rows(view)
    assert rows and {r.role for r in rows} == {"互助养老小组长"}


def test_clerk_adds_a_care_point_in_settings(qtbot, settle, demo_ws) -> None:
    from huzhu_desktop.gui.dialogs.care_point_dialog import CarePointDialog

    window = open_window(qtbot, settle, demo_ws)
    window.go_area("设置")
    settle()
    view = window.settings_view
    before = view.points_model.rowCount()
    assert before == 2
    dlg = CarePointDialog(demo_ws, view)
    qtbot.addWidget(dlg)
    dlg.saved.connect(lambda _i: view.reload_points())
    type_text(qtbot, dlg.name, "3组互助养老分点")
    dlg.opened.setText("2030-01-01")
    dlg.save()
    settle()
    assert "晚于今天" in dlg.findChild(QLabel, "error_opened_on").text()
    dlg.opened.setText("2026-03-01")
    dlg.save()
    settle()
    assert view.points_model.rowCount() == before + 1


def test_clerk_sets_the_phones_printed_on_cards(qtbot, settle, demo_ws) -> None:
    window = open_window(qtbot, settle, demo_ws)
    window.go_area("设置")
    settle()
    view = window.settings_view
    view.office_phone.setText("6785")
    view.save_contacts()
    settle()
    assert "区号" in view.contacts_message.text()
    view.office_phone.setText("(023) 6785 1234")
    view.save_contacts()
    settle()
    assert view.office_phone.text() == "023-67851234"
    assert demo_ws.info.office_phone == "023-67851234"


def test_helper_load_threshold_is_a_setting(qtbot, settle, demo_ws) -> None:
    window = open_window(qtbot, settle, demo_ws)
    window.go_area("设置")
    window.settings_view.max_elders.setValue(2)
    window.settings_view.large.setChecked(True)  # saving another setting keeps this one
    settings = load_settings(demo_ws.folder)
    assert (settings.max_elders_per_helper, settings.large_font) == (2, True)
