"""回执 — the town's answer going back down on the USB stick: the village learns its quarter
arrived, was 退回 with reasons (one naming a record) or 已审核; a correction sent with the next
quarter's bundle reopens the town's review; the same at town ↔ district; an older or forged 回执
is refused and changes nothing."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from huzhu_desktop.cli import main
from huzhu_desktop.core.models import Visit, VisitMember, WorkspaceInfo
from huzhu_desktop.core.services import review
from huzhu_desktop.core.sync.container import BundleRefused
from huzhu_desktop.core.sync.export import export_bundle
from huzhu_desktop.core.sync.receipt import export_receipts, sent_status
from huzhu_desktop.core.workspace import Workspace
from tests.sync.helpers import Chain, bring, chain, db_hash, export

A = "500112108201"  # the demo village's code
TOWN = "500112108000"


def receipts(w: Workspace, usb: Path, *codes: str) -> list[Path]:
    usb.mkdir(parents=True, exist_ok=True)
    with w.transaction() as s:
        return [r.path for r in export_receipts(s, w.actor, usb, to=list(codes))]


def statuses(w: Workspace) -> dict[str, tuple[str, list[str]]]:
    with w.reading() as s:
        return {r.quarter: (r.status, [x["text"] for x in r.reasons]) for r in sent_status(s)}


def send(w: Workspace, usb: Path, quarter: str) -> Path:
    usb.mkdir(parents=True, exist_ok=True)
    with w.transaction() as s:
        return export_bundle(s, w.actor, usb, period=quarter).path


def late_visit(w: Workspace, day: str) -> None:
    """A visit of last quarter typed in late: its figures change after they were sent."""
    with w.transaction() as s:
        helper = s.execute(text("SELECT person_id FROM helper_profile LIMIT 1")).scalar_one()
        v = Visit(owner_code=A, origin="late", visit_date=date.fromisoformat(day),
                  duration_minutes=60, kind="入户探访")  # fmt: skip
        s.add(v)
        s.flush()
        s.add(VisitMember(owner_code=A, origin="late", visit_id=v.id, person_id=helper,
                          role="helper"))  # fmt: skip


@pytest.fixture
def c(tmp_path: Path):
    found = chain(tmp_path)
    yield found
    found.close()


def test_village_town_district_and_the_receipts_back_down(c: Chain) -> None:
    with c.town.transaction() as s:
        s.get(WorkspaceInfo, 1).supervision_phone = "023-67821234"  # type: ignore[union-attr]
    # Q3 sent and approved; Q4 sent and returned with a reason about one elder.
    bring(c.town, send(c.village, c.usb / "q3", "2026Q3"))
    bring(c.town, send(c.village, c.usb / "q4", "2026Q4"))
    with c.village.reading() as s:
        elder_id, elder = s.execute(text("SELECT id, name FROM person LIMIT 1")).one()
    with c.town.transaction() as s:
        review.approve(A, "2026Q3", session=s, actor=c.town.actor)
        review.send_back(A, "2026Q4", [review.Reason("3组的走访少了"),
                                       review.Reason("身份证号有误", elder_id)],
                         session=s, actor=c.town.actor)  # fmt: skip
    assert statuses(c.village) == {"2026Q4": ("已报送", []), "2026Q3": ("已报送", [])}

    (first,) = receipts(c.town, c.usb / "r1", A)
    assert "回执" in first.name and first.name.startswith(A)
    result = bring(c.village, first)
    assert result.receipt and any("退回" in line for line in result.receipt)
    assert statuses(c.village) == {
        "2026Q4": ("退回", ["3组的走访少了", "身份证号有误"]),
        "2026Q3": ("已审核", []),
    }
    with c.village.reading() as s:
        (q4, _q3) = sent_status(s)
        assert q4.reasons[1]["label"] == elder and q4.reviewed_at
        assert s.get(WorkspaceInfo, 1).supervision_phone == "023-67821234"  # type: ignore[union-attr]

    # The village corrects Q3 (a late visit) and sends Q4 again: the bundle says it corrects Q3.
    late_visit(c.village, "2026-09-20")
    again = send(c.village, c.usb / "q4b", "2026Q4")
    with zipfile.ZipFile(again) as zf:
        corrects = json.loads(zf.read("manifest.json"))["corrects"]
    assert "2026Q3" in {x["period"] for x in corrects}
    assert statuses(c.village)["2026Q3"][0] == "已报送"
    bring(c.town, again)
    with c.town.reading() as s:
        assert review.state(review.latest_seq(s, A, "2026Q3"), review.verdicts(s, "2026Q3")[A])[
            2
        ]  # fmt: skip  (reopened)
    bring(c.village, receipts(c.town, c.usb / "r2", A)[0])
    assert statuses(c.village)["2026Q3"][0] == "已接收"
    assert statuses(c.village)["2026Q4"][0] == "已接收"
    with c.town.transaction() as s:
        review.approve(A, "2026Q3", session=s, actor=c.town.actor)
        review.approve(A, "2026Q4", session=s, actor=c.town.actor)
    bring(c.village, receipts(c.town, c.usb / "r3", A)[0])
    assert statuses(c.village) == {"2026Q4": ("已审核", []), "2026Q3": ("已审核", [])}

    # Up to the district and its 回执 down to the town.
    bring(c.district, send(c.town, c.usb / "t4", "2026Q4"))
    with c.district.transaction() as s:
        review.send_back(TOWN, "2026Q4", [review.Reason("镇财政配套未填")],
                         session=s, actor=c.district.actor)  # fmt: skip
    bring(c.town, receipts(c.district, c.usb / "d1", TOWN)[0])
    assert statuses(c.town)["2026Q4"] == ("退回", ["镇财政配套未填"])


def test_an_older_receipt_is_refused_and_changes_nothing(c: Chain) -> None:
    bring(c.town, export(c.village, c.usb))
    older = receipts(c.town, c.usb / "a", A)[0]
    newer = receipts(c.town, c.usb / "b", A)[0]
    bring(c.village, newer)
    before = db_hash(c.village)
    with pytest.raises(BundleRefused, match="比已经导入的回执"):
        bring(c.village, older)
    assert db_hash(c.village) == before
    assert bring(c.village, newer).already_imported


def test_a_forged_or_misdirected_receipt_is_refused(c: Chain, tmp_path: Path) -> None:
    bring(c.town, export(c.village, c.usb))
    with c.town.transaction() as s:
        review.approve(A, "2026Q4", session=s, actor=c.town.actor)
    real = receipts(c.town, c.usb / "a", A)[0]
    # Someone edits the visible statuses: the signature no longer holds.
    forged = tmp_path / "forged.huzhu"
    with zipfile.ZipFile(real) as src, zipfile.ZipFile(forged, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "manifest.json":
                data = data.replace("已审核".encode(), "退回".encode())
            dst.writestr(item, data)
    before = db_hash(c.village)
    with pytest.raises(BundleRefused, match="签名不对"):
        bring(c.village, forged)
    # A 回执 is for the unit it names: the district cannot take the village's.
    with pytest.raises(BundleRefused, match="不是发给本单位"):
        bring(c.district, real)
    assert db_hash(c.village) == before


def test_receipts_from_the_command_line(c: Chain, capsys) -> None:
    bring(c.town, export(c.village, c.usb))
    town, village = str(c.town.folder), str(c.village.folder)
    c.town.close()
    c.village.close()
    try:

        def run(folder: str, *args: str) -> tuple[int, str, str]:
            code = main(["--workspace", folder, *args])
            out = capsys.readouterr()
            return code, out.out, out.err

        usb = str(c.usb / "cli")
        assert (
            run(town, "review", "return", A, "--quarter", "2026Q4", "--reason", "走访不全")[0] == 0
        )
        code, out, _ = run(town, "bundle", "export", "-o", usb, "--all-villages", "--json")
        assert code == 0
        (written,) = json.loads(out)
        assert written["code"] == A and written["quarters"] == [
            {"quarter": "2026Q4", "status": "退回"}
        ]
        code, _, err = run(town, "bundle", "export", "-o", usb, "--to", "500112108299")
        assert code == 1 and "没有代码为" in err
        code, out, _ = run(village, "bundle", "inspect", written["file"])
        assert code == 0 and "回执" in out and "退回" in out
        code, out, _ = run(village, "bundle", "import", written["file"])
        assert code == 0 and "走访不全" in out
        code, out, _ = run(village, "review", "status", "--json")
        (q4,) = json.loads(out)
        assert q4["quarter"] == "2026Q4" and q4["status"] == "退回" and q4["seq"] == 1
        assert q4["reasons"][0]["text"] == "走访不全" and set(q4) == {
            "quarter",
            "sent_at",
            "seq",
            "status",
            "reviewed_at",
            "reasons",
        }
        code, out, _ = run(village, "review", "status")
        assert code == 0 and "2026年第四季度" in out and "走访不全" in out
    finally:
        c.town = Workspace.open(Path(town))
        c.village = Workspace.open(Path(village))
