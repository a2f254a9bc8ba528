"""Pairings, visits and the coverage figures the town asks for, on hand-built villages."""

from __future__ import annotations

from datetime import date

import pytest

from huzhu_desktop.core.errors import ValidationError
from huzhu_desktop.core.services import coverage, people
from huzhu_desktop.core.services.pairings import PairingForm, create_pairing, end_pairing
from huzhu_desktop.core.services.people import ElderForm, HelperForm, PersonForm
from huzhu_desktop.core.services.visits import VisitForm, record_visit, update_visit

TODAY = date(2026, 11, 23)


def person(
    ws,
    name: str,
    *,
    elder: ElderForm | None = None,
    helper: str | None = None,  # type: ignore[no-untyped-def]
    birth: str = "1945",
    gender: str = "男",
    registered: str = "2025-01-01",  # in the village's register long before these tests' days
) -> str:
    with ws.transaction() as s:
        return people.save_person(
            PersonForm(name, gender, birth, group_name="3组", registered_on=registered),
            elder,
            HelperForm(helper) if helper else None,
            session=s,
            actor=ws.actor,
            today=TODAY,
        ).id


def special(**kw: object) -> ElderForm:
    return ElderForm(["分散特困"], living="独居", health=str(kw.get("health", "自理")))


def ordinary() -> ElderForm:
    return ElderForm(["其他"], living="双居", health="自理")


def pair(ws, kind: str, elders: list[str], helpers: list[str], start: str = "2026-01-01", **kw):  # type: ignore[no-untyped-def]
    with ws.transaction() as s:
        return create_pairing(
            PairingForm(kind, elders, helpers, start), session=s, actor=ws.actor, today=TODAY, **kw
        )


def visit(ws, day: str, elders: list[str], helpers: list[str], **kw: object):  # type: ignore[no-untyped-def]
    form = VisitForm(
        day, kw.pop("minutes", 30), str(kw.pop("kind", "谈谈心")), helpers, elders, **kw
    )  # type: ignore[arg-type]
    with ws.transaction() as s:
        return record_visit(form, session=s, actor=ws.actor, today=TODAY)


def test_one_to_one_pairing_of_a_special_elder(ws) -> None:
    elder = person(ws, "张德明", elder=special())
    helper = person(ws, "王小红", helper="志愿者", gender="女", birth="1975")
    with ws.reading() as s:
        assert [e[1] for e in coverage.unpaired_special(s, TODAY)] == ["张德明"]
    saved = pair(ws, "一对一", [elder], [helper])
    assert saved.warnings == []
    assert (
        saved.pairing.plan == "每日敲敲门、每周谈谈心、每月帮帮忙"
        and saved.pairing.period_days == 7
    )
    with ws.reading() as s:
        assert coverage.unpaired_special(s, TODAY) == []
    with pytest.raises(ValidationError, match="已经有一个进行中的结对"):
        pair(ws, "一对一", [elder], [helper])


def test_pairing_rules_and_warnings(ws) -> None:
    a = person(ws, "张德明", elder=special())
    b = person(ws, "李秀英", elder=ordinary(), gender="女")
    frail_helper = person(
        ws,
        "周国华",
        elder=ElderForm(["其他"], living="双居", health="半失能"),
        helper="互助养老小组长",
        birth="1960",
    )
    with pytest.raises(ValidationError) as err:
        pair(ws, "一对一", [a, b], [frail_helper])
    assert "一位帮扶人对一位老人" in err.value.errors["elders"]
    with pytest.raises(ValidationError, match="没有登记为帮扶人"):
        pair(ws, "一对一", [a], [b])
    saved = pair(ws, "划片式", [a, b], [frail_helper], max_elders_per_helper=1)
    text = "；".join(saved.warnings)
    assert "超过建议的1位" in text and "半失能老人" in text and "张德明是特殊老人" in text


def test_ending_a_pairing_keeps_history(ws) -> None:
    elder = person(ws, "张德明", elder=special())
    helper = person(ws, "王小红", helper="志愿者", gender="女", birth="1975")
    saved = pair(ws, "一对一", [elder], [helper], start="2026-02-01")
    with pytest.raises(ValidationError) as err, ws.transaction() as s:
        end_pairing(saved.pairing.id, "2026-01-01", "", session=s, actor=ws.actor, today=TODAY)
    assert set(err.value.errors) == {"end_date", "end_reason"}
    with ws.transaction() as s:
        end_pairing(
            saved.pairing.id, "2026-10-31", "帮扶人外出务工", session=s, actor=ws.actor, today=TODAY
        )
    with ws.reading() as s:
        assert [e[1] for e in coverage.unpaired_special(s, TODAY)] == ["张德明"]
    pair(ws, "一对一", [elder], [helper], start="2026-11-01")  # the same pair again, after the end


def test_bad_visits_say_what_is_wrong(ws) -> None:
    elder = person(ws, "张德明", elder=special())
    helper = person(ws, "王小红", helper="志愿者", gender="女", birth="1975")
    cases = [
        ({"day": "2026-12-01"}, "visit_date", "晚于今天"),
        ({"minutes": 0}, "duration_minutes", "不能为0"),
        ({"minutes": 25 * 60}, "duration_minutes", "24小时"),
        ({"minutes": "半天"}, "duration_minutes", "分钟"),
        ({"kind": "聊天"}, "kind", "方式只能是"),
    ]
    for change, field, fragment in cases:
        args = {"day": "2026-11-20", "minutes": 30, "kind": "谈谈心"} | change
        with pytest.raises(ValidationError) as err:
            visit(ws, str(args.pop("day")), [elder], [helper], **args)
        assert fragment in err.value.errors[field], (change, err.value.errors)
    with ws.transaction() as s:
        people.change_status(
            elder, "去世", "2026-11-10", "病故", session=s, actor=ws.actor, today=TODAY
        )
    with pytest.raises(ValidationError, match="去世"):
        visit(ws, "2026-11-15", [elder], [helper])
    visit(ws, "2026-11-09", [elder], [helper])  # before the death: fine


def test_visit_links_to_its_pairing_and_edits_keep_a_revision(ws) -> None:
    elder = person(ws, "张德明", elder=special())
    helper = person(ws, "王小红", helper="志愿者", gender="女", birth="1975")
    saved = pair(ws, "一对一", [elder], [helper])
    v = visit(ws, "2026-11-20", [elder], [helper], services=["助洁"], minutes="1.5小时")
    assert v.pairing_id == saved.pairing.id and v.duration_minutes == 90 and v.services == "助洁"
    with ws.transaction() as s:
        edited = update_visit(
            v.id,
            VisitForm("2026-11-21", 60, "帮帮忙", [helper], [elder], ["助餐", "代办"]),
            session=s,
            actor=ws.actor,
            today=TODAY,
        )
    assert (edited.rev, edited.kind, edited.services, edited.updated_by) == (
        2,
        "帮帮忙",
        "助餐、代办",
        "王文书",
    )


def test_monthly_visit_rate_with_month_edges_deaths_and_moves(ws) -> None:
    helper = person(ws, "王小红", helper="志愿者", gender="女", birth="1975")
    a = person(ws, "张德明", elder=special())  # visited on the last day of October
    b = person(ws, "李秀英", elder=special(), gender="女")  # visited 1 November only
    c = person(ws, "谭光荣", elder=special())  # died 10 October, never visited
    d = person(ws, "冉淑芬", elder=special(), gender="女")  # visited 3 Oct, moved away 20 Oct
    e = person(ws, "况国华", elder=special())  # never visited
    person(ws, "周国华", elder=ordinary())  # not special: never counted
    visit(ws, "2026-10-31", [a], [helper])
    visit(ws, "2026-11-01", [b], [helper])
    visit(ws, "2026-10-03", [d], [helper])
    with ws.transaction() as s:
        people.change_status(
            c, "去世", "2026-10-10", "病故", session=s, actor=ws.actor, today=TODAY
        )
        people.change_status(
            d, "迁出", "2026-10-20", "随子女迁往主城", session=s, actor=ws.actor, today=TODAY
        )
    with ws.reading() as s:
        october = coverage.monthly_visit_rate(s, 2026, 10)
        november = coverage.monthly_visit_rate(s, 2026, 11)
    # October: a and d visited; b and e not; c died early without a visit → not counted.
    assert (october.special_elders, october.visited) == (4, 2)
    assert october.not_visited == ["况国华", "李秀英"]
    assert october.text == "50%（2/4）"
    # November: c and d are gone; a, b, e remain; only b visited.
    assert (november.special_elders, november.visited) == (3, 1)
    assert e and november.rate == pytest.approx(1 / 3)


def test_overdue_uses_the_strictest_of_plan_tier_and_special(ws) -> None:
    helper = person(ws, "王小红", helper="志愿者", gender="女", birth="1975")
    a = person(ws, "张德明", elder=special())
    b = person(ws, "李秀英", elder=ordinary(), gender="女")
    pair(ws, "一对一", [a], [helper])  # weekly
    pair(ws, "划片式", [b], [helper])  # monthly
    visit(ws, "2026-11-10", [a, b], [helper])
    with ws.reading() as s:
        late = {o.name: o for o in coverage.overdue(s, TODAY)}
    assert (
        set(late) == {"张德明"}
        and late["张德明"].period_days == 7
        and late["张德明"].days_since == 13
    )


def test_a_stack_of_slips_saves_the_good_rows_and_returns_the_bad(ws) -> None:
    from huzhu_desktop.core.services.visits import record_batch
    from huzhu_desktop.core.services.visits_read import list_visits

    elder = person(ws, "张德明", elder=special())
    helper = person(ws, "王小红", helper="志愿者", gender="女", birth="1975")
    saved = pair(ws, "一对一", [elder], [helper])
    forms = [
        VisitForm("2026-11-20", 30, "谈谈心", [helper], [elder]),
        VisitForm("2026-11-21", 0, "谈谈心", [helper], [elder]),
        VisitForm("2026-11-22", 45, "帮帮忙", [helper], [elder], ["助洁"]),
        VisitForm("2026-12-22", 45, "帮帮忙", [helper], [elder]),
    ]
    with ws.transaction() as s:
        outcomes = record_batch(forms, session=s, actor=ws.actor, today=TODAY)
    assert [bool(o.visit_id) for o in outcomes] == [True, False, True, False]
    assert "不能为0" in outcomes[1].errors["duration_minutes"]
    assert "晚于今天" in outcomes[3].errors["visit_date"]
    with ws.reading() as s:
        stored = list_visits(s)
    assert [v.visit_date.isoformat() for v in stored] == ["2026-11-22", "2026-11-20"]
    assert all(v.pairing_id == saved.pairing.id and v.elders == ["张德明"] for v in stored)


def test_a_request_is_assigned_and_done_by_a_visit(ws, on_today) -> None:
    from huzhu_desktop.core.services import requests

    elder = person(ws, "张德明", elder=ordinary())
    other = person(ws, "李秀英", elder=ordinary(), gender="女")
    helper = person(ws, "王小红", helper="志愿者", gender="女", birth="1975")
    with pytest.raises(ValidationError) as err, ws.transaction() as s:
        requests.create_request(
            helper, "洗车", "2026-11-01", session=s, actor=ws.actor, today=TODAY
        )
    assert set(err.value.errors) == {"elder", "service", "wanted_on"}
    with ws.transaction() as s:
        req = requests.create_request(
            elder, "理发剪指甲", "2026-11-25", "想在周三", session=s, actor=ws.actor, today=TODAY
        )
        req_id = req.id
    with ws.transaction() as s:
        requests.assign_request(req_id, helper, session=s, actor=ws.actor)
    wrong = visit(ws, "2026-11-23", [other], [helper])
    right = visit(ws, "2026-11-23", [elder], [helper], services=["理发剪指甲"])
    with pytest.raises(ValidationError, match="没有到点单的老人家里"), ws.transaction() as s:
        requests.complete_request(req_id, wrong.id, session=s, actor=ws.actor)
    with ws.reading() as s:
        [row] = requests.open_requests(s)
    assert (row.elder, row.status, row.helper) == ("张德明", "已派单", "王小红")
    with ws.transaction() as s:
        requests.complete_request(req_id, right.id, session=s, actor=ws.actor)
    with ws.reading() as s:
        assert requests.open_requests(s) == []
    with pytest.raises(ValidationError, match="已完成"), ws.transaction() as s:
        requests.cancel_request(req_id, "不需要了", session=s, actor=ws.actor)


def test_a_special_elder_in_a_group_only_still_lacks_one_to_one(ws) -> None:
    from huzhu_desktop.core.services import register

    elder = person(ws, "张德明", elder=special())
    leader = person(ws, "陈建国", helper="互助养老小组长", birth="1962")
    pair(ws, "划片式", [elder], [leader])
    with ws.reading() as s:
        [row] = register.list_elders(s, today=TODAY)
        summary = register.summary([row], [], 0, 0)
        unpaired = coverage.unpaired_special(s, TODAY)
    assert row.paired and not row.one_to_one
    assert summary.special_unpaired == 1 and [u[1] for u in unpaired] == ["张德明"]


def test_an_elder_taken_off_a_pairing_is_unpaired_on_every_page(ws) -> None:
    """A pairing's member row deleted (a bundle from a village that took the elder off it):
    the 首页's tile, its count, the 老人 list and its filter all say unpaired — they had three
    definitions of "paired", and the 首页's list still counted the deleted member."""
    from sqlalchemy import text

    from huzhu_desktop.core.services import register
    from huzhu_desktop.core.services.home import first_figures

    elder = person(ws, "张德明", elder=special())
    helper = person(ws, "王小红", helper="志愿者", gender="女", birth="1975")
    saved = pair(ws, "一对一", [elder], [helper])
    with ws.reading() as s:
        assert coverage.unpaired_special(s, TODAY) == []
    with ws.transaction() as s:
        s.execute(
            text(
                "UPDATE pairing_member SET deleted_at = '2026-11-20 08:00:00' "
                "WHERE pairing_id = :p AND person_id = :e"
            ),
            {"p": saved.pairing.id, "e": elder},
        )
    with ws.reading() as s:
        [row] = register.list_elders(s, today=TODAY)
        counted = register.count_summary(s, today=TODAY)
        first = first_figures(s, today=TODAY)
        unpaired = coverage.unpaired_special(s, TODAY)
    assert not row.paired and not row.one_to_one
    assert counted.special_unpaired == first.register.special_unpaired == 1
    assert [u[1] for u in unpaired] == ["张德明"]
