"""Workbooks as Excel, WPS and LibreOffice save them: read exactly as openpyxl's own (normal)
reader reads them, and imported with the same outcome whichever program wrote the file."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from huzhu_desktop.core.importers.fast_sheet import Merge, read_sheet_fast
from huzhu_desktop.core.importers.ledger import import_ledger
from huzhu_desktop.core.models import Person
from huzhu_desktop.core.services import register
from tests.fixtures import producers
from tests.fixtures.producers.sheets import CORPUS, MISMATCH_ID, OUTCOMES
from tests.fixtures.producers.visit_sheets import VISIT_CORPUS
from tests.importers.test_fast_sheet import _trim

TODAY = datetime(2026, 11, 30).date()
PRODUCERS = ("excel", "wps", "libreoffice")
ALL_SHEETS = {**CORPUS, **VISIT_CORPUS}


def workbook(producer: str, name: str, tmp_path: Path) -> Path:
    if producer == "libreoffice":
        path = producers.libreoffice(name)
        assert path.exists(), "run: python -m tests.fixtures.producers.make_libreoffice"
        return path
    return producers.WRITERS[producer](tmp_path / f"{name}-{producer}.xlsx", [ALL_SHEETS[name]])


@pytest.mark.parametrize("producer", PRODUCERS)
@pytest.mark.parametrize("name", sorted(ALL_SHEETS))
def test_lean_reader_reads_what_openpyxl_reads(producer: str, name: str, tmp_path: Path) -> None:
    path = workbook(producer, name, tmp_path)
    full = openpyxl.load_workbook(path, data_only=True)  # the normal reader, not read-only
    sheet = full.sheetnames[0]
    expected = _trim([list(r) for r in full[sheet].iter_rows(values_only=True)])
    merged = sorted(str(r) for r in full[sheet].merged_cells.ranges)
    full.close()
    lean = openpyxl.load_workbook(path, read_only=True, data_only=True)
    cells = read_sheet_fast(path, lean, sheet, 1_000)
    lean.close()
    assert _trim(cells.rows) == expected
    assert sorted(_ref(m) for m in cells.merges) == merged
    assert cells.formula_cells == set()  # every producer here saved its formulas' results


def _ref(m: Merge) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(m.left + 1)}{m.first}:{get_column_letter(m.right + 1)}{m.last}"


def _import(ws, path: Path, *, dry_run: bool = False):  # type: ignore[no-untyped-def]
    with ws.transaction() as s:
        return import_ledger(path, session=s, actor=ws.actor, dry_run=dry_run, today=TODAY)


def _outcome(result) -> dict[str, int]:  # type: ignore[no-untyped-def]
    got = result.to_json()
    return {k: v for k, v in got.items() if k != "rejections"}


@pytest.mark.parametrize("producer", PRODUCERS)
def test_filled_attachment2_from_every_producer(ws, producer: str, tmp_path: Path) -> None:
    """The helper's merged cells pair her with both elders; invisible characters, rich text and
    the words people use are read; the sheet's furniture is counted, not imported."""
    path = workbook(producer, "filled_attachment2", tmp_path)
    result = _import(ws, path)
    assert _outcome(result) == OUTCOMES["filled_attachment2"], result.rejections
    with ws.reading() as s:
        elders = {e.name: e for e in register.list_elders(s, today=TODAY)}
        helpers = {h.name: h for h in register.list_helpers(s, today=TODAY)}
    assert set(elders) == {"张德明", "李秀英", "王秀英", "刘开仁", "谭光荣"}
    assert helpers["王小红"].elders_helped == 2  # the merged block covers 张德明 and 李秀英
    assert helpers["陈建国"].elders_helped == 1
    li, wang, liu, tan = (elders[n] for n in ("李秀英", "王秀英", "刘开仁", "谭光荣"))
    assert (li.living, li.health, li.elder_types, li.has_children) == (
        "独居",
        "自理",
        ("分散特困",),
        False,
    )
    assert li.special and elders["张德明"].special
    assert (wang.phone, wang.living, wang.health, wang.elder_types) == (
        "13800001111",
        "双居",
        "半失能",
        ("低保",),
    )
    assert (liu.health, liu.elder_types, liu.disability_grade, liu.tags) == (
        "失能",
        ("残疾",),
        "二级",
        ("空巢",),
    )
    assert (tan.living, tan.elder_types) == ("独居", ("优抚",))
    assert _outcome(_import(ws, path))["skipped_duplicates"] == 5  # again: nothing changes


@pytest.mark.parametrize("producer", PRODUCERS)
def test_village_variant_from_every_producer(ws, producer: str, tmp_path: Path) -> None:
    """出生年月 of month precision yields to the ID when it agrees; a month that disagrees is
    refused; a second block pasted below is read; helpers without an age are taken."""
    path = workbook(producer, "village_variant", tmp_path)
    result = _import(ws, path)
    assert _outcome(result) == OUTCOMES["village_variant"], result.rejections
    [rejected] = result.rejections
    assert (rejected.row, rejected.column, rejected.reason) == (6, "出生年月", "invalid_birth")
    assert "1947-08-08" in rejected.message
    with ws.reading() as s:
        elders = {e.name: e for e in register.list_elders(s, today=TODAY)}
        helpers = {h.name: h for h in register.list_helpers(s, today=TODAY)}
    assert set(elders) == {"甘桂兰", "黎明华", "何淑珍", "曾玉兰", "单德福"}
    assert MISMATCH_ID not in {e.id_number for e in elders.values()}
    with ws.reading() as s:
        births = dict(s.execute(select(Person.name, Person.birth_date)).all())
        notes = dict(s.execute(select(Person.name, Person.note)).all())
    assert births["甘桂兰"] == date(1948, 6, 12)  # the ID's day; the sheet said 1948.6
    assert "已按身份证记为1948-06-12" in notes["甘桂兰"]  # the 1st in the cell is kept as a note
    assert births["黎明华"] == date(1950, 3, 15) and notes["黎明华"] == ""  # 1950.3 agrees
    assert elders["甘桂兰"].special and elders["曾玉兰"].special
    assert elders["何淑珍"].has_children is True
    assert helpers["陈建国"].role == "互助养老小组长" and helpers["陈建国"].elders_helped == 2
    assert helpers["王小红"].role == "志愿者"
    assert _outcome(_import(ws, path))["skipped_duplicates"] == 5
