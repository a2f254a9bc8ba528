"""附件1: the village's quarter in the district's 汇总表 — every column from the register, and the
sheet laid out as the blank form."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from huzhu_desktop.core.periods import Period
from huzhu_desktop.core.reports.attachment1 import (
    total,
    village_figures,
    write_attachment1,
)
from huzhu_desktop.core.reports.forms import ATTACHMENT1_HEADER
from huzhu_desktop.core.services import activities, funding, people
from huzhu_desktop.core.services.care_points import CarePointForm, save_care_point
from huzhu_desktop.core.services.people import HelperForm, PersonForm
from tests.core.test_pairings_visits import TODAY, ordinary, pair, person, special, visit


def social_worker(ws, name: str, org: str) -> str:  # type: ignore[no-untyped-def]
    with ws.transaction() as s:
        return people.save_person(
            PersonForm(name, "女", "1990", group_name="1组"),
            None,
            HelperForm("社工", org),
            session=s,
            actor=ws.actor,
            today=TODAY,
        ).id


def test_every_column_comes_from_the_register(ws, tmp_path: Path) -> None:
    social_worker(ws, "社工甲", "渝北区康乐社工中心")
    social_worker(ws, "社工乙", "渝北区康乐社工中心")
    helper = person(ws, "王小红", helper="志愿者", gender="女", birth="1975")
    leader = person(ws, "刘组长", helper="互助养老小组长", birth="1966")
    lonely = person(ws, "张德明", elder=special())
    others = [person(ws, n, elder=ordinary()) for n in ("李秀英", "赵桂兰")]
    pair(ws, "一对一", [lonely], [helper])
    pair(ws, "划片式", others, [leader])
    with ws.transaction() as s:
        for name, kind in (("村中心点", "中心点"), ("3组分点", "分点"), ("4组分点", "分点")):
            save_care_point(
                CarePointForm(name, kind, opened_on="2026-01-05"),
                session=s,
                actor=ws.actor,
                today=TODAY,
            )
    visit(ws, "2026-11-20", [lonely], [helper], minutes=120)  # 2 points
    visit(ws, "2026-09-20", [lonely], [helper], minutes=60)  # last quarter: not counted
    with ws.transaction() as s:
        activities.record_activity(
            activities.ActivityForm("2026-10-29", "集体生日会", "重阳节", participants=[helper]),
            session=s,
            actor=ws.actor,
            today=TODAY,
        )
        funding.record_funding(
            funding.FundingForm("2026-10-08", "镇财政", "20000.5", "茨竹镇人民政府"),
            session=s,
            actor=ws.actor,
            today=TODAY,
        )
    quarter = Period.of("2026Q4", today=TODAY)
    with ws.reading() as s:
        [row] = village_figures(s, quarter)
        year = village_figures(s, Period.of("2026Q4", year_to_date=True, today=TODAY))[0]
    assert (row.name, row.social_orgs, row.social_workers) == ("石坪村", "渝北区康乐社工中心", 2)
    assert (row.centres, row.branches, row.volunteers) == (1, 2, 4)
    assert (row.one_to_one, row.area_groups) == (1, 1)
    assert (row.points_c, row.activities, row.funding_fen) == (300, 1, 2_000_050)
    assert year.points_c == 400  # 本年累计 includes September
    assert quarter.at == TODAY and quarter.start == date(2026, 10, 1)

    dest = tmp_path / "附件1.xlsx"
    with ws.reading() as s:
        write_attachment1(s, dest, period=quarter, district="渝北区", unit="石坪村")
    sheet = load_workbook(dest).active
    assert sheet.title == "附件1" and sheet["A1"].value == "附件1"
    assert sheet["A2"].value == "渝北区农村互助养老服务工作进展情况汇总表"
    assert sheet["A3"].value.startswith("填表单位：石坪村（盖章）")
    assert tuple(c.value for c in sheet[4]) == ATTACHMENT1_HEADER
    assert [c.value for c in sheet[5]] == [
        1,
        "石坪村",
        "渝北区康乐社工中心",
        2,
        1,
        2,
        4,
        1,
        1,
        3,
        1,
        20000.5,
    ]
    assert sheet["A6"].value is None  # one village: no 合计 row
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A2:L2", "A3:L3"}
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$4:$4"


def test_a_town_sees_one_row_per_village_and_a_total(demo_ws) -> None:
    with demo_ws.reading() as s:
        rows = village_figures(s, Period.of("2026Q4", today=TODAY))
    twin = type(rows[0])(**{**rows[0].__dict__, "code": "x", "name": "双河村"})
    twin.social_orgs = "另一社工中心、" + rows[0].social_orgs
    summed = total([rows[0], twin])
    assert summed.name == "合计" and summed.points_c == 2 * rows[0].points_c
    assert summed.social_orgs.split("、") == [rows[0].social_orgs, "另一社工中心"]
