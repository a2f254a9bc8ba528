"""Lists in the order a clerk looks for people: every 李 together, 组 by number."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from huzhu_desktop.core.pinyin import collation_key
from huzhu_desktop.core.services import people, register
from huzhu_desktop.core.services.people import PersonForm
from tests.core.test_pairings_visits import ordinary

TODAY = date(2026, 11, 23)


def test_surnames_come_together_and_heteronym_surnames_read_as_surnames() -> None:
    names = ["刘兴财", "李月蓉", "曾玉兰", "刘开仁", "李碧秋", "单永福", "张德明", "黎明", "区小华"]
    assert sorted(names, key=collation_key) == [
        "李碧秋", "李月蓉", "黎明", "刘开仁", "刘兴财", "区小华", "单永福", "曾玉兰", "张德明",
    ]  # fmt: skip


def test_numbers_inside_text_in_number_order() -> None:
    assert sorted(["15组", "1组", "10组", "2组", "", "HZ00100", "HZ00020"], key=collation_key) == [
        "",
        "1组",
        "2组",
        "10组",
        "15组",
        "HZ00020",
        "HZ00100",
    ]
    assert collation_key(None) == collation_key("")


@given(st.lists(st.text(max_size=6), max_size=20))
def test_the_order_is_total_and_stable_for_any_text(texts: list[str]) -> None:
    once = sorted(texts, key=collation_key)
    assert sorted(once, key=collation_key) == once
    assert sorted(texts) == sorted(once)  # nothing lost or invented


def test_the_register_lists_elders_group_by_group_in_chinese_order(ws) -> None:
    for name, group in (("刘兴财", "15组"), ("李月蓉", "1组"), ("刘开仁", "1组"),
                        ("李碧秋", "1组"), ("曾玉兰", "2组")):  # fmt: skip
        with ws.transaction() as s:
            people.save_person(
                PersonForm(name, "男", "1945", group_name=group, registered_on="2025-01-01"),
                ordinary(),
                None,
                session=s,
                actor=ws.actor,
                today=TODAY,
            )
    with ws.reading() as s:
        rows = register.list_elders(s, today=TODAY)
    assert [(r.group, r.name) for r in rows] == [
        ("1组", "李碧秋"),
        ("1组", "李月蓉"),
        ("1组", "刘开仁"),
        ("2组", "曾玉兰"),
        ("15组", "刘兴财"),
    ]


def test_the_reading_table_agrees_with_pypinyin_and_sorting_never_loads_it() -> None:
    import random
    import subprocess
    import sys

    from pypinyin import Style, lazy_pinyin

    from huzhu_desktop.core.pinyin import _reading_table

    table = _reading_table()
    assert len(table) > 20_000
    sample = random.Random(7).sample(sorted(table), 500) + list("李刘张王陈杨赵黄周吴")
    for ch in sample:
        assert table[ch] == lazy_pinyin(ch, style=Style.NORMAL)[0].lower(), ch
    code = (
        "import sys\nfrom huzhu_desktop.core.pinyin import collation_key\n"
        "sorted(['刘开仁', '李月蓉', '15组', '1组'], key=collation_key)\n"
        "print('pypinyin' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
