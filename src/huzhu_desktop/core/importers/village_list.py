"""A town's 村名单 from a sheet (.xlsx as Excel, WPS or LibreOffice save it, or .csv in UTF-8 or
GBK): columns 代码 (统计用区划代码, 12 digits), 名称 and optionally 已开展. The header may sit under
a title; blank rows, 合计 and notes are skipped. All rows are checked before anything is saved:
one bad row refuses the file and names the row (the clerk fixes the sheet and imports again).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session

from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.errors import HuzhuError, UnreadableFileError, ValidationError
from huzhu_desktop.core.importers.columns import Column, HeaderMap, header_key
from huzhu_desktop.core.importers.reader import read_sheet
from huzhu_desktop.core.importers.visit_source import csv_rows, decode_text, read_bytes
from huzhu_desktop.core.services.permissions import requires
from huzhu_desktop.core.services.villages import parse_started, save_village, town_villages

HEADERS = {
    "代码": "code",
    "区划代码": "code",
    "统计用区划代码": "code",
    "村代码": "code",
    "行政村代码": "code",
    "名称": "name",
    "村名": "name",
    "村名称": "name",
    "行政村": "name",
    "行政村名称": "name",
    "已开展": "started",
    "已开展互助养老": "started",
    "是否开展": "started",
    "是否已开展": "started",
    "是否开展互助养老": "started",
}
SKIP_WORDS = ("合计", "小计", "说明", "备注", "填表")


@dataclass
class VillageListResult:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0  # blank rows, 合计, notes
    problems: list[str] = field(default_factory=list)

    def text(self) -> str:
        return (
            f"新增 {self.added} 个村，修改 {self.changed} 个，未变 {self.unchanged} 个"
            + (f"；空行、合计、说明等 {self.skipped} 行未读" if self.skipped else "")
            + "。"
        )


def find_list_header(rows: list[list[Any]]) -> HeaderMap | None:
    for i, row in enumerate(rows[:30]):
        texts = ["" if v is None else str(v).strip() for v in row]
        columns = [Column(c, t, HEADERS.get(header_key(t))) for c, t in enumerate(texts)]
        found = [c.field for c in columns if c.field]
        if {"code", "name"} <= set(found) and len(found) == len(set(found)):
            return HeaderMap(i + 1, columns)
    return None


def read_village_list(path: Path) -> list[tuple[int, str, str, str, str]]:
    """(row number, code, name, 已开展 as written, the row's first filled cell) for every data
    row of the file."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        data = read_sheet(path, find=find_list_header)
        rows, header = data.rows, data.header
    elif suffix in (".csv", ".txt"):
        rows = csv_rows(decode_text(read_bytes(path)))
        header = find_list_header(rows)
    else:
        raise UnreadableFileError("村名单请用 Excel 工作簿（.xlsx）或 CSV 文件。")
    if header is None:
        raise UnreadableFileError(
            "没有找到表头：村名单需要“代码”和“名称”两列（可加“已开展”一列）。"
        )
    at = header.field_index()
    out = []
    for n, row in enumerate(rows[header.header_row :], start=header.header_row + 1):
        cells = ["" if v is None else str(v).strip() for v in row]

        def cell(name: str, cells: list[str] = cells) -> str:
            i = at.get(name)
            return cells[i] if i is not None and i < len(cells) else ""

        first = next((c for c in cells if c), "")
        out.append((n, cell("code"), cell("name"), cell("started"), first))
    return out


@requires("import")
def import_village_list(path: Path, *, session: Session, actor: Actor) -> VillageListResult:
    """Put every village of the sheet on the town's list (new ones added, names and 已开展
    updated); one bad row refuses the whole file (the caller's transaction rolls back)."""
    result = VillageListResult()
    before = {v.code: v for v in town_villages(session) if v.listed}
    planned: list[tuple[str, str, bool | None]] = []
    for n, code, name, started, first in read_village_list(path):
        if not (code or name) or any(first.startswith(w) for w in SKIP_WORDS):
            result.skipped += 1
            continue
        try:
            wanted = parse_started(started)
            if not name:
                raise ValidationError({"village_name": "没有村名"})
            planned.append((code.replace(" ", ""), name, wanted))
        except ValidationError as e:
            result.problems.append(f"第{n}行：{'；'.join(e.errors.values())}")
    if result.problems:
        raise HuzhuError("村名单有问题，没有导入任何村：" + "；".join(result.problems[:10]))
    for code, name, flag in planned:
        try:
            entry = save_village(code, name, flag, session=session, actor=actor)
        except ValidationError as e:
            raise HuzhuError(
                f"村名单有问题，没有导入任何村：{code} {name}：{'；'.join(e.errors.values())}"
            ) from e
        was = before.get(entry.code)
        if was is None:
            result.added += 1
        elif (was.name, was.started) != (entry.name, entry.started):
            result.changed += 1
        else:
            result.unchanged += 1
    return result
