"""集体活动: the clerk records the quarter's 院坝会 and 重阳节 gathering; the participants'
households earn the 活动 award; a wrong entry is deleted and its points come back out."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from huzhu_desktop.core.errors import NotFoundError, ValidationError
from huzhu_desktop.core.models import Activity, ActivityMember, PointEntry
from huzhu_desktop.core.services import activities
from huzhu_desktop.core.services.activities import ActivityForm
from huzhu_desktop.core.services.check import run_checks
from huzhu_desktop.core.services.ledger import balance_c
from huzhu_desktop.core.services.point_rules import RuleForm, save_rule
from tests.core.test_pairings_visits import TODAY, ordinary, person
from tests.core.test_points import household_of


@pytest.fixture
def village(ws):  # type: ignore[no-untyped-def]
    elder = person(ws, "张德明", elder=ordinary())
    helper = person(ws, "王小红", helper="志愿者", gender="女", birth="1975")
    return ws, elder, helper


def record(ws, form: ActivityForm) -> activities.Recorded:  # type: ignore[no-untyped-def]
    with ws.transaction() as s:
        return activities.record_activity(form, session=s, actor=ws.actor, today=TODAY)


def balance(ws, person_id: str) -> int:  # type: ignore[no-untyped-def]
    with ws.reading() as s:
        return balance_c(s, household_of(ws, person_id))


def test_an_activity_with_its_participants_earns_each_household_the_award(village) -> None:
    ws, elder, helper = village
    with ws.transaction() as s:
        save_rule(
            RuleForm("活动", "2026-01-01", "0", award="2"),
            session=s,
            actor=ws.actor,
            today=date(2026, 1, 1),
        )
    done = record(
        ws,
        ActivityForm(
            "2026-10-29",
            "集体生日会",
            "重阳节集体生日会",
            "村互助养老中心点",
            "35",
            "",
            [helper, elder, helper],  # ticked twice: counted once
        ),
    )
    assert (done.awarded, done.award_c) == (2, 200)
    assert balance(ws, helper) == 200 and balance(ws, elder) == 200
    with ws.reading() as s:
        [row] = activities.list_activities(s)
        assert activities.count_between(s, date(2026, 10, 1), date(2026, 12, 31)) == 1
        assert activities.count_between(s, date(2026, 7, 1), date(2026, 9, 30)) == 0
        assert run_checks(s).ok
    assert (row.title, row.kind, row.attendance, row.points_c) == (
        "重阳节集体生日会",
        "集体生日会",
        35,
        400,
    )
    assert sorted(row.participants) == sorted(["王小红", "张德明"])


def test_the_head_count_defaults_to_the_registered_and_cannot_be_fewer(village) -> None:
    ws, elder, helper = village
    done = record(ws, ActivityForm("2026-11-01", "院坝会", "互助养老议事", participants=[helper]))
    assert done.activity.attendance == 1 and done.award_c == 100  # no rule: 1 point
    with pytest.raises(ValidationError) as bad:
        record(ws, ActivityForm("2026-11-02", "院坝会", "议事", "", "1", "", [helper, elder]))
    assert "不能少于登记的参加者（2人）" in bad.value.errors["attendance"]


@pytest.mark.parametrize(
    ("form", "field", "says"),
    [
        (ActivityForm("2026-11-01", "", "议事"), "activity_kind", "请选择活动类型"),
        (ActivityForm("2026-11-01", "打麻将", "议事"), "activity_kind", "请选择活动类型"),
        (ActivityForm("2026-11-01", "院坝会", "  "), "title", "请填写活动名称"),
        (ActivityForm("2026-11-01", "院坝会", "长" * 41), "title", "最多40个字"),
        (ActivityForm("2027-01-01", "院坝会", "议事"), "date", ""),
        (ActivityForm("2026-13-01", "院坝会", "议事"), "date", ""),
        (ActivityForm("2026-11-01", "院坝会", "议事", attendance="三十"), "attendance", "整数"),
        (ActivityForm("2026-11-01", "院坝会", "议事", attendance="0"), "attendance", "整数"),
        (
            ActivityForm("2026-11-01", "院坝会", "议事", participants=["nobody"]),
            "people",
            "不在名单",
        ),
    ],
)
def test_bad_input_is_refused_field_by_field_and_nothing_is_saved(
    village, form: ActivityForm, field: str, says: str
) -> None:
    ws, _elder, _helper = village
    with pytest.raises(ValidationError) as bad:
        record(ws, form)
    assert field in bad.value.errors and says in bad.value.errors[field]
    with ws.reading() as s:
        assert s.execute(select(Activity)).first() is None
        assert s.execute(select(PointEntry)).first() is None


def test_editing_keeps_date_and_participants_deleting_reverses_the_points(village) -> None:
    ws, elder, helper = village
    done = record(ws, ActivityForm("2026-11-01", "院坝会", "议事会", participants=[helper, elder]))
    with ws.transaction() as s:
        activities.update_activity(
            done.activity.id,
            ActivityForm("2099-01-01", "互助文化活动", "表彰大会", "村委会", "40", "评先", []),
            session=s,
            actor=ws.actor,
        )
    with ws.reading() as s:
        [row] = activities.list_activities(s)
    assert (row.held_on, row.kind, row.title, row.place, row.attendance, row.note) == (
        date(2026, 11, 1),
        "互助文化活动",
        "表彰大会",
        "村委会",
        40,
        "评先",
    )
    assert len(row.participants) == 2 and balance(ws, helper) == 100
    with ws.transaction() as s, pytest.raises(ValidationError, match="原因"):
        activities.delete_activity(done.activity.id, session=s, actor=ws.actor, reason=" ")
    with ws.transaction() as s:
        assert (
            activities.delete_activity(
                done.activity.id, session=s, actor=ws.actor, reason="重复登记"
            )
            == 2
        )
    assert balance(ws, helper) == 0 and balance(ws, elder) == 0
    with ws.reading() as s:
        assert activities.list_activities(s) == []
        members = s.execute(select(ActivityMember)).scalars().all()
        assert len(members) == 2 and all(m.deleted_at is not None for m in members)
        assert run_checks(s).ok
    with ws.transaction() as s, pytest.raises(NotFoundError):
        activities.delete_activity(done.activity.id, session=s, actor=ws.actor, reason="再删")


def test_a_participant_without_a_household_is_named_when_the_award_has_nowhere_to_go(
    ws,
) -> None:
    from huzhu_desktop.core.models import Person

    helper = person(ws, "王小红", helper="志愿者", gender="女", birth="1975")
    with ws.transaction() as s:
        p = s.get(Person, helper)
        assert p is not None
        p.household_id = None
    with pytest.raises(ValidationError, match="王小红没有所属的户"):
        record(ws, ActivityForm("2026-11-01", "院坝会", "议事会", participants=[helper]))
