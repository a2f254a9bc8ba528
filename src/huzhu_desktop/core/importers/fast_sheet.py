"""A lean, safe reader of one worksheet's cell values, about twice as fast as openpyxl's
read-only rows on a 10,000-row 台账.

openpyxl still opens the workbook (sheet names, shared strings, which styles are dates, the date
epoch); only the sheet XML is streamed here, through expat with no DTDs or entities allowed. One
pass yields the cached values and the formula cells that have none. Tests check it gives exactly
what openpyxl gives on every fixture workbook.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any
from xml.parsers import expat

from openpyxl.utils.datetime import from_excel

from huzhu_desktop.core.errors import LimitExceededError, UnreadableFileError

UNSAFE = "Excel 文件含有不安全的内容（XML 实体），为安全起见拒绝读取。"


def _column(ref: str) -> int:
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        else:
            break
    return n - 1


class _Sheet:
    def __init__(self, shared: list[Any], dates: set[int], epoch: Any, data_rows: int) -> None:
        self.shared, self.dates, self.epoch, self.data_rows = shared, dates, epoch, data_rows
        self.max_rows = data_rows + 40  # title, header and footer rows on top of the data
        self.rows: list[list[Any]] = []
        self.formula_cells: set[tuple[int, int]] = set()
        self.row: list[Any] = []
        self.row_no = 0
        self.col = 0
        self.kind = "n"
        self.style = 0
        self.text: list[str] | None = None
        self.value: str | None = None
        self.inline: list[str] = []
        self.formula = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        name = name.rpartition(":")[2]
        if name == "c":
            ref = attrs.get("r")
            self.col = _column(ref) if ref else len(self.row)
            self.kind = attrs.get("t", "n")
            self.style = int(attrs.get("s", 0))
            self.value, self.formula, self.inline = None, False, []
        elif name in ("v", "t"):
            self.text = []
        elif name == "f":
            self.formula = True
        elif name == "row":
            r = attrs.get("r")
            self.row_no = int(r) if r else self.row_no + 1
            if self.row_no > self.max_rows:
                raise LimitExceededError(
                    f"工作表超过 {self.data_rows} 行，超出一次导入的上限。"
                    "请按组拆成几个文件分别导入。"
                )
            self.row = []

    def chars(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def end(self, name: str) -> None:
        name = name.rpartition(":")[2]
        if name == "v" and self.text is not None:
            self.value, self.text = "".join(self.text), None
        elif name == "t" and self.text is not None:
            self.inline.append("".join(self.text))
            self.text = None
        elif name == "c":
            value = self._value()
            if self.formula and value is None:
                self.formula_cells.add((self.row_no, self.col))
            if value is not None:
                if self.col >= len(self.row):
                    self.row.extend([None] * (self.col + 1 - len(self.row)))
                self.row[self.col] = value
        elif name == "row":
            while len(self.rows) < self.row_no - 1:
                self.rows.append([])
            self.rows.append(self.row)

    def _value(self) -> Any:
        kind, v = self.kind, self.value
        if kind == "inlineStr":
            return "".join(self.inline) if self.inline else None
        if v is None or (v == "" and kind not in ("s", "str")):
            return None  # <v></v>: a formula that was never calculated
        if kind == "s":
            return self.shared[int(v)]
        if kind == "str":
            return v
        if kind == "b":
            return v == "1"
        if kind == "e":
            return v
        if kind == "d":
            from datetime import datetime

            return datetime.fromisoformat(v)
        number: float | int = float(v) if ("." in v or "E" in v or "e" in v) else int(v)
        if self.style in self.dates:
            return from_excel(number, self.epoch)
        return number  # as openpyxl casts it


def read_sheet_fast(
    path: Path, wb: Any, sheet: str, data_rows: int
) -> tuple[list[list[Any]], set[tuple[int, int]]]:
    """Rows (rows[i] is Excel row i + 1; trailing blank rows dropped) and formula cells
    that have no cached value."""
    ws = wb[sheet]
    state = _Sheet(list(wb.shared_strings), set(wb._date_formats), wb.epoch, data_rows)
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_args: Any) -> None:
        raise UnreadableFileError(UNSAFE)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = state.start
    parser.EndElementHandler = state.end
    parser.CharacterDataHandler = state.chars
    parser.buffer_text = True
    try:
        with zipfile.ZipFile(path) as zf, zf.open(ws._worksheet_path) as fh:
            parser.ParseFile(fh)
    except expat.ExpatError as exc:
        raise UnreadableFileError(
            "Excel 文件已损坏（工作表内容无法读取）。", detail=str(exc)
        ) from exc
    while state.rows and not any(v is not None and str(v).strip() for v in state.rows[-1]):
        state.rows.pop()
    return state.rows, state.formula_cells
