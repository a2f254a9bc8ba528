"""Nothing a clerk must read is cut short, on the screens village offices have: 1366×768 (the
common village PC), 1280×800 in large-font mode, and 1366×768 at Windows' 150% scaling (Qt lays
out in logical pixels: a 911×512 window, as QT_SCALE_FACTOR=1.5 gives). Every page — each tab of
it — and the dialogs with tables are rendered on the demo; a header whose text does not fit its
column, or a phone / ID / code / date cell that does not, fails the test with its place.

With HUZHU_SCREENSHOTS=DIR the pages are also saved as PNGs (docs/screenshots is made so).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableView, QTabWidget, QWidget

from huzhu_desktop.gui.areas import AREAS
from huzhu_desktop.gui.column_fit import header_room, must_be_whole
from huzhu_desktop.gui.style import apply_style
from tests.gui.windows import show_window

SETTINGS = {
    "1366x768": (1366, 768, False),
    "1280x800-large": (1280, 800, True),
    "150pct-1366x768": (911, 512, False),
}


@pytest.fixture
def styled(request: pytest.FixtureRequest) -> Iterator[tuple[int, int]]:
    """The app's look as the clerk has it (font and sizes), put back afterwards."""
    width, height, large = SETTINGS[request.param]
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    font, sheet = app.font(), app.styleSheet()
    apply_style(app, large=large)
    yield width, height
    app.setFont(font)
    app.setStyleSheet(sheet)


def clipped(view: QTableView, where: str) -> list[str]:
    """Every header or must-be-whole cell of `view` that its column cuts short."""
    model = view.model()
    out = []
    fm = view.fontMetrics()
    for c in range(model.columnCount()):
        if view.isColumnHidden(c):
            continue
        width = view.columnWidth(c)
        header = str(model.headerData(c, Qt.Orientation.Horizontal) or "")
        if header and header_room(view, c) > width:
            out.append(f"{where}: header “{header}” needs {header_room(view, c)} px, has {width}")
        if not must_be_whole(model, c):
            continue
        for r in range(min(model.rowCount(), 50)):
            text = str(model.data(model.index(r, c)) or "")
            if text and fm.horizontalAdvance(text) + 6 > width:
                out.append(f"{where}: “{header}” cell “{text}” does not fit ({width} px)")
                break
    return out


def tables_on_every_tab(page: QWidget, settle, where: str) -> Iterator[tuple[QTableView, str]]:  # type: ignore[no-untyped-def]
    tabs = [t for t in page.findChildren(QTabWidget) if t.isVisible()]
    if not tabs:
        yield from ((v, where) for v in page.findChildren(QTableView) if v.isVisible())
        return
    for tab_widget in tabs:
        for i in range(tab_widget.count()):
            tab_widget.setCurrentIndex(i)
            settle()
            name = f"{where} / {tab_widget.tabText(i)}"
            for v in tab_widget.widget(i).findChildren(QTableView):
                if v.isVisible():
                    yield v, name


@pytest.mark.parametrize("styled", list(SETTINGS), indirect=True)
def test_no_page_cuts_a_header_or_a_phone_or_id_short(
    qtbot, settle, demo_ws, styled: tuple[int, int], request: pytest.FixtureRequest
) -> None:
    width, height = styled
    window = show_window(qtbot, settle, demo_ws)
    window.resize(width, height)
    settle()
    shots = os.environ.get("HUZHU_SCREENSHOTS")
    setting = request.node.callspec.id
    problems: list[str] = []
    for area in AREAS:
        window.go_area(area)
        settle()
        page = window.stack.currentWidget()
        window.resize(width, height)
        settle()
        if window.width() > width or window.height() > height:  # the page will not shrink
            problems.append(f"{setting} {area}: window {window.width()}×{window.height()}")
        for view, where in tables_on_every_tab(page, settle, area):
            problems += clipped(view, f"{setting} {where} ({view.objectName()})")
        if shots:
            folder = Path(shots) / setting
            folder.mkdir(parents=True, exist_ok=True)
            window.grab().save(str(folder / f"{AREAS.index(area):02d}-{area}.png"))
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("styled", list(SETTINGS), indirect=True)
def test_the_person_form_fits_the_screen_with_its_buttons_in_view(
    qtbot, settle, demo_ws, styled: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tallest form: at 150% or in large-font mode its body scrolls, 保存 stays on screen."""
    from PySide6.QtCore import QSize

    from huzhu_desktop.gui import fit_screen
    from huzhu_desktop.gui.dialogs.person_dialog import PersonDialog

    width, height = styled
    monkeypatch.setattr(
        fit_screen, "available", lambda _w: QSize(width, height) - fit_screen.MARGIN
    )
    dialog = PersonDialog(demo_ws, as_elder=True)
    qtbot.addWidget(dialog)
    dialog.show()
    settle()
    assert dialog.width() <= width and dialog.height() <= height
    button = dialog.save_button
    corner = button.mapTo(dialog, button.rect().bottomRight())
    assert dialog.rect().contains(corner), (corner, dialog.size())


@pytest.mark.parametrize("styled", ["1366x768"], indirect=True)
def test_the_demo_towns_pages_cut_nothing_short(
    qtbot, settle, demo_ws, styled: tuple[int, int]
) -> None:
    """The demo town (the village's bundle received): its 首页 with the villages side by side,
    its 同步 page with the review matrix — at the common village-office screen."""
    from huzhu_desktop.core.demo.sync_demo import TOWN_FOLDER
    from huzhu_desktop.core.workspace import Workspace

    width, height = styled
    town = Workspace.open(demo_ws.folder / TOWN_FOLDER)
    try:
        window = show_window(qtbot, settle, town)
        window.resize(width, height)
        settle()
        qtbot.waitUntil(lambda: "villages_started" in window.home.target_rows)
        shots = os.environ.get("HUZHU_SCREENSHOTS")
        problems: list[str] = []
        for area in AREAS:
            window.go_area(area)
            settle()
            for view, where in tables_on_every_tab(window.stack.currentWidget(), settle, area):
                problems += clipped(view, f"town {where} ({view.objectName()})")
            if shots and area in ("首页", "同步", "报表"):
                folder = Path(shots) / "town-1366x768"
                folder.mkdir(parents=True, exist_ok=True)
                window.grab().save(str(folder / f"{AREAS.index(area):02d}-{area}.png"))
        assert problems == [], "\n".join(problems)
        window.close()
    finally:
        town.close()


def test_a_fitted_table_widget_can_be_destroyed(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A QTableWidget resets its own model while it is destroyed; the column fitting that
    listens to the reset must not touch the half-deleted widget (it did, in the import wizard)."""
    import shiboken6
    from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

    from huzhu_desktop.gui.column_fit import keep_fitted

    table = QTableWidget(3, 2)
    table.setItem(0, 0, QTableWidgetItem("13800000000"))
    keep_fitted(table)
    shiboken6.delete(table)  # the C++ widget goes first, as when its dialog is deleted
    assert not shiboken6.isValid(table)


def test_a_search_at_a_district_widens_the_village_column_for_what_it_finds(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A district's list is fitted on its first rows (one village); a search brings up others
    with longer names — the 单位 column grows to them, measuring only the rows on screen."""
    from huzhu_desktop.gui.table_model import Column, RowTableModel, row_table
    from huzhu_desktop.gui.views.register_view import UNIT_COLUMN

    names = ["第1镇第1村"] * 400 + ["第10镇第23村（移民新村）"] * 3
    model: RowTableModel[str] = RowTableModel(
        [Column(UNIT_COLUMN.header, lambda r: r, 60), Column("姓名", lambda r: "张三", 60)]
    )
    view = row_table(model, "t")
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    model.set_rows(names)
    assert not clipped(view, "the first village")
    model.set_visible([400, 401, 402])  # a search finds the far village's elders
    assert not clipped(view, "after the search")
    assert view.columnWidth(0) > view.fontMetrics().horizontalAdvance(names[-1])
    assert model.fit_sample < len(names)  # a search measures its first screen, not 300 rows
