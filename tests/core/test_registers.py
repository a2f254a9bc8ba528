"""Seed 002's 档案 as workbooks printed like the forms: the team roster, the activity and money
ledgers, the points summary — each row what the register holds, the print setup the forms'."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from huzhu_desktop.cli import main
from huzhu_desktop.core import clock
from huzhu_desktop.core.reports.registers import REGISTERS, write_register
from huzhu_desktop.core.services.activities import list_activities
from huzhu_desktop.core.services.funding import list_funding
from huzhu_desktop.core.services.register import list_helpers


@pytest.mark.parametrize("register_id", sorted(REGISTERS))
def test_each_register_is_printed_like_the_forms(demo_ws, tmp_path: Path, register_id: str) -> None:
    dest = tmp_path / f"{register_id}.xlsx"
    year = clock.today().year
    with demo_ws.reading() as s:
        rows = write_register(s, register_id, dest, year=year)
    ws = openpyxl.load_workbook(dest).active
    reg = REGISTERS[register_id]
    assert ws["A2"].value.endswith(reg.title)
    assert tuple(c.value for c in ws[4]) == reg.header
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$4:$4"
    assert ws.max_row == 4 + rows
    with demo_ws.reading() as s:
        if register_id == "roster":
            assert rows == sum(1 for h in list_helpers(s) if h.active)
        if register_id == "funding":
            found = list_funding(s)
            this_year = [f for f in found if f.received_on.year == year]
            assert (
                ws.cell(row=4 + rows, column=5).value == sum(f.amount_fen for f in this_year) / 100
            )
        if register_id == "activities":
            assert rows == sum(1 for a in list_activities(s) if a.held_on.year == year)


def test_a_register_from_the_command_line(demo_ws, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    folder = str(demo_ws.folder)
    demo_ws.close()
    out = tmp_path / "队伍名单.xlsx"
    assert main(["--workspace", folder, "register", "roster", "-o", str(out)]) == 0
    assert out.is_file() and "队伍名单" in capsys.readouterr().out
