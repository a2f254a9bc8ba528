"""积分存折 (the household's time-bank passbook) and the one-page 积分兑换凭证, as PDF.

The passbook looks like the paper 时间银行存折 villages hand out: 日期 / 服务内容 / 存入 / 取出 /
结余 / 经办人, the header repeated on every page, the balance carried line by line.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from huzhu_desktop.core import clock
from huzhu_desktop.core.atomic import atomic_path
from huzhu_desktop.core.reports.fonts import cjk_font
from huzhu_desktop.core.services.ledger import fmt_points
from huzhu_desktop.core.services.points_read import PassbookHeadData as PassbookHead
from huzhu_desktop.core.services.points_read import StatementLine, describe_who
from huzhu_desktop.core.services.shop import Receipt

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)


def _styles(font: str) -> dict[str, object]:
    from reportlab.lib.styles import ParagraphStyle

    return {
        "title": ParagraphStyle("t", fontName=font, fontSize=20, leading=26, alignment=1),
        "head": ParagraphStyle("h", fontName=font, fontSize=11, leading=16),
        "cell": ParagraphStyle("c", fontName=font, fontSize=9.5, leading=12),
        "small": ParagraphStyle("s", fontName=font, fontSize=8.5, leading=11),
    }


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_passbook(
    head: PassbookHead, lines: list[StatementLine], dest: Path, *, today: date | None = None
) -> int:
    """Write the passbook atomically; returns the number of pages."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    today = today or clock.today()
    font = cjk_font()
    st = _styles(font)
    story: list[object] = [
        Paragraph("时间银行积分存折", st["title"]),
        Spacer(1, 4 * MM),
        Paragraph(
            _esc(
                f"村：{head.village}　　户名：{head.household}　　卡号：{head.card_no or '—'}"
                f"　　组：{head.group_name or '—'}"
            ),
            st["head"],
        ),
        Paragraph(_esc(f"家庭成员：{head.members or '—'}"), st["head"]),
        Paragraph(
            "一户一卡，统筹使用；每1小时志愿服务计1积分（以本村积分规则为准）。"
            "积分可到积分超市兑换实物或服务，也可存着以后用。",
            st["small"],
        ),
        Spacer(1, 3 * MM),
    ]
    rows: list[list[object]] = [["日期", "服务内容", "存入", "取出", "结余", "经办人"]]
    for line in lines:
        what = line.summary + describe_who(line)
        if line.reversed:
            what += "〔已冲正〕"
        rows.append(
            [
                line.posted_on.isoformat(),
                Paragraph(_esc(what), st["cell"]),
                fmt_points(line.amount_c) if line.amount_c > 0 else "",
                fmt_points(-line.amount_c) if line.amount_c < 0 else "",
                fmt_points(line.balance_c),
                line.operator,
            ]
        )
    if not lines:
        rows.append(["", Paragraph("还没有积分记录", st["cell"]), "", "", "0", ""])
    widths = [22 * MM, 86 * MM, 16 * MM, 16 * MM, 18 * MM, 22 * MM]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 9.5),
                ("FONT", (0, 0), (-1, 0), font, 10.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8")),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (2, 0), (4, -1), "RIGHT"),
                ("ALIGN", (0, 0), (-1, 0), "CENTER"),
            ]
        )
    )
    story.append(table)
    final = lines[-1].balance_c if lines else 0
    story += [
        Spacer(1, 4 * MM),
        Paragraph(_esc(f"截至{today.isoformat()}，结余 {fmt_points(final)} 分。"), st["head"]),
    ]
    pages = [0]

    def footer(canvas: Any, doc: Any) -> None:
        pages[0] += 1
        canvas.setFont(font, 8)
        canvas.drawRightString(
            A4[0] - 15 * MM, 10 * MM, f"{head.household} 积分存折 第{pages[0]}页  打印于{today}"
        )

    with atomic_path(dest) as tmp:
        doc = SimpleDocTemplate(
            str(tmp),
            pagesize=A4,
            leftMargin=15 * MM,
            rightMargin=15 * MM,
            topMargin=15 * MM,
            bottomMargin=16 * MM,
            title=f"{head.household} 积分存折",
        )
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return pages[0]


def render_receipt(village: str, receipt: Receipt, dest: Path, *, operator: str = "") -> None:
    """积分兑换凭证: one page, to sign and keep with the 积分超市's papers."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = cjk_font()
    st = _styles(font)
    r = receipt.redemption
    rows: list[list[object]] = [["物品或服务", "数量", "单价（分）", "小计（分）"]]
    for line in receipt.lines:
        rows.append(
            [
                Paragraph(_esc(line.item_name), st["cell"]),
                str(line.quantity),
                fmt_points(line.unit_cost_c),
                fmt_points(line.unit_cost_c * line.quantity),
            ]
        )
    rows.append(["合计", "", "", fmt_points(r.total_c)])
    table = Table(rows, colWidths=[80 * MM, 25 * MM, 35 * MM, 35 * MM])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 11),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8")),
            ]
        )
    )
    status = "（此次兑换已撤销）" if r.status == "已撤销" else ""
    story = [
        Paragraph(f"积分超市兑换凭证{status}", st["title"]),
        Spacer(1, 5 * MM),
        Paragraph(
            _esc(f"村：{village}　　单号：{r.receipt_no}　　日期：{r.redeemed_on}"), st["head"]
        ),
        Paragraph(_esc(f"户名：{receipt.household}"), st["head"]),
        Spacer(1, 3 * MM),
        table,
        Spacer(1, 4 * MM),
        Paragraph(
            _esc(
                f"兑换前结余 {fmt_points(receipt.balance_before_c)} 分，本次使用 "
                f"{fmt_points(r.total_c)} 分，兑换后结余 {fmt_points(receipt.balance_after_c)} 分。"
            ),
            st["head"],
        ),
        Spacer(1, 14 * MM),
        Paragraph(
            _esc(f"领取人签字：________________　　经办人：{operator or '________________'}"),
            st["head"],
        ),
    ]
    with atomic_path(dest) as tmp:
        doc = SimpleDocTemplate(
            str(tmp),
            pagesize=A4,
            leftMargin=18 * MM,
            rightMargin=18 * MM,
            topMargin=20 * MM,
            title=f"兑换凭证 {r.receipt_no}",
        )
        doc.build(story)
