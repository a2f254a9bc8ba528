"""The clerk imports the village's old 台账 through the wizard, with the file picker stubbed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard

from huzhu_desktop.core.services import register
from huzhu_desktop.gui import files
from huzhu_desktop.gui.dialogs import import_wizard
from huzhu_desktop.gui.dialogs.import_wizard import ImportWizard
from tests.fixtures import ledgers
from tests.importers.test_import_ledger import CLEAN_ROWS


def test_clerk_imports_a_ledger_step_by_step(
    qtbot, settle, ws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [*CLEAN_ROWS, [6, "曾玉兰", "女", 80, 12345, "2组", "无", "双居", "自理", "特困"]]
    book = ledgers.attachment2(tmp_path / "台账.xlsx", rows)
    opened: list[Path] = []
    monkeypatch.setattr(import_wizard, "choose_file", lambda _parent: str(book))
    monkeypatch.setattr(files, "open_file", lambda p, *_a: opened.append(p))
    wizard = ImportWizard(ws)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.browse()
    settle()
    assert "第 4 行" in wizard.file_page.status.text()
    assert wizard.file_page.isComplete()
    wizard.next()
    assert wizard.currentId() == import_wizard.PAGE_COLUMNS
    fields = [box.currentData() for box in wizard.columns_page.combos]
    assert fields[:3] == ["seq", "elder_name", "elder_gender"]
    wizard.columns_page.combos[1].setCurrentIndex(0)  # the clerk un-maps 姓名 by mistake …
    wizard.next()
    assert "被帮扶老人姓名" in wizard.columns_page.error.text()
    assert wizard.currentId() == import_wizard.PAGE_COLUMNS
    box = wizard.columns_page.combos[1]
    box.setCurrentIndex(box.findData("elder_name"))  # … and puts it back
    wizard.next()
    settle()
    assert wizard.currentId() == import_wizard.PAGE_PREVIEW
    assert "新增 5" in wizard.preview_page.summary.text()
    assert wizard.preview_page.rejections.rowCount() == 1
    with ws.reading() as s:
        assert register.list_elders(s) == []  # nothing written before 导入
    wizard.next()
    settle()
    assert wizard.currentId() == import_wizard.PAGE_RESULT
    assert "导入完成" in wizard.preview_page.w.result_page.summary.text()
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    cancel = wizard.button(QWizard.WizardButton.CancelButton)
    assert finish.isVisible() and not cancel.isVisible()  # done: only 完成
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()
    with ws.reading() as s:
        assert {e.name for e in register.list_elders(s)} == {"张德明", "李秀英", "谭光荣", "冉淑芬"}
    wizard.result_page.open_errors.click()
    assert opened and opened[0].exists() and opened[0].parent.name == "exports"


def test_a_broken_file_is_explained_on_the_first_page(
    qtbot, settle, ws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = ledgers.encrypted(tmp_path / "加密.xlsx")
    monkeypatch.setattr(import_wizard, "choose_file", lambda _parent: str(bad))
    wizard = ImportWizard(ws)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.browse()
    settle()
    assert "密码" in wizard.file_page.status.text()
    assert not wizard.file_page.isComplete()


def test_open_dialogs_start_in_documents_then_where_the_clerk_last_looked(
    tmp_path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    started: list[str] = []
    picked = tmp_path / "u盘" / "台账.xlsx"
    picked.parent.mkdir()

    def fake(dialog: QFileDialog) -> str:
        started.append(dialog.directory().absolutePath())
        return str(picked)

    monkeypatch.setattr(files, "_last_folder", None)
    monkeypatch.setattr(files, "run", fake)
    files.choose_open_path(None, "选择台账文件", "Excel 工作簿 (*.xlsx)")
    files.choose_open_path(None, "选择台账文件", "Excel 工作簿 (*.xlsx)")
    import os

    assert started[0] != os.getcwd() and started[0] != ""
    assert started[1] == str(picked.parent)
