"""Read one sheet of an .xlsx safely: cached values only (formulas are never evaluated), with
the cells that hold a formula but no cached value marked, merged ranges resolved (each covered
row gets the range's value), and a cap on data rows."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from huzhu_desktop.core.errors import HuzhuError, UnreadableFileError
from huzhu_desktop.core.importers.columns import HeaderMap, find_header
from huzhu_desktop.core.importers.fast_sheet import read_sheet_fast
from huzhu_desktop.core.importers.safety import DEFAULT_LIMITS, Limits, check_workbook_file
from huzhu_desktop.core.importers.sheet_prep import resolve_merges


@dataclass
class SheetData:
    name: str
    rows: list[list[Any]]  # rows[i] is Excel row i + 1
    header: HeaderMap | None
    formula_cells: set[tuple[int, int]] = field(default_factory=set)  # (excel row, 0-based col)
    sheet_names: list[str] = field(default_factory=list)
    merged_cells_filled: int = 0  # cells a merged range covered and now carry its value


UNSAFE = "Excel 文件含有不安全的内容（XML 实体），为安全起见拒绝读取。"
BROKEN = (KeyError, zipfile.BadZipFile, ParseError, ValueError, OSError, EOFError, TypeError)


def _hostile(exc: BaseException | None) -> bool:
    """defusedxml refused something somewhere in the chain (openpyxl wraps it in ValueError)."""
    while exc is not None:
        if type(exc).__module__.startswith("defusedxml"):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _open(path: Path, *, data_only: bool) -> Any:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:
        if _hostile(exc):
            raise UnreadableFileError(UNSAFE, detail=repr(exc)) from exc
        if isinstance(exc, (InvalidFileException, *BROKEN)):
            raise UnreadableFileError(
                "Excel 文件已损坏或格式不对，无法读取。", detail=repr(exc)
            ) from exc
        raise


HeaderFinder = Callable[[list[list[Any]]], HeaderMap | None]


def read_sheet(
    path: Path,
    sheet: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    find: HeaderFinder = find_header,
) -> SheetData:
    """The chosen sheet (else the first whose header `find` recognises), merges resolved."""
    check_workbook_file(path, limits)
    wb = _open(path, data_only=True)
    try:
        names = list(wb.sheetnames)
        chosen = _choose_sheet(wb, names, sheet, find)
        cells = read_sheet_fast(path, wb, chosen, limits.data_rows)
    except UnreadableFileError:
        raise
    except HuzhuError:
        raise
    except Exception as exc:
        if _hostile(exc):
            raise UnreadableFileError(UNSAFE, detail=repr(exc)) from exc
        raise UnreadableFileError("Excel 文件已损坏，读取时出错。", detail=repr(exc)) from exc
    finally:
        wb.close()
    filled = resolve_merges(cells.rows, cells.merges)
    return SheetData(
        chosen,
        cells.rows,
        find(cells.rows),
        cells.formula_cells,
        sheet_names=names,
        merged_cells_filled=filled,
    )


def _choose_sheet(wb: Any, names: list[str], wanted: str | None, find: HeaderFinder) -> str:
    if wanted is not None:
        if wanted not in names:
            raise HuzhuError(f"找不到名为“{wanted}”的工作表。这个文件里有：{'、'.join(names)}。")
        return wanted
    for name in names:  # the first sheet that has a recognisable header
        head = [list(r) for r in wb[name].iter_rows(max_row=30, values_only=True)]
        if find(head) is not None:
            return name
    return names[0]
