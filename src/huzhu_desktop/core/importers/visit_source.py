"""Visit records from outside, read into raw rows: a helper's own 走访 sheet (.xlsx), a CSV as
Excel on Chinese Windows saves it (GBK/GB18030, or UTF-8 with or without BOM), rows copied out of
Excel/WPS (tab separated, with a header row), or lines from a WeChat group.

Nothing is matched here — `visit_plan` finds the people. Columns are found by what their header
says, as for the 台账; rows are numbered by sheet row or text line; the sheet's furniture
(blank and pre-numbered rows, 合计, notes, repeated headers) is counted, not read.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from huzhu_desktop.core import vocab
from huzhu_desktop.core.errors import LimitExceededError, UnreadableFileError
from huzhu_desktop.core.importers.columns import SCAN_ROWS, Column, HeaderMap, header_key
from huzhu_desktop.core.importers.reader import read_sheet
from huzhu_desktop.core.importers.safety import DEFAULT_LIMITS, Limits
from huzhu_desktop.core.importers.sheet_prep import RowClassifier, RowKind

# What each field of a visit is called in the sheets (after header_key: no brackets, no spaces).
VISIT_HEADERS: dict[str, str] = {
    **dict.fromkeys(
        ("日期", "走访日期", "探访日期", "服务日期", "帮扶日期", "走访时间", "探访时间"), "date"
    ),
    **dict.fromkeys(
        (
            "帮扶人",
            "帮扶人姓名",
            "结对帮扶人",
            "志愿者",
            "志愿者姓名",
            "互助员",
            "走访人",
            "探访人",
            "服务人",
            "服务者",
            "服务人员",
            "小组长",
        ),
        "helper",
    ),
    **dict.fromkeys(
        (
            "老人",
            "老人姓名",
            "服务对象",
            "被帮扶老人",
            "被帮扶老人姓名",
            "被帮扶人",
            "帮扶对象",
            "被探访人",
            "被探访老人",
            "探访对象",
            "走访对象",
            "被服务人",
            "被服务老人",
        ),
        "elder",
    ),
    **dict.fromkeys(
        ("方式", "服务方式", "走访方式", "探访方式", "帮扶方式", "服务类型", "走访类型"), "kind"
    ),
    **dict.fromkeys(("时长", "服务时长", "走访时长", "用时", "时长分钟", "分钟"), "minutes"),
    **dict.fromkeys(
        ("服务内容", "内容", "服务项目", "帮扶内容", "走访内容", "服务事项", "事项"), "services"
    ),
    "备注": "note",
    **dict.fromkeys(("序号", "编号"), "seq"),
}
VISIT_LABELS = {
    "date": "日期",
    "helper": "帮扶人",
    "elder": "老人",
    "kind": "方式",
    "minutes": "时长",
    "services": "服务内容",
    "note": "备注",
}
MAX_TEXT_BYTES = 8 * 1024 * 1024
MAX_LINES = 20_000


@dataclass
class RawVisit:
    """One visit as the source wrote it: cells of a table, or a chat line to be parsed."""

    row: int  # sheet row or text line, 1-based
    cells: dict[str, Any] = field(default_factory=dict)  # field → value (tables)
    line: str = ""  # a chat line (no table)


@dataclass
class VisitSource:
    kind: str  # 表格 / 微信 (VisitForm.source)
    rows: list[RawVisit]
    skipped_blank: int = 0
    skipped_layout: int = 0
    header: list[tuple[str, str | None]] = field(default_factory=list)


def _classify(text: object, has_date: bool) -> str | None:
    key = header_key(text)
    if key in VISIT_HEADERS:
        return VISIT_HEADERS[key]
    if key in ("时间", "服务时间"):
        return "minutes" if has_date else "date"
    return None


def find_visit_header(rows: list[list[Any]]) -> HeaderMap | None:
    """The first row (of the first 30) naming at least the elder and two more visit fields."""
    for i, row in enumerate(rows[:SCAN_ROWS]):
        texts = ["" if v is None else str(v).strip() for v in row]
        has_date = any(VISIT_HEADERS.get(header_key(t)) == "date" for t in texts)
        columns = [Column(c, t, _classify(t, has_date)) for c, t in enumerate(texts)]
        fields = [c.field for c in columns if c.field and c.field != "seq"]
        if "elder" in fields and len(set(fields)) >= 3 and len(fields) == len(set(fields)):
            return HeaderMap(i + 1, columns)
    return None


def table_rows(rows: list[list[Any]], kind: str) -> VisitSource:
    """Rows of a table (sheet, CSV or pasted cells) under its header."""
    header = find_visit_header(rows)
    if header is None:
        raise UnreadableFileError(
            "没有找到走访记录的表头：第一行应写明“日期”“帮扶人”“老人（或服务对象）”“时长”等列名。"
        )
    index = {c.field: c.index for c in header.columns if c.field and c.field != "seq"}
    source = VisitSource(kind, [], header=[(c.header, c.field) for c in header.columns])
    classifier = RowClassifier(header)  # 序号 (`seq`) alone makes a row blank, as in a 台账
    for row_no in range(header.header_row + 1, len(rows) + 1):
        values = rows[row_no - 1]
        verdict = classifier.kind(values)
        if verdict is RowKind.BLANK:
            source.skipped_blank += 1
        elif verdict is RowKind.LAYOUT:
            source.skipped_layout += 1
        else:
            cells = {f: values[i] for f, i in index.items() if i < len(values)}
            source.rows.append(RawVisit(row_no, cells))
    return source


def chat_lines(text: str) -> VisitSource:
    """Lines from a chat: every non-empty line is one visit report (parsed with the names)."""
    source = VisitSource(vocab.BY_WECHAT, [])
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if _CHAT_FURNITURE.match(line.strip()):
            source.skipped_layout += 1
            continue
        source.rows.append(RawVisit(n, line=line))
    return source


# A chat's own furniture: who posted when ("王秀英 11:02"), pasted headers, image placeholders.
_CHAT_FURNITURE = re.compile(r"^(\[(图片|表情|语音|视频|文件)\]|.{1,12}\s+\d{1,2}:\d{2}(:\d{2})?$)")


def parse_text(text: str) -> VisitSource:
    """Tab-separated lines with a header row are a table; anything else is chat lines."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
        raise LimitExceededError("粘贴或文件中的文字太多（超过 8 MB），请分几次导入。")
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise LimitExceededError(f"超过 {MAX_LINES} 行，请分几次导入。")
    if any("\t" in line for line in lines[:SCAN_ROWS]):
        rows: list[list[Any]] = [line.split("\t") for line in lines]
        if find_visit_header(rows) is not None:
            return table_rows([[c if c.strip() else None for c in r] for r in rows], vocab.BY_SHEET)
    return chat_lines(text)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) or GBK/GB18030, as Excel on Chinese Windows saves CSV."""
    if b"\x00" in data[:4096]:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        raise UnreadableFileError("这不是文本文件（含有二进制内容），无法读取。")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            "文件的文字编码无法识别（不是 UTF-8 也不是 GBK），请在 Excel 中另存为"
            "“CSV UTF-8（逗号分隔）”后再导入。"
        ) from exc


def csv_rows(text: str) -> list[list[Any]]:
    sample = "\n".join(text.splitlines()[:20])
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows: list[list[Any]] = []
    for row in reader:
        rows.append([c if c.strip() else None for c in row])
        if len(rows) > MAX_LINES:
            raise LimitExceededError(f"超过 {MAX_LINES} 行，请分几次导入。")
    return rows


def read_bytes(path: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
    """A text file from outside, read with a cap before anything is allocated."""
    try:
        if not path.is_file():
            raise UnreadableFileError(f"“{path}”不是一个文件。")
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise UnreadableFileError(f"找不到或打不开文件“{path}”。", detail=str(exc)) from exc
    if len(data) > limit:
        raise LimitExceededError("文件太大（超过 8 MB），请分几次导入。")
    if not data.strip():
        raise UnreadableFileError("这个文件是空的，没有可导入的走访记录。")
    return data


def read_visit_file(
    path: Path, sheet: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> VisitSource:
    """A .xlsx, .csv or .txt of visit records."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        data = read_sheet(path, sheet, limits, find=find_visit_header)
        return table_rows(data.rows, vocab.BY_SHEET)
    if suffix == ".xls":
        raise UnreadableFileError(
            "这是旧版 Excel（.xls）文件。"
            "请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）后再导入。"
        )
    text = decode_text(read_bytes(path))
    if suffix == ".csv":
        return table_rows(csv_rows(text), vocab.BY_SHEET)
    return parse_text(text)
