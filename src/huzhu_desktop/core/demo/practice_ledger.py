"""A practice 台账 for the demo workspace: people of a 组 the demo register does not have yet,
in 附件2's layout with the usual mess (ages as 78岁, a birth date in the 年龄 column, phones as
numbers, 特困 for 分散特困) and two rows a clerk must fix — so that 从Excel导入台账 can be
tried at once."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from huzhu_desktop.core.atomic import atomic_path
from huzhu_desktop.core.reports.forms import ATTACHMENT2_HEADER, ATTACHMENT2_NOTE, attachment2_title

PRACTICE_NAME = "练习用-结对帮扶信息台账.xlsx"
_: None = None  # a cell the merged range above covers
# fmt: off
# Rows 3–4 and 5–6 share a helper whose cells are merged over both elders, as clerks lay it out.
ROWS: list[list[object]] = [
    ["覃德福", "男", "81岁", 13883001122, "15组青杠林3号", "有", "独居老人", "半失能", "低保",
     "向秀芳", "女", 58, 13996002233, "15组青杠林5号", 6, ""],
    ["覃德福", "男", "81岁", 13883001122, "15组青杠林3号", "有", "独居老人", "半失能", "低保",
     "牟建国", "男", 62, 13996004455, "15组青杠林8号", 2, "小组长"],
    ["蒲玉珍", "女", datetime(1944, 6, 12), "023-67805511", "15组石梯子1号", "无", "一人居住",
     "自理", "特困", "向秀芳", "女", 58, 13996002233, "15组青杠林5号", 5, ""],
    ["甘桂兰", "女", "1949.10", 15723006677, "15组堰塘湾2号", "有", "与子女同住", "能自理",
     "残疾", _, _, _, _, _, 3, ""],
    ["况国华", "男", 77, "", "15组石梯子4号", "有", "老两口", "自理", "其他",
     "牟建国", "男", 62, 13996004455, "15组青杠林8号", 1, ""],
    ["谭永贵", "男", 88, 1388300, "15组堰塘湾6号", "有", "独居", "失能", "低保户",
     _, _, _, _, _, 4, "电话少了几位（练习改错）"],
    ["冉淑琼", "女", 79, "", "15组大湾9号", "有", "住敬老院", "自理", "其他",
     "", "", "", "", "", 0, "居住情况写法不对（练习改错）"],
]
# fmt: on
MERGED_HELPER_ROWS = ((3, 4), (5, 6))  # 1-based data rows whose helper cells are merged
EMPTY_NUMBERED_ROWS = 3  # the template's pre-numbered rows nobody filled


def write_practice_ledger(folder: Path) -> Path:
    """Written as Excel writes (shared strings, bordered table, merged cells) with XlsxWriter."""
    import xlsxwriter

    dest = folder / PRACTICE_NAME
    with atomic_path(dest) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False, "strings_to_urls": False})
        ws = wb.add_worksheet("附件2")
        title = wb.add_format({"bold": True, "font_size": 16, "align": "center"})
        head = wb.add_format(
            {"bold": True, "border": 1, "text_wrap": True, "align": "center", "valign": "vcenter"}
        )
        cell = wb.add_format({"border": 1, "valign": "vcenter"})
        day = wb.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
        width = len(ATTACHMENT2_HEADER)
        ws.write(0, 0, "附件2")
        ws.merge_range(1, 0, 1, width - 1, attachment2_title("渝北区"), title)
        ws.write(
            2, 0, "填表单位：演示村（盖章）        审核人：          填报人：          联系电话："
        )
        ws.write_row(3, 0, ATTACHMENT2_HEADER, head)
        first = 4
        for i, row in enumerate(ROWS):
            for c, value in enumerate([i + 1, *row]):
                if isinstance(value, datetime):
                    ws.write_datetime(first + i, c, value, day)
                elif value is None:
                    ws.write_blank(first + i, c, None, cell)
                else:
                    ws.write(first + i, c, value, cell)
        for top, bottom in MERGED_HELPER_ROWS:
            for c in range(10, 15):  # 帮扶人 姓名 … 住址
                ws.merge_range(
                    first + top - 1, c, first + bottom - 1, c, ROWS[top - 1][c - 1], cell
                )
        below = first + len(ROWS)
        for k in range(EMPTY_NUMBERED_ROWS):
            ws.write(below + k, 0, len(ROWS) + k + 1, cell)
            for c in range(1, width):
                ws.write_blank(below + k, c, None, cell)
        below += EMPTY_NUMBERED_ROWS
        ws.write(below, 0, "合计", cell)
        ws.write_formula(below, 15, f"=SUM(P{first + 1}:P{below})", cell, 21)
        ws.write(below + 1, 0, ATTACHMENT2_NOTE)
        ws.set_column(0, width - 1, 11)
        ws.set_row(3, 45)
        wb.close()
    return dest
