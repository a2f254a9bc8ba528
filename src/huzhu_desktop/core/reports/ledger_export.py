"""导出台账 — the register as a 结对帮扶信息台账 workbook in 附件2's layout, with the elder's
身份证号码, 组别 and 出生日期 added at the right (named 老人… so that they are not read as the
helper's) so that importing it again finds every person exactly."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session, col

from huzhu_desktop.core import clock, vocab
from huzhu_desktop.core.atomic import atomic_path
from huzhu_desktop.core.models import Pairing, PairingMember, Person, table_of
from huzhu_desktop.core.reports.attachment2 import Helper, ledger_cells
from huzhu_desktop.core.reports.forms import (
    ATTACHMENT2_HEADER,
    ATTACHMENT2_NOTE,
    ATTACHMENT2_WIDTHS,
)
from huzhu_desktop.core.reports.xlsx_safe import safe_cell
from huzhu_desktop.core.services.register import ElderRow, list_elders

HEADERS = (*ATTACHMENT2_HEADER, "老人身份证号码", "组别", "老人出生日期")
WIDTHS = (*ATTACHMENT2_WIDTHS, 20, 8, 12)


def export_ledger(session: Session, dest: Path, *, district_name: str, unit_name: str) -> int:
    """Write every 在册 elder (one row per active pairing, or one row if unpaired). Returns rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    elders = [e for e in list_elders(session) if e.status == vocab.ACTIVE_STATUS]
    helpers = _helpers_by_elder(session, elders)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("附件2")
    for i, w in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = w
    ws.append(["附件2"])
    ws.append(
        [
            safe_cell(
                ws, f"{district_name}农村互助养老结对帮扶信息台账", font=Font(bold=True, size=16)
            )
        ]
    )
    ws.append(
        [f"填表单位：{unit_name}（盖章）        审核人：          填报人：          联系电话："]
    )
    ws.append(
        [
            safe_cell(ws, h, font=Font(bold=True), alignment=Alignment(wrap_text=True))
            for h in HEADERS
        ]
    )
    n = 0
    for e in elders:
        paired: list[Helper | None] = list(helpers.get(e.id, [])) or [None]
        for h in paired:
            n += 1
            ws.append([safe_cell(ws, v) for v in _row(n, e, h)])
    ws.append([ATTACHMENT2_NOTE])
    with atomic_path(dest) as tmp:
        wb.save(tmp)
    return n


def _row(n: int, e: ElderRow, h: Helper | None) -> list[object]:
    return [
        n,
        *ledger_cells(e, [h] if h else [], 0, ""),
        e.id_number or "",
        e.group,
        str(e.birth_year) if e.birth_year else "",
    ]


def _helpers_by_elder(session: Session, elders: list[ElderRow]) -> dict[str, list[Helper]]:

    from huzhu_desktop.core.validate import age_on

    today = clock.today()
    pm_e, pm_h = table_of(PairingMember).alias(), table_of(PairingMember).alias()
    stmt = (
        select(
            pm_e.c.person_id,
            col(Person.name),
            col(Person.gender),
            col(Person.birth_date),
            col(Person.birth_year),
            col(Person.phone),
            col(Person.address),
        )
        .join(pm_h, pm_h.c.pairing_id == pm_e.c.pairing_id)
        .join(Pairing, col(Pairing.id) == pm_e.c.pairing_id)
        .join(Person, col(Person.id) == pm_h.c.person_id)
        .where(
            pm_e.c.role == "elder",
            pm_h.c.role == "helper",
            col(Pairing.deleted_at).is_(None),
            (col(Pairing.end_date).is_(None)) | (col(Pairing.end_date) >= today),
        )
        .order_by(col(Pairing.start_date), col(Person.name_pinyin))
    )
    found: dict[str, list[Helper]] = {}
    for elder_id, name, gender, bd, by, phone, address in session.execute(stmt):
        found.setdefault(elder_id, []).append(
            Helper(name, gender, age_on(bd, by, today), phone, address)
        )
    return found
