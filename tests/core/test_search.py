"""Search-as-you-type: names, pinyin initials (heteronym surnames too), phone and ID tails, 组."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from huzhu_desktop.core.pinyin import name_pinyin
from huzhu_desktop.core.services import register
from huzhu_desktop.core.services.search import SearchIndex, _keys, matches, normalize_query


@dataclass
class Row:
    name: str
    phone: str = ""
    id_number: str | None = None
    group: str = ""
    address: str = ""

    def __post_init__(self) -> None:
        self.initials, self.pinyin = name_pinyin(self.name)


ROWS = [
    Row("张三丰", "13812345678", "500112194803051237", "3组"),
    Row("单雄信", "023-67891234", None, "1组"),
    Row("曾国藩", "", "50011219500101002X", "2组", "2组大湾5号"),
    Row("解缙", group="10组"),
    Row("乐嘉"),
    Row("区志强"),
    Row("王小明", "13900001111"),
    Row("周三"),
]


def names(index: SearchIndex, q: str) -> list[str]:
    return [ROWS[i].name for i in index.search(q)]


def test_heteronym_surnames_read_as_surnames() -> None:
    assert name_pinyin("单雄信")[0] == "sxx"
    assert name_pinyin("曾国藩")[0] == "zgf"
    assert name_pinyin("解缙")[0] == "xj"
    assert name_pinyin("乐嘉")[0] == "yj"
    assert name_pinyin("区志强")[0] == "ozq"


def test_find_by_initials_full_pinyin_and_characters() -> None:
    index = SearchIndex(ROWS)
    assert names(index, "zsf") == ["张三丰"]
    assert names(index, "sxx") == ["单雄信"]
    assert names(index, "zgf") == ["曾国藩"]
    assert names(index, "xj") == ["解缙"]
    assert names(index, "ZHANGSAN") == ["张三丰"]
    assert names(index, "三") == ["张三丰", "周三"]
    assert names(index, "ｚｓｆ") == ["张三丰"]


def test_find_by_phone_tail_id_tail_and_group() -> None:
    index = SearchIndex(ROWS)
    assert names(index, "5678") == ["张三丰"]
    assert names(index, "1234") == ["单雄信"]
    assert names(index, "002x") == ["曾国藩"]
    assert names(index, "10组") == ["解缙"]
    assert names(index, "大湾") == ["曾国藩"]
    assert names(index, "z 3组") == ["张三丰"]
    assert names(index, "") == [r.name for r in ROWS]


QUERY = st.text(alphabet="zsfgxjy0123456789三组丰湾 x", max_size=6)


PREPARED = SearchIndex(ROWS, prepare=True)  # one index for every example: its cache fills up


@settings(max_examples=400, deadline=None)
@given(QUERY)
def test_the_fast_index_agrees_with_the_plain_definition(query: str) -> None:
    """Literal scans over joined text and the kept hits are optimisations only: they never
    change a result — on a fresh index, or one that has answered every query before."""
    tokens = normalize_query(query)
    expected = [i for i, row in enumerate(ROWS) if all(matches(t, _keys(row)) for t in tokens)]
    assert SearchIndex(ROWS).search(query) == expected
    assert PREPARED.search(query) == expected
    assert PREPARED.search(query) == expected  # asked again: from what it kept


FIELD = st.text(alphabet="zsx01三组 ", max_size=5)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(FIELD, FIELD, FIELD), max_size=6),
    st.text(alphabet="zsx01三", min_size=1, max_size=3),
)
def test_prefixes_and_tails_at_the_first_and_last_row(
    fields: list[tuple[str, str, str]], token: str
) -> None:
    """Rows with empty fields, a match at the very start or end of the joined text, and rows
    that are one token repeated ("zz", "00"): each hit lands on its own row."""
    rows = [Row(name or "王", phone, None, group, "") for name, phone, group in fields]
    index = SearchIndex(rows)
    expected = [i for i, r in enumerate(rows) if matches(token, _keys(r))]
    assert index.search(token) == expected


def test_demo_village_is_searchable(demo_ws) -> None:
    with demo_ws.reading() as s:
        rows = register.list_elders(s)
    index = SearchIndex(rows)
    target = rows[17]
    hits = [rows[i].name for i in index.search(target.initials)]
    assert target.name in hits


def test_a_common_surname_is_ready_before_the_first_keystroke() -> None:
    """At a district "黄" alone finds 16,000 elders: the commonest first characters are worked
    out with the one-key queries, and give what the plain definition gives."""
    given_names = "德明秀英桂兰建国志强小红"
    rows = [Row("黄" + given_names[i % 12] + given_names[(i * 7) % 12], f"1380000{i:04d}")
            for i in range(1_200)]  # fmt: skip
    rows += [Row("王" + given_names[i % 12]) for i in range(30)]  # too few to prepare
    index = SearchIndex(rows, prepare=True)
    assert "黄" in index._hits and "王" not in index._hits
    for query in ("黄", "王", "黄德", "1380000"[-4:] + "0011", "0011"):
        expected = [i for i, r in enumerate(rows) if matches(query, _keys(r))]
        assert index.search(query) == expected, query
