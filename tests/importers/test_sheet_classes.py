"""Each class of real-world sheet trouble, one at a time: the words clerks use, invisible
characters, merged cells, sheet furniture and birth months."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from huzhu_desktop.core import vocab
from huzhu_desktop.core.importers import normalize as norm
from huzhu_desktop.core.importers import words
from huzhu_desktop.core.importers.columns import find_header
from huzhu_desktop.core.importers.fast_sheet import Merge
from huzhu_desktop.core.importers.ledger import import_ledger
from huzhu_desktop.core.importers.sheet_prep import RowClassifier, RowKind, resolve_merges
from huzhu_desktop.core.reports.forms import ATTACHMENT2_HEADER
from huzhu_desktop.core.validate import FieldError, clean, normalize_name, normalize_phone
from tests.fixtures import ledgers
from tests.fixtures.ledgers import TODAY, an_id

# --- the words clerks use -------------------------------------------------------------------

WORDS = [
    (words.LIVING, "独居老人", "独居"),
    (words.LIVING, "一人居住", "独居"),
    (words.LIVING, "单独居住", "独居"),
    (words.LIVING, "双居", "双居"),
    (words.LIVING, "老两口", "双居"),
    (words.LIVING, "与老伴同住", "双居"),
    (words.LIVING, "夫妻同住", "双居"),
    (words.LIVING, "随子女居住", "与子女同住"),
    (words.HEALTH, "能自理", "自理"),
    (words.HEALTH, "健康", "自理"),
    (words.HEALTH, "半失能", "半失能"),
    (words.HEALTH, "部分失能", "半失能"),
    (words.HEALTH, "失能", "失能"),
    (words.HEALTH, "卧床", "失能"),
    (words.ELDER_TYPES, "低保户", "低保"),
    (words.ELDER_TYPES, "特困", "分散特困"),
    (words.ELDER_TYPES, "特困户", "分散特困"),
    (words.ELDER_TYPES, "五保", "分散特困"),
    (words.ELDER_TYPES, "五保户", "分散特困"),
    (words.ELDER_TYPES, "失独家庭", "失独"),
    (words.ELDER_TYPES, "持证残疾", "残疾"),
    (words.ELDER_TYPES, "退役军人", "优抚"),
    (words.ELDER_TYPES, "优抚对象", "优抚"),
    (words.HELPER_ROLES, "互助员", "志愿者"),
    (words.HELPER_ROLES, "小组长", "互助养老小组长"),
    (words.PAIRING_KINDS, "网格化", "划片式"),
    (words.VISIT_KINDS, "看望", "入户探访"),
]


@pytest.mark.parametrize(("table", "word", "stored"), WORDS)
def test_the_words_clerks_use_map_to_the_seeds_words(table, word, stored) -> None:
    assert table[word] == stored


def test_every_table_maps_only_to_stored_words() -> None:
    for table, allowed in (
        (words.LIVING, vocab.LIVING),
        (words.HEALTH, vocab.HEALTH),
        (words.ELDER_TYPES, vocab.ELDER_TYPES),
        (words.ELDER_TAGS, vocab.ELDER_TAGS),
        (words.HELPER_ROLES, vocab.HELPER_ROLES),
        (words.PAIRING_KINDS, vocab.PAIRING_KINDS),
        (words.VISIT_KINDS, vocab.VISIT_KINDS),
    ):
        assert set(table.values()) <= set(allowed)
        assert set(allowed) <= set(table) | {"其他"} or table is words.ELDER_TAGS


@pytest.mark.parametrize(
    ("cell", "types", "grade", "tags"),
    [
        ("二级残疾", ["残疾"], "二级", []),
        ("残疾（一级）", ["残疾"], "一级", []),
        ("肢体残疾3级、低保", ["残疾", "低保"], "三级", []),
        ("视力二级", ["残疾"], "二级", []),
        ("五保户、空巢老人", ["分散特困"], "", ["空巢"]),
        ("特困，独居老人", ["分散特困"], "", []),
        ("失独家庭/计生特殊家庭", ["失独"], "", ["计划生育特殊家庭"]),
        ("退役军人", ["优抚"], "", []),
    ],
)
def test_elder_type_cells(cell: str, types, grade: str, tags) -> None:
    got = norm.elder_types(cell)
    assert (got.types, got.grade, got.tags) == (types, grade, tags)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        *[("有", "有"), ("有（2个）", "有"), ("1子1女", "有"), ("两个儿子", "有"), ("3", "有")],
        *[("无", "无"), ("无子女", "无"), ("没有", "无"), ("0", "无"), ("无儿无女", "无")],
    ],
)
def test_children_cells(cell: str, expected: str) -> None:
    assert norm.has_children(cell) == expected


def test_unmappable_words_are_refused_with_the_accepted_words() -> None:
    with pytest.raises(FieldError, match="低保、分散特困、失独、残疾、优抚、其他"):
        norm.elder_types("贫困户")
    with pytest.raises(FieldError, match="独居、双居"):
        norm.one_of("住敬老院", words.LIVING, "居住情况", vocab.LIVING)
    with pytest.raises(FieldError, match="有2个"):
        norm.has_children("不详")
    for grade in ("1级", "2", "贰级", "残疾二级"):
        assert norm.disability_grade(grade) in vocab.DISABILITY_GRADES
    with pytest.raises(FieldError, match="一级、二级"):
        norm.disability_grade("五级")


# --- invisible characters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "王\u200b秀英",  # zero-width space (WeChat)
        "\ufeff王秀英",  # BOM
        "王\u00ad秀英",  # soft hyphen
        "王\u200d秀\u200c英",  # joiners
        "王秀英\u202c",  # direction embedding
        "王\u3000秀英",  # ideographic space
        "王\u00a0秀英 ",  # no-break space
        "王秀英\r\n",  # a stray line break
        "王\x07秀英",  # a control character
    ],
)
def test_invisible_characters_leave_names(raw: str) -> None:
    assert normalize_name(raw) == "王秀英"


def test_invisible_characters_leave_phones_ids_and_text() -> None:
    assert normalize_phone("138\u200b1234\u00a05678") == "13812345678"
    assert clean("3组\n黄桷湾\u200b12号") == "3组 黄桷湾12号"
    number = an_id("19480305")
    assert norm.id_number(f"\u200b{number[:6]} {number[6:]}\ufeff", today=TODAY) == number


# --- merged cells and furniture --------------------------------------------------------------


def test_a_merged_helper_block_applies_to_every_row_it_covers() -> None:
    rows: list[list[object]] = [
        ["序号", "姓名"],
        [1, "张德明", "王小红"],
        [2, "李秀英"],
        [3, "刘开仁"],
    ]
    filled = resolve_merges(rows, [Merge(2, 2, 3, 2), Merge(1, 0, 1, 1)])
    assert filled == 1
    assert rows[2] == [2, "李秀英", "王小红"] and rows[3] == [3, "刘开仁"]
    assert rows[0] == ["序号", "姓名"]  # a merge across columns is one value, not one per column


def test_rows_are_classified() -> None:
    header = find_header([list(ATTACHMENT2_HEADER)])
    assert header is not None
    kinds = RowClassifier(header)
    person = [1, "张德明", "男", 78]
    blank_cases = [
        [],
        [None, "", "  ", "\u200b"],  # nothing a person can see
        [7],  # a pre-numbered template row
        [8, None, None, None, None, None, None, None, None, None, None, None, None, None, None, 0],
    ]
    layout_cases = [
        ["合计", None, 5],
        [None, "合计"],
        ["说明：老人类型分为低保、分散特困、失独、残疾、优抚、其他。"],
        ["填表人：张文书        审核人：李主任"],
        ["第二批结对名单"],
        list(ATTACHMENT2_HEADER),
        ["渝北区农村互助养老结对帮扶信息台账"],
    ]
    assert kinds.kind(person) is RowKind.DATA
    assert kinds.kind([None, "张德明"]) is RowKind.DATA  # a lone name is a person to refuse
    for row in blank_cases:
        assert kinds.kind(row) is RowKind.BLANK, row
    for row in layout_cases:
        assert kinds.kind(row) is RowKind.LAYOUT, row


def test_every_row_under_the_header_is_accounted_for(ws, tmp_path: Path) -> None:
    rows = [[1, "张德明", "男", 78, "", "3组", "有", "独居", "自理", "低保"], [2], [3], [4]]
    path = ledgers.attachment2(tmp_path / "x.xlsx", rows)
    with ws.transaction() as s:
        r = import_ledger(path, session=s, actor=ws.actor, dry_run=True, today=TODAY)
    data_rows = r.imported + r.updated + r.skipped_duplicates + r.rejected
    assert r.rows_total == data_rows == 1
    assert (r.skipped_blank, r.skipped_layout) == (4, 2)  # 3 numbered + 1 empty; 合计, 说明
    assert r.header_row + r.rows_total + r.skipped_blank + r.skipped_layout == 4 + 7
    assert "空行 4 行" in r.summary_text()


# --- births of month precision ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "agrees", "differs"),
    [
        (datetime(1948, 6, 1), True, True),  # Excel's 1948.6, the ID says the 12th
        ("1948.6", True, False),
        ("1948年6月", True, False),
        ("1948", True, False),
        (1948, True, False),
        (datetime(1948, 6, 12), True, False),
        (datetime(1948, 7, 1), False, True),
        ("1948.7", False, False),
        (datetime(1948, 6, 11), False, True),
        ("1949", False, False),
    ],
)
def test_a_birth_agrees_with_the_id_to_its_precision(written, agrees: bool, differs: bool) -> None:
    value = norm.birth_value(written, today=TODAY)
    assert value.agrees_with(date(1948, 6, 12)) is agrees
    if agrees:
        assert value.differs_from(date(1948, 6, 12)) is differs


@pytest.mark.parametrize(("age", "agrees"), [(78, True), ("76岁", True), (80, True), (75, False)])
def test_an_age_lags_the_id_by_at_most_two_years(age, agrees: bool) -> None:
    assert norm.age_value(age, today=TODAY).agrees_with(date(1948, 6, 12)) is agrees


def test_two_rows_of_one_person_that_disagree_reimport_as_a_no_op(ws, tmp_path: Path) -> None:
    """The first row naming a person sets their profile; a later row only fills gaps — also
    for a person the same file created (a second import used to flip the profile back)."""
    rows = [
        [1, "张德明", "男", 78, "", "3组", "有", "独居", "自理", "低保"],
        [2, "张德明", "男", 78, "", "3组", "有", "双居", "失能", "低保"],
    ]
    path = ledgers.attachment2(tmp_path / "x.xlsx", rows)
    for expected in ((2, 1, 0, 1, 0), (2, 0, 0, 2, 0)):
        with ws.transaction() as s:
            r = import_ledger(path, session=s, actor=ws.actor, dry_run=False, today=TODAY)
        assert (r.rows_total, r.imported, r.updated, r.skipped_duplicates, r.rejected) == expected
