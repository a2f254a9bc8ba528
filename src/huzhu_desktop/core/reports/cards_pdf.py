"""互助养老明白卡 as PDF: A4 portrait, or two A5 cards side by side on an A4 sheet.

Black and white, for cheap laser printers; sizes chosen to be read from 2 m on a wall (helper
phone numbers largest). The font is an embedded TrueType CJK font; a QR code carries the helper's
and the village's phone numbers as a vCard. ID numbers are never printed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from huzhu_desktop.core import clock
from huzhu_desktop.core.atomic import atomic_path
from huzhu_desktop.core.reports.fonts import cjk_font
from huzhu_desktop.core.services.cards import CardData

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)


COPIES = ("贴在老人家中", "帮扶人留存")  # DESIGN §6: one for the household, one for the helper


def render_cards(
    cards: list[CardData],
    dest: Path,
    *,
    a5: bool = False,
    copies: int = 1,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the cards to `dest` atomically; returns the number of pages. With `copies=2`
    each card comes twice, marked 贴在老人家中 and 帮扶人留存 (side by side on one sheet in A5).
    `progress(cards drawn, cards)` may raise to stop: the unfinished file is removed."""

    today = today or clock.today()
    font = cjk_font()
    size = (A4[1], A4[0]) if a5 else A4
    with atomic_path(dest) as tmp:
        return _render(with_copies(cards, copies), tmp, size, a5, font, today, progress)


def with_copies(cards: list[CardData], copies: int) -> list[CardData]:
    """Each card `copies` times; with two, marked 贴在老人家中 / 帮扶人留存 (in `extra`)."""
    if copies != 2:
        return list(cards)
    return [
        replace(card, extra={**card.extra, "copy": label}) for card in cards for label in COPIES
    ]


def _render(
    cards: list[CardData],
    tmp: Path,
    size: tuple[float, float],
    a5: bool,
    font: str,
    today: date,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(tmp), pagesize=size, initialFontName=font, initialFontSize=12)
    c.setTitle("互助养老明白卡")
    per_page = 2 if a5 else 1
    starts = range(0, len(cards), per_page)
    for start in starts:
        if progress is not None:
            progress(start, len(cards))
        for slot, card in enumerate(cards[start : start + per_page]):
            if a5:
                _draw_card(c, card, font, slot * size[0] / 2, 0, size[0] / 2, size[1], today)
            else:
                _draw_card(c, card, font, 0, 0, size[0], size[1], today)
        if a5:
            c.setDash(4, 4)
            c.line(size[0] / 2, 8 * MM, size[0] / 2, size[1] - 8 * MM)  # cut here
            c.setDash()
        c.showPage()
    pages = len(starts)
    if not cards:
        c.setFont(font, 14)
        c.drawString(20 * MM, size[1] - 30 * MM, "没有需要打印的明白卡。")
        c.showPage()
        pages = 1
    c.save()
    return pages


class _Pen:
    """Top-down text layout inside a card box, wrapping Chinese by character."""

    def __init__(self, c: Any, font: str, x: float, top: float, width: float, scale: float):
        self.c, self.font, self.x, self.y, self.width, self.s = c, font, x, top, width, scale

    def text(
        self, text: str, size: float, *, gap: float = 0.35, bold: bool = False, indent: float = 0
    ) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        size *= self.s
        for line in _wrap(text, self.font, size, self.width - indent, stringWidth):
            self.y -= size * 1.15
            # Fill + stroke gives a heavier look without a bold face. The render mode is part of
            # the PDF graphics state (and reportlab only writes it when it thinks it changed),
            # so bold lines are drawn inside save/restore and nothing leaks to the next line.
            if bold:
                self.c.saveState()
                self.c.setLineWidth(size / 30)
            t = self.c.beginText(self.x + indent, self.y)
            t.setFont(self.font, size)
            if bold:
                t.setTextRenderMode(2)
            t.textLine(line)
            self.c.drawText(t)
            if bold:
                self.c.restoreState()
        self.y -= size * gap

    def rule(self) -> None:
        self.y -= 2 * self.s
        self.c.setLineWidth(0.8 * self.s)
        self.c.line(self.x, self.y, self.x + self.width, self.y)
        self.y -= 4 * self.s


def _wrap(
    text: str, font: str, size: float, width: float, measure: Callable[[str, str, float], float]
) -> Iterable[str]:
    line = ""
    for ch in text:
        if measure(line + ch, font, size) > width and line:
            yield line
            line = ch
        else:
            line += ch
    if line:
        yield line


def _draw_card(
    c: Any,
    card: CardData,
    font: str,
    x0: float,
    y0: float,
    w: float,
    h: float,
    today: date,
) -> None:
    copy = card.extra.get("copy", "")
    s = w / A4[0]
    margin = 12 * MM * s + (6 * MM if w < A4[0] else 0)
    c.setLineWidth(3 * s)
    c.rect(x0 + margin / 2, y0 + margin / 2, w - margin, h - margin)
    pen = _Pen(c, font, x0 + margin, y0 + h - margin * 0.8, w - 2 * margin, s)
    title_size = 40
    pen.text(
        " " * 0 + "互助养老明白卡",
        title_size,
        bold=True,
        indent=(w - 2 * margin) / 2 - _width("互助养老明白卡", font, title_size * s) / 2,
    )
    pen.text(f"{card.village}　{card.care_point}" + (f"　（{copy}）" if copy else ""), 15, gap=0.6)
    pen.rule()
    pen.text("被帮扶老人", 19, bold=True)
    age = f"{card.age}岁" if card.age is not None else ""
    pen.text(f"{card.elder_name}　{card.gender}　{age}　{card.health}", 32, bold=True)
    address = card.address if card.address.startswith(card.group) else card.group + card.address
    pen.text(f"住址：{address}", 17)
    if card.phone:
        pen.text(f"电话：{card.phone}", 17)
    pen.rule()
    pen.text("互助员（帮扶人，有事请找）", 19, bold=True)
    for helper in card.helpers:
        about = "　".join(
            x for x in (f"{helper.age}岁" if helper.age is not None else "", helper.health) if x
        )
        pen.text(f"{helper.name}（{helper.role}）　{about}".rstrip("　"), 26, gap=0.1)
        pen.text(helper.phone or "（未登记电话）", 40, bold=True, indent=8 * MM * s)
    pen.text(f"帮扶方式：{card.kind}　{card.plan}", 17)
    pen.text(f"可提供的服务：{card.services}", 15)
    pen.rule()
    pen.text("紧急联系", 19, bold=True)
    lines = ["急救电话：120"]
    if card.office_phone:
        lines.append(f"村委会：{card.office_phone}")
    if card.specialist:
        lines.append(f"养老专干 {card.specialist.name}：{card.specialist.phone}")
    if card.family_contact or card.family_phone:
        lines.append(f"家属 {card.family_contact}：{card.family_phone}")
    for line in lines:
        pen.text(line, 22, gap=0.15)
    if card.supervision_phone:
        pen.text(f"监督电话（服务不到位可投诉）：{card.supervision_phone}", 14, gap=0.4)
    if card.medical_notes:
        pen.text(f"健康提示：{card.medical_notes}", 17)
    _qr(c, card, x0 + w - margin - 38 * MM * s, y0 + margin, 38 * MM * s)
    c.setFont(font, 10 * s)
    c.drawString(
        x0 + margin,
        y0 + margin * 0.9,
        f"打印日期：{today.isoformat()}　第{card.version}版　编号 {card.pairing_id[:8]}",
    )
    c.drawString(
        x0 + margin,
        y0 + margin * 0.9 + 13 * s,
        "扫码可把帮扶人和村委会电话存进手机",
    )


def _width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(text, font, size))


@lru_cache(maxsize=512)
def _vcard_matrix(name: str, phones: tuple[str, ...], village: str) -> list[list[bool]]:
    """QR modules of a vCard; cached, since a 划片 group's cards all carry the same one."""
    import segno
    from segno import helpers as segno_helpers

    data = segno_helpers.make_vcard_data(
        name=name,
        displayname=f"{name}（{village}互助养老）",
        phone=list(phones),
        org=f"{village}互助养老",
    )
    # A fixed mask skips segno's scoring of all eight masks (most of the time spent here).
    qr = segno.make(data, error="m", mask=0, micro=False)
    return [[bool(v) for v in row] for row in qr.matrix_iter(scale=1, border=2)]


def _qr(c: Any, card: CardData, x: float, y: float, size: float) -> None:
    """A vCard QR code drawn as vector squares (crisp on any printer)."""
    phones = [h.phone for h in card.helpers if h.phone]
    if card.office_phone:
        phones.append(card.office_phone)
    if not phones:
        return
    name = "、".join(h.name for h in card.helpers) or card.village
    matrix = _vcard_matrix(name, tuple(phones), card.village)
    cell = size / len(matrix)
    path = c.beginPath()
    for r, row in enumerate(matrix):
        col = 0
        while col < len(row):  # one rectangle per run of dark modules: far fewer operators
            if row[col]:
                run = col
                while run < len(row) and row[run]:
                    run += 1
                path.rect(x + col * cell, y + size - (r + 1) * cell, (run - col) * cell, cell)
                col = run
            else:
                col += 1
    c.setFillGray(0)
    c.drawPath(path, stroke=0, fill=1)


def render_helper_sheets(cards: list[CardData], dest: Path, *, today: date | None = None) -> int:
    """帮扶人名单 — for each 互助员, one A4 sheet of every elder they look after (from the cards of
    the pairings in force): name, age, health, 组 and address, phone, how, the plan. Returns the
    number of helpers."""
    from reportlab.pdfgen import canvas

    today = today or clock.today()
    font = cjk_font()
    by_helper: dict[tuple[str, str], tuple[Any, list[CardData]]] = {}
    for card in cards:
        for helper in card.helpers:
            key = (helper.name, helper.phone)
            by_helper.setdefault(key, (helper, []))[1].append(card)
    with atomic_path(dest) as tmp:
        c = canvas.Canvas(str(tmp), pagesize=A4, initialFontName=font, initialFontSize=12)
        c.setTitle("帮扶人名单")
        for (_name, _phone), (helper, elders) in sorted(by_helper.items()):
            pen = _Pen(c, font, 15 * MM, A4[1] - 15 * MM, A4[0] - 30 * MM, 1.0)
            pen.text(f"互助员帮扶名单　{helper.name}（{helper.role}）", 20, bold=True)
            pen.text(f"联系电话：{helper.phone or '（未登记）'}　共 {len(elders)} 位老人", 13)
            pen.rule()
            for n, card in enumerate(elders, start=1):
                age = f"{card.age}岁" if card.age is not None else ""
                pen.text(
                    f"{n}. {card.elder_name}　{card.gender}　{age}　{card.health}", 15, gap=0.1
                )
                address = (
                    card.address
                    if card.address.startswith(card.group)
                    else card.group + card.address
                )
                pen.text(
                    f"住址：{address}　电话：{card.phone or '（无）'}", 12, gap=0.1, indent=6 * MM
                )
                pen.text(f"帮扶方式：{card.kind}　{card.plan}", 12, indent=6 * MM)
                if pen.y < 30 * MM:  # the next elder on a new sheet
                    c.showPage()
                    pen = _Pen(c, font, 15 * MM, A4[1] - 15 * MM, A4[0] - 30 * MM, 1.0)
                    pen.text(f"互助员帮扶名单　{helper.name}（续）", 16, bold=True)
            c.setFont(font, 10)
            c.drawString(15 * MM, 12 * MM, f"{card.village}　打印日期：{today.isoformat()}")
            c.showPage()
        if not by_helper:
            c.setFont(font, 14)
            c.drawString(20 * MM, A4[1] - 30 * MM, "没有进行中的结对，没有帮扶人名单。")
            c.showPage()
        c.save()
    return len(by_helper)
