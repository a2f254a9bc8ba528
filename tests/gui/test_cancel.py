"""取消 on a long operation stops it and leaves nothing half-written: no rows, no file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from sqlalchemy import func, select

from huzhu_desktop.core import clock
from huzhu_desktop.core.errors import Cancelled
from huzhu_desktop.core.importers.ledger import import_ledger
from huzhu_desktop.core.models import Person
from huzhu_desktop.core.reports import cards_pdf
from huzhu_desktop.core.services.cards import collect_cards
from huzhu_desktop.gui.ops import BackgroundOp
from tests.fixtures import ledgers


def _cancelled_run(qtbot, settle, work) -> list[BaseException]:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    failed: list[BaseException] = []
    op = BackgroundOp(parent, work, label="正在处理…", with_progress=True, cancellable=True)
    op.on_error(lambda e: failed.append(e) or True)
    op.cancel()  # the clerk presses 取消 before the next progress report
    op.run()
    settle()
    return failed


def test_a_cancelled_import_leaves_the_register_as_it_was(
    qtbot, settle, ws, tmp_path: Path
) -> None:
    book = ledgers.many_rows_with_ids(tmp_path / "台账.xlsx", 1200)

    def work(report):  # type: ignore[no-untyped-def]
        with ws.transaction() as s:
            return import_ledger(book, session=s, actor=ws.actor, dry_run=False, progress=report)

    [failed] = _cancelled_run(qtbot, settle, work)
    assert isinstance(failed, Cancelled) and "没有保存" in failed.user_message
    with ws.reading() as s:
        assert s.execute(select(func.count()).select_from(Person)).scalar_one() == 0


def test_cancelled_cards_leave_no_pdf(qtbot, settle, demo_ws, tmp_path: Path) -> None:
    dest = tmp_path / "明白卡.pdf"
    with demo_ws.reading() as s:
        cards = collect_cards(s, today=clock.today())

    def work(report):  # type: ignore[no-untyped-def]
        return cards_pdf.render_cards(cards, dest, progress=report)

    [failed] = _cancelled_run(qtbot, settle, work)
    assert isinstance(failed, Cancelled)
    assert not dest.exists() and not list(tmp_path.glob("*.part"))


def _stop_at(step: int):  # type: ignore[no-untyped-def]
    """A progress callback that behaves as 取消 pressed at the `step`-th report."""
    seen: list[tuple[int, int]] = []

    def report(done: int, total: int) -> None:
        seen.append((done, total))
        if len(seen) == step:
            raise Cancelled()

    return report, seen


def test_a_cancelled_backup_leaves_no_file(demo_ws, tmp_path: Path) -> None:
    dest = tmp_path / "usb" / "备份.db"
    report, seen = _stop_at(1)  # the demo is a few pages: 取消 at the first (and last) report
    with pytest.raises(Cancelled):
        demo_ws.backup(dest, progress=report)
    assert seen[0][1] > 0, "pages are reported"
    assert not dest.exists() and not list(dest.parent.glob("*.part"))
    finished, seen_all = _stop_at(0)  # never cancels: a whole backup reports up to the end
    demo_ws.backup(dest, progress=finished)
    assert dest.exists() and seen_all[-1][0] == seen_all[-1][1]


def test_a_cancelled_attachment2_leaves_no_workbook(demo_ws, tmp_path: Path) -> None:
    from huzhu_desktop.core.periods import Period
    from huzhu_desktop.core.reports.attachment2 import write_attachment2

    dest = tmp_path / "附件2.xlsx"
    report, seen = _stop_at(1)
    with demo_ws.reading() as s, pytest.raises(Cancelled):
        write_attachment2(
            s,
            dest,
            period=Period.of("2026Q4"),
            district="渝北区",
            unit="演示村",
            progress=report,
        )
    assert seen and not dest.exists() and not list(tmp_path.glob("*.part"))


def test_a_cancelled_bundle_export_writes_and_logs_nothing(tmp_path: Path) -> None:
    from huzhu_desktop.core.models import BundleLog
    from tests.sync.helpers import demo_village, export, hand_card, make

    town = make(tmp_path, "town", "500112108000", "茨竹镇", "渝北区")
    village = demo_village(tmp_path)
    hand_card(town, village, tmp_path)
    usb = tmp_path / "usb"
    for step in (1, 5, 20):  # while reading tables, and just before the file would be written
        report, seen = _stop_at(step)
        with pytest.raises(Cancelled):
            export(village, usb, progress=report)
        assert len(seen) == step, seen
        assert not list(usb.iterdir())
        with village.reading() as s:
            assert s.execute(select(func.count()).select_from(BundleLog)).scalar_one() == 0
    report, seen = _stop_at(0)
    assert export(village, usb, progress=report).exists()
    assert seen[-1][0] == seen[-1][1] - 1, "the last report comes before the file is written"


def test_a_backup_onto_a_full_disk_says_so(demo_ws, tmp_path: Path) -> None:
    import sqlite3

    from huzhu_desktop.core.errors import WorkspaceError

    def full(_done: int, _total: int) -> None:  # what SQLite raises when the target fills up
        raise sqlite3.OperationalError("database or disk is full")

    dest = tmp_path / "usb" / "备份.db"
    with pytest.raises(WorkspaceError) as err:
        demo_ws.backup(dest, progress=full)
    assert "磁盘已满" in err.value.user_message and "读取" not in err.value.user_message
    assert not list(dest.parent.glob("*"))


def test_a_result_arriving_after_the_window_closed_is_dropped_quietly(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The app closes while a background read still runs (`--smoke`, or a clerk closing the
    window at a district): its signals are deleted; the finished work must not raise."""
    import shiboken6

    from huzhu_desktop.gui.ops import _Runnable, _Signals

    for fn in (lambda: 42, lambda: 1 / 0):
        signals = _Signals()
        runnable = _Runnable(fn, signals)
        shiboken6.delete(signals)
        runnable.run()  # raised "Signal source has been deleted" before


def test_closing_the_window_stops_a_slow_read_quietly(qtbot, settle, demo_ws) -> None:  # type: ignore[no-untyped-def]
    """At a district the 首页's figures take seconds after the window is ready; a clerk who
    closes it then is not kept waiting (the window froze, and the process kept the lock, 13 s):
    the read stops, and nobody is shown an error about it."""
    from sqlalchemy import text

    from huzhu_desktop.gui.ops import BackgroundOp
    from tests.core.test_workspace import SLOW_READ
    from tests.gui.windows import show_window

    window = show_window(qtbot, settle, demo_ws)
    errors: list[BaseException] = []
    began: list[bool] = []

    def slow() -> object:
        with demo_ws.reading() as s:
            began.append(True)
            return s.execute(text(SLOW_READ)).scalar()

    BackgroundOp(window.home, slow).on_error(lambda e: bool(errors.append(e)) or True).run()
    qtbot.waitUntil(lambda: bool(began))
    window.close()  # closeEvent: finish_background
    settle()  # a read left running would count to a billion: minutes, past settle's 10 s
    assert not BackgroundOp.running and errors == []
