"""The plan's targets, hand-computed on a small village and town: the 42号 台账's 结对帮扶率, the
share of villages 已开展, the year's funding and activities; goals set per year."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from huzhu_desktop.cli import main
from huzhu_desktop.core import clock
from huzhu_desktop.core.errors import ValidationError
from huzhu_desktop.core.reports import targets
from huzhu_desktop.core.services import funding, people, villages
from huzhu_desktop.core.services.pairings import PairingForm, create_pairing
from huzhu_desktop.core.services.people import ElderForm, HelperForm, PersonForm
from huzhu_desktop.core.workspace import Workspace
from tests.sync.helpers import make

TODAY = date(2026, 11, 20)


def person(ws, name: str, birth: str, elder: ElderForm | None = None, helper: str = "") -> str:  # type: ignore[no-untyped-def]
    with ws.transaction() as s:
        return people.save_person(
            PersonForm(name, "女", birth), elder, HelperForm(helper) if helper else None,
            session=s, actor=ws.actor,
        ).id  # fmt: skip


def values(ws: Workspace) -> dict[str, float | None]:
    with ws.reading() as s:
        return {t.id: t.value for t in targets.compute(s, ws.folder, today=TODAY)}


def test_the_42_ledgers_share_in_a_pairing(ws) -> None:
    with clock.frozen(TODAY):
        helper = person(ws, "王小红", "1975", helper="志愿者")
        alone = person(ws, "张德明", "1950", ElderForm(["分散特困"], living="独居", health="自理"))
        person(ws, "李秀英", "1940", ElderForm(["其他"], living="双居", health="自理"))  # 86: 高龄
        person(ws, "刘芳", "1956", ElderForm(["其他"], living="双居", health="自理"))  # not in it
        with ws.transaction() as s:
            create_pairing(PairingForm("一对一", [alone], [helper], "2026-10-01"),
                           session=s, actor=ws.actor)  # fmt: skip
        found = values(ws)
    assert found["helped_share"] == 50.0  # 1 of the 2 in the 42号 台账
    assert "villages_started" not in found  # a town's target


def test_a_towns_villages_started_funding_and_activities(tmp_path: Path) -> None:
    town = make(tmp_path, "town", "500112108", "茨竹镇", "渝北区")
    with clock.frozen(TODAY):
        with town.transaction() as s:
            for code, name, started in (
                ("500112108201", "甲村", True),
                ("500112108202", "乙村", True),
                ("500112108203", "丙村", False),
                ("500112108204", "丁村", None),
            ):
                villages.save_village(code, name, started, session=s, actor=town.actor)
            funding.record_funding(
                funding.FundingForm(date(2026, 3, 5), "镇财政", "12000", "茨竹镇人民政府", "配套"),
                session=s, actor=town.actor, today=TODAY,
            )  # fmt: skip
        found = values(town)
        assert found["villages_started"] == 50.0
        assert found["funding_year"] == 12000.0
        assert found["activities"] == 0.0  # no activity yet: 0 ÷ (2 villages × 4 quarters)
        with town.reading() as s:
            by_id = {t.id: t for t in targets.compute(s, town.folder, today=TODAY)}
        assert not by_id["funding_year"].met and by_id["funding_year"].progress == 0.24
        targets.set_goal(town.folder, "funding_year", 10000, 2026)
        with town.reading() as s:
            by_id = {t.id: t for t in targets.compute(s, town.folder, today=TODAY)}
        assert by_id["funding_year"].met and by_id["funding_year"].goal == 10000
        with town.reading() as s:  # another year keeps the plan's goal
            assert {t.id: t.goal for t in targets.compute(s, town.folder, year=2025, today=TODAY)}[
                "funding_year"
            ] == 50000
        with pytest.raises(ValidationError):
            targets.set_goal(town.folder, "nothing", 1, 2026)
    town.close()


def test_targets_on_the_command_line(demo_ws, capsys) -> None:  # type: ignore[no-untyped-def]
    folder = str(demo_ws.folder)
    demo_ws.close()
    assert main(["--workspace", folder, "targets", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found and all(
        set(t) == {"id", "name", "level", "period", "value", "goal", "unit", "met", "trend"}
        for t in found
    )
    assert main(["--workspace", folder, "targets", "set", "points_year", "500"]) == 0
    capsys.readouterr()
    assert main(["--workspace", folder, "targets", "--json"]) == 0
    goal = {t["id"]: t["goal"] for t in json.loads(capsys.readouterr().out)}["points_year"]
    assert goal == 500
    assert main(["--workspace", folder, "targets", "set", "nope", "5"]) == 1


def test_a_clerks_mark_makes_an_elder_special_from_that_day(ws) -> None:
    """Seed 002's 特殊老人 are "主要指" 分散特困、失独、重残 living alone: the village may mark
    another elder special, with a reason. From that day the elder counts — in the 42号 台账, in
    附件1's 特殊老人“一对一”, in the month's 探访率 — and a quarter that ended before does not."""
    from huzhu_desktop.core.periods import Period
    from huzhu_desktop.core.reports.attachment1 import form_rows
    from huzhu_desktop.core.services import coverage

    with clock.frozen(date(2026, 9, 1)):
        helper = person(ws, "王小红", "1975", helper="志愿者")
        liu = person(ws, "刘芳", "1956", ElderForm(["其他"], living="双居", health="自理"))
        with ws.transaction() as s:
            create_pairing(PairingForm("一对一", [liu], [helper], "2026-09-01"),
                           session=s, actor=ws.actor)  # fmt: skip
    with clock.frozen(TODAY):
        with ws.reading() as s:
            form, elder, _h = people.load_forms(s, liu)
        assert elder is not None and not elder.special_reason
        elder.special_reason = "子女长期在外、无人照料"
        with ws.transaction() as s:
            people.save_person(form, elder, None, person_id=liu, session=s, actor=ws.actor)
        with ws.reading() as s:
            row = next(r for r in targets.ledger_42(s, TODAY) if r.id == liu)
            assert row.special and row.special_reason == "子女长期在外、无人照料"
            q3 = form_rows(s, Period.of("2026Q3", today=TODAY))[-1]
            q4 = form_rows(s, Period.of("2026Q4", today=TODAY))[-1]
            assert (q3.one_to_one, q3.other_one_to_one) == (0, 1)  # not special at Q3's end
            assert (q4.one_to_one, q4.other_one_to_one) == (1, 0)
            assert coverage.monthly_visit_rate(s, 2026, 11).special_elders == 1
            assert liu in coverage.special_on(s, TODAY)
            assert liu not in coverage.special_on(s, date(2026, 10, 1))
        found = values(ws)
        assert found["helped_share"] == 100.0
        elder.special_reason = ""  # the mark taken off: not special from then on
        with ws.transaction() as s:
            people.save_person(form, elder, None, person_id=liu, session=s, actor=ws.actor)
        with ws.reading() as s:
            assert not any(r.id == liu for r in targets.ledger_42(s, TODAY))


@pytest.mark.parametrize("level", ["village", "town"])
def test_the_rows_behind_each_target_add_up_to_its_figure(level: str, tmp_path: Path) -> None:
    """首页 → 明细: each target's rows, read the way the figure is counted, give the figure."""
    from huzhu_desktop.core.reports.target_rows import rows_behind
    from huzhu_desktop.core.sync.export import export_bundle
    from tests.sync.helpers import bring, chain

    with clock.frozen(TODAY):
        c = chain(tmp_path)
        try:
            usb = tmp_path / "u"
            usb.mkdir()
            with c.village.transaction() as s:
                sent = export_bundle(s, c.village.actor, usb, period="2026Q4")
            bring(c.town, sent.path)
            w = c.village if level == "village" else c.town
            with w.reading() as s:
                figures = targets.compute(s, w.folder, today=TODAY)
                assert figures
                for t in figures:
                    behind = rows_behind(s, t.id, today=TODAY)
                    assert behind.rows or t.value in (None, 0), t.id
                    if t.id == "villages_started":
                        assert t.value == round(behind.counted * 100 / len(behind.rows), 1)
                    elif t.id in ("helped_share", "visit_rate_month"):
                        share = behind.counted * 100 / len(behind.rows) if behind.rows else None
                        assert t.value == (None if share is None else round(share, 1)), t.id
                    elif t.id in ("points_year", "funding_year"):
                        assert round(t.value or 0) == behind.counted, t.id
                    elif t.id == "activities" and t.value is not None:
                        quarters, started = 4, (1 if level == "village" else None)
                        if started:
                            assert t.value == round(behind.counted / (started * quarters), 2)
        finally:
            c.close()


@pytest.mark.parametrize("at", [date(2026, 11, 20), date(2027, 2, 28), date(2028, 2, 29)])
def test_the_42_ledger_counted_by_sqlite_is_the_listed_one(demo_ws, at: date) -> None:
    """The 结对帮扶率 counts the 42号 台账 with SQLite (a district's 180,000 elders): the same
    elders as the list-based rule, on any day — an 80th birthday on 29 February included."""
    from huzhu_desktop.core.services.register import count_ledger_42

    with demo_ws.reading() as s:
        rows = targets.ledger_42(s, at)
        assert count_ledger_42(s, at) == (len(rows), sum(1 for r in rows if r.paired))
        assert rows


def test_a_districts_large_figures_are_written_out_not_as_exponents() -> None:
    """`:g` wrote a district's 全年筹集资金 as 1.848e+07 元 and its change as +6.48e+06 (seen on
    the district's 首页)."""
    from huzhu_desktop.core.labels import plain_number
    from huzhu_desktop.core.reports.targets import shown

    assert shown(18_480_000.0, "元") == "18480000 元"
    assert shown(377_872, "分") == "377872 分"
    assert shown(59.7, "%") == "59.7%"
    assert shown(1.25, "倍") == "1.25倍"
    assert shown(None, "元") == "—"
    assert plain_number(6_480_000.0, signed=True) == "+6480000"
    assert plain_number(-74.0, signed=True) == "-74"
    assert plain_number(0.0, signed=True) == plain_number(-0.0) == "0"
    assert plain_number(1234.5) == "1234.5"
