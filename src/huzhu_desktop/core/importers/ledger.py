"""Import a 结对帮扶信息台账 (附件2 or a village's own variant) into the register.

    result = import_ledger(path, session=s, actor=ws.actor, dry_run=True)

Every data row ends as exactly one of imported / updated / skipped_duplicate / rejected, and the
counts add up to the data rows (`rows_total`); the other rows under the header are counted as
`skipped_blank` or `skipped_layout` (sheet_prep), so every row of the sheet is accounted for.
The same code plans the dry run and the apply; the apply is one transaction owned by the
caller, so a refusal anywhere leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlmodel import Session

from huzhu_desktop.core import clock, vocab
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.errors import HuzhuError
from huzhu_desktop.core.importers.columns import FIELD_LABELS, HeaderMap
from huzhu_desktop.core.importers.outcome import Outcome
from huzhu_desktop.core.importers.reader import SheetData, read_sheet
from huzhu_desktop.core.importers.registry import Ambiguous, Registry
from huzhu_desktop.core.importers.rows import Rejection, RowParser, RowRejected
from huzhu_desktop.core.importers.safety import DEFAULT_LIMITS, Limits
from huzhu_desktop.core.importers.sheet_prep import RowClassifier, RowKind
from huzhu_desktop.core.services.audit import record_audit
from huzhu_desktop.core.services.permissions import requires

Progress = Callable[[int, int], None]


@dataclass(kw_only=True)
class ImportResult(Outcome):
    sheet: str
    header_row: int
    columns: list[tuple[str, str | None]]
    merged_cells_filled: int = 0
    rejected_rows: list[list[object]] = field(default_factory=list)  # cells, for the error book

    def summary_text(self) -> str:
        verb = "预检" if self.dry_run else "导入"
        text = (
            f"{verb}完成：数据行 {self.rows_total}，新增 {self.imported}，更新 {self.updated}，"
            f"重复跳过 {self.skipped_duplicates}，有问题 {self.rejected}。"
        )
        if self.skipped_blank or self.skipped_layout:
            text += (
                f"另有空行 {self.skipped_blank} 行、表格说明/合计/重复表头等 "
                f"{self.skipped_layout} 行，不是数据，未导入。"
            )
        return text


@requires("import")
def import_ledger(
    path: Path,
    *,
    session: Session,
    actor: Actor,
    sheet: str | None = None,
    dry_run: bool = True,
    overrides: dict[int, str | None] | None = None,
    default_kind: str = vocab.ONE_TO_ONE,
    today: date | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    data: SheetData | None = None,
) -> ImportResult:
    """Validate the whole sheet; unless `dry_run`, write every accepted row in this session."""
    today = today or clock.today()
    data = data or read_sheet(path, sheet, limits)
    header = require_header(data, overrides)
    result = ImportResult(
        sheet=data.name,
        header_row=header.header_row,
        columns=[(c.header, c.field) for c in header.columns],
        dry_run=dry_run,
        merged_cells_filled=data.merged_cells_filled,
    )
    classifier = RowClassifier(header)
    parser = RowParser(header, data.formula_cells, today=today, default_kind=default_kind)
    registry = Registry(session, actor, today)
    first, last = header.header_row, len(data.rows)
    for row_no in range(first + 1, last + 1):
        values = data.rows[row_no - 1]
        if progress and row_no % 500 == 0:
            progress(row_no - first, last - first)
        kind = classifier.kind(values)
        if kind is RowKind.BLANK:
            result.skipped_blank += 1
            continue
        if kind is RowKind.LAYOUT:
            result.skipped_layout += 1
            continue
        result.rows_total += 1
        try:
            status = registry.take(parser.parse(row_no, values))
        except RowRejected as exc:
            result.rejections.append(exc.rejection)
            result.rejected_rows.append(values)
            continue
        except Ambiguous as exc:
            result.rejections.append(
                Rejection(row_no, FIELD_LABELS["elder_name"], "ambiguous_match", exc.message)
            )
            result.rejected_rows.append(values)
            continue
        setattr(result, status, getattr(result, status) + 1)
    if not dry_run:
        registry.write(session)
        record_audit(session, actor, "导入台账", detail=f"{path.name}：{result.summary_text()}")
    return result


def require_header(data: SheetData, overrides: dict[int, str | None] | None) -> HeaderMap:
    header = data.header
    if header is None:
        raise HuzhuError(
            f"在工作表“{data.name}”的前30行里没有找到表头（至少要有“被帮扶老人姓名”或“姓名”"
            "以及性别、年龄等列）。请确认选对了工作表。"
        )
    if overrides:
        header = header.with_overrides(overrides)
    fields = {c.field for c in header.columns if c.field}
    if "elder_name" not in fields:
        raise HuzhuError("没有指定哪一列是“被帮扶老人姓名”，无法导入。")
    dupes = header.duplicate_fields()
    if dupes:
        names = "、".join(FIELD_LABELS.get(f, f) for f in dupes)
        raise HuzhuError(f"有多列对应同一项（{names}），请在列对应里更正后再导入。")
    return header
