"""What the town's reviewer is shown to look at before 审核通过: one person in two villages, a
helper in two villages on one day or more than 24 hours in a day, points left without their
visit, a 特殊老人 not visited all quarter, 附件1 figures changed after they were reported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from huzhu_desktop.cli import main
from huzhu_desktop.core.models import Person, Visit, VisitMember
from huzhu_desktop.core.periods import Period
from huzhu_desktop.core.reports.attachment1 import write_attachment1
from huzhu_desktop.core.reports.review_findings import findings, review_rows
from huzhu_desktop.core.services import submissions
from huzhu_desktop.core.workspace import Workspace
from tests.fixtures.ledgers import an_id as valid_id
from tests.sync.helpers import TODAY, bring, chain, export, make

A, B = "500112108201", "500112108202"


def person(s, owner: str, name: str, id_number: str | None = None) -> str:  # type: ignore[no-untyped-def]
    p = Person(owner_code=owner, origin="x", name=name, gender="女", birth_year=1950,
               id_number=id_number)  # fmt: skip
    s.add(p)
    s.flush()
    return p.id


def visit(s, owner: str, helper: str, day: str, minutes: int) -> str:  # type: ignore[no-untyped-def]
    v = Visit(owner_code=owner, origin="x", visit_date=date.fromisoformat(day),
              duration_minutes=minutes, kind="入户探访")  # fmt: skip
    s.add(v)
    s.flush()
    s.add(VisitMember(owner_code=owner, origin="x", visit_id=v.id, person_id=helper, role="helper"))
    return v.id


@pytest.fixture
def town(tmp_path: Path):  # type: ignore[no-untyped-def]
    w = make(tmp_path, "town", "500112108", "茨竹镇", "渝北区")
    yield w
    w.close()


def kinds(w: Workspace, quarter: str = "2026Q4") -> dict[str, list[str]]:
    with w.reading() as s:
        found = findings(s, quarter, today=TODAY)
    out: dict[str, list[str]] = {}
    for f in found:
        out.setdefault(f.kind, []).append(f.text)
    return out


def test_one_person_in_two_villages_and_a_helper_in_both_on_one_day(town: Workspace) -> None:
    same = valid_id("19500101")
    with town.transaction() as s:
        pa = person(s, A, "王小红", same)
        pb = person(s, B, "王小红", same)
        visit(s, A, pa, "2026-11-02", 60)
        visit(s, B, pb, "2026-11-02", 90)
        person(s, B, "李秀英", valid_id("19480305"))  # only in one village: nothing to say
    found = kinds(town)
    assert len(found["same_person"]) == 1 and "同时登记在" in found["same_person"][0]
    assert "2026-11-02 同一天" in found["helper_two_villages"][0]
    assert "over_24h" not in found


def test_more_than_a_day_of_visits_in_a_day(town: Workspace) -> None:
    with town.transaction() as s:
        helper = person(s, A, "刘芳")
        for minutes in (600, 600, 300):
            visit(s, A, helper, "2026-10-10", minutes)
        visit(s, A, helper, "2026-10-11", 1440)  # exactly a day: not more
    (said,) = kinds(town)["over_24h"]
    assert "2026-10-10" in said and "25 小时 0 分钟" in said


def test_points_without_their_visit_and_a_special_elder_never_visited(demo_ws) -> None:
    quarter = "2026Q4"
    with demo_ws.transaction() as s:  # a visit removed behind the ledger's back
        visit_id = s.execute(
            text(
                "SELECT ref_id FROM point_entry WHERE ref_kind = 'visit' AND kind = 'earn' "
                "AND posted_on BETWEEN '2026-10-01' AND '2026-12-31' LIMIT 1"
            )
        ).scalar_one()
        s.execute(text("UPDATE visit SET deleted_at = '2026-11-20 00:00:00' WHERE id = :v"),
                  {"v": visit_id})  # fmt: skip
        s.execute(text("DELETE FROM visit_member WHERE visit_id = :v"), {"v": visit_id})
        s.execute(  # and no visit at all this quarter for every 特殊老人
            text(
                "UPDATE visit SET deleted_at = '2026-11-20 00:00:00' WHERE visit_date >= "
                "'2026-10-01' AND id IN (SELECT visit_id FROM visit_member m JOIN "
                "elder_profile e ON e.person_id = m.person_id WHERE e.is_special = 1)"
            )
        )
    found = kinds(demo_ws, quarter)
    assert any("笔走访积分找不到对应的走访记录" in t for t in found["points_without_visit"])
    assert "本季度" in found["special_not_visited"][0]


def test_figures_changed_after_the_form_was_exported(demo_ws, tmp_path: Path) -> None:
    q = Period.of("2026Q4", today=TODAY)
    with demo_ws.transaction() as s:
        rows = write_attachment1(s, tmp_path / "a1.xlsx", period=q, district="渝北区", unit="x")
        submissions.record(s, demo_ws.actor, q.key, rows)
    assert "changed_after_report" not in kinds(demo_ws)
    with demo_ws.transaction() as s:
        s.execute(text("UPDATE care_point SET closed_on = '2026-10-02'"))
    (said,) = kinds(demo_ws)["changed_after_report"]
    assert "与" in said and "导出报送的不同" in said and "养老点" in said


def test_the_review_list_names_every_village_and_what_needs_a_look(tmp_path: Path, capsys) -> None:
    c = chain(tmp_path)
    try:
        bring(c.town, export(c.village, c.usb))
        with c.town.reading() as s:
            rows = review_rows(s, "2026Q4", today=TODAY)
        assert [(r.code, r.status, r.seq) for r in rows] == [(A, "已接收", 1)]
        folder = str(c.town.folder)
        c.town.close()
        assert main(["--workspace", folder, "review", "list", "--quarter", "2026Q4"]) == 0
        out = capsys.readouterr().out
        assert "2026年第四季度" in out and "已接收" in out
        c.town = Workspace.open(Path(folder))
    finally:
        c.close()


def test_approve_return_and_a_corrected_bundle_reopens_the_review(tmp_path: Path, capsys) -> None:
    from huzhu_desktop.core.errors import HuzhuError, NotFoundError
    from huzhu_desktop.core.services import review

    c = chain(tmp_path)
    try:
        bring(c.town, export(c.village, c.usb))

        def state() -> tuple[str, list[str], bool]:
            with c.town.reading() as s:
                (row,) = review_rows(s, "2026Q4", today=TODAY)
            return row.status, [r.text for r in row.reasons], row.reopened

        with c.town.transaction() as s:
            elder = s.execute(text("SELECT id FROM person LIMIT 1")).scalar_one()
            review.send_back(
                A,
                "2026Q4",
                [review.Reason("3组的走访少了"), review.Reason("身份证号有误", elder)],
                session=s,
                actor=c.town.actor,
            )
        assert state() == ("退回", ["3组的走访少了", "身份证号有误"], False)
        with pytest.raises(HuzhuError, match="写明原因"), c.town.transaction() as s:
            review.send_back(A, "2026Q4", [review.Reason("  ")], session=s, actor=c.town.actor)
        with pytest.raises(NotFoundError), c.town.transaction() as s:
            review.approve("500112108299", "2026Q4", session=s, actor=c.town.actor)
        bring(c.town, export(c.village, c.usb))  # the village corrected and sent again
        assert state() == ("已接收", [], True)
        with c.town.transaction() as s:
            review.approve(A, "2026Q4", session=s, actor=c.town.actor)
        assert state() == ("已审核", [], False)
        bring(c.district, export(c.town, c.usb))  # the verdict travels up with the town
        with c.district.reading() as s:
            assert s.execute(text("SELECT status FROM review")).scalar_one() == "已审核"
    finally:
        c.close()


def test_the_command_line_reviews(tmp_path: Path, capsys) -> None:
    c = chain(tmp_path)
    try:
        bring(c.town, export(c.village, c.usb))
        folder = str(c.town.folder)
        c.town.close()

        def run(*args: str) -> tuple[int, str, str]:
            code = main(["--workspace", folder, "review", *args])
            out = capsys.readouterr()
            return code, out.out, out.err

        back = ["return", A, "--quarter", "2026Q4", "--reason", "走访记录不全"]
        code, out, _ = run(*back, "--record", "abc", "--record-reason", "这户地址不对", "--json")
        assert code == 0 and json_of(out)["status"] == "退回"
        code, out, _ = run("list", "--quarter", "2026Q4", "--json")
        (row,) = json_of(out)
        assert row["status"] == "退回" and row["reasons"][1] == {
            "record_id": "abc",
            "text": "这户地址不对",
        }
        assert run("approve", A, "--quarter", "2026Q4")[0] == 0
        code, _out, err = run("approve", "500112108299", "--quarter", "2026Q4")
        assert code == 1 and "没有代码为" in err
        c.town = Workspace.open(Path(folder))
    finally:
        c.close()


def json_of(text_out: str):  # type: ignore[no-untyped-def]
    import json

    return json.loads(text_out)
