"""使用说明 inside the app: F1 opens the task of the page in view; every control the guide names
in 【】 exists on screen under that name; the first task — setting up — done as the guide says;
the whole guide saved as a PDF to print, its Chinese text intact."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QListWidget, QTabWidget, QWidget

from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui.dialogs.guide_dialog import TASKS, guide_text, sections, write_pdf
from huzhu_desktop.gui.setup_wizard import SetupWizard
from tests.gui.windows import show_window
from tests.sync.helpers import chain

LABEL = re.compile(r"【([^】]+)】")


def shown_names(root: QWidget) -> set[str]:
    """Every name a clerk can read on a control under `root`: buttons, tabs, list entries,
    menu entries — each also without its shortcut (（Ctrl+N）) and trailing …."""
    names: set[str] = set()
    for b in root.findChildren(QAbstractButton):
        names.add(b.text())
    for tabs in root.findChildren(QTabWidget):
        names |= {tabs.tabText(i) for i in range(tabs.count())}
    for lst in root.findChildren(QListWidget):
        names |= {lst.item(i).text() for i in range(lst.count())}
    menu_bar = getattr(root, "menuBar", None)
    if callable(menu_bar):
        for action in menu_bar().actions():
            names.add(action.text())
            menu = action.menu()
            if menu is not None:
                names |= {a.text() for a in menu.actions()}
    return names | {_plain(n) for n in names}


def _plain(name: str) -> str:
    return re.sub(r"（(Ctrl|F\d)[^）]*）", "", name).rstrip("…").strip()


def test_the_guide_has_the_clerks_tasks_in_order() -> None:
    assert list(sections()) == list(TASKS)
    for title, text in sections().items():
        assert text.startswith(f"## {title}") and "![" in text  # each with its picture
    folder = Path(__file__).resolve().parents[2] / "src/huzhu_desktop/resources/guide"
    for picture in re.findall(r"\]\((shots/[^)]+)\)", guide_text()):
        assert (folder / picture).is_file(), picture


def test_every_control_the_guide_names_is_on_screen(qtbot, settle, tmp_path: Path) -> None:
    from huzhu_desktop.core.reports.review_findings import review_rows
    from huzhu_desktop.gui.dialogs.guide_dialog import GuideDialog
    from huzhu_desktop.gui.dialogs.import_wizard import ImportWizard
    from huzhu_desktop.gui.dialogs.review_dialog import ReviewDialog
    from tests.sync.helpers import bring, export

    c = chain(tmp_path)
    try:
        bring(c.town, export(c.village, c.usb))
        names: set[str] = set()
        for ws in (c.village, c.town):
            window = show_window(qtbot, settle, ws)
            for i in range(window.stack.count()):
                window.stack.setCurrentIndex(i)
                settle()
            names |= shown_names(window)
        wizard = SetupWizard(Workspace.open(tmp_path / "fresh"))
        qtbot.addWidget(wizard)
        names |= shown_names(wizard) | {
            "下一步",
            "完成",
        }  # the wizard's own buttons, set in Chinese
        for dialog in (ImportWizard(c.village), GuideDialog()):
            qtbot.addWidget(dialog)
            names |= shown_names(dialog)
        with c.town.reading() as s:
            (row,) = review_rows(s, "2026Q4")
        review = ReviewDialog(c.town, row)
        qtbot.addWidget(review)
        names |= shown_names(review)
        missing = sorted(
            {label for label in LABEL.findall(guide_text()) if label not in names
             and _plain(label) not in names}
        )  # fmt: skip
        assert missing == []
    finally:
        c.close()


def test_f1_opens_the_task_of_the_page_in_view(qtbot, settle, tmp_path: Path) -> None:
    c = chain(tmp_path)
    try:
        village = show_window(qtbot, settle, c.village, "走访")
        village.show_guide()
        assert village.guide.list.currentItem().text() == "录入走访"
        assert "批量录入走访" in village.guide.view.toPlainText()
        village.go_area("同步")
        village.show_guide()
        assert village.guide.list.currentItem().text() == "季度报送"
        town = show_window(qtbot, settle, c.town, "同步")
        town.show_guide()
        assert town.guide.list.currentItem().text() == "镇里审核"
        shortcuts = [a.shortcut().toString() for m in town.menuBar().actions()
                     for a in (m.menu().actions() if m.menu() else [])]  # fmt: skip
        assert "F1" in shortcuts
    finally:
        c.close()


def test_the_first_task_done_as_the_guide_says(qtbot, settle, tmp_path: Path) -> None:
    """第一次使用, step by step: the wizard's fields, 【下一步】, the clerk, 【完成】; the pages
    step 4 names are the ones on the left; F1 on 首页 opens this task."""
    first = sections()["第一次使用"]
    ws = Workspace.open(tmp_path / "village")
    wizard = SetupWizard(ws)
    qtbot.addWidget(wizard)
    wizard.show()
    for field in ("工作区类型", "统计用区划代码", "单位名称", "上级单位名称", "所属区县"):
        assert field in first  # the guide names the wizard's fields as the wizard does
    wizard.org_code.setText("500112108201")
    assert wizard.district_name.text() == "渝北区"  # "所属区县会按代码自动填好"
    wizard.org_name.setText("石坪村")
    wizard.parent_name.setText("茨竹镇")
    wizard.next()
    wizard.clerk_name.setText("王文书")
    wizard.accept()
    assert ws.info is not None and ws.info.org_name == "石坪村"
    window = show_window(qtbot, settle, ws)
    step4 = next(line for line in first.splitlines() if line.startswith("4."))
    on_the_left = {window.nav.item(i).text() for i in range(window.nav.count())}
    assert set(LABEL.findall(step4)) == on_the_left
    window.show_guide()
    assert window.guide.list.currentItem().text() == "第一次使用"
    ws.close()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_guide_prints_as_one_pdf_with_its_chinese_text(qtbot, tmp_path: Path) -> None:
    QApplication.instance()
    pdf = write_pdf(tmp_path / "使用说明.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    for title in TASKS:
        assert title in text.replace(" ", "")
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", pages).group(1)) >= 3  # type: ignore[union-attr]


def test_the_wizard_asks_for_the_phones_the_card_prints(qtbot, tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "village")
    wizard = SetupWizard(ws)
    qtbot.addWidget(wizard)
    wizard.org_code.setText("500112108201")
    wizard.org_name.setText("石坪村")
    wizard.parent_name.setText("茨竹镇")
    wizard.next()
    wizard.clerk_name.setText("王文书")
    wizard.office_phone.setText("12345")
    wizard.accept()
    assert ws.info is None or ws.info.office_phone == ""  # refused: not a phone number
    assert wizard.errors.general is not None
    wizard.office_phone.setText("023 6785 1234")
    wizard.supervision_phone.setText("023-67851000")
    wizard.accept()
    ws.reload_info()
    assert ws.info is not None
    assert (ws.info.office_phone, ws.info.supervision_phone) == ("023-67851234", "023-67851000")
    ws.close()
