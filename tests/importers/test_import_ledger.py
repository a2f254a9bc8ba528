"""A clerk brings in the village's old 台账: every messy case, counted and explained."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from huzhu_desktop.core.errors import HuzhuError, LimitExceededError, UnreadableFileError
from huzhu_desktop.core.importers.error_book import write_error_book
from huzhu_desktop.core.importers.ledger import ImportResult, import_ledger
from huzhu_desktop.core.importers.safety import Limits
from huzhu_desktop.core.models import Pairing, Person
from huzhu_desktop.core.services import register
from tests.fixtures import ledgers
from tests.fixtures.ledgers import TODAY, an_id

CLEAN_ROWS = [
    [
        1,
        "张德明",
        "男",
        78,
        13812345678,
        "3组黄桷湾12号",
        "有",
        "独居",
        "自理",
        "低保、残疾",
        "王小红",
        "女",
        "51",
        "13900001111",
        "3组",
        5,
        "",
    ],
    [
        2,
        "张德明",
        "男",
        "78岁",
        "13812345678",
        "3组黄桷湾12号",
        "有",
        "独居",
        "自理",
        "低保、残疾",
        "陈建国",
        "男",
        62,
        "１３９ ０００ ０２２２２",
        "3组",
        2,
        "",
    ],
    [
        3,
        "李秀英",
        "女",
        dt.datetime(1948, 3, 5),
        "023-67891234",
        "2组大湾5号",
        "无",
        "与配偶同住",
        "半自理",
        "特困",
        "王小红",
        "女",
        51,
        "13900001111",
        "3组",
        1,
        "=1+1 是备注",
    ],
    [
        4,
        "谭光荣",
        "Male",
        "1946.3.5",
        None,
        "1组",
        "有2个",
        "与子女同住",
        "卧床",
        "五保户",
        "",
        "",
        "",
        "",
        "",
        0,
        "",
    ],
    [
        5,
        "冉淑芬",
        "女",
        "1943年3月",
        None,
        "4组",
        "否",
        "独住",
        "能自理",
        "优抚对象、空巢",
        "",
        "",
        "",
        "",
        "",
        0,
        "",
    ],
]


def run(ws, path: Path, *, dry_run: bool = False, **kw) -> ImportResult:  # type: ignore[no-untyped-def]
    with ws.transaction() as s:
        return import_ledger(path, session=s, actor=ws.actor, dry_run=dry_run, today=TODAY, **kw)


def elders(ws) -> dict[str, register.ElderRow]:  # type: ignore[no-untyped-def]
    with ws.reading() as s:
        return {e.name: e for e in register.list_elders(s, today=TODAY)}


def counts(r: ImportResult) -> tuple[int, int, int, int, int]:
    return r.rows_total, r.imported, r.updated, r.skipped_duplicates, r.rejected


def test_clerk_imports_a_filled_in_attachment2(ws, tmp_path: Path) -> None:
    path = ledgers.attachment2(tmp_path / "台账.xlsx", CLEAN_ROWS)
    preview = run(ws, path, dry_run=True)
    assert counts(preview) == (5, 5, 0, 0, 0), preview.rejections
    assert elders(ws) == {}  # a dry run writes nothing
    result = run(ws, path)
    assert counts(result) == counts(preview)
    got = elders(ws)
    assert set(got) == {"张德明", "李秀英", "谭光荣", "冉淑芬"}
    zhang = got["张德明"]
    assert (zhang.birth_year, zhang.elder_types, zhang.living, zhang.group) == (
        1948,
        ("低保", "残疾"),
        "独居",
        "3组",
    )
    li = got["李秀英"]
    assert (li.birth_year, li.living, li.health, li.elder_types, li.has_children) == (
        1948,
        "双居",
        "半失能",
        ("分散特困",),
        False,
    )
    tan = got["谭光荣"]
    assert (tan.gender, tan.health, tan.has_children, tan.elder_types) == (
        "男",
        "失能",
        True,
        ("分散特困",),
    )
    ran = got["冉淑芬"]
    assert (ran.birth_year, ran.living, ran.elder_types, ran.tags) == (
        1943,
        "独居",
        ("优抚",),
        ("空巢",),
    )
    with ws.reading() as s:
        helpers = {h.name: h for h in register.list_helpers(s, today=TODAY)}
        assert s.execute(select(func.count()).select_from(Pairing)).scalar_one() == 3
        note = s.execute(select(Person.note).where(Person.name == "李秀英")).scalar_one()
    assert helpers["王小红"].phone == "13900001111" and helpers["王小红"].elders_helped == 2
    assert helpers["王小红"].group == "3组"  # from the helper's own 住址
    assert helpers["陈建国"].phone == "13900002222"
    assert note == "=1+1 是备注"  # stored as text, never evaluated


def test_reimporting_the_same_file_changes_nothing(ws, tmp_path: Path) -> None:
    path = ledgers.attachment2(tmp_path / "台账.xlsx", CLEAN_ROWS)
    run(ws, path)
    with ws.reading() as s:
        before = s.execute(select(func.max(Person.updated_at), func.count())).one()
    again = run(ws, path)
    assert counts(again) == (5, 0, 0, 5, 0)
    with ws.reading() as s:
        assert s.execute(select(func.max(Person.updated_at), func.count())).one() == before


def test_a_newer_sheet_updates_the_matched_elder(ws, tmp_path: Path) -> None:
    run(ws, ledgers.attachment2(tmp_path / "a.xlsx", CLEAN_ROWS[:1]))
    newer = [list(CLEAN_ROWS[0])]
    newer[0][4] = "13512345678"
    newer[0][8] = "失能"
    result = run(ws, ledgers.attachment2(tmp_path / "b.xlsx", newer))
    assert counts(result) == (1, 0, 1, 0, 0)
    zhang = elders(ws)["张德明"]
    assert (zhang.phone, zhang.health) == ("13512345678", "失能")


def test_two_row_header_with_ids_groups_and_a_repeated_header(ws, tmp_path: Path) -> None:
    rows = [
        [
            1,
            "3组",
            "张德明",
            an_id("19480305"),
            None,
            "1948-03-05",
            "13812345678",
            "黄桷湾12号",
            "低保",
            "独居",
            "自理",
            "王小红",
            "女",
            "13900001111",
            51,
            "",
        ],
        [
            2,
            "2组",
            "李秀英",
            an_id("19500101", "124"),
            "女",
            "1950.1.1",
            None,
            "大湾5号",
            "分散供养特困",
            "独居",
            "自理",
            "陈建国",
            "男",
            "13900002222",
            62,
            "",
        ],
        [
            3,
            "2组",
            "李秀英",
            an_id("19500101", "124"),
            "女",
            "1950.1.1",
            None,
            "大湾5号",
            "分散供养特困",
            "独居",
            "自理",
            "王小红",
            "女",
            "13900001111",
            51,
            "",
        ],
    ]
    path = ledgers.two_row_header(tmp_path / "台账.xlsx", rows)
    result = run(ws, path)
    assert result.sheet == "结对台账"
    assert counts(result) == (3, 3, 0, 0, 0), result.rejections
    fields = dict(result.columns)
    assert fields["组别"] == "group" and fields["身份证号码"] == "elder_id"
    assert [f for h, f in result.columns if h == "手机号码"] == ["helper_phone"]
    got = elders(ws)
    assert got["张德明"].gender == "男" and got["张德明"].id_number == an_id("19480305")
    assert got["李秀英"].special is True and got["李秀英"].group == "2组"
    with ws.reading() as s:
        li = {h.name: h.elders_helped for h in register.list_helpers(s, today=TODAY)}
    assert li == {"王小红": 2, "陈建国": 1}


BAD_ROWS = [
    ([1, "", "男", 78, "", "", "有", "独居", "自理", "低保"], "被帮扶老人姓名", "missing_name"),
    ([2, "张三", "未知", 78, "", "", "有", "独居", "自理", "低保"], "性别", "invalid_gender"),
    ([3, "张三", "男", "七十八", "", "", "有", "独居", "自理", "低保"], "年龄", "invalid_birth"),
    ([4, "张三", "男", 78, 12345, "", "有", "独居", "自理", "低保"], "电话", "invalid_phone"),
    ([5, "张三", "男", 78, "", "", "有", "住敬老院", "自理", "低保"], "居住情况", "unknown_living"),
    ([6, "张三", "男", 78, "", "", "有", "独居", "一般", "低保"], "健康状况", "unknown_health"),
    ([7, "张三", "男", 78, "", "", "不详", "独居", "自理", "低保"], "子女情况", "unknown_children"),
    (
        [8, "张三", "男", 78, "", "", "有", "独居", "自理", "贫困户"],
        "老人类型",
        "unknown_elder_type",
    ),
    ([9, "张三", "男", 78, "", "", "有", "", "自理", "低保"], "居住情况", "missing_living"),
]


@pytest.mark.parametrize(("row", "column", "reason"), BAD_ROWS)
def test_unmappable_values_are_rejected_with_the_column_named(
    ws, tmp_path: Path, row, column, reason
) -> None:
    result = run(ws, ledgers.attachment2(tmp_path / "x.xlsx", [row]), dry_run=True)
    assert counts(result) == (1, 0, 0, 0, 1)
    [rej] = result.rejections
    assert rej.row == 5
    assert rej.column.startswith(column)
    assert rej.reason == reason
    assert column in rej.message


def test_an_id_that_excel_turned_into_a_number_is_refused(ws, tmp_path: Path) -> None:
    rows = [
        [
            1,
            "2组",
            "张德明",
            500112194803051237.0,
            "男",
            "1948-03-05",
            None,
            "黄桷湾",
            "低保",
            "独居",
            "自理",
            "",
            "",
            "",
            "",
            "",
        ]
    ]
    result = run(ws, ledgers.two_row_header(tmp_path / "x.xlsx", rows), dry_run=True)
    [rej] = result.rejections
    assert rej.reason == "id_number_mangled" and "后几位已丢失" in rej.message


def test_formula_without_a_result_is_refused_and_with_one_is_read(ws, tmp_path: Path) -> None:
    no_value = run(ws, ledgers.formula_cells(tmp_path / "f1.xlsx", cached=False), dry_run=True)
    assert [r.reason for r in no_value.rejections] == ["formula_without_value"]
    cached = run(ws, ledgers.formula_cells(tmp_path / "f2.xlsx", cached=True))
    assert counts(cached) == (1, 1, 0, 0, 0), cached.rejections
    assert elders(ws)["张德明"].birth_year == 1948


def test_twin_candidates_are_never_merged(ws, tmp_path: Path) -> None:
    from huzhu_desktop.core.services import people
    from huzhu_desktop.core.services.people import ElderForm, PersonForm

    for birth in ("1948", "1949"):
        with ws.transaction() as s:
            people.save_person(
                PersonForm("张德明", "男", birth, group_name="3组"),
                ElderForm(["其他"], living="双居", health="自理"),
                None,
                session=s,
                actor=ws.actor,
                allow_duplicate=True,
                today=TODAY,
            )
    result = run(ws, ledgers.attachment2(tmp_path / "x.xlsx", [CLEAN_ROWS[0][:10] + [""] * 7]))
    assert [r.reason for r in result.rejections] == ["ambiguous_match"]
    assert "2个人" in result.rejections[0].message


@pytest.mark.parametrize(
    ("builder", "error", "fragment"),
    [
        (lambda p: p.write_bytes(b""), UnreadableFileError, "空的"),
        (
            lambda p: p.write_text("姓名,性别\n张三,男\n", encoding="utf-8"),
            UnreadableFileError,
            ".xlsx",
        ),
        (ledgers.encrypted, UnreadableFileError, "密码"),
        (
            lambda p: p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600),
            UnreadableFileError,
            ".xls",
        ),
        (ledgers.entity_bomb, UnreadableFileError, "不安全"),
        (lambda p: ledgers.zip_bomb(p, 64 * 1024 * 1024), UnreadableFileError, "压缩"),
    ],
)
def test_hostile_and_broken_files_are_refused_untouched(
    ws, tmp_path: Path, builder, error, fragment
) -> None:
    path = tmp_path / "bad.xlsx"
    builder(path)
    with pytest.raises(error, match=fragment):
        run(ws, path)
    assert elders(ws) == {}


def test_caps_on_size_and_rows(ws, tmp_path: Path) -> None:
    path = ledgers.many_rows(tmp_path / "big.xlsx", 300)
    with pytest.raises(LimitExceededError, match="上限"):
        run(ws, path, limits=Limits(data_rows=200))
    with pytest.raises(LimitExceededError, match="太大"):
        run(ws, path, limits=Limits(file_bytes=1000))


def test_a_sheet_without_a_header_or_a_missing_sheet(ws, tmp_path: Path) -> None:
    path = ledgers.attachment2(tmp_path / "x.xlsx", CLEAN_ROWS)
    with pytest.raises(HuzhuError, match="找不到名为"):
        run(ws, path, sheet="Sheet9")
    wb = load_workbook(path)
    wb.active.delete_rows(1, 4)
    wb.save(path)
    with pytest.raises(HuzhuError, match="没有找到表头"):
        run(ws, path)


def test_the_clerk_can_correct_a_column_mapping(ws, tmp_path: Path) -> None:
    path = ledgers.attachment2(tmp_path / "x.xlsx", CLEAN_ROWS[:1])
    result = run(
        ws, path, dry_run=True, overrides={16: None, 9: None}
    )  # 备注, 老人类型 not imported
    assert counts(result) == (1, 1, 0, 0, 0)
    with pytest.raises(HuzhuError, match="多列对应同一项"):
        run(ws, path, dry_run=True, overrides={5: "elder_phone"})


def test_error_workbook_lists_rejected_rows_and_escapes_formulas(ws, tmp_path: Path) -> None:
    rows = [
        *CLEAN_ROWS[:1],
        [9, '=HYPERLINK("x")', "男", "七十八", "", "", "有", "独居", "自理", "低保"],
    ]
    result = run(ws, ledgers.attachment2(tmp_path / "x.xlsx", rows), dry_run=True)
    book = write_error_book(result, tmp_path / "错误清单.xlsx")
    wb = load_workbook(book)
    sheet = wb.active
    header = [c.value for c in sheet[1]]
    assert header[-2:] == ["错误原因", "原行号"]
    name_cell = sheet.cell(2, 2)
    assert name_cell.value == '=HYPERLINK("x")' and name_cell.data_type == "s"
    assert name_cell.quotePrefix
    assert "年龄" in sheet.cell(2, len(header) - 1).value and sheet.cell(2, len(header)).value == 6


def test_a_stale_age_yields_to_the_id_but_a_wrong_one_does_not(ws, tmp_path: Path) -> None:
    elder = [1, "2组", "张德明", an_id("19480305"), "男", None, None, "黄桷湾", "低保", "独居"]
    rows = [[*elder, "自理", "", "", "", "", ""]]
    path = ledgers.two_row_header(tmp_path / "x.xlsx", rows)
    wb = load_workbook(path)
    sheet = wb["结对台账"]
    sheet.cell(2, 17, "年龄")  # an extra 年龄 column at the right, filled two years ago
    sheet.cell(5, 17, 76)  # row 4 repeats the header (the fixture does that half-way)
    wb.save(path)
    assert counts(run(ws, path, dry_run=True))[4] == 0
    sheet.cell(5, 17, 60)
    wb.save(path)
    [rej] = run(ws, path, dry_run=True).rejections
    assert "不一致" in rej.message


def test_rows_that_disagree_about_a_person_keep_the_first_and_reimport_is_still_a_no_op(
    ws, tmp_path: Path
) -> None:
    first = list(CLEAN_ROWS[0])
    second = list(CLEAN_ROWS[1])
    second[13] = "13700007777"  # 陈建国 … and 王小红 again below with another phone
    third = list(CLEAN_ROWS[2])
    third[13] = "13600006666"
    path = ledgers.attachment2(tmp_path / "x.xlsx", [first, second, third])
    run(ws, path)
    assert counts(run(ws, path)) == (3, 0, 0, 3, 0)
    with ws.reading() as s:
        phones = {h.name: h.phone for h in register.list_helpers(s, today=TODAY)}
    assert phones["王小红"] == "13900001111"
