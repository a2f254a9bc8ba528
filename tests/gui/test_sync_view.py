"""同步 page: the village clerk exports to a USB stick; the town clerk checks the fingerprint,
previews and imports it, and sees the village as 已报送."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from sqlalchemy import text as text_

from huzhu_desktop.core.services import keys
from huzhu_desktop.gui.dialogs import bundle_dialogs
from huzhu_desktop.gui.views import sync as sync_view
from tests.gui.windows import show_window
from tests.sync.helpers import demo_village, make


def send_now(village, usb: Path) -> Path:  # type: ignore[no-untyped-def]
    """The village's bundle for the quarter being reported now (the page lists the last four)."""
    from huzhu_desktop.core.periods import reporting_quarter
    from huzhu_desktop.core.sync.export import export_bundle

    usb.mkdir(parents=True, exist_ok=True)
    with village.transaction() as s:
        return export_bundle(s, village.actor, usb, period=str(reporting_quarter())).path


def now_quarter() -> str:
    from huzhu_desktop.core.periods import reporting_quarter

    return str(reporting_quarter())


def open_sync(qtbot, settle, ws):  # type: ignore[no-untyped-def]
    return show_window(qtbot, settle, ws, "同步").sync


def test_village_exports_and_town_imports_through_the_screens(
    qtbot, settle, monkeypatch, tmp_path: Path
) -> None:
    demo_ws = demo_village(tmp_path)
    town = make(tmp_path, "town", "500112108", "茨竹镇", "渝北区")
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    monkeypatch.setattr(sync_view, "confirm", lambda *a: True)

    # the town exports its key card; the village imports it after comparing fingerprints
    town_page = open_sync(qtbot, settle, town)
    card = tmp_path / "茨竹镇.json"
    monkeypatch.setattr(sync_view, "choose_card_to_write", lambda *a: str(card))
    town_page.export_card()
    settle()
    village_page = open_sync(qtbot, settle, demo_ws)
    monkeypatch.setattr(sync_view, "choose_card_to_read", lambda *a: str(card))
    village_page.import_card()
    settle()
    assert village_page.peer_model.rows[0].org_name == "茨竹镇"
    assert village_page.own_fingerprint.text().count(" ") == 4

    # export to a chosen folder (the "USB stick")
    usb = tmp_path / "U盘"
    usb.mkdir()
    monkeypatch.setattr(bundle_dialogs, "choose_folder", lambda *a: str(usb))
    with demo_ws.reading() as s:
        target = bundle_dialogs.recipient(s)
    dialog = bundle_dialogs.ExportDialog(demo_ws, target, village_page)
    settle()
    qtbot.addWidget(dialog)
    assert "茨竹镇" in dialog.target.text() and "在册老人" in dialog.figures.text()
    dialog.place.setCurrentIndex(dialog.place.count() - 1)
    dialog._maybe_pick(dialog.place.currentIndex())
    dialog.run()
    qtbot.waitUntil(lambda: dialog.result_ is not None, timeout=15_000)
    assert "可以安全拔出U盘" in dialog.status.text()
    bundle = dialog.result_.path
    assert bundle.parent == usb
    village_page.refresh()
    settle()
    assert village_page.history_model.rows[0].direction == "导出"

    # the town has never seen this village's key: the import asks for the fingerprint first
    with town.reading() as s:
        seen = bundle_dialogs.inspect(s, bundle)
    dialog = bundle_dialogs.ImportDialog(town, bundle, seen, town_page)
    qtbot.addWidget(dialog)
    assert dialog.seen["key_status"] == "unknown" and dialog.confirm_key.isVisibleTo(dialog)
    assert not dialog.next.isEnabled()
    dialog.confirm_key.setChecked(True)
    dialog.run_preview()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=15_000)
    assert "预览" in dialog.summary.text() and dialog.table.rowCount() > 5
    with town.reading() as s:
        assert keys.find_peer(s, demo_ws.info.workspace_id) is None  # a preview trusts nobody
    dialog.run_apply()
    qtbot.waitUntil(lambda: dialog.result_ is not None, timeout=15_000)
    assert "已导入" in dialog.status.text()
    town_page.refresh()
    settle()
    (unit,) = town_page.matrix_model.rows
    assert unit.name == "演示村" and unit.figures["elders"] > 0
    quarter = town_page.matrix_quarter.currentData()
    assert quarter in unit.sent
    with town.reading() as s:
        assert keys.find_peer(s, demo_ws.info.workspace_id) is not None
    town.close()
    demo_ws.close()


def test_a_file_that_is_not_a_bundle_gets_a_plain_message(
    qtbot, settle, ws, monkeypatch, tmp_path: Path
) -> None:
    page = open_sync(qtbot, settle, ws)
    bad = tmp_path / "照片.huzhu"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not a bundle")
    shown: list[str] = []
    monkeypatch.setattr(bundle_dialogs, "choose_bundle", lambda *a: str(bad))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    page.import_()
    settle()  # the file is read off the GUI thread
    assert shown and "不是互助养老数据包" in shown[0]


def test_export_before_the_towns_key_card_says_what_to_do(qtbot, settle, ws, monkeypatch) -> None:
    page = open_sync(qtbot, settle, ws)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    page.export()
    settle()
    assert shown and "密钥卡" in shown[0]


def test_the_town_returns_a_quarter_and_the_village_reads_the_receipt(
    qtbot, settle, monkeypatch, tmp_path: Path
) -> None:
    """退回 on the town's screen, 写回执 to the stick, the village imports it and sees 退回 with
    the reason in its 报送情况; double-clicking the row shows the reasons."""
    from tests.sync.helpers import bring, chain

    c = chain(tmp_path)
    try:
        bring(c.town, send_now(c.village, c.usb))
        shown: list[str] = []
        monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
        town_page = open_sync(qtbot, settle, c.town)
        town_page.matrix_quarter.setCurrentIndex(town_page.matrix_quarter.findData(now_quarter()))
        settle()
        town_page.matrix_view.setCurrentIndex(town_page.matrix_model.index(0, 0))
        monkeypatch.setattr(
            sync_view.QInputDialog, "getMultiLineText", lambda *a: ("3组走访记录不全", True)
        )
        town_page.send_back()
        qtbot.waitUntil(lambda: town_page._review_state(town_page.matrix_model.rows[0]) == "退回")
        usb = tmp_path / "回执U盘"
        usb.mkdir()
        monkeypatch.setattr(bundle_dialogs, "choose_folder", lambda *a: str(usb))
        town_page.write_receipts(selected=True)
        qtbot.waitUntil(lambda: bool(shown), timeout=15_000)
        assert "已写 1 份回执" in shown[-1], shown
        (paper,) = usb.iterdir()
        assert "回执" in paper.name

        village_page = open_sync(qtbot, settle, c.village)
        with c.village.reading() as s:
            seen = bundle_dialogs.inspect(s, paper)
        dialog = bundle_dialogs.ImportDialog(c.village, paper, seen, village_page)
        qtbot.addWidget(dialog)
        assert dialog.windowTitle().startswith("导入回执") and dialog.next.isEnabled()
        dialog.run_preview()
        qtbot.waitUntil(lambda: dialog.preview is not None, timeout=15_000)
        assert "3组走访记录不全" in dialog.summary.text() and not dialog.table.isVisibleTo(dialog)
        dialog.run_apply()
        qtbot.waitUntil(lambda: dialog.result_ is not None, timeout=15_000)
        assert "已导入回执" in dialog.status.text()
        village_page.refresh()
        qtbot.waitUntil(lambda: [r.status for r in village_page.sent_model.rows] == ["退回"])
        (q4,) = village_page.sent_model.rows
        assert q4.status == "退回" and q4.reasons[0]["text"] == "3组走访记录不全"
        village_page.sent_view.setCurrentIndex(village_page.sent_model.index(0, 0))
        village_page.show_reasons()
        assert "3组走访记录不全" in shown[-1] and "重新导出" in shown[-1]
    finally:
        c.close()


def test_the_town_reviews_a_village_on_screen_and_returns_one_record(
    qtbot, settle, monkeypatch, tmp_path: Path
) -> None:
    """审核… shows the figures beside last quarter and the findings with their records; a
    ticked record becomes a reason naming it."""
    from sqlalchemy import text

    from huzhu_desktop.core.services import review
    from tests.sync.helpers import bring, chain

    c = chain(tmp_path)
    try:
        with c.village.transaction() as s:  # a 特殊老人 nobody visits this quarter
            s.execute(text("DELETE FROM visit_member"))
        bring(c.town, send_now(c.village, c.usb))
        monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
        page = open_sync(qtbot, settle, c.town)
        page.matrix_quarter.setCurrentIndex(page.matrix_quarter.findData(now_quarter()))
        settle()
        page.matrix_view.setCurrentIndex(page.matrix_model.index(0, 0))
        page.open_review()
        dialog = page.review_dialog
        qtbot.waitUntil(lambda: dialog.figures.rowCount() > 0)
        labels = [dialog.figures.item(i, 0).text() for i in range(dialog.figures.rowCount())]
        assert "在册老人" in labels and dialog.figures.item(0, 2) is not None
        assert dialog.tree.topLevelItemCount() >= 1
        top = dialog.tree.topLevelItem(0)
        assert top.childCount() >= 1 and "（" in top.child(0).text(0)  # a name, its village
        dialog.return_button.click()
        assert "写明原因" in dialog.status.text()  # nothing written, nothing ticked
        top.child(0).setCheckState(0, Qt.CheckState.Checked)
        dialog.return_button.click()
        qtbot.waitUntil(lambda: dialog.verdict is not None)
        with c.town.reading() as s:
            (reason,) = review.verdicts(s, now_quarter())["500112108201"].reasons
        assert reason.record_id == top.child(0).data(0, Qt.ItemDataRole.UserRole)[0]
        assert reason.text.startswith(top.text(0))
    finally:
        c.close()


def test_the_clerk_changes_the_units_keys_after_confirming(
    qtbot, settle, monkeypatch, tmp_path: Path
) -> None:
    demo_ws = demo_village(tmp_path)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    page = open_sync(qtbot, settle, demo_ws)
    before = page.own_fingerprint.text()
    monkeypatch.setattr(sync_view, "confirm", lambda *a: False)
    page.change_keys()
    settle()
    assert page.own_fingerprint.text() == before and not shown
    monkeypatch.setattr(sync_view, "confirm", lambda *a: True)
    page.change_keys()
    qtbot.waitUntil(lambda: page.own_fingerprint.text() != before)
    assert f"以前 {before}" in shown[-1]
    assert before in page.old_fingerprints.text() and not page.old_fingerprints.isHidden()
    demo_ws.close()


def test_a_second_pc_is_set_up_from_the_first_pcs_card_in_the_wizard(
    qtbot, monkeypatch, tmp_path: Path
) -> None:
    from huzhu_desktop.core.workspace import Workspace
    from huzhu_desktop.gui import setup_wizard

    first = demo_village(tmp_path)
    card = tmp_path / "first.card"
    with first.transaction() as s:
        keys.write_card(s, card)
    laptop = Workspace.open(tmp_path / "laptop")
    wizard = setup_wizard.SetupWizard(laptop)
    qtbot.addWidget(wizard)
    monkeypatch.setattr(setup_wizard, "choose_card", lambda *a: str(card))
    wizard.read_first_pc_card()
    assert wizard.org_code.text() == first.info.org_code
    assert wizard.org_name.text() == first.info.org_name
    assert wizard.district_name.text() == first.info.district_name
    assert keys.read_card(card).fingerprint in wizard.join_note.text()
    wizard.next()
    wizard.clerk_name.setText("王专干")
    wizard.accept()
    with laptop.reading() as s:
        assert keys.find_peer(s, first.info.workspace_id) is not None
    assert laptop.info.org_code == first.info.org_code
    laptop.close()
    first.close()


def test_the_town_imports_a_whole_stick_and_sees_each_file_named(
    qtbot, settle, monkeypatch, tmp_path: Path
) -> None:
    """导入文件夹中的全部数据包: the village's bundle goes in, a damaged file is named with why."""
    from tests.sync.helpers import chain

    c = chain(tmp_path)
    try:
        bundle = send_now(c.village, c.usb)
        (c.usb / "000_拷坏了.huzhu").write_bytes(b"PK\x03\x04 cut short")
        page = open_sync(qtbot, settle, c.town)
        shown: list[str] = []
        monkeypatch.setattr(bundle_dialogs, "choose_bundle_folder", lambda *a: str(c.usb))
        monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
        button = page.findChild(QPushButton, "action_导入文件夹中的全部数据包")
        assert button is not None and button.isVisible()
        button.click()
        settle()
        assert len(shown) == 1
        text = shown[0]
        assert text.startswith("共 2 个数据包，导入 1 个，1 个没有导入：")
        assert "· 000_拷坏了.huzhu：没有导入。" in text and "不是互助养老数据包" in text
        assert f"· {bundle.name}：已导入（演示村" in text
        with c.town.reading() as s:
            assert (
                s.execute(text_("SELECT count(*) FROM bundle_log WHERE direction='in'")).scalar()
                == 1
            )
    finally:
        c.close()
