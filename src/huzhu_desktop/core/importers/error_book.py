"""错误清单 — the rejected rows, as they were, with a 错误原因 column, for fixing in Excel and
importing again. Text that Excel would take for a formula is written as plain text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from huzhu_desktop.core.atomic import atomic_path
from huzhu_desktop.core.importers.ledger import ImportResult
from huzhu_desktop.core.reports.xlsx_safe import safe_cell


def write_error_book(result: ImportResult, dest: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("错误清单")
    bold = Font(bold=True)
    headers = [h for h, _f in result.columns]
    header_cells = [safe_cell(ws, h, font=bold) for h in headers]
    header_cells.append(safe_cell(ws, "错误原因", font=Font(bold=True, color="B00020")))
    header_cells.append(safe_cell(ws, "原行号", font=bold))
    ws.append(header_cells)
    wrap = Alignment(wrap_text=True, vertical="top")
    for values, rejection in zip(result.rejected_rows, result.rejections, strict=True):
        cells: list[Any] = [safe_cell(ws, v) for v in values[: len(headers)]]
        cells += [safe_cell(ws, None)] * (len(headers) - len(cells))
        cells.append(safe_cell(ws, rejection.message, alignment=wrap))
        cells.append(safe_cell(ws, rejection.row))
        ws.append(cells)
    with atomic_path(dest) as tmp:
        wb.save(tmp)
    return dest
