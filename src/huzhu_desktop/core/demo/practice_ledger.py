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
ROWS = [
    [
        "覃德福",
        "男",
        "81岁",
        13883001122,
        "15组青杠林3号",
        "有",
        "独居",
        "半失能",
        "低保",
        "向秀芳",
        "女",
        58,
        13996002233,
        "15组青杠林5号",
        6,
        "",
    ],
    [
        "覃德福",
        "男",
        "81岁",
        13883001122,
        "15组青杠林3号",
        "有",
        "独居",
        "半失能",
        "低保",
        "牟建国",
        "男",
        62,
        13996004455,
        "15组青杠林8号",
        2,
        "小组长",
    ],
    [
        "蒲玉珍",
        "女",
        datetime(1944, 6, 12),
        "023-67805511",
        "15组石梯子1号",
        "无",
        "独居",
        "自理",
        "特困",
        "向秀芳",
        "女",
        58,
        13996002233,
        "15组青杠林5号",
        5,
        "",
    ],
    [
        "况国华",
        "男",
        77,
        "",
        "15组石梯子4号",
        "有",
        "与配偶同住",
        "自理",
        "其他",
        "牟建国",
        "男",
        62,
        13996004455,
        "15组青杠林8号",
        1,
        "",
    ],
    [
        "甘桂兰",
        "女",
        "1949.10",
        15723006677,
        "15组堰塘湾2号",
        "有",
        "与子女同住",
        "能自理",
        "残疾",
        "向秀芳",
        "女",
        58,
        13996002233,
        "15组青杠林5号",
        3,
        "",
    ],
    [
        "谭永贵",
        "男",
        88,
        1388300,
        "15组堰塘湾6号",
        "有",
        "独居",
        "失能",
        "低保",
        "牟建国",
        "男",
        62,
        13996004455,
        "15组青杠林8号",
        4,
        "电话少了几位（练习改错）",
    ],
    [
        "冉淑琼",
        "女",
        79,
        "",
        "15组大湾9号",
        "有",
        "住敬老院",
        "自理",
        "其他",
        "",
        "",
        "",
        "",
        "",
        0,
        "居住情况写法不对（练习改错）",
    ],
]


def write_practice_ledger(folder: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "附件2"
    ws.append(["附件2"])
    ws.append([attachment2_title("渝北区")])
    ws.append(["填表单位：演示村（盖章）        审核人：          填报人：          联系电话："])
    ws.append(list(ATTACHMENT2_HEADER))
    for i, row in enumerate(ROWS, start=1):
        ws.append([i, *row])
    ws.append(["合计"])
    ws.append([ATTACHMENT2_NOTE])
    dest = folder / PRACTICE_NAME
    with atomic_path(dest) as tmp:
        wb.save(tmp)
    return dest
