"""Body rows of a big form written straight into an XlsxWriter worksheet's row data.

XlsxWriter in constant-memory mode keeps one row, then writes it as XML; per cell it builds a
cell tuple, checks dimensions and escapes attribute by attribute: 5.4 µs a cell, 4.6 s of a
district's 附件2 (708,000 cells). `RowWriter` writes each body row's XML itself, with the
worksheet's own escaping and style indexes, ≈ 1 µs a cell, and keeps the worksheet's state
(its last row, its dimensions) as XlsxWriter's own writes would; titles, merged headings and
everything else still go through XlsxWriter. A test holds the sheet it writes byte for byte
equal to XlsxWriter's. Where a worksheet lacks what this relies on (another XlsxWriter
version, not constant-memory), every cell goes through XlsxWriter's own writes instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from huzhu_desktop.core.reports.xlsx_safe import FORMULA_STARTS


class RowWriter:
    """Boxed body cells: "" or None blank, numbers as numbers, anything else as text (text
    starting like a formula gets the quote-prefixed format)."""

    def __init__(self, ws: Any, cell: Any, quoted: Any, *, fast: bool = True) -> None:
        self.ws, self.cell_format, self.quoted_format = ws, cell, quoted
        self.fast = fast and _supports_raw_rows(ws)
        self._styles: dict[int, str] = {}
        self._names: list[str] = []
        try:
            from xlsxwriter.worksheet import _preserve_whitespace
        except ImportError:  # another XlsxWriter: its own writes
            self.fast = False
        else:
            self._preserve = _preserve_whitespace

    def write(self, row: int, values: Sequence[Any]) -> None:
        if not self.fast:
            for col, value in enumerate(values):
                self._write_cell(row, col, value)
            return
        ws = self.ws
        ws._write_single_row(row)  # flush what XlsxWriter holds; this row is now its last
        if values:
            ws._check_dimensions(row, 0)
            ws._check_dimensions(row, len(values) - 1)
        names = self._names
        while len(names) < len(values):
            names.append(xl_col_to_name(len(names)))
        number = str(row + 1)
        escape, control, style_of = ws._escape_data, ws._escape_control_characters, self._style
        plain = self.cell_format
        parts = [f'<row r="{number}">']
        for col, value in enumerate(values):
            ref = names[col] + number
            if value is None or value == "":
                parts.append(f'<c r="{ref}"{style_of(plain)}/>')
            elif isinstance(value, bool) or not isinstance(value, int | float):
                text = str(value)[:32767]  # Excel's longest cell text, as XlsxWriter cuts it
                style = style_of(self.quoted_format if text.startswith(FORMULA_STARTS) else plain)
                if "_x" in text or not text.isprintable():  # else escaping changes nothing
                    text = control(text)
                space = ' xml:space="preserve"' if self._preserve(text) else ""
                parts.append(
                    f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'
                )
            else:
                parts.append(f'<c r="{ref}"{style_of(plain)}><v>{value:.16G}</v></c>')
        parts.append("</row>")
        ws.fh.write("".join(parts))

    def _style(self, fmt: Any) -> str:
        """A format's ` s="…"` attribute; its index given at its first cell, as XlsxWriter
        gives it (indexes go by first use: the same styles part either way)."""
        found = self._styles.get(id(fmt))
        if found is None:
            found = self._styles[id(fmt)] = f' s="{fmt._get_xf_index()}"'
        return found

    def _write_cell(self, row: int, col: int, value: Any) -> None:
        ws = self.ws
        if value is None or value == "":
            ws.write_blank(row, col, None, self.cell_format)
        elif isinstance(value, bool) or not isinstance(value, int | float):
            text = str(value)
            style = self.quoted_format if text.startswith(FORMULA_STARTS) else self.cell_format
            ws.write_string(row, col, text, style)
        else:
            ws.write_number(row, col, value, self.cell_format)


def _supports_raw_rows(ws: Any) -> bool:
    return bool(getattr(ws, "constant_memory", False)) and all(
        hasattr(ws, name)
        for name in (
            "_write_single_row",
            "_check_dimensions",
            "_escape_data",
            "_escape_control_characters",
            "fh",
        )
    )
