"""报表: the clerk checks the quarter's 附件1 figures on screen, then saves the workbook."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from huzhu_desktop.core.reports.forms import ATTACHMENT1_HEADER
from huzhu_desktop.gui import files
from huzhu_desktop.gui.main_window import MainWindow


def test_attachment1_on_screen_and_saved(
    qtbot, settle, demo_ws, tmp_path: Path, monkeypatch
) -> None:
    window = MainWindow.for_workspace(demo_ws)
    qtbot.addWidget(window)
    window.show()
    window.go_area("报表")
    settle()
    page = window.reports
    row, total = [page.model.row_at(i) for i in range(page.model.rowCount())]
    assert row is not None and row.name == "演示村" and row.volunteers > 0
    assert total is not None and total.name == "合计" and total.volunteers == row.volunteers
    quarter_points = row.points_c
    page.year_to_date.setChecked(True)
    settle()
    year = page.model.row_at(0)
    assert year is not None and year.points_c >= quarter_points
    dest = tmp_path / "附件1.xlsx"
    opened: list[Path] = []
    monkeypatch.setattr(files, "choose_save_path", lambda *_a: str(dest))
    monkeypatch.setattr(files, "open_file", lambda p, *_a: opened.append(p))
    page.save_attachment1()
    settle()
    assert opened == [dest]
    sheet = load_workbook(dest).active
    assert tuple(c.value for c in sheet[4]) == ATTACHMENT1_HEADER
    assert sheet["B5"].value == "演示村" and sheet["J5"].value * 100 == year.points_c
    on_screen = [page.model.row_at(i).name for i in range(page.model.rowCount())]  # type: ignore[union-attr]
    assert [sheet.cell(5 + i, 2).value for i in range(len(on_screen))] == on_screen
    assert sheet["A6"].value in (None, "") and sheet["B6"].font.bold
    ledger = tmp_path / "附件2.xlsx"
    monkeypatch.setattr(files, "choose_save_path", lambda *_a: str(ledger))
    page.save_attachment2()
    settle()
    assert opened == [dest, ledger]
    assert load_workbook(ledger).active["A2"].value.endswith("农村互助养老结对帮扶信息台账")


def test_a_saved_file_says_where_it_is_even_when_nothing_can_open_it(
    qtbot, settle, demo_ws, tmp_path: Path, monkeypatch
) -> None:
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QMessageBox

    from tests.gui.windows import show_window

    window = show_window(qtbot, settle, demo_ws, "报表")
    dest = tmp_path / "附件1.xlsx"
    told: list[str] = []
    monkeypatch.setattr(files, "choose_save_path", lambda *_a: str(dest))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: False)  # no launcher here
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    said: list[str] = []

    def click(box: QMessageBox, label: str) -> int:
        said.append(box.text())
        next(b for b in box.buttons() if b.text() == label).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", lambda box: click(box, "打开"))
    window.reports.save_attachment1()
    settle()
    assert dest.is_file()
    assert said == [f"已保存到：\n{dest}"]  # where it went, with 打开 / 打开所在文件夹
    assert told and str(dest) in told[0] and "没有能直接打开它的程序" in told[0]
    assert window.statusBar().currentMessage() == f"已保存：{dest}"
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True
    )
    monkeypatch.setattr(QMessageBox, "exec", lambda box: click(box, "打开所在文件夹"))
    window.reports.save_attachment1()
    settle()
    assert opened == [str(tmp_path)]


def test_the_registers_are_saved_from_the_reports_page(
    qtbot, settle, demo_ws, tmp_path: Path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QPushButton

    from huzhu_desktop.core.reports.registers import REGISTERS
    from tests.gui.windows import show_window

    page = show_window(qtbot, settle, demo_ws, "报表").reports
    opened: list[Path] = []
    monkeypatch.setattr(files, "open_file", lambda p, *_a: opened.append(p))
    for reg_id, reg in REGISTERS.items():
        dest = tmp_path / f"{reg_id}.xlsx"
        monkeypatch.setattr(files, "choose_save_path", lambda *_a, d=dest: str(d))
        page.findChild(QPushButton, f"register_{reg_id}").click()
        settle()
        assert opened[-1] == dest
        assert load_workbook(dest).active["A2"].value.endswith(reg.title)
