"""A 小组长's own 走访 sheet and the WeChat group's messages go into the batch grid for review;
names that fit several people (or nobody exactly) are chosen from a picker, never guessed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMenu

from huzhu_desktop.core import clock
from huzhu_desktop.core.importers.ledger import import_ledger
from huzhu_desktop.core.services import people
from huzhu_desktop.core.services.people import ElderForm, PersonForm
from huzhu_desktop.core.services.visits_read import list_visits
from huzhu_desktop.gui import files
from huzhu_desktop.gui.main_window import MainWindow
from huzhu_desktop.gui.views.visit_grid import ELDER, HELPER, KIND, MESSAGE, MINUTES
from tests.fixtures import producers
from tests.fixtures.producers.sheets import FILLED_ATTACHMENT2
from tests.fixtures.producers.visit_sheets import HELPER_VISITS
from tests.gui.windows import show_window

NOW = "2026-11-30T10:00"


@pytest.fixture
def village(ws, tmp_path: Path):  # type: ignore[no-untyped-def]
    """石坪村 with the people of the filled 附件2 (王小红 looks after 张德明 and 李秀英)."""
    book = producers.excel_like(tmp_path / "台账.xlsx", [FILLED_ATTACHMENT2])
    with clock.frozen(NOW):
        with ws.transaction() as s:
            import_ledger(book, session=s, actor=ws.actor, dry_run=False)
        yield ws


def _window(qtbot, settle, ws) -> MainWindow:  # type: ignore[no-untyped-def]
    return show_window(qtbot, settle, ws, "走访")


def _picker(qtbot) -> QMenu:  # type: ignore[no-untyped-def]
    found: list[QMenu] = []

    def shown() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu)]
        return any(m.isVisible() for m in found)

    qtbot.waitUntil(shown, timeout=3000)
    return next(m for m in found if m.isVisible())


def test_clerk_brings_in_a_helpers_sheet_and_settles_a_mistyped_name(
    qtbot, settle, village, tmp_path: Path, monkeypatch
) -> None:
    sheet = producers.excel_like(tmp_path / "王小红走访.xlsx", [HELPER_VISITS])
    monkeypatch.setattr(files, "choose_open_path", lambda *_a: str(sheet))
    window = _window(qtbot, settle, village)
    view, grid = window.visits, window.visits.grid
    view.import_file()
    settle()
    status = view.status.text()
    assert "读入 5 条走访" in status and "1 条要选人或改正" in status, status
    assert grid.rowCount() == 6  # five read, one empty row for the next slip
    row = next(r for r in range(5) if grid.item(r, ELDER).text() == "张得明")
    assert "是不是：张德明（3组，78岁，男）" in grid.item(row, MESSAGE).text()
    two = next(r for r in range(5) if "、" in grid.item(r, ELDER).text())
    assert (
        grid.item(two, ELDER).text() == "张德明、李秀英" and grid.item(two, MINUTES).text() == "40"
    )
    assert grid.item(two, HELPER).text() == "王小红" and grid.item(two, KIND).text() == "入户探访"

    grid.setCurrentCell(row, ELDER)
    grid.advance()  # Enter on an open name opens the picker
    menu = _picker(qtbot)
    [choice] = menu.actions()
    assert choice.text() == "张德明（3组，78岁，男）"
    choice.trigger()
    assert grid.item(row, ELDER).text() == "张德明" and grid.item(row, MESSAGE).text() == ""

    view.save()
    settle()
    assert "已保存 5 条" in view.status.text()
    with village.reading() as s:
        stored = list_visits(s)
    assert len(stored) == 5 and {v.source for v in stored} == {"表格"}

    view.import_file()  # the same sheet again: nothing new
    settle()
    assert "4 条以前已登记过" in view.status.text()
    grid.setCurrentCell(0, ELDER)  # the mistyped name is open again; settled the same way …
    grid.advance()
    _picker(qtbot).actions()[0].trigger()
    view.save()  # … it is the visit saved before, and is not saved twice
    settle()
    assert "1 条与已登记的走访重复" in view.status.text()
    with village.reading() as s:
        assert len(list_visits(s)) == 5


def test_lines_pasted_from_the_wechat_group(qtbot, settle, village) -> None:
    window = _window(qtbot, settle, village)
    view, grid = window.visits, window.visits.grid
    with clock.frozen(NOW):
        QApplication.clipboard().setText(
            "3. 王小红 11.28 看望张德明40分钟 帮买药\n陈建国 11月27日 给王秀英打扫卫生1小时\n"
        )
        grid.setFocus()
        grid.setCurrentCell(0, ELDER)
        from PySide6.QtCore import Qt

        qtbot.keyClick(grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        settle()
    assert "已放进表格 2 条" in view.status.text(), view.status.text()
    assert [grid.item(r, ELDER).text() for r in range(2)] == ["张德明", "王秀英"]
    assert [grid.item(r, KIND).text() for r in range(2)] == ["入户探访", "帮帮忙"]
    view.save()
    settle()
    with village.reading() as s:
        stored = {v.elders[0]: v for v in list_visits(s)}
    assert stored["张德明"].services == ["代办"] and stored["张德明"].source == "微信"
    assert stored["王秀英"].duration_minutes == 60


def test_initials_that_fit_two_people_open_a_picker(qtbot, settle, ws) -> None:
    for name, group in (("张测试", "1组"), ("赵春生", "2组")):
        with ws.transaction() as s:
            people.save_person(
                PersonForm(name, "男", "1950", group_name=group),
                ElderForm(["其他"], living="双居", health="自理"),
                None,
                session=s,
                actor=ws.actor,
            )
    window = _window(qtbot, settle, ws)
    grid = window.visits.grid
    grid.item(0, ELDER).setText("zcs")
    assert "对应2位老人" in grid.item(0, MESSAGE).text()
    grid.setCurrentCell(0, ELDER)
    grid.advance()
    menu = _picker(qtbot)
    labels = [a.text() for a in menu.actions()]
    assert len(labels) == 2 and any(label.startswith("赵春生（2组") for label in labels)
    next(a for a in menu.actions() if a.text().startswith("赵春生")).trigger()
    assert grid.item(0, ELDER).text() == "赵春生" and grid.item(0, MESSAGE).text() == ""
