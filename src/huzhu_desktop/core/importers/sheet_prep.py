"""The pre-pass over a sheet as village clerks lay it out, before any row is read as data.

- **Merged cells** apply to every row they cover: a helper's 姓名/性别/电话 merged over the two
  elders they look after, a 组 or 住址 merged down a block. The top-left value is copied into the
  first column of each covered row (a merge across columns is one value, not one per column).
- **Rows are classified**: data, blank (nothing, only borders, formulas that give "", or a 序号
  with nothing beside it — templates pre-number dozens of empty rows), or layout (合计/小计,
  notes and signatures under the table, a repeated header, the title of a second block pasted
  below the first). Only data rows are counted in an import's `rows_total`; the others are
  counted as `skipped_blank` / `skipped_layout`, so every row under the header is accounted for.

Text normalisation (invisible characters, full-width forms, stray line breaks) is
`validate.clean`, which every field goes through.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum
from typing import Any

from huzhu_desktop.core.importers.columns import IGNORED_FIELDS, HeaderMap, header_key
from huzhu_desktop.core.importers.fast_sheet import Merge
from huzhu_desktop.core.validate import FieldError, clean, normalize_name


class RowKind(Enum):
    DATA = "data"
    BLANK = "blank"
    LAYOUT = "layout"


# A row whose first filled cell starts with one of these is not a person (合计 row, notes and
# signatures under the table). Checked on the first filled cell only: a 备注 of “注：已去世” in a
# data row is data.
NOT_DATA_MARKS = (
    "合计",
    "小计",
    "总计",
    "共计",
    "说明",
    "备注：",
    "备注:",
    "注：",
    "注:",
    "注1",
    "填表",
    "审核",
    "制表",
    "填报",
    "联系电话：",
    "负责人",
    "经办人",
    "日期：",
)
TOTAL_WORDS = ("合计", "小计", "总计", "共计")
_NUMBERISH = re.compile(r"[\d.\s]*")


def resolve_merges(rows: list[list[Any]], merges: Sequence[Merge]) -> int:
    """Copy each merged range's value into the first column of every row it covers.

    Returns how many cells were filled. Rows grow as needed; a range below the last row read
    (only borders) adds nothing.
    """
    filled = 0
    for m in merges:
        if m.first > len(rows) or m.last == m.first:
            continue
        top = rows[m.first - 1]
        value = top[m.left] if m.left < len(top) else None
        if value is None:
            continue
        for r in range(m.first + 1, min(m.last, len(rows)) + 1):
            row = rows[r - 1]
            if m.left >= len(row):
                row.extend([None] * (m.left + 1 - len(row)))
            if row[m.left] is None:
                row[m.left] = value
                filled += 1
    return filled


def _filled(values: list[Any]) -> list[tuple[int, Any]]:
    out = []
    for i, v in enumerate(values):
        if v is None:
            continue
        if isinstance(v, str):
            v = clean(v)
            if not v:
                continue
        out.append((i, v))
    return out


def _is_numberish(v: Any) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, (int, float)):
        return True
    return isinstance(v, str) and bool(_NUMBERISH.fullmatch(v))


def _is_plausible_name(v: Any) -> bool:
    if not isinstance(v, str) or len(v) > 12:
        return False
    try:
        normalize_name(v)
    except FieldError:
        return False
    return True


class RowClassifier:
    """Decides data / blank / layout for rows under one header."""

    def __init__(self, header: HeaderMap) -> None:
        self.header = header
        self.fields = {c.index: c.field for c in header.columns}
        self.ignored = {i for i, f in self.fields.items() if f in IGNORED_FIELDS}
        self.data_columns = {i for i, f in self.fields.items() if f and f not in IGNORED_FIELDS}

    def kind(self, values: list[Any]) -> RowKind:
        filled = _filled(values)
        if not filled:
            return RowKind.BLANK
        first = filled[0][1]
        if isinstance(first, str) and first.replace(" ", "").startswith(NOT_DATA_MARKS):
            return RowKind.LAYOUT
        if any(isinstance(v, str) and v.replace(" ", "") in TOTAL_WORDS for _i, v in filled[:3]):
            return RowKind.LAYOUT  # 合计 written in the 姓名 column after an empty 序号
        if self._repeats_header(values):
            return RowKind.LAYOUT
        data = [(i, v) for i, v in filled if i in self.data_columns]
        if not data:
            # Only a 序号 (or 帮扶次数 0, or something in a column nobody named): a pre-numbered
            # template row is blank; text there (a second block's title) is layout.
            return RowKind.BLANK if all(_is_numberish(v) for _i, v in filled) else RowKind.LAYOUT
        if len(filled) == 1 and not _is_plausible_name(first):
            return RowKind.LAYOUT  # one lone text across the table: a title, a heading
        return RowKind.DATA

    def _repeats_header(self, values: list[Any]) -> bool:
        """Sheets printed page by page repeat the header; three header words make one."""
        same = 0
        keys = self.header.keys
        for c in self.header.columns:
            if c.field and c.header and c.index < len(values):
                v, key = values[c.index], keys[c.index]
                if isinstance(v, str) and (
                    v == c.header or (key[:1] in v[:4] and header_key(v) == key)
                ):
                    same += 1
        return same >= 3
