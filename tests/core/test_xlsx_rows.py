"""附件2's body rows written as XML by RowWriter must give exactly the file XlsxWriter writes
cell by cell (the district's 708,000 cells took XlsxWriter 4.6 s) — for awkward values too."""

from __future__ import annotations

import zipfile
from pathlib import Path

import xlsxwriter
from openpyxl import load_workbook

from huzhu_desktop.core.demo import make_demo
from huzhu_desktop.core.periods import Period
from huzhu_desktop.core.reports.attachment2 import write_attachment2
from huzhu_desktop.core.reports.xlsx_rows import RowWriter
from huzhu_desktop.core.workspace import Workspace
from tests.conftest import TODAY

AWKWARD = [
    1,
    0,
    -7,
    1.5,
    1 / 3,
    1e20,
    "",
    None,
    True,
    "=SUM(A1:A3)",
    "-3",
    "+86 138",
    "@home",
    'a & b <c> "q"',
    " leading",
    "trailing ",
    "tab\there",
    "line\nbreak",
    "\x01control\x1f",
    "_x0041_ looks escaped",
    "non\ufffecharacter",
    "张德明（分散特困）",
    "长" * 40_000,  # cut at Excel's 32,767 characters
]


def _sheet(dest: Path) -> dict[str, bytes]:
    """Every part of the file but its creation time (docProps/core.xml)."""
    with zipfile.ZipFile(dest) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def _book(dest: Path, fast: bool) -> None:
    wb = xlsxwriter.Workbook(str(dest), {"constant_memory": True})
    ws = wb.add_worksheet("附件2")
    cell = wb.add_format({"border": 1, "text_wrap": True})
    quoted = wb.add_format({"border": 1, "quote_prefix": True})
    group = wb.add_format({"bold": True})
    ws.write_string(0, 0, "附件2")
    ws.set_row(1, 40)
    ws.write_string(1, 0, "标题", group)
    rows = RowWriter(ws, cell, quoted, fast=fast)
    assert rows.fast is fast
    rows.write(2, AWKWARD)
    ws.merge_range(3, 0, 3, 5, "茨竹镇 石坪村", group)  # a heading between body rows
    rows.write(4, list(reversed(AWKWARD)))
    rows.write(5, ["", None, ""])  # a row of blanks only
    ws.merge_range(6, 0, 6, 5, "茨竹镇 新华村", group)
    rows.write(7, AWKWARD[:3])
    ws.write_string(8, 0, "注：……")
    wb.close()


def test_raw_rows_are_the_bytes_xlsxwriter_writes(tmp_path: Path) -> None:
    fast, slow = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    _book(fast, True)
    _book(slow, False)
    assert _sheet(fast) == _sheet(slow)
    sheet = load_workbook(fast).active
    assert sheet["J3"].value == "=SUM(A1:A3)" and sheet["J3"].quotePrefix  # text, not formula
    assert sheet["N3"].value == 'a & b <c> "q"' and sheet["O3"].value == " leading"
    assert len(sheet.cell(row=3, column=len(AWKWARD)).value) == 32_767  # the long one, last
    assert [sheet.cell(row=8, column=c).value for c in (1, 2)] == [1, 0]
    assert "A4:F4" in sheet.merged_cells and "A7:F7" in sheet.merged_cells


def test_text_shaped_like_xml_stays_text(tmp_path: Path) -> None:
    """XlsxWriter writes a string "<r>…</r>" into the sheet unescaped (its rich-string
    shortcut): a name typed like that would corrupt the file. RowWriter escapes it."""
    dest = tmp_path / "x.xlsx"
    wb = xlsxwriter.Workbook(str(dest), {"constant_memory": True})
    ws = wb.add_worksheet()
    fmt = wb.add_format({"border": 1})
    RowWriter(ws, fmt, fmt).write(0, ["<r></t></is></c><c>x</c></r>", "ok"])
    wb.close()
    sheet = load_workbook(dest).active
    assert sheet["A1"].value == "<r></t></is></c><c>x</c></r>" and sheet["B1"].value == "ok"


def test_the_towns_form_is_the_same_file_either_way(tmp_path: Path) -> None:
    """The demo town's 附件2 (village headings between the rows): same sheet bytes."""
    with Workspace.open(tmp_path / "demo") as village:
        town_folder = make_demo(village, elders=60, seed=7, today=TODAY).town_workspace
    period = Period.of("2026Q3", today=TODAY)
    with Workspace.open(Path(town_folder)) as town, town.reading() as s:
        n = write_attachment2(
            s, tmp_path / "fast.xlsx", period=period, district="渝北区", unit="茨竹镇"
        )
        write_attachment2(
            s,
            tmp_path / "slow.xlsx",
            period=period,
            district="渝北区",
            unit="茨竹镇",
            fast_rows=False,
        )
    assert n > 20
    assert _sheet(tmp_path / "fast.xlsx") == _sheet(tmp_path / "slow.xlsx")


def test_a_worksheet_not_in_constant_memory_gets_xlsxwriters_own_writes(tmp_path: Path) -> None:
    dest = tmp_path / "shared.xlsx"
    wb = xlsxwriter.Workbook(str(dest))  # shared strings: rows are not streamed
    ws = wb.add_worksheet()
    fmt = wb.add_format({"border": 1})
    rows = RowWriter(ws, fmt, fmt)
    assert not rows.fast
    rows.write(0, ["张德明", 3, "", "=1+1"])
    wb.close()
    sheet = load_workbook(dest).active
    assert [c.value for c in sheet[1]] == ["张德明", 3, None, "=1+1"]
    assert sheet["D1"].data_type == "s"  # text, never a formula
