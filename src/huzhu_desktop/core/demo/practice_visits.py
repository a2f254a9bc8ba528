"""Practice visit records for the demo workspace, so that 导入走访表 and 粘贴走访记录 can be tried
at once: a 小组长's own 走访 sheet (written as Excel writes it) and lines as they are posted in
the village's WeChat group — the demo's own people and pairings, the last week's dates, one
elder's name typed with a wrong character of the same sound (to practise choosing) and a
合计 row."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select, text
from sqlmodel import Session, col

from huzhu_desktop.core.atomic import atomic_path
from huzhu_desktop.core.models import Pairing, PairingMember, Person, table_of
from huzhu_desktop.core.pinyin import name_pinyin

SHEET_NAME = "练习用-走访记录.xlsx"
CHAT_NAME = "练习用-微信群走访.txt"
SOUNDALIKES = "德得明铭民华化国果英莹兰蓝芳方珍真贵桂秀修福富学雪文武云芸"


def _pairs(session: Session, today: date) -> list[tuple[str, str]]:
    """(helper, elder) names of pairings in force, helper by helper."""
    e, h = table_of(PairingMember).alias(), table_of(PairingMember).alias()
    pe, ph = table_of(Person).alias(), table_of(Person).alias()
    stmt = (
        select(ph.c.name, pe.c.name)
        .select_from(Pairing)
        .join(e, (e.c.pairing_id == col(Pairing.id)) & (e.c.role == "elder"))
        .join(h, (h.c.pairing_id == col(Pairing.id)) & (h.c.role == "helper"))
        .join(pe, pe.c.id == e.c.person_id)
        .join(ph, ph.c.id == h.c.person_id)
        .where(
            col(Pairing.deleted_at).is_(None),
            col(Pairing.end_date).is_(None),
            pe.c.status == "在册",
        )
        .order_by(ph.c.name, pe.c.name)
    )
    return [(a, b) for a, b in session.execute(stmt)]


def soundalike(name: str) -> str:
    """The name with its last character swapped for another of the same sound (张德明 → 张得明)."""
    last = name_pinyin(name[-1])[1]
    for ch in SOUNDALIKES:
        if ch != name[-1] and name_pinyin(ch)[1] == last:
            return name[:-1] + ch
    return name[:-1] + ("德" if name[-1] != "德" else "得")


def write_practice_visits(folder: Path, session: Session, today: date) -> tuple[Path, Path]:
    import xlsxwriter

    pairs = _pairs(session, today)
    by_helper: dict[str, list[str]] = {}
    for helper, elder in pairs:
        by_helper.setdefault(helper, []).append(elder)
    if not by_helper:  # a tiny demo may have no pairing yet: anyone in the register will do
        names = [n for (n,) in session.execute(text("SELECT name FROM person ORDER BY name"))]
        by_helper = {names[-1]: names[:1]} if names else {"王文书": ["张德明"]}
    helper, elders = max(by_helper.items(), key=lambda kv: (len(kv[1]), kv[0]))
    elders = elders[:3]
    days = [today - timedelta(days=d) for d in (6, 5, 4, 2, 1)]
    rows = [
        (days[0], helper, "、".join(elders[:2]), "入户探访", "40分钟", "助餐", ""),
        (days[1], helper, elders[0], "谈心", 30, "", ""),
        (days[2], helper, elders[-1], "帮帮忙", "1小时", "代办，助医", "帮买药"),
        (days[3], helper, soundalike(elders[0]), "谈心", 30, "", "名字写错一个字（练习选人）"),
        (days[4], helper, elders[-1], "敲门", 10, "", ""),
    ]
    sheet = folder / SHEET_NAME
    with atomic_path(sheet) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False})
        ws = wb.add_worksheet("走访记录")
        head = wb.add_format({"bold": True, "border": 1, "align": "center"})
        cell = wb.add_format({"border": 1})
        day = wb.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
        ws.merge_range(0, 0, 0, 7, f"{helper} 走访记录", wb.add_format({"bold": True}))
        ws.write_row(
            1,
            0,
            ["序号", "日期", "帮扶人", "服务对象", "服务方式", "服务时长", "服务内容", "备注"],
            head,
        )
        for i, (d, *rest) in enumerate(rows):
            ws.write(2 + i, 0, i + 1, cell)
            ws.write_datetime(2 + i, 1, d, day)
            ws.write_row(2 + i, 2, rest, cell)
        ws.write(2 + len(rows), 0, "合计", cell)
        ws.set_column(0, 7, 13)
        wb.close()
    lines = [
        f"1. {helper} {days[1].month}.{days[1].day} 看望{elders[0]}40分钟 帮买药",
        f"2. {helper} {days[3].month}月{days[3].day}日 给{elders[-1]}打扫卫生1小时",
        f"3. {helper} 昨天 和{elders[0]}谈心 半小时",
        f"4. {helper} {days[2].month}.{days[2].day} 看望{soundalike(elders[-1])} 20分钟",
    ]
    chat = folder / CHAT_NAME
    with atomic_path(chat) as tmp:
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sheet, chat
