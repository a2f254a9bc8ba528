"""取消 on a long operation stops it and leaves nothing half-written: no rows, no file."""

from __future__ import annotations

from pathlib import Path

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
