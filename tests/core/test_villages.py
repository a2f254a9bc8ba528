"""The town's 村名单: typed, from a sheet as Excel or WPS save it, from key cards and bundles; the
已报送 matrix shows every village, also those that never sent; the district sees each town's list
and its share of villages 已开展."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import xlsxwriter
from sqlalchemy import text

from huzhu_desktop.cli import main
from huzhu_desktop.core.errors import HuzhuError, NotFoundError, UnreadableFileError
from huzhu_desktop.core.importers.village_list import import_village_list
from huzhu_desktop.core.services import keys, villages
from huzhu_desktop.core.sync import status
from huzhu_desktop.core.workspace import Workspace
from tests.sync.helpers import bring, chain, export, make

TOWN = "500112108000"


@pytest.fixture
def town(tmp_path: Path):  # type: ignore[no-untyped-def]
    w = make(tmp_path, "town", "500112108", "茨竹镇", "渝北区")
    yield w
    w.close()


def listed(w: Workspace) -> list[tuple[str, str, str, bool]]:
    with w.reading() as s:
        return [(v.code, v.name, v.started_text, v.listed) for v in villages.town_villages(s)]


def save(w: Workspace, code: str, name: str, started: bool | None) -> None:
    with w.transaction() as s:
        villages.save_village(code, name, started, session=s, actor=w.actor)


def test_the_clerk_types_villages_and_marks_which_have_started(town: Workspace) -> None:
    save(town, "500112108202", " 大石村 ", True)
    save(town, "500112108201", "演示村", None)
    with town.transaction() as s:
        villages.set_started("500112108201", False, session=s, actor=town.actor)
    assert listed(town) == [
        ("500112108201", "演示村", "未开展", True),
        ("500112108202", "大石村", "已开展", True),
    ]
    save(town, "500112108202", "大石村", True)  # the same again: no new revision
    with town.reading() as s:
        changes = s.execute(text("SELECT count(*) FROM audit_log WHERE action = '修改行政村'"))
        assert changes.scalar_one() == 1


@pytest.mark.parametrize(
    ("code", "name", "says"),
    [
        ("500112109201", "外镇村", "不是本镇"),
        ("5001121082", "短码村", "12位"),
        ("500112108000", "镇本身", "末三位全为0"),
        ("50011210820x", "坏码村", "只能是数字"),
        ("500112108205", "", "请填写村名"),
        ("500112108205", "村" * 51, "不超过50个字"),
    ],
)
def test_a_wrong_village_is_refused_saying_why(
    town: Workspace, code: str, name: str, says: str
) -> None:
    with pytest.raises(HuzhuError, match=says), town.transaction() as s:
        villages.save_village(code, name, None, session=s, actor=town.actor)
    assert listed(town) == []


def test_started_is_read_as_clerks_write_it() -> None:
    for yes in ("是", "yes", "已开展", "√", "1"):
        assert villages.parse_started(yes) is True
    for no in ("否", "no", "未开展", "×", "0"):
        assert villages.parse_started(no) is False
    assert villages.parse_started("") is None
    with pytest.raises(HuzhuError, match="看不懂"):
        villages.parse_started("也许")


def test_setting_a_village_not_on_the_list_says_so(town: Workspace) -> None:
    with pytest.raises(NotFoundError, match="没有代码为 500112108299"), town.transaction() as s:
        villages.set_started("500112108299", True, session=s, actor=town.actor)


def _excel_like(path: Path, rows: list[list[object]]) -> Path:
    """A sheet the way Excel writes it (shared strings), with a title row above the header."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("村名单")
    ws.merge_range(0, 0, 0, 2, "茨竹镇行政村名单")
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    wb.close()
    return path


def test_a_list_from_a_sheet_adds_and_updates_and_skips_the_total_row(
    town: Workspace, tmp_path: Path
) -> None:
    save(town, "500112108201", "演示村", None)
    sheet = _excel_like(
        tmp_path / "村名单.xlsx",
        [
            ["序号", "行政村名称", "统计用区划代码", "是否开展互助养老"],
            [1, "演示村", "500112108201", "是"],
            [2, "大石村", "500112108202", "否"],
            [3, "回龙村", "500112108203", ""],
            [None, None, None, None],
            ["合计", "3个村", None, None],
        ],
    )
    with town.transaction() as s:
        result = import_village_list(sheet, session=s, actor=town.actor)
    assert (result.added, result.changed, result.unchanged) == (2, 1, 0)
    assert [(c, n, t) for c, n, t, _l in listed(town)] == [
        ("500112108201", "演示村", "已开展"),
        ("500112108202", "大石村", "未开展"),
        ("500112108203", "回龙村", "未填"),
    ]


def test_a_gbk_csv_works_and_one_bad_row_refuses_the_whole_file(
    town: Workspace, tmp_path: Path
) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes("代码,名称,已开展\r\n500112108202,大石村,是\r\n".encode("gbk"))
    with town.transaction() as s:
        assert import_village_list(good, session=s, actor=town.actor).added == 1
    bad = tmp_path / "bad.csv"
    bad.write_bytes("代码,名称,已开展\n500112108203,回龙村,是\n500112109201,外镇村,是\n".encode())
    with (
        pytest.raises(HuzhuError, match=r"没有导入任何村.*外镇村.*不是本镇"),
        town.transaction() as s,
    ):
        import_village_list(bad, session=s, actor=town.actor)
    maybe = tmp_path / "maybe.csv"
    maybe.write_text("代码,名称,已开展\n500112108204,新店村,也许\n", encoding="utf-8")
    with pytest.raises(HuzhuError, match="第2行"), town.transaction() as s:
        import_village_list(maybe, session=s, actor=town.actor)
    assert [c for c, *_ in listed(town)] == ["500112108202"]  # nothing of the bad files


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01binary", "名称,备注\n大石村,x\n".encode(), b"PK\x03\x04 not a zip"],
)
def test_a_file_that_is_not_a_list_is_refused_in_chinese(
    town: Workspace, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / ("x.xlsx" if content.startswith(b"PK") else "x.csv")
    path.write_bytes(content)
    with pytest.raises(UnreadableFileError), town.transaction() as s:
        import_village_list(path, session=s, actor=town.actor)


def test_villages_come_on_the_list_by_card_and_bundle_and_the_district_sees_it(
    tmp_path: Path,
) -> None:
    c = chain(tmp_path)
    try:
        # known from its card, not yet on the list; importing the card as a clerk does puts it on
        assert listed(c.town) == [("500112108201", "演示村", "未填", False)]
        with c.village.reading() as vs, c.town.transaction() as ts:
            keys.trust_card(ts, c.town.actor, keys.own_card(vs), replace=True)
        assert listed(c.town) == [("500112108201", "演示村", "未填", True)]
        save(c.town, "500112108202", "大石村", True)
        save(c.town, "500112108203", "回龙村", False)
        save(c.town, "500112108201", "演示村", True)
        bring(c.town, export(c.village, c.usb))
        with c.town.reading() as s:
            matrix = status.report_matrix(s, "2026Q4")
        assert [(u.code, u.started, bool(u.sent)) for u in matrix] == [
            ("500112108201", "已开展", True),
            ("500112108202", "已开展", False),  # never sent: still in the matrix
            ("500112108203", "未开展", False),
        ]
        bring(c.district, export(c.town, c.usb))
        with c.district.reading() as s:
            lists = villages.villages_of_towns(s)
            (town_row,) = status.report_matrix(s, "2026Q4")
        assert [v.code for v in lists[TOWN]] == ["500112108201", "500112108202", "500112108203"]
        assert town_row.villages_started == (2, 3)
    finally:
        c.close()


def test_the_command_line_keeps_the_list(town: Workspace, tmp_path: Path, capsys) -> None:
    folder = str(town.folder)
    town.close()

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--workspace", folder, *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    assert run("villages", "add", "500112108202", "大石村", "--started", "yes")[0] == 0
    code, _out, err = run("villages", "set", "500112108299", "--started", "no")
    assert code == 1 and "没有代码为" in err
    csv = tmp_path / "list.csv"
    csv.write_text("代码,名称,已开展\n500112108203,回龙村,否\n", encoding="utf-8")
    assert run("villages", "import", str(csv), "--json")[0] == 0
    code, out, _err = run("villages", "list", "--json")
    rows = json.loads(out)
    assert code == 0 and [(r["code"], r["started"]) for r in rows] == [
        ("500112108202", True),
        ("500112108203", False),
    ]
    Workspace.open(Path(folder)).close()  # the fixture closes it again
