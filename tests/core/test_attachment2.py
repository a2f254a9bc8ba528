"""附件2: the quarter's 结对帮扶信息台账 — a row per elder of every pairing in force in the period,
with the helper beside and the visits that pairing paid that elder."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from huzhu_desktop.core.periods import Period
from huzhu_desktop.core.reports.attachment2 import ledger_rows, write_attachment2
from huzhu_desktop.core.reports.forms import ATTACHMENT2_HEADER, ATTACHMENT2_NOTE
from huzhu_desktop.core.services.pairings import end_pairing
from tests.core.test_pairings_visits import TODAY, ordinary, pair, person, special, visit


def test_rows_visits_and_notes(ws, tmp_path: Path) -> None:
    helper = person(ws, "王小红", helper="志愿者", gender="女", birth="1975")
    leader = person(ws, "刘组长", helper="互助养老小组长", birth="1966")
    lonely = person(ws, "张德明", elder=special())
    group = [person(ws, n, elder=ordinary()) for n in ("李秀英", "赵桂兰")]
    gone = person(ws, "孙福贵", elder=ordinary())
    pair(ws, "一对一", [lonely], [helper])
    pair(ws, "划片式", group, [leader])
    old = pair(ws, "划片式", [gone], [leader], start="2025-01-01")
    with ws.transaction() as s:
        end_pairing(
            old.pairing.id, "2026-10-15", "随子女迁往主城", session=s, actor=ws.actor, today=TODAY
        )
    visit(ws, "2026-11-20", [lonely], [helper], minutes=30)
    visit(ws, "2026-11-21", [lonely], [helper], minutes=30)
    visit(ws, "2026-09-21", [lonely], [helper], minutes=30)  # last quarter
    visit(ws, "2026-11-22", [group[0]], [leader], minutes=30)
    with ws.reading() as s:
        rows = ledger_rows(s, Period.of("2026Q4", today=TODAY))
    by_name = {r[1]: r for r in rows}
    assert [r[0] for r in rows] == list(range(1, 5)) and set(by_name) == {
        "张德明",
        "李秀英",
        "赵桂兰",
        "孙福贵",
    }
    assert by_name["张德明"][10:12] == ["王小红", "女"] and by_name["张德明"][15] == 2
    assert by_name["李秀英"][15] == 1 and by_name["赵桂兰"][15] == 0
    assert by_name["张德明"][16] == "一对一" and by_name["李秀英"][16] == "划片式"
    assert by_name["孙福贵"][16] == "划片式，2026-10-15结束：随子女迁往主城"
    with ws.reading() as s:  # the quarter before the 划片式 groups started has none of them
        earlier = ledger_rows(s, Period.of("2024Q4", today=TODAY))
    assert earlier == []

    dest = tmp_path / "附件2.xlsx"
    with ws.reading() as s:
        n = write_attachment2(
            s, dest, period=Period.of("2026Q4", today=TODAY), district="渝北区", unit="石坪村"
        )
    sheet = load_workbook(dest).active
    assert n == 4 and sheet["A2"].value == "渝北区农村互助养老结对帮扶信息台账"
    assert tuple(c.value for c in sheet[4]) == ATTACHMENT2_HEADER
    assert [sheet.cell(row=5 + i, column=2).value for i in range(4)] == [r[1] for r in rows]
    assert sheet["A9"].value == ATTACHMENT2_NOTE
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A2:Q2", "A3:Q3"}


def test_an_elder_listed_twice_on_a_visit_is_counted_once(ws) -> None:
    """Two membership rows for one elder on one visit (a bundle from an app that allowed it):
    帮扶次数 counts the visit once, as the join with count(DISTINCT visit) did."""
    from sqlalchemy import text

    helper = person(ws, "王小红", helper="志愿者", gender="女", birth="1975")
    lonely = person(ws, "张德明", elder=special())
    pair(ws, "一对一", [lonely], [helper])
    visit(ws, "2026-11-20", [lonely], [helper], minutes=30)
    visit(ws, "2026-11-21", [lonely], [helper], minutes=30)
    with ws.transaction() as s:
        cols = [r[1] for r in s.execute(text("PRAGMA table_info(visit_member)")).fetchall()]
        others = ", ".join(c for c in cols if c != "id")
        s.execute(
            text(
                f"INSERT INTO visit_member (id, {others}) SELECT 'dup-' || id, {others} "
                "FROM visit_member WHERE person_id = :e"
            ),
            {"e": lonely},
        )
        assert (
            s.execute(
                text("SELECT count(*) FROM visit_member WHERE person_id = :e"), {"e": lonely}
            ).scalar()
            == 4
        )
    with ws.reading() as s:
        [row] = ledger_rows(s, Period.of("2026Q4", today=TODAY))
    assert row[1] == "张德明" and row[15] == 2
