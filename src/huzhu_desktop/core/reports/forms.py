"""The official forms' header cells, exactly as in seed 002 (附件1, 附件2) and ../shared/forms,
and the layout both share: 附件N in 黑体, the title in 方正小标宋简体 across the sheet, the 填表单位
line, the header row in bold 宋体 with thin borders, A4 landscape one page wide with the header
repeated on every page."""

from __future__ import annotations

from copy import copy
from functools import lru_cache
from typing import Any

from huzhu_desktop.core.reports.xlsx_safe import put

FILL_LINE = "填表单位：（盖章）        审核人：          填报人：          联系电话："
ATTACHMENT1_HEADER = (  # the seed's mixed brackets in 积分（分) and 集体活动(场) kept as they are
    "序号",
    "行政村名称",
    "社工组织名称",
    "社工人数",
    "互助养老点数量",
    "互助养老分点数量",
    "志愿者队伍人数",
    "特殊老人“一对一”结对帮扶（对）",
    "社会老人“划片式”结对帮扶（组）",
    "互助养老积分（分)",
    "集体活动(场)",
    "镇街配套和捐赠金额筹集\n（元）",
)
ATTACHMENT2_WIDTHS = (6, 10, 6, 6, 13, 18, 10, 10, 10, 10, 10, 6, 6, 13, 18, 8, 12)
ATTACHMENT1_WIDTHS = (6, 14, 16, 8, 10, 10, 10, 14, 14, 12, 10, 14)
ATTACHMENT2_NOTE = "说明：老人类型分为低保、分散特困、失独、残疾、优抚、其他。"
ATTACHMENT2_HEADER = (
    "序号",
    "被帮扶老人姓名",
    "性别",
    "年龄",
    "电话",
    "住址",
    "子女情况\n（有无子女）",
    "居住情况\n（独居、双居）",
    "健康状况\n（自理、失能）",
    "老人类型",
    "帮扶人姓名",
    "性别",
    "年龄",
    "电话",
    "住址",
    "帮扶次数",
    "备注",
)


def attachment2_title(district: str) -> str:
    return f"{district}农村互助养老结对帮扶信息台账"


def attachment1_title(district: str) -> str:
    return f"{district}农村互助养老服务工作进展情况汇总表"


# The forms' type (seed 002's printed forms), shared by the openpyxl forms here and the streamed
# 附件2 (attachment2, XlsxWriter): (font name, size).
NUMBER_FONT = ("黑体", 12)  # 附件N
TITLE_FONT = ("方正小标宋简体", 18)
BODY_FONT = ("宋体", 10)  # header and body cells, boxed
HEADER_HEIGHT = 48


def fill_line(unit: str) -> str:
    """The 填表单位 line with the unit's name in it."""
    return FILL_LINE.replace("填表单位：", f"填表单位：{unit}", 1)


def start_form(
    ws: Any, number: str, title: str, unit: str, header: tuple[str, ...], widths: tuple[int, ...]
) -> None:
    """Rows 1–4 of a form: 附件N, the title, the 填表单位 line (with the unit) and the header."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    last = get_column_letter(len(header))
    ws["A1"] = number
    ws["A1"].font = Font(name=NUMBER_FONT[0], size=NUMBER_FONT[1])
    ws["A2"] = title
    ws["A2"].font = Font(name=TITLE_FONT[0], size=TITLE_FONT[1])
    ws["A2"].alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"A2:{last}2")
    put(ws["A3"], fill_line(unit))
    ws.merge_cells(f"A3:{last}3")
    for col, text in enumerate(header, start=1):
        cell = ws.cell(row=4, column=col, value=text)
        _boxed(cell, bold=True)
    ws.row_dimensions[4].height = HEADER_HEIGHT
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "4:4"


def body_row(ws: Any, row: int, values: list[Any], *, bold: bool = False) -> None:
    """A data row under the header, boxed like the form's blank rows (小计 / 合计 in bold)."""
    styled = None
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col)
        put(cell, value)
        if styled is None:
            _boxed(cell, bold=bold)
            styled = cell._style
        else:  # the same style ids (as openpyxl's own copy_worksheet does): no style hashing
            cell._style = copy(styled)


def _boxed(cell: Any, *, bold: bool = False) -> None:
    font, alignment, border = _box_styles(bold)
    cell.font, cell.alignment, cell.border = font, alignment, border


@lru_cache(maxsize=2)
def _box_styles(bold: bool) -> tuple[Any, Any, Any]:
    """The boxed cell's font, alignment and border, made once: made per cell they were 0.25 ms
    each (a district's 附件1, 7,500 cells: 1.9 s)."""
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin")
    return (
        Font(name=BODY_FONT[0], size=BODY_FONT[1], bold=bold),
        Alignment(horizontal="center", vertical="center", wrap_text=True),
        Border(left=thin, right=thin, top=thin, bottom=thin),
    )
