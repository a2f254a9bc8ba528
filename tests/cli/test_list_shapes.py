"""`huzhu list KIND` keeps its shapes: the JSON keys scripts rely on and the table's columns
(named as the screens name them, from core.labels).

Pinned before the read services became typed rows (issue 13), so the change is proven to be
invisible to anyone reading the output."""

from __future__ import annotations

import json

import pytest

from huzhu_desktop.cli import main
from huzhu_desktop.core.workspace import Workspace

SHAPES = {
    "elders": (
        "address age birth_year care_tier disability_grade elder_types gender group has_children "
        "health household id id_number is_helper living name one_to_one paired phone special "
        "special_reason status tags unit",
        "姓名 性别 年龄 组 老人类型 居住情况 健康状况 电话 身份证号码 状态",
    ),
    "helpers": (
        "active address age birth_year elders_helped gender group id id_number is_elder "
        "last_visit name organisation phone role status unit visits_quarter",
        "姓名 性别 年龄 组 帮扶人角色 电话 结对老人数 在岗",
    ),
    "pairings": (
        "active elders end_date end_reason helpers id kind label plan start_date",
        "结对方式 被帮扶老人 帮扶人 开始 结束 结束原因",
    ),
    "visits": (
        "confirmation date duration_minutes elder_ids elders helper_ids helpers id kind note "
        "pairing_id rev services source updated_by",
        "日期 方式 被帮扶老人 帮扶人 时长(分钟) 服务内容 来源",
    ),
    "activities": (
        "attendance date id kind note participants place points title",
        "日期 类型 活动名称 地点 参加人数 登记参加者 积分",
    ),
    "funding": (
        "date donor id purpose source unit yuan",
        "到账日期 来源 出资单位或个人 金额（元） 用途",
    ),
    "households": ("address card_no group id members name", "户名 卡号 组 人数 住址"),
    "care-points": (
        "address closed_on group id kind name opened_on",
        "名称 类型 组 地址 设立日期",
    ),
}


@pytest.mark.parametrize("kind", sorted(SHAPES))
def test_each_list_keeps_its_json_keys_and_columns(
    kind: str, demo_ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    keys, columns = SHAPES[kind]
    folder = str(demo_ws.folder)
    demo_ws.close()
    assert main(["--workspace", folder, "list", kind, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows, f"the demo has {kind}"
    assert all(sorted(r) == keys.split() for r in rows)
    assert main(["--workspace", folder, "list", kind]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == columns.split()
    assert lines[-1] == f"共 {len(rows)} 条" and len(lines) == len(rows) + 2
