"""附件1 《农村互助养老服务工作进展情况汇总表》 — in the seed's layout (../shared/forms holds the
blank), with rows that add up at every level (`form_rows`):
- a village: its own row, then 合计;
- a town: one row per village that has reported (by code), a row “<town>（镇本级）” when the
  town keeps records of its own (镇财政 配套 booked at the town), then 合计 — always, even with
  one village;
- the district: the villages grouped by town, each group followed by the town's 镇本级 row when
  it has one and a “<town>小计”; then the district's own row when it has one, then 合计.
合计 adds the numbered rows (villages and 本级), never the 小计.

Figures (DESIGN §2), for a quarter or 本年累计 (1 January to the quarter's end):
- 社工组织名称 / 社工人数: the 所属组织 and number of helpers with the role 社工 in post then;
- 互助养老点数量 / 分点数量: 中心点 / 分点 open then;
- 志愿者队伍人数: everyone with a helper profile in post then;
- 特殊老人“一对一”（对）: 一对一 pairings in force then whose elder is a 特殊老人 then (分散特困、
  失独、重残 living alone — the seed's 特殊老人); other 一对一 pairings are counted beside the form
  (`other_one_to_one`, shown on the 报表 screen), not in it;
- 社会老人“划片式”（组）: 划片式 pairings in force then;
- 积分（分）: points earned in the period (visits and activities, net of their reversals;
  redemptions not subtracted);
- 集体活动（场）: activities held in the period;
- 镇街配套和捐赠金额筹集（元）: money received in the period.
“Then” is the period's last day, or today while the period is still running.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from sqlmodel import Session

from huzhu_desktop.core import vocab
from huzhu_desktop.core.atomic import atomic_path
from huzhu_desktop.core.db.bulk import raw_rows
from huzhu_desktop.core.periods import Period
from huzhu_desktop.core.reports.forms import (
    ATTACHMENT1_HEADER,
    ATTACHMENT1_WIDTHS,
    attachment1_title,
    body_row,
    start_form,
)
from huzhu_desktop.core.services import history
from huzhu_desktop.core.services.keys import workspace_info
from huzhu_desktop.core.services.points_read import EARNED_SQL
from huzhu_desktop.core.services.register import unit_names


@dataclass
class VillageFigures:
    """One row of the form: a village's figures, a unit's own (本级), a 小计 or the 合计."""

    code: str
    name: str
    social_orgs: str = ""
    social_workers: int = 0
    centres: int = 0
    branches: int = 0
    volunteers: int = 0
    one_to_one: int = 0
    area_groups: int = 0
    points_c: int = 0
    activities: int = 0
    funding_fen: int = 0
    kind: str = "village"  # village / own / subtotal / total
    other_one_to_one: int = 0  # 一对一 pairs of elders who are not 特殊老人: beside the form

    @property
    def numbered(self) -> bool:
        return self.kind in ("village", "own")


HELPERS = (  # helpers in post on :at, registered by then (services.history)
    f"FROM ({history.HELPERS_AT_SQL}) h JOIN person p ON p.id = h.person_id "
    f"WHERE h.in_post = 1 AND {history.IN_REGISTER_SQL}"
)
# 社会组织, 社工 and 志愿者 in one pass over the helpers' states (three passes were 1.0 s of a
# district's 附件1; one is 0.35 s).
HELPER_FIGURES = (
    "SELECT h.owner_code, group_concat(DISTINCT CASE WHEN h.role = '社工' "
    "AND h.organisation != '' THEN h.organisation END), "
    f"coalesce(sum(h.role = '社工'), 0), count(*) {HELPERS} GROUP BY h.owner_code"
)
QUERIES: dict[str, str] = {
    "centres": (
        "SELECT owner_code, count(*) FROM care_point WHERE deleted_at IS NULL AND kind = '中心点' "
        "AND (opened_on IS NULL OR opened_on <= :at) AND (closed_on IS NULL OR closed_on > :at) "
        "GROUP BY owner_code"
    ),
    "branches": (
        "SELECT owner_code, count(*) FROM care_point WHERE deleted_at IS NULL AND kind = '分点' "
        "AND (opened_on IS NULL OR opened_on <= :at) AND (closed_on IS NULL OR closed_on > :at) "
        "GROUP BY owner_code"
    ),
    "area_groups": (
        "SELECT owner_code, count(*) FROM pairing WHERE deleted_at IS NULL "
        f"AND kind = '{vocab.AREA_GROUP}' "
        "AND start_date <= :at AND (end_date IS NULL OR end_date >= :at) GROUP BY owner_code"
    ),
    # Not by the ref_kind index (SQLite's choice: it read a district's 368,000 entries in
    # random order, 1.2 s): "+ref_kind" keeps the planner off it, and it then takes the
    # (owner, day) index — the period's entries only, already grouped by owner (0.15 s). A
    # hint, not INDEXED BY: a database without that index still gives the form (a full scan).
    "points_c": (
        "SELECT owner_code, sum(amount_c) FROM point_entry "
        f"WHERE +{EARNED_SQL} "
        "AND posted_on BETWEEN :start AND :end GROUP BY owner_code"
    ),
    "activities": (
        "SELECT owner_code, count(*) FROM activity WHERE deleted_at IS NULL "
        "AND held_on BETWEEN :start AND :end GROUP BY owner_code"
    ),
    "funding_fen": (
        "SELECT owner_code, sum(amount_fen) FROM funding WHERE deleted_at IS NULL "
        "AND received_on BETWEEN :start AND :end GROUP BY owner_code"
    ),
}


def unit_figures(session: Session, period: Period) -> dict[str, VillageFigures]:
    """Figures per owning unit: every village known here (zeros when it has none) and every
    other unit that owns counted rows (a town's or district's own), by code."""
    names = unit_names(session)
    rows = {
        code: VillageFigures(code, names.get(code, code))
        for (code,) in raw_rows(
            session,
            "SELECT DISTINCT code FROM org_unit WHERE level = 'village' AND deleted_at IS NULL "
            "ORDER BY code",
        )
    }
    params = {
        "at": period.at.isoformat(),
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }

    def row_of(code: str) -> VillageFigures:
        row = rows.get(code)
        if row is None:
            row = rows[code] = VillageFigures(code, names.get(code, code), kind="own")
        return row

    for code, orgs, workers, volunteers in raw_rows(session, HELPER_FIGURES, params):
        row = row_of(code)
        row.social_orgs = (orgs or "").replace(",", "、")
        row.social_workers, row.volunteers = workers, volunteers
    for attr, sql in QUERIES.items():
        for code, value in raw_rows(session, sql, params):
            if value:
                setattr(row_of(code), attr, value)
    counted, others = one_to_one_pairs(session, period)
    for code in set(counted) | set(others):
        row = row_of(code)
        row.one_to_one, row.other_one_to_one = counted.get(code, 0), others.get(code, 0)
    return dict(sorted(rows.items()))


ONE_TO_ONE_SQL = (
    "SELECT pr.owner_code, pr.id, m.person_id FROM pairing pr "
    "JOIN pairing_member m ON m.pairing_id = pr.id AND m.role = 'elder' AND m.deleted_at IS NULL "
    f"WHERE pr.deleted_at IS NULL AND pr.kind = '{vocab.ONE_TO_ONE}' "
    "AND pr.start_date <= :at AND (pr.end_date IS NULL OR pr.end_date >= :at)"
)


def one_to_one_pairs(session: Session, period: Period) -> tuple[dict[str, int], dict[str, int]]:
    """Per unit: the 一对一 pairs in force on the period's last day whose elder is a 特殊老人 that
    day (附件1's 特殊老人“一对一”结对帮扶（对）), and the other 一对一 pairs."""
    from huzhu_desktop.core.services.coverage import special_on

    special = special_on(session, period.at)
    pairs: dict[tuple[str, str], bool] = {}
    for owner, pairing, elder in raw_rows(session, ONE_TO_ONE_SQL, {"at": period.at.isoformat()}):
        pairs[(owner, pairing)] = pairs.get((owner, pairing), False) or elder in special
    counted: dict[str, int] = {}
    others: dict[str, int] = {}
    for (owner, _pairing), is_special in pairs.items():
        bucket = counted if is_special else others
        bucket[owner] = bucket.get(owner, 0) + 1
    return counted, others


def village_figures(session: Session, period: Period) -> list[VillageFigures]:
    """One entry per village whose rows are here, by code."""
    return [r for r in unit_figures(session, period).values() if r.kind == "village"]


def form_rows(session: Session, period: Period) -> list[VillageFigures]:
    """The rows of this workspace's 附件1, as the workbook holds them (see the module doc)."""
    info = workspace_info(session)
    figures = unit_figures(session, period)
    names = unit_names(session)
    villages = [r for r in figures.values() if r.kind == "village"]
    own = {code: r for code, r in figures.items() if r.kind == "own"}
    for code, r in own.items():
        r.name = f"{names.get(code, code)}（{LEVEL_OWN.get(_level(code), '本级')}）"
    body: list[VillageFigures] = []
    if info.kind == "district":
        town_of = {v.code: _town_of(session, v.code) for v in villages}  # once a village
        towns = sorted(set(town_of.values()) | {c for c in own if _level(c) == "town"})
        for town in towns:
            group = [v for v in villages if town_of[v.code] == town]
            if town in own:
                group.append(own[town])
            body += group
            body.append(total(group, f"{names.get(town, town)}小计", town, kind="subtotal"))
        body += [r for c, r in own.items() if _level(c) != "town"]
    else:
        body = villages + list(own.values())
    counted = [r for r in body if r.numbered]
    return [*body, total(counted)]


LEVEL_OWN = {"town": "镇本级", "district": "区本级", "village": "村本级"}


def _level(code: str) -> str:
    if code.endswith("000000"):
        return "district"
    return "town" if code.endswith("000") else "village"


def _town_of(session: Session, village: str) -> str:
    """The town a village belongs to: as its own org_unit row says, else by its code."""
    row = next(
        iter(
            raw_rows(
                session,
                "SELECT parent_code FROM org_unit WHERE code = ? AND owner_code = ? "
                "AND deleted_at IS NULL",
                (village, village),
            )
        ),
        None,
    )
    return row[0] if row and row[0] else village[:9] + "000"


def total(
    rows: list[VillageFigures], name: str = "合计", code: str = "", kind: str = "total"
) -> VillageFigures:
    """A 合计 (or 小计) row: sums, and every 社工组织 named once."""
    out = VillageFigures(code if kind == "total" else f"小计:{code}", name, kind=kind)
    orgs: list[str] = []
    for r in rows:
        for f in fields(VillageFigures):
            value = getattr(r, f.name)
            if isinstance(value, int):
                setattr(out, f.name, getattr(out, f.name) + value)
        orgs += [o for o in r.social_orgs.split("、") if o and o not in orgs]
    out.social_orgs = "、".join(orgs)
    return out


def cells(n: int | str, r: VillageFigures) -> list[Any]:
    """A row of the form, left to right."""
    return [
        n,
        r.name,
        r.social_orgs,
        r.social_workers,
        r.centres,
        r.branches,
        r.volunteers,
        r.one_to_one,
        r.area_groups,
        r.points_c // 100 if r.points_c % 100 == 0 else r.points_c / 100,
        r.activities,
        round(r.funding_fen / 100, 2),
    ]


def numbered(rows: list[VillageFigures]) -> list[tuple[int | str, VillageFigures]]:
    """(序号, row): villages and 本级 rows numbered 1, 2 …; 小计 and 合计 without a number."""
    out: list[tuple[int | str, VillageFigures]] = []
    n = 0
    for r in rows:
        if r.numbered:
            n += 1
        out.append((n if r.numbered else "", r))
    return out


def write_attachment1(
    session: Session, dest: Path, *, period: Period, district: str, unit: str
) -> list[VillageFigures]:
    """Write the form for `period` (the unit's name goes in the 填表单位 line); returns its rows,
    小计 and 合计 included."""
    from openpyxl import Workbook

    rows = form_rows(session, period)
    wb = Workbook()
    ws = wb.active
    ws.title = "附件1"
    start_form(
        ws, "附件1", attachment1_title(district), unit, ATTACHMENT1_HEADER, ATTACHMENT1_WIDTHS
    )
    body = [cells(n, r) for n, r in numbered(rows)]
    for offset, values in enumerate(body):
        body_row(ws, 5 + offset, values, bold=not rows[offset].numbered)
        ws.cell(row=5 + offset, column=len(values)).number_format = "0.00"
    ws.cell(
        row=6 + len(body),
        column=1,
        value=f"统计期间：{period.label}（{period.start}至{period.end}）",
    )
    with atomic_path(dest) as tmp:
        wb.save(tmp)
    return rows
