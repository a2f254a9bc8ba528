"""Writing cells without formula injection: a text that starts with = + - @ is stored as text
with Excel's quote prefix, so neither opening nor editing the cell evaluates it."""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@")


def safe_cell(ws: Any, value: Any, **style: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    for key, v in style.items():
        setattr(cell, key, v)
    return cell


def put(cell: Any, value: Any) -> None:
    """The same for a cell of an ordinary worksheet."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
