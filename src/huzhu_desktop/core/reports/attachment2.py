"""附件2 《农村互助养老结对帮扶信息台账》 for a period, in the seed's layout: one row for each elder
of each pairing in force at any time in the period (a 划片式 group gives a row per elder), the
helper's details beside, and 帮扶次数 = that pairing's visits to that elder in the period.

A pairing with several helpers names them all in 帮扶人姓名 and gives the first one's details; the
备注 says 一对一 or 划片式, and when the pairing ended in the period, when and why.

At a town or the district the rows come village by village (by code), each village under a
heading row with its name (and its town's, at the district); the columns stay the seed's.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from huzhu_desktop.core import vocab
from huzhu_desktop.core.atomic import atomic_path
from huzhu_desktop.core.db.bulk import raw_rows
from huzhu_desktop.core.periods import Period
from huzhu_desktop.core.reports.forms import (
    ATTACHMENT2_HEADER,
    ATTACHMENT2_NOTE,
    ATTACHMENT2_WIDTHS,
    BODY_FONT,
    HEADER_HEIGHT,
    NUMBER_FONT,
    TITLE_FONT,
    attachment2_title,
    fill_line,
)
from huzhu_desktop.core.reports.xlsx_rows import RowWriter
from huzhu_desktop.core.services import history
from huzhu_desktop.core.services.keys import workspace_info
from huzhu_desktop.core.services.register import ElderRow, list_elders, unit_names
from huzhu_desktop.core.validate import age_on


@dataclass
class Helper:
    """A helper's details as a 台账 row shows them."""

    name: str
    gender: str
    age: int | None
    phone: str
    address: str


def ledger_rows(session: Session, period: Period) -> list[list[Any]]:
    """The form's rows, numbered, village by village, then by 组 and name."""
    return [[n, *cells] for n, (_unit, cells) in enumerate(ledger_lines(session, period), 1)]


def _visits_by_pairing_and_elder(
    session: Session, params: dict[str, str]
) -> dict[tuple[str, str], int]:
    """(pairing, elder) → the period's visits of that pairing to that elder. The period's visits
    by date, then one pass over the elders' memberships in table order: joining them visit by
    visit read a district's 1 GB file in random order (1.5 s warm, 4 s from a cold cache;
    this way 0.9 s). A visit counts once for an elder listed on it twice; what is kept to know
    that is a number per counted membership (a pair of ids each was 250 MB at 5,000 villages)."""
    visit_no: dict[str, int] = {}  # the period's visits with a pairing, numbered
    pairing_of: list[str] = []
    one = vocab.SharedValues().one  # each pairing's id once, however many visits it had
    for visit_id, pairing in raw_rows(
        session,
        "SELECT id, pairing_id FROM visit WHERE deleted_at IS NULL "
        "AND pairing_id IS NOT NULL AND visit_date BETWEEN :start AND :end",
        params,
    ):
        visit_no[visit_id] = len(pairing_of)
        pairing_of.append(one(pairing))
    elder_no: dict[str, int] = {}
    counted: dict[tuple[str, str], int] = defaultdict(int)
    seen: set[int] = set()
    for visit_id, elder in raw_rows(
        session,
        "SELECT visit_id, person_id FROM visit_member WHERE role = 'elder' AND deleted_at IS NULL",
    ):
        n = visit_no.get(visit_id)
        if n is None:
            continue
        elder = one(elder)  # the same id string for all of an elder's visits
        key = n * 4_294_967_296 + elder_no.setdefault(elder, len(elder_no))
        if key not in seen:
            seen.add(key)
            counted[(pairing_of[n], elder)] += 1
    return dict(counted)


def ledger_lines(session: Session, period: Period) -> list[tuple[str, list[Any]]]:
    """(owning village's code, the row's cells after 序号), village by village (by code), then
    by 组 and name."""
    at = period.at
    params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    pairings = {
        pid: (kind, end, reason)
        for pid, kind, end, reason in raw_rows(
            session,
            "SELECT id, kind, end_date, end_reason FROM pairing WHERE deleted_at IS NULL "
            "AND start_date <= :end AND (end_date IS NULL OR end_date >= :start)",
            params,
        )
    }
    members: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for pid, person, role in raw_rows(
        session,
        "SELECT pairing_id, person_id, role FROM pairing_member WHERE deleted_at IS NULL "
        "ORDER BY created_at",
    ):
        if pid in pairings:
            members[pid][role].append(person)
    # The rows are the period's pairings: only their elders and helpers are read (a district's
    # whole register and history, read for 40,000 rows, were 10 s of 附件2).
    in_period = (
        "SELECT m.person_id FROM pairing_member m JOIN pairing p ON p.id = m.pairing_id "
        "WHERE m.deleted_at IS NULL AND p.deleted_at IS NULL AND m.role = '{role}' "
        f"AND p.start_date <= '{period.end.isoformat()}' "
        f"AND (p.end_date IS NULL OR p.end_date >= '{period.start.isoformat()}')"
    )
    people = {
        pid: Helper(name, gender, age_on(_date(bd), by, at), phone or "", address or "")
        for pid, name, gender, bd, by, phone, address in raw_rows(
            session,
            "SELECT id, name, gender, birth_date, birth_year, phone, address FROM person "
            f"WHERE id IN ({in_period.format(role='helper')})",
        )
    }
    visits = _visits_by_pairing_and_elder(session, params)
    paired = in_period.format(role="elder")
    # the form says what was true in the period
    then = history.ElderHistory(session, only=paired).on(at)
    elders = {e.id: e for e in list_elders(session, today=at, only=paired)}
    for elder_id, state in then.items():
        e = elders.get(elder_id)
        if e is not None:  # rows read for this form alone: set in place (replace() was 0.7 s)
            e.elder_types = tuple(state.elder_types)
            e.living, e.health, e.group = state.living, state.health, state.group
            e.special = state.special
    owners = dict(raw_rows(session, f"SELECT id, owner_code FROM person WHERE id IN ({paired})"))
    lines: list[tuple[tuple[str, str, str], list[Any]]] = []
    for pid, (kind, end, reason) in pairings.items():
        helpers = [people[h] for h in members[pid]["helper"] if h in people]
        for elder_id in members[pid]["elder"]:
            e = elders.get(elder_id)
            if e is None:
                continue
            note = kind + (f"，{end}结束：{reason}" if end else "")
            lines.append(
                (
                    (owners.get(elder_id, ""), e.group, e.pinyin),
                    ledger_cells(e, helpers, visits.get((pid, elder_id), 0), note),
                )
            )
    lines.sort(key=lambda line: line[0])
    return [(key[0], cells) for key, cells in lines]


def grouped(session: Session, lines: list[tuple[str, list[Any]]]) -> list[str | list[Any]]:
    """The sheet's body: numbered rows; above each village's rows at a town or the district a
    heading (a str) with the village's name — and its town's at the district."""
    kind = workspace_info(session).kind
    names = unit_names(session)
    out: list[str | list[Any]] = []
    last = None
    counts = Counter(code for code, _cells in lines)  # once: per village it was 600 × 180,000
    for n, (code, cells) in enumerate(lines, start=1):
        if kind != "village" and code != last:
            count = counts[code]
            town = names.get(code[:9] + "000", "") if kind == "district" else ""
            out.append(f"{town} {names.get(code, code)}（{count} 人）".strip())
            last = code
        out.append([n, *cells])
    return out


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def ledger_cells(e: ElderRow, helpers: list[Helper], visits: int, note: str) -> list[Any]:
    """A 台账 row after 序号: the elder, the helpers (first one's details), 帮扶次数, 备注."""
    children = "" if e.has_children is None else ("有" if e.has_children else "无")
    first = helpers[0] if helpers else None
    return [
        e.name,
        e.gender,
        e.age,
        e.phone,
        e.address,
        children,
        e.living,
        e.health,
        "、".join(e.elder_types),
        "、".join(h.name for h in helpers),
        first.gender if first else "",
        first.age if first else "",
        first.phone if first else "",
        first.address if first else "",
        visits,
        note,
    ]


def write_attachment2(
    session: Session,
    dest: Path,
    *,
    period: Period,
    district: str,
    unit: str,
    progress: Callable[[int, int], None] | None = None,
    fast_rows: bool = True,
) -> int:
    """Write the 台账 for `period`; returns the number of rows. `progress(rows, of)` as rows
    are laid out; if it raises (取消), no file is left. `fast_rows`: the body rows' XML
    written by `xlsx_rows.RowWriter` (False: cell by cell through XlsxWriter, the same bytes).

    Streamed with XlsxWriter (constant memory, formats made once): a district's 180,000 rows
    took openpyxl 3.6 million styled cell objects in memory; the layout is the forms' own
    (start_form / body_row: the same fonts, borders, widths and print setup)."""
    import xlsxwriter

    lines = ledger_lines(session, period)
    body = grouped(session, lines)
    last = len(ATTACHMENT2_HEADER) - 1
    with atomic_path(dest) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
        try:
            ws = wb.add_worksheet("附件2")
            f = _Formats(wb)
            for i, width in enumerate(ATTACHMENT2_WIDTHS):
                ws.set_column(i, i, width)
            ws.write_string(0, 0, "附件2", f.number)
            ws.merge_range(1, 0, 1, last, attachment2_title(district), f.title)
            ws.merge_range(2, 0, 2, last, fill_line(unit), f.plain)
            ws.set_row(3, HEADER_HEIGHT)
            for c, text in enumerate(ATTACHMENT2_HEADER):
                ws.write_string(3, c, text, f.head)
            ws.set_landscape()
            ws.set_paper(9)  # A4
            ws.fit_to_pages(1, 0)
            ws.repeat_rows(3)
            rows = RowWriter(ws, f.cell, f.quoted, fast=fast_rows)
            for offset, values in enumerate(body):
                row = 4 + offset
                if isinstance(values, str):
                    ws.merge_range(row, 0, row, last, values, f.group)
                else:
                    rows.write(row, values)
                if progress is not None and offset % 500 == 0:
                    progress(offset, len(body) + len(body) // 4)  # saving: about a quarter more
            ws.write_string(4 + len(body), 0, ATTACHMENT2_NOTE)
            ws.write_string(
                5 + len(body), 0, f"统计期间：{period.label}（{period.start}至{period.end}）"
            )
        finally:
            wb.close()
    return len(lines)


class _Formats:
    """The forms' cell styles (forms.start_form / body_row), as XlsxWriter formats."""

    def __init__(self, wb: Any) -> None:
        boxed = {
            "font_name": BODY_FONT[0],
            "font_size": BODY_FONT[1],
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "border": 1,
        }
        self.number = wb.add_format({"font_name": NUMBER_FONT[0], "font_size": NUMBER_FONT[1]})
        self.title = wb.add_format(
            {
                "font_name": TITLE_FONT[0],
                "font_size": TITLE_FONT[1],
                "align": "center",
                "valign": "vcenter",
            }
        )
        self.plain = wb.add_format({})
        self.head = wb.add_format({**boxed, "bold": True})
        self.cell = wb.add_format(boxed)
        self.quoted = wb.add_format({**boxed, "quote_prefix": True})
        self.group = wb.add_format({**boxed, "bold": True, "align": "left"})
