"""The lean sheet reader gives exactly what openpyxl's normal reader gives (files written by
openpyxl here; tests/importers/test_producers.py does the same for Excel, WPS and LibreOffice)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from huzhu_desktop.core.demo.practice_ledger import write_practice_ledger
from huzhu_desktop.core.importers.fast_sheet import read_sheet_fast
from tests.fixtures import ledgers
from tests.importers.test_import_ledger import CLEAN_ROWS


def _trim(rows: list[list[object]]) -> list[list[object]]:
    out = []
    for row in rows:
        row = list(row)
        while row and row[-1] is None:
            row.pop()
        out.append(row)
    while out and not out[-1]:
        out.pop()
    return out


BUILDERS = {
    "attachment2": lambda p: ledgers.attachment2(
        p, [*CLEAN_ROWS, [9, "甘桂兰", "女", dt.datetime(1949, 10, 1), 1.5, True, None, "=文字"]]
    ),
    "two_row_header": lambda p: ledgers.two_row_header(
        p, [[1, "3组", "张德明", ledgers.an_id("19480305")]] * 3
    ),
    "formula_cached": lambda p: ledgers.formula_cells(p, cached=True),
    "formula_missing": lambda p: ledgers.formula_cells(p, cached=False),
    "many_rows": lambda p: ledgers.many_rows(p, 50),
    "practice": lambda p: write_practice_ledger(p.parent).rename(p),
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_same_values_as_openpyxl(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.xlsx"
    BUILDERS[name](path)
    full = openpyxl.load_workbook(path, data_only=True)
    sheet = full.sheetnames[-1]
    expected = _trim([list(r) for r in full[sheet].iter_rows(values_only=True)])
    full.close()
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    cells = read_sheet_fast(path, wb, sheet, 10_000)
    wb.close()
    rows, formulas = cells.rows, cells.formula_cells
    assert _trim(rows) == expected
    if name == "formula_missing":
        assert formulas == {(2, 3)}
    else:
        assert formulas == set()
