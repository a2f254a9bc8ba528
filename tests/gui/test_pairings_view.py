"""结对 page: a new pairing, ending one, and 明白卡 printed (QPrinter in PDF mode) or saved."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QLabel, QMessageBox

from huzhu_desktop.core import clock
from huzhu_desktop.gui import card_printing
from huzhu_desktop.gui.dialogs.pairing_dialog import EndPairingDialog, PairingDialog
from huzhu_desktop.gui.main_window import MainWindow
from tests.gui.conftest import type_text
from tests.gui.windows import show_window


def open_pairings(qtbot, settle, ws) -> MainWindow:  # type: ignore[no-untyped-def]
    return show_window(qtbot, settle, ws, "结对")


def test_clerk_pairs_an_unpaired_special_elder(qtbot, settle, demo_ws, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    window = open_pairings(qtbot, settle, demo_ws)
    before = len(window.pairings.rows)
    dlg = PairingDialog(demo_ws, window.pairings)
    qtbot.addWidget(dlg)
    dlg.saved.connect(lambda _i: window.pairings.reload())
    dlg.show()
    settle()  # the register loads off the GUI thread
    dlg.save()  # nothing chosen yet
    settle()
    assert "请选择" in dlg.findChild(QLabel, "error_elders").text()
    special = next(r for r in dlg.elders.rows if not r.paired)
    type_text(qtbot, dlg.elders.search, special.initials)
    dlg.elders.select_ids([special.id])
    helper = dlg.helpers.rows[0]
    dlg.helpers.refresh()
    dlg.helpers.select_ids([helper.id])
    dlg.save()
    settle()
    assert dlg.result() == dlg.DialogCode.Accepted
    settle()
    assert len(window.pairings.rows) == before + 1
    new = next(r for r in window.pairings.rows if special.name in r.elders)
    assert new.kind == "一对一" and new.card == "未打印"


def test_ending_a_pairing_needs_a_reason(qtbot, settle, demo_ws) -> None:
    window = open_pairings(qtbot, settle, demo_ws)
    row = next(r for r in window.pairings.rows if r.active)
    dlg = EndPairingDialog(demo_ws, row.id, "x")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.save()
    settle()
    assert "原因" in dlg.findChild(QLabel, "error_end_reason").text()
    type_text(qtbot, dlg.reason, "帮扶人外出务工")
    dlg.saved.connect(lambda _i: window.pairings.reload())
    dlg.save()
    settle()
    settle()
    ended = next(r for r in window.pairings.rows if r.id == row.id)
    assert ended.end_reason == "帮扶人外出务工"
    assert ended.end_date == clock.today()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_printing_cards_goes_through_qprinter(
    qtbot, settle, demo_ws, tmp_path: Path, monkeypatch
) -> None:
    out = tmp_path / "printed.pdf"

    def fake_preview(_parent, printer: QPrinter, cards, a5) -> bool:  # type: ignore[no-untyped-def]
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        card_printing.paint_cards(printer, cards, a5, date(2026, 11, 23))
        return True

    monkeypatch.setattr(card_printing, "preview_and_print", fake_preview)
    window = open_pairings(qtbot, settle, demo_ws)
    view = window.pairings
    view.table.selectRow(0)
    first = view.model.row_at(0)
    view.print_selected()
    settle()
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "互助养老明白卡" in text and first.elders[0] in text
    assert next(r for r in view.rows if r.id == first.id).card == "已打印"


def test_saving_cards_as_pdf(qtbot, settle, demo_ws, tmp_path: Path, monkeypatch) -> None:
    dest = tmp_path / "cards.pdf"
    monkeypatch.setattr(card_printing, "choose_pdf_path", lambda _p, _s: str(dest))
    window = open_pairings(qtbot, settle, demo_ws)
    window.pairings.a5.setChecked(True)
    window.pairings.save_pdf()
    settle()
    settle()
    assert dest.stat().st_size > 10_000
    assert all(r.card in ("已打印", "") for r in window.pairings.rows if r.active)


def test_printing_one_groups_cards(qtbot, settle, demo_ws, monkeypatch) -> None:
    printed: list[list[str]] = []

    def fake_preview(_parent, _printer, cards, _a5) -> bool:  # type: ignore[no-untyped-def]
        printed.append([c.group for c in cards])
        return True

    monkeypatch.setattr(card_printing, "preview_and_print", fake_preview)
    window = open_pairings(qtbot, settle, demo_ws)
    view = window.pairings
    assert view.group.count() >= 1
    view.group.setCurrentIndex(0)
    group = view.group.currentText()
    view.print_group()
    settle()
    assert printed and printed[0] and set(printed[0]) == {group}


def test_the_new_pairing_list_says_who_is_already_paired(demo_ws) -> None:
    from huzhu_desktop.core.services import register
    from huzhu_desktop.gui.dialogs.pairing_dialog import _paired_text

    with demo_ws.reading() as s:
        elders = register.list_elders(s)
    said = {_paired_text(e) for e in elders}
    assert said <= {"已一对一结对", "已结对（划片式）", "未结对"} and len(said) >= 2
    assert all(_paired_text(e) == "已一对一结对" for e in elders if e.one_to_one)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_two_copies_of_each_card_and_the_helpers_sheets(
    qtbot, settle, demo_ws, tmp_path: Path, monkeypatch
) -> None:
    """DESIGN §6: each card for the household and for the helper; a helper's sheet lists every
    elder they look after."""
    cards_pdf = tmp_path / "cards.pdf"
    monkeypatch.setattr(card_printing, "choose_pdf_path", lambda *_a: str(cards_pdf))
    opened: list[Path] = []
    from huzhu_desktop.gui import files

    monkeypatch.setattr(files, "open_file", lambda p, *_a: opened.append(p))
    window = open_pairings(qtbot, settle, demo_ws)
    view = window.pairings
    view.table.selectRow(0)
    view.two_copies.setChecked(True)
    view.save_pdf()
    settle()
    settle()
    text = subprocess.run(["pdftotext", str(cards_pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    assert text.count("互助养老明白卡") == 2 and "贴在老人家中" in text and "帮扶人留存" in text
    sheets = tmp_path / "sheets.pdf"
    monkeypatch.setattr(card_printing, "choose_pdf_path", lambda *_a: str(sheets))
    view.save_helper_sheets()
    qtbot.waitUntil(lambda: bool(opened) and opened[-1] == sheets)
    text = subprocess.run(["pdftotext", str(sheets), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    helpers = {h.name for c in view.cards for h in c.helpers}
    assert text.count("互助员帮扶名单") >= len(helpers) and all(h in text for h in helpers)
