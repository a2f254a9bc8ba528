"""The 老人 and 帮扶人 lists: search-as-you-type, filters, keyboard, large font, status changes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from huzhu_desktop.core.settings import load_settings
from huzhu_desktop.gui.dialogs.status_dialog import StatusDialog
from huzhu_desktop.gui.main_window import MainWindow
from tests.gui.conftest import type_text
from tests.gui.windows import show_window


def open_window(qtbot, settle, workspace) -> MainWindow:  # type: ignore[no-untyped-def]
    return show_window(qtbot, settle, workspace, "老人", active=True)


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
    settle()  # the record is read off the GUI thread
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


def test_search_within_filters_and_an_unchanged_result_keeps_the_selection(
    qtbot, settle, demo_ws
) -> None:
    view = open_window(qtbot, settle, demo_ws).elders
    view.special_only.setChecked(True)
    special = visible_rows(view)
    target = special[1]
    type_text(qtbot, view.search, target.name[0])
    shown = visible_rows(view)
    assert target in shown and all(r.special and target.name[0] in r.name for r in shown)
    assert view.count_label.text() == f"共 {len(shown)} 人，其中特殊老人 {len(shown)} 人"
    view.table.selectRow(shown.index(target))
    type_text(qtbot, view.search, " ")  # a space: the same hits, the table is left alone
    assert view.current_row() == target
    view.special_only.setChecked(False)  # the filter changes while a search is typed
    text = view.search.text()
    everyone_found = [
        view.rows[i] for i in view.index.search(text) if view.rows[i].status == "在册"
    ]
    assert visible_rows(view) == everyone_found  # not the special-only hits kept for this text
    assert len(everyone_found) > len(shown)
    view.special_only.setChecked(True)  # and back: the special ones again, exactly
    assert visible_rows(view) == shown


def test_the_list_paints_the_same_through_multidata_as_through_data(qtbot, settle, demo_ws) -> None:
    """RowTableModel answers a cell's roles in one multiData call; the delegate reuses the span
    from cell to cell, so a role left unset would paint the previous cell's colour or text."""
    from PySide6.QtCore import QAbstractTableModel, QModelIndex

    from huzhu_desktop.gui.table_model import RowTableModel

    class RoleByRole(RowTableModel):  # type: ignore[type-arg]
        def multiData(self, index, span):  # type: ignore[no-untyped-def]
            QAbstractTableModel.multiData(self, index, span)  # Qt's: data() once per role

    view = open_window(qtbot, settle, demo_ws).elders
    view.show_inactive.setChecked(True)  # red 迁出/去世 and 是 cells among black ones
    view.table.resize(1100, 900)
    view.table.setCurrentIndex(QModelIndex())
    view.table.clearSelection()
    fast = view.table.grab().toImage()
    plain = RoleByRole(view.model.columns)
    plain.set_rows(view.model.rows, list(view.model.visible))
    view.table.setModel(plain)
    slow = view.table.grab().toImage()
    assert fast == slow and not fast.isNull()


def test_lists_mask_phones_and_ids_and_opening_a_record_is_logged(qtbot, settle, demo_ws) -> None:
    """On a shared PC the lists show 138****5678 and 500112********123X; the full numbers are
    in the person's record, and opening it is kept in the audit log."""
    from sqlalchemy import text

    from huzhu_desktop.gui.dialogs.person_dialog import PersonDialog

    window = open_window(qtbot, settle, demo_ws)
    view = window.elders
    row = next(r for r in visible_rows(view) if len(r.phone) == 11 and r.id_number)  # a mobile
    shown = {
        view.model.headerData(c, Qt.Orientation.Horizontal): view.model.index(
            visible_rows(view).index(row), c
        ).data()
        for c in range(view.model.columnCount())
    }
    assert row.phone not in shown.values() and row.id_number not in shown.values()
    assert shown["电话"] == row.phone[:3] + "****" + row.phone[-4:]
    dlg = PersonDialog(demo_ws, person_id=row.id)
    qtbot.addWidget(dlg)
    settle()
    assert dlg.phone.text() == row.phone
    with demo_ws.reading() as s:
        logged = s.execute(
            text("SELECT count(*) FROM audit_log WHERE action = '查看个人信息' AND row_id = :id"),
            {"id": row.id},
        ).scalar_one()
    assert logged == 1


def test_a_column_with_nothing_in_any_row_is_hidden_until_something_is(qtbot, settle, ws) -> None:
    from huzhu_desktop.core.services import people
    from huzhu_desktop.core.services.people import HelperForm, PersonForm

    def helper(name: str, organisation: str) -> None:
        with ws.transaction() as s:
            people.save_person(
                PersonForm(name, "女", "1975", group_name="1组"),
                None,
                HelperForm("志愿者", organisation),
                session=s,
                actor=ws.actor,
            )

    helper("王小红", "")
    window = show_window(qtbot, settle, ws, "帮扶人")
    view = window.helpers
    headers = [c.header for c in view.model.columns]
    org = next(i for i, h in enumerate(headers) if "组织" in h)
    assert view.table.isColumnHidden(org)
    helper("刘芳", "渝北区康乐社工中心")
    view.reload()
    settle()
    assert not view.table.isColumnHidden(org)


def test_the_cells_column_fit_measures_are_the_cells_the_table_shows(
    qtbot, settle, demo_ws
) -> None:
    """column_fit reads a RowTableModel's cells straight (`texts`), not through an index per
    cell: they must be exactly what `data` gives the table, after a search too."""
    view = open_window(qtbot, settle, demo_ws).elders
    model = view.model
    for text in ("", "王", "1"):
        view.search.setText(text)
        n = min(model.rowCount(), 40)
        for c in range(model.columnCount()):
            assert model.texts(c, 40) == [model.index(r, c).data() for r in range(n)], (text, c)
