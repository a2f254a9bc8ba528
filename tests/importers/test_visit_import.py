"""Visit records from outside: helpers' own sheets from every producer, CSV as Excel on Chinese
Windows saves it, rows copied from Excel, lines from a WeChat group — read, matched within the
village, never guessed, and a no-op the second time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huzhu_desktop.core import clock
from huzhu_desktop.core.errors import LimitExceededError, UnreadableFileError
from huzhu_desktop.core.importers.ledger import import_ledger
from huzhu_desktop.core.importers.visit_import import import_visits
from huzhu_desktop.core.importers.visit_plan import read_day, read_minutes, resolve_day
from huzhu_desktop.core.importers.visit_source import parse_text, read_visit_file
from huzhu_desktop.core.services.visits_read import list_visits
from tests.fixtures import producers
from tests.fixtures.producers.sheets import FILLED_ATTACHMENT2
from tests.fixtures.producers.visit_sheets import HELPER_VISITS, HELPER_VISITS_OUTCOME

NOW = "2026-11-30T10:00"
PRODUCERS = ("excel", "wps", "libreoffice")


@pytest.fixture
def village(ws, tmp_path: Path):  # type: ignore[no-untyped-def]
    """石坪村 with the filled 附件2's people: 王小红 (张德明, 李秀英), 陈建国 (王秀英) …"""
    book = producers.excel_like(tmp_path / "台账.xlsx", [FILLED_ATTACHMENT2])
    with clock.frozen(NOW):
        with ws.transaction() as s:
            import_ledger(book, session=s, actor=ws.actor, dry_run=False)
        yield ws


def run(ws, source, *, dry_run: bool = False):  # type: ignore[no-untyped-def]
    with ws.transaction() as s:
        return import_visits(source, session=s, actor=ws.actor, dry_run=dry_run)


def outcome(result) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {k: v for k, v in result.to_json().items() if k != "rejections"}


def stored(ws) -> list[tuple[str, tuple[str, ...], tuple[str, ...], int, str]]:  # type: ignore[no-untyped-def]
    with ws.reading() as s:
        return sorted(
            (
                v.visit_date.isoformat(),
                tuple(sorted(v.helpers)),
                tuple(sorted(v.elders)),
                v.duration_minutes,
                v.kind,
            )
            for v in list_visits(s)
        )


@pytest.mark.parametrize("producer", PRODUCERS)
def test_a_helpers_own_sheet_from_every_producer(village, producer: str, tmp_path: Path) -> None:
    path = (
        producers.libreoffice("helper_visits")
        if producer == "libreoffice"
        else producers.WRITERS[producer](tmp_path / "走访.xlsx", [HELPER_VISITS])
    )
    preview = run(village, read_visit_file(path), dry_run=True)
    assert outcome(preview) == HELPER_VISITS_OUTCOME
    [rejection] = preview.rejections
    assert (rejection.row, rejection.column, rejection.reason) == (7, "老人", "unknown_elder")
    assert "是不是：张德明（3组，78岁，男）" in rejection.message
    assert stored(village) == []  # a dry run saves nothing
    result = run(village, read_visit_file(path))
    assert outcome(result) == outcome(preview) | {"imported": 4}
    assert stored(village) == [
        ("2026-11-03", ("王小红",), ("张德明", "李秀英"), 40, "入户探访"),
        ("2026-11-05", ("王小红",), ("张德明",), 30, "谈谈心"),
        ("2026-11-05", ("王小红",), ("李秀英",), 60, "帮帮忙"),  # the merged date covers it
        ("2026-11-10", ("陈建国",), ("王秀英",), 10, "敲敲门"),
    ]
    again = run(village, read_visit_file(path))
    assert (again.imported, again.skipped_duplicates, again.rejected) == (0, 4, 1)


GBK_CSV = (
    "日期,帮扶人,服务对象,方式,时长,服务内容,备注\n"
    "2026-11-20,王小红,张德明,谈心,30分钟,助餐,\n"
    "11.21,陈建国,王秀英、刘开仁,入户探访,1小时,,两户一起\n"
)


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("gbk"),
        lambda t: t.encode("gb18030"),
        lambda t: t.encode("utf-8-sig"),
        lambda t: t.encode("utf-8"),
        lambda t: t.replace(",", "\t").encode("utf-8"),
    ],
    ids=["gbk", "gb18030", "utf8-bom", "utf8", "tabs"],
)
def test_csv_as_excel_on_chinese_windows_saves_it(village, tmp_path: Path, encode) -> None:
    path = tmp_path / "走访.csv"
    path.write_bytes(encode(GBK_CSV))
    with clock.frozen(NOW):
        result = run(village, read_visit_file(path))
    assert (result.rows_total, result.imported, result.rejected) == (2, 2, 0), result.rejections
    assert stored(village)[1] == ("2026-11-21", ("陈建国",), ("刘开仁", "王秀英"), 60, "入户探访")


def test_rows_copied_from_excel_are_a_table(village) -> None:
    pasted = "日期\t帮扶人\t老人\t时长\n11月20日\t王小红\t李秀英\t45\n11月21日\twxh\t张德明\t20\n"
    with clock.frozen(NOW):
        source = parse_text(pasted)
        assert source.kind == "表格"
        result = run(village, source)
    assert (result.imported, result.rejected) == (2, 0), result.rejections
    assert stored(village)[1][1] == ("王小红",)  # wxh: her initials, a key, not a guess


CHAT = """王小红 11:02
3. 王小红 11.28 看望张德明40分钟 帮买药
陈建国 11月27日 给王秀英打扫卫生1小时
王小红 昨天 和李秀英谈心 半小时
[图片]
4、王小红 11.25 看望张得明 30分钟
5. 王小红 11.26 看望李秀英
6. 王小红 12.1 看望张德明 20分钟
7. 陈建国 2026.12.1 看望王秀英 20分钟
"""


def test_lines_from_a_wechat_group(village) -> None:
    with clock.frozen(NOW):
        result = run(village, parse_text(CHAT))
    assert (result.rows_total, result.imported, result.skipped_layout) == (7, 4, 2)
    reasons = {r.row: r.reason for r in result.rejections}
    assert reasons == {6: "unknown_elder", 7: "missing_minutes", 9: "future_date"}
    assert "张德明" in next(r.message for r in result.rejections if r.row == 6)
    assert stored(village) == [
        ("2025-12-01", ("王小红",), ("张德明",), 20, "入户探访"),  # 12.1: the latest, not ahead
        ("2026-11-27", ("陈建国",), ("王秀英",), 60, "帮帮忙"),
        ("2026-11-28", ("王小红",), ("张德明",), 40, "入户探访"),
        ("2026-11-29", ("王小红",), ("李秀英",), 30, "谈谈心"),
    ]
    with village.reading() as s:
        notes = {v.elders[0]: (v.services, v.note, v.source) for v in list_visits(s)}
    assert notes["王秀英"] == (["助洁"], "打扫卫生", "微信")
    with clock.frozen(NOW):
        assert run(village, parse_text(CHAT)).skipped_duplicates == 4


def test_a_name_two_people_share_is_never_guessed(village) -> None:
    from huzhu_desktop.core.services import people
    from huzhu_desktop.core.services.people import HelperForm, PersonForm

    with village.transaction() as s:  # a second 王小红, in another 组
        people.save_person(
            PersonForm("王小红", "女", "1980", group_name="5组"),
            None,
            HelperForm("志愿者"),
            session=s,
            actor=village.actor,
            allow_duplicate=True,
        )
    with clock.frozen(NOW):
        result = run(village, parse_text("王小红 11.28 看望张德明40分钟"))
    [rejection] = result.rejections
    assert rejection.reason == "ambiguous_helper" and "5组" in rejection.message
    assert stored(village) == []


@pytest.mark.parametrize(
    ("today", "written", "expected"),
    [
        (date(2027, 1, 1), "12.31", date(2026, 12, 31)),
        (date(2027, 1, 1), "1.1", date(2027, 1, 1)),
        (date(2026, 12, 31), "12月31日", date(2026, 12, 31)),
        (date(2027, 3, 1), "2月29日", date(2024, 2, 29)),
        (date(2028, 2, 29), "2.29", date(2028, 2, 29)),
        (date(2028, 2, 29), "3.1", date(2027, 3, 1)),
        (date(2026, 11, 30), "今天", date(2026, 11, 30)),
        (date(2027, 1, 1), "昨天", date(2026, 12, 31)),
    ],
)
def test_a_date_without_a_year_is_the_latest_one_not_in_the_future(
    today: date, written: str, expected: date
) -> None:
    assert read_day(written, today) == expected


def test_an_old_date_is_saved_with_a_second_look(village) -> None:
    """A paper record from 1999 typed in late is legitimate; it is saved and flagged."""
    with clock.frozen(NOW):
        result = run(village, parse_text("王小红 1999.3.5 看望张德明 30分钟"))
    assert (result.imported, result.rejected) == (1, 0)
    assert "早于2000年" in result.planned[0].warnings[0]


def test_durations_and_dates_as_people_write_them() -> None:
    for text, minutes in (("40分钟", 40), ("1小时", 60), ("1.5小时", 90), ("半小时", 30)):
        assert read_minutes(text) == minutes
    assert read_minutes("1小时20分") == 80 and read_minutes(45) == 45 and read_minutes(1.5) == 90
    assert resolve_day(11, 28, date(2026, 11, 27)) == date(2025, 11, 28)
    with pytest.raises(ValueError, match="11月10日"):
        read_day(11.1, date(2026, 11, 30))  # Excel keeps 11.10 as 11.1: never guess


@pytest.mark.parametrize(
    ("content", "error", "fragment"),
    [
        (b"", UnreadableFileError, "空"),
        (b"\x00\x01\x02binary", UnreadableFileError, "二进制"),
        ("名字,性别\n张三,男\n".encode(), UnreadableFileError, "表头"),
        (b"\xff\xfe\xfd" * 10, UnreadableFileError, "编码"),
    ],
)
def test_files_that_cannot_be_read(tmp_path: Path, content: bytes, error, fragment: str) -> None:
    path = tmp_path / "走访.csv"
    path.write_bytes(content)
    with pytest.raises(error, match=fragment):
        read_visit_file(path)


def test_caps(tmp_path: Path) -> None:
    path = tmp_path / "走访.txt"
    path.write_bytes(b"a" * (8 * 1024 * 1024 + 10))
    with pytest.raises(LimitExceededError):
        read_visit_file(path)
    with pytest.raises(LimitExceededError):
        parse_text("王小红 11.28 看望张德明40分钟\n" * 20_001)


PEOPLE = {"王小红": ("张德明", "李秀英"), "陈建国": ("王秀英",)}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(sorted(PEOPLE)),
            st.integers(0, 200),
            st.integers(5, 240),
            st.sampled_from(("敲敲门", "谈谈心", "帮帮忙", "入户探访")),
            st.booleans(),
        ),
        min_size=1,
        max_size=12,
        unique_by=lambda t: (t[0], t[1], t[2]),
    )
)
def test_round_trip_export_and_import_gives_the_same_visits(tmp_path_factory, visits) -> None:
    """Visits written out as a helper's sheet come back as the same visits, and only once."""
    from huzhu_desktop.core.services.setup import initialize
    from huzhu_desktop.core.workspace import Workspace
    from tests.conftest import VILLAGE

    folder = tmp_path_factory.mktemp("rt")
    ws = Workspace.open(folder / "ws")
    try:
        with ws.transaction() as s:
            initialize(VILLAGE, session=s)
        ws.reload_info()
        book = producers.excel_like(folder / "台账.xlsx", [FILLED_ATTACHMENT2])
        today = date(2026, 11, 30)
        with clock.frozen(NOW):
            with ws.transaction() as s:
                import_ledger(book, session=s, actor=ws.actor, dry_run=False)
            rows: list[list[object]] = [["日期", "帮扶人", "服务对象", "服务方式", "时长（分钟）"]]
            expected = []
            for helper, back, minutes, kind, both in visits:
                elders = PEOPLE[helper] if both else PEOPLE[helper][:1]
                day = today - timedelta(days=back)
                rows.append([producers.DateCell(day), helper, "、".join(elders), kind, minutes])
                expected.append((day.isoformat(), (helper,), tuple(sorted(elders)), minutes, kind))
            spec = producers.SheetSpec("走访", rows, header_rows=(1,), table_rows=(1, len(rows)))
            path = producers.excel_like(folder / "走访.xlsx", [spec])
            first = run(ws, read_visit_file(path))
            assert first.imported == len(visits) and first.rejected == 0, first.rejections
            assert stored(ws) == sorted(expected)
            assert run(ws, read_visit_file(path)).skipped_duplicates == len(visits)
    finally:
        ws.close()


def test_cli_import_visits(village, tmp_path: Path) -> None:
    """The CLI in its own process, on the same clock (HUZHU_NOW), reading stdin in GB18030."""
    env_cmd = [sys.executable, "-m", "huzhu_desktop.cli", "--workspace", str(village.folder)]
    env = {**os.environ, clock.ENV: NOW}
    village.close()
    dry = subprocess.run(
        [*env_cmd, "import-visits", "-", "--dry-run", "--json"],
        input=CHAT.encode("gb18030"),
        capture_output=True,
        env=env,
    )
    assert dry.returncode == 0, dry.stderr.decode()
    got = json.loads(dry.stdout)
    assert (got["rows_total"], got["imported"], got["rejected"]) == (7, 4, 3)
    assert set(got["rejections"][0]) == {"row", "column", "reason", "message"}
    saved = subprocess.run(
        [*env_cmd, "import-visits", "-"], input=CHAT.encode(), capture_output=True, env=env
    )
    assert saved.returncode == 0 and "已保存 4" in saved.stdout.decode()
    (tmp_path / "x.xls").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600)
    bad = subprocess.run(
        [*env_cmd, "import-visits", str(tmp_path / "x.xls")], capture_output=True, env=env
    )
    assert bad.returncode == 2 and ".xlsx" in bad.stderr.decode()
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (8 * 1024 * 1024 + 1))
    over = subprocess.run([*env_cmd, "import-visits", str(big)], capture_output=True, env=env)
    assert over.returncode == 1, over.stderr.decode()
    empty = subprocess.run(
        [*env_cmd, "import-visits", "-"], input=b"", capture_output=True, env=env
    )
    assert empty.returncode == 2
