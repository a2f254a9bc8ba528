"""附件1 adds up at every level: a village, a town of 1, 2 or 30 villages with money of its own,
and a district whose villages are grouped by town with a 小计 each — on screen as in the workbook.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from huzhu_desktop.core.models import Funding, OrgUnit
from huzhu_desktop.core.periods import Period
from huzhu_desktop.core.reports.attachment1 import (
    VillageFigures,
    form_rows,
    numbered,
    write_attachment1,
)
from huzhu_desktop.core.services import funding
from huzhu_desktop.core.services.setup import unit_row_id
from huzhu_desktop.core.workspace import Workspace
from tests.sync.helpers import TODAY, bring, chain, export, hand_card, make

Q4 = Period.of("2026Q4", today=TODAY)
FIGURES = [f.name for f in fields(VillageFigures) if f.type in ("int", int)]


def sums(rows: list[VillageFigures]) -> dict[str, int]:
    return {f: sum(getattr(r, f) for r in rows) for f in FIGURES}


def add_villages(w: Workspace, town: str, n: int, *, first: int = 1) -> list[str]:
    """n villages' rows as a town holds them after their bundles: each village's own org_unit
    row and one 村集体 funding record a village (the figure the test adds up)."""
    codes = []
    with w.transaction() as s:
        for i in range(first, first + n):
            code = f"{town[:9]}{200 + i:03d}"
            codes.append(code)
            unit(s, code, f"第{i}村", "village", town)
            s.add(
                Funding(
                    owner_code=code,
                    origin="x",
                    received_on=date(2026, 10, 2),
                    source="村集体",
                    amount_fen=100 * i,
                )
            )
    return codes


def unit(s: Session, code: str, name: str, level: str, parent: str) -> None:
    s.add(
        OrgUnit(
            id=unit_row_id(code, code),
            owner_code=code,
            origin="x",
            code=code,
            name=name,
            level=level,
            parent_code=parent,
        )
    )


def town_money(w: Workspace, amount: str) -> None:
    with w.transaction() as s:
        funding.record_funding(
            funding.FundingForm("2026-11-03", "镇财政", amount, purpose="互助养老配套"),
            session=s,
            actor=w.actor,
            today=TODAY,
        )


def rows_of(w: Workspace) -> list[VillageFigures]:
    with w.reading() as s:
        return form_rows(s, Q4)


@pytest.mark.parametrize("villages", [1, 2, 30])
def test_a_town_form_always_ends_in_a_total_of_its_villages_and_its_own_money(
    villages: int, tmp_path: Path
) -> None:
    town = make(tmp_path, "town", "500112108", "茨竹镇", "渝北区")
    try:
        add_villages(town, town.info.org_code, villages)  # type: ignore[union-attr]
        town_money(town, "20000")
        rows = rows_of(town)
        kinds = [r.kind for r in rows]
        assert kinds == ["village"] * villages + ["own", "total"]
        assert rows[-2].name == "茨竹镇（镇本级）" and rows[-2].funding_fen == 2_000_000
        assert rows[-1].name == "合计"
        assert sums([rows[-1]]) == sums(rows[:-1])
        assert rows[-1].funding_fen == 2_000_000 + sum(100 * i for i in range(1, villages + 1))
        assert [n for n, _r in numbered(rows)] == [*range(1, villages + 2), ""]
    finally:
        town.close()


def test_a_town_without_money_of_its_own_has_no_own_row(tmp_path: Path) -> None:
    town = make(tmp_path, "town", "500112108", "茨竹镇", "渝北区")
    try:
        add_villages(town, town.info.org_code, 1)  # type: ignore[union-attr]
        assert [r.kind for r in rows_of(town)] == ["village", "total"]
    finally:
        town.close()


def test_a_district_groups_villages_by_town_with_a_subtotal_each(tmp_path: Path) -> None:
    district = make(tmp_path, "district", "500112", "渝北区")
    try:
        a = add_villages(district, "500112108000", 2)
        b = add_villages(district, "500112109000", 3, first=5)
        with district.transaction() as s:  # the towns' own rows, as their bundles bring them
            for code, name in (("500112108000", "茨竹镇"), ("500112109000", "大湾镇")):
                unit(s, code, name, "town", "500112000000")
        town_money(district, "1000")  # the district's own money: its own row, in the 合计
        rows = rows_of(district)
        assert [(r.kind, r.name) for r in rows] == [
            *(("village", f"第{i}村") for i in (1, 2)),
            ("subtotal", "茨竹镇小计"),
            *(("village", f"第{i}村") for i in (5, 6, 7)),
            ("subtotal", "大湾镇小计"),
            ("own", "渝北区（区本级）"),
            ("total", "合计"),
        ]
        assert [r.code for r in rows if r.kind == "village"] == a + b
        assert sums([rows[2]]) == sums(rows[0:2]) and sums([rows[6]]) == sums(rows[3:6])
        assert sums([rows[-1]]) == sums([rows[2], rows[6], rows[7]])
        assert sums([rows[-1]]) == sums([r for r in rows if r.numbered])
    finally:
        district.close()


def test_the_workbook_holds_exactly_the_rows_the_screen_shows(tmp_path: Path) -> None:
    """Village → town (with its own 镇财政 money) → district through real bundles."""
    c = chain(tmp_path)
    try:
        town_money(c.town, "50000")
        bring(c.town, export(c.village, c.usb))
        bring(c.district, export(c.town, c.usb))
        for w, kinds in (
            (c.village, ["village", "total"]),
            (c.town, ["village", "own", "total"]),
            (c.district, ["village", "own", "subtotal", "total"]),
        ):
            rows = rows_of(w)
            assert [r.kind for r in rows] == kinds
            dest = tmp_path / f"{w.info.kind}.xlsx"  # type: ignore[union-attr]
            with w.reading() as s:
                written = write_attachment1(s, dest, period=Q4, district="渝北区", unit="x")
            assert written == rows
            sheet = load_workbook(dest).active
            names = [sheet.cell(5 + i, 2).value for i in range(len(rows))]
            assert names == [r.name for r in rows]
            assert sheet.cell(5 + len(rows) - 1, 12).value == round(rows[-1].funding_fen / 100, 2)
        district_rows = rows_of(c.district)
        assert district_rows[1].name == "茨竹镇（镇本级）"
        assert district_rows[2].name == "茨竹镇小计"
        assert district_rows[-1].funding_fen == rows_of(c.town)[-1].funding_fen
    finally:
        c.close()


def test_a_second_town_joins_the_district_in_its_own_group(tmp_path: Path) -> None:
    c = chain(tmp_path)
    other = make(tmp_path, "town", "500112109", "大湾镇", "渝北区")
    try:
        hand_card(other, c.district, tmp_path)
        hand_card(c.district, other, tmp_path)
        town_money(other, "3000")  # no village has reported to it yet: only its own money
        bring(c.town, export(c.village, c.usb))
        bring(c.district, export(c.town, c.usb))
        bring(c.district, export(other, c.usb))
        rows = rows_of(c.district)
        assert [(r.kind, r.name) for r in rows] == [
            ("village", "演示村"),
            ("subtotal", "茨竹镇小计"),
            ("own", "大湾镇（镇本级）"),
            ("subtotal", "大湾镇小计"),
            ("total", "合计"),
        ]
        assert rows[-1].funding_fen == rows[1].funding_fen + 300_000
    finally:
        other.close()
        c.close()


def test_the_ledger_at_a_town_and_the_district_comes_village_by_village_under_a_heading(
    tmp_path: Path,
) -> None:
    from huzhu_desktop.core.reports.attachment2 import write_attachment2
    from huzhu_desktop.core.reports.forms import ATTACHMENT2_HEADER

    c = chain(tmp_path)
    try:
        bring(c.town, export(c.village, c.usb))
        bring(c.district, export(c.town, c.usb))
        headings = {}
        for w in (c.village, c.town, c.district):
            dest = tmp_path / f"a2-{w.info.kind}.xlsx"  # type: ignore[union-attr]
            with w.reading() as s:
                n = write_attachment2(s, dest, period=Q4, district="渝北区", unit="x")
            sheet = load_workbook(dest).active
            assert tuple(c.value for c in sheet[4]) == ATTACHMENT2_HEADER
            first = sheet["A5"].value
            numbers = [
                sheet.cell(r, 1).value
                for r in range(5, sheet.max_row + 1)
                if isinstance(sheet.cell(r, 1).value, int)
            ]
            assert numbers == list(range(1, n + 1)) and n > 0
            headings[w.info.kind] = first  # type: ignore[union-attr]
        assert headings["village"] == 1  # a village's own 台账: no heading
        assert headings["town"] == f"演示村（{n} 人）"
        assert headings["district"] == f"茨竹镇 演示村（{n} 人）"
    finally:
        c.close()
