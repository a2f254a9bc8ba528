"""首页: the clerk exports this quarter's 特殊老人探访情况 from the page that shows the gaps."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtWidgets import QMessageBox

from huzhu_desktop.gui import files
from huzhu_desktop.gui.main_window import MainWindow


def home(qtbot, settle, ws):  # type: ignore[no-untyped-def]
    window = MainWindow.for_workspace(ws)
    qtbot.addWidget(window)
    window.show()
    settle()
    return window.home


def test_the_coverage_workbook_is_saved_and_opened(
    qtbot, settle, demo_ws, tmp_path: Path, monkeypatch
) -> None:
    dest = tmp_path / "探访情况.xlsx"
    opened: list[Path] = []
    monkeypatch.setattr(files, "choose_save_path", lambda *_a: str(dest))
    monkeypatch.setattr(files, "open_file", lambda p, *_a: opened.append(p))
    view = home(qtbot, settle, demo_ws)
    assert "huzhu report" not in view.overdue.text()  # no command line for the clerk
    view.export_coverage.click()
    settle()
    assert opened == [dest]
    book = load_workbook(dest, read_only=True)
    assert book.sheetnames == ["月探访率", "未探访名单", "未结对特殊老人", "超期未走访"]
    title = next(book["月探访率"].iter_rows(max_row=1, values_only=True))[0]
    assert "特殊老人探访情况" in title


def test_cancelling_or_an_unwritable_place_leaves_nothing_behind(
    qtbot, settle, demo_ws, tmp_path: Path, monkeypatch
) -> None:
    opened: list[Path] = []
    warned: list[str] = []
    monkeypatch.setattr(files, "open_file", lambda p, *_a: opened.append(p))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    view = home(qtbot, settle, demo_ws)
    monkeypatch.setattr(files, "choose_save_path", lambda *_a: "")
    view.export_coverage.click()
    settle()
    folder = tmp_path / "out" / "已有的文件夹.xlsx"  # the clerk picked a folder's name
    folder.mkdir(parents=True)
    monkeypatch.setattr(files, "choose_save_path", lambda *_a: str(folder))
    view.export_coverage.click()
    settle()
    assert opened == [] and folder.is_dir()
    assert len(warned) == 1 and "是一个文件夹，请换一个文件名" in warned[0]
    assert list(folder.parent.iterdir()) == [folder]  # no half-written .part left beside it


def test_a_village_without_an_activity_this_quarter_is_reminded(qtbot, settle, ws) -> None:
    view = home(qtbot, settle, ws)
    assert "本季度还没有开展集体活动" in view.attention.text()
    assert view.tiles["year_points"].value.text() == "0"


def test_the_home_page_shows_the_plans_targets_with_bars(qtbot, settle, demo_ws) -> None:
    """Each target of the village's level: a bar of the way to its goal and the figures, the
    same numbers `huzhu targets` gives."""
    from huzhu_desktop.core.reports import targets
    from tests.gui.windows import show_window

    window = show_window(qtbot, settle, demo_ws)
    home = window.home
    with demo_ws.reading() as s:
        expected = targets.compute(s, demo_ws.folder)
    qtbot.waitUntil(lambda: len(home.target_rows) == len(expected))
    for t in expected:
        _name, bar, text = home.target_rows[t.id]
        assert bar.value() == round(t.progress * 100)
        assert targets.shown(t.goal, t.unit) in text.text()
        assert ("达到" in text.text()) and (("✓" in text.text()) == t.met)


def test_every_chart_plots_the_numbers_it_was_given(qtbot, settle, demo_ws) -> None:
    """The twelve months' 月探访率, visits and points, as dashboard.monthly gives them: each
    value drawn at its height (the chart's line colour under the point), the goal line at 100."""
    from huzhu_desktop.core.reports import dashboard
    from huzhu_desktop.gui.widgets.charts import BAR, LINE
    from tests.gui.windows import show_window

    window = show_window(qtbot, settle, demo_ws)
    home = window.home
    with demo_ws.reading() as s:
        months = dashboard.monthly(s)
    assert len(months) == 12
    qtbot.waitUntil(lambda: len(home.visits_chart.values) == 12)
    expected = {
        home.rate_chart: [m.visit_rate for m in months],
        home.visits_chart: [float(m.visits) for m in months],
        home.points_chart: [m.points for m in months],
    }
    for chart, values in expected.items():
        assert chart.values == values
        image = chart.grab().toImage()  # paints it: the points are where the values went
        area = chart.plot_area()
        colour = LINE if chart is home.rate_chart else BAR
        for value, point in zip(values, chart.points, strict=True):
            if value is None:
                assert point is None
                continue
            assert point is not None
            if chart is home.rate_chart:
                assert abs(point.y() - chart.y_of(value, area)) < 0.5
                pixel = image.pixelColor(round(point.x()), round(point.y()))
                assert pixel == colour
            elif value:
                top = chart.y_of(value, area)
                assert abs((top + area.bottom()) / 2 - point.y()) < 0.5
                assert image.pixelColor(round(point.x()), round(point.y())) == colour
    assert home.rate_chart.goal == 100
    assert not home.units_chart.isVisibleTo(home)  # a village has no villages to compare


def test_todays_chores_at_a_village_and_its_town(qtbot, settle, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The quarter not yet sent at the village; at the town, the villages that have not sent and
    the ones waiting for review — each line saying where to do it."""
    from huzhu_desktop.core.periods import reporting_quarter
    from huzhu_desktop.core.reports import dashboard
    from huzhu_desktop.core.sync.export import export_bundle
    from tests.gui.windows import show_window
    from tests.sync.helpers import bring, chain

    c = chain(tmp_path)
    try:
        with c.village.reading() as s:
            lines = dashboard.todo(s)
        assert any("数据包还没有报送" in line and "导出数据包" in line for line in lines)
        usb = tmp_path / "u"
        usb.mkdir()
        with c.village.transaction() as s:
            sent = export_bundle(s, c.village.actor, usb, period=str(reporting_quarter()))
        bring(c.town, sent.path)
        with c.village.reading() as s:
            assert not any("数据包还没有报送" in line for line in dashboard.todo(s))
        with c.town.reading() as s:
            lines = dashboard.todo(s)
        assert any("等审核" in line and "演示村" in line for line in lines)
        home = show_window(qtbot, settle, c.town).home
        qtbot.waitUntil(lambda: "等审核" in home.todo.text())
    finally:
        c.close()


def test_the_helped_share_opens_the_rows_behind_it(qtbot, settle, demo_ws) -> None:
    """结对帮扶率 → 查看未结对的名单: the 老人 page filtered to the 42号 台账 without a pairing."""
    from PySide6.QtWidgets import QPushButton

    from huzhu_desktop.core.reports.targets import in_42_ledger
    from tests.gui.windows import show_window

    window = show_window(qtbot, settle, demo_ws)
    qtbot.waitUntil(lambda: "helped_share" in window.home.target_rows)
    window.home.findChild(QPushButton, "target_rows_helped_share").click()
    settle()
    elders = window.elders
    assert window.stack.currentWidget() is elders
    shown = [elders.model.row_at(i) for i in range(elders.model.rowCount())]
    assert shown and all(r is not None and in_42_ledger(r) for r in shown)
    assert all(not r.paired or (r.special and not r.one_to_one) for r in shown)


def test_the_home_page_prints_on_one_a4_sheet(
    qtbot, settle, demo_ws, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import re
    import shutil
    import subprocess

    from huzhu_desktop.gui import files
    from tests.gui.windows import show_window

    window = show_window(qtbot, settle, demo_ws)
    home = window.home
    qtbot.waitUntil(lambda: bool(home.target_rows) and bool(home.visits_chart.values))
    dest = tmp_path / "首页.pdf"
    opened: list[object] = []
    monkeypatch.setattr(files, "choose_save_path", lambda *_a: str(dest))
    monkeypatch.setattr(files, "open_file", lambda p, *_a: opened.append(p))
    home.print_button.click()
    assert opened == [dest] and dest.stat().st_size > 1000
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(dest)], capture_output=True, text=True).stdout
        assert re.search(r"Pages:\s+1\b", info)
        assert dest.stat().st_size < 5_000_000
        png = tmp_path / "page"
        subprocess.run(["pdftoppm", "-png", "-r", "30", str(dest), str(png)], check=True)
        from PySide6.QtGui import QImage

        image = QImage(str(next(tmp_path.glob("page*.png"))))
        colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 7)
                   for y in range(0, image.height(), 7)}  # fmt: skip
        assert len(colours) > 20  # the page's bars, charts and text, not a blank sheet


def test_a_goal_set_in_settings_is_what_the_home_page_measures(qtbot, settle, demo_ws) -> None:
    from huzhu_desktop.core import clock
    from huzhu_desktop.core.reports import targets
    from tests.gui.windows import show_window

    window = show_window(qtbot, settle, demo_ws, "设置")
    spin = window.settings_view.goal_boxes["points_year"]
    assert spin.value() == 10_000
    spin.setValue(200)
    spin.editingFinished.emit()
    assert targets.goals(demo_ws.folder, clock.today().year)["points_year"] == 200
    window.home.reload()
    qtbot.waitUntil(lambda: "目标 200 分" in window.home.target_rows["points_year"][2].text())


def test_each_target_opens_the_rows_behind_it_and_saves_them(
    qtbot, settle, demo_ws, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """明细 beside every target: a table of what the figure counted, and 导出Excel."""
    from PySide6.QtWidgets import QPushButton

    from huzhu_desktop.gui.dialogs.target_rows_dialog import TargetRowsDialog
    from tests.gui.windows import show_window

    dest = tmp_path / "明细.xlsx"
    opened: list[Path] = []
    monkeypatch.setattr(files, "choose_save_path", lambda *_a: str(dest))
    monkeypatch.setattr(files, "open_file", lambda p, *_a: opened.append(p))
    window = show_window(qtbot, settle, demo_ws)
    home_view = window.home
    qtbot.waitUntil(lambda: "visit_rate_month" in home_view.target_rows)
    for target_id in home_view.target_rows:
        home_view.findChild(QPushButton, f"target_detail_{target_id}").click()
        qtbot.waitUntil(
            lambda: isinstance(getattr(home_view, "target_dialog", None), TargetRowsDialog)
        )
        dialog = home_view.target_dialog
        assert dialog.target_id == target_id
        if target_id == "visit_rate_month":
            names = {dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
            assert names and all(names)
            dialog.findChild(QPushButton, "export_target_rows").click()
            qtbot.waitUntil(lambda: opened == [dest])
            sheet = load_workbook(dest, read_only=True).active
            cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
            assert names <= set(cells)
            assert any("计算方法" in str(c) for c in cells)
        dialog.close()
        home_view.target_dialog = None


def test_a_damaged_page_of_a_big_database_is_reported_after_start(
    qtbot, settle, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A district's database opens without reading every page first; once the window is ready
    the pages are read off the GUI thread, and damage is said in a red line at the top."""
    from huzhu_desktop.core import workspace as workspace_module
    from huzhu_desktop.core.demo import make_demo
    from huzhu_desktop.core.workspace import Workspace
    from tests.gui.windows import show_window

    folder = tmp_path / "district-like"
    with Workspace.open(folder) as ws:
        make_demo(ws, elders=200, seed=3, town=False)
    db = folder / "huzhu.db"
    with db.open("r+b") as fh:
        fh.seek(db.stat().st_size - 8192 * 3)
        fh.write(b"\xff" * 8192)
    monkeypatch.setattr(workspace_module, "DEEP_CHECK_MAX_BYTES", 0)
    ws = Workspace.open(folder)
    try:
        window = show_window(qtbot, settle, ws)
        qtbot.waitUntil(lambda: window.damage_banner.isVisibleTo(window), timeout=10_000)
        assert "损坏" in window.damage_banner.text()
        window.close()
    finally:
        ws.close()


def test_a_districts_home_leaves_the_per_person_lists_to_the_villages(tmp_path: Path) -> None:
    """At a district the 首页 has no list of overdue elders or top helpers by name (the
    villages chase those); its counts and rates are there."""
    from huzhu_desktop.core import clock
    from huzhu_desktop.core.services.home import home_figures
    from huzhu_desktop.core.sync.export import export_bundle
    from tests.sync.helpers import bring, chain

    c = chain(tmp_path)
    try:
        usb = tmp_path / "u"
        usb.mkdir()
        with c.village.transaction() as s:
            bring(c.town, export_bundle(s, c.village.actor, usb).path)
        with c.town.transaction() as s:
            bring(c.district, export_bundle(s, c.town.actor, usb).path)
        with c.town.reading() as s:
            town = home_figures(s, today=clock.today())
        with c.district.reading() as s:
            district = home_figures(s, today=clock.today())
        assert town.overdue is not None and district.overdue is None
        assert district.overdue_list == [] and district.points.top_helpers == []
        assert district.register == town.register and district.register.elders > 0
        assert district.this_month.special_elders == town.this_month.special_elders
    finally:
        c.close()
