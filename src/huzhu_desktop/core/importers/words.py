"""The words clerks actually type, mapped to the register's vocabulary — in one table.

Each vocabulary column of a 台账 (and the visit sheets) accepts the stored word itself and the
variants found in village sheets: 独居老人/一人居住 → 独居, 老两口/与老伴同住 → 双居, 健康/能自理 →
自理, 五保户/特困户 → 分散特困, 二级残疾 → 残疾 with the grade kept, 退役军人 → 优抚 … Lookup is
after `clean()` with spaces removed. A word that is not in the table is refused with the accepted
words listed; nothing is guessed.
"""

from __future__ import annotations

import re

from huzhu_desktop.core import vocab


def _table(groups: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """{stored word: (variants…)} → {variant: stored word}; the stored word maps to itself."""
    out: dict[str, str] = {}
    for stored, variants in groups.items():
        for word in (stored, *variants):
            assert word not in out or out[word] == stored, word
            out[word] = stored
    return out


LIVING = _table(
    {
        "独居": (
            "独居老人",
            "独住",
            "一人居住",
            "单独居住",
            "独自居住",
            "独自生活",
            "一个人住",
            "一人独居",
            "单人居住",
            "孤寡独居",
            "独身",
        ),
        "双居": (
            "老两口",
            "与老伴同住",
            "和老伴住",
            "与老伴居住",
            "与配偶同住",
            "夫妻同住",
            "夫妻双居",
            "夫妻居住",
            "夫妻二人",
            "夫妻俩",
            "两人居住",
            "两老同住",
        ),
        "与子女同住": (
            "与子女同居",
            "与子女居住",
            "子女同住",
            "和子女住",
            "跟子女住",
            "随子女居住",
            "随子女",
            "与儿女同住",
            "与儿子同住",
            "与女儿同住",
        ),
        "与亲属同住": (
            "与亲戚同住",
            "与亲友同住",
            "与孙子女同住",
            "与孙辈同住",
            "与兄弟姐妹同住",
        ),
        "其他": (),
    }
)

HEALTH = _table(
    {
        "自理": (
            "能自理",
            "生活自理",
            "生活能自理",
            "基本自理",
            "完全自理",
            "健康",
            "身体健康",
            "良好",
            "较好",
        ),
        "半失能": (
            "部分失能",
            "半自理",
            "部分自理",
            "轻度失能",
            "中度失能",
            "生活半自理",
        ),
        "失能": (
            "完全失能",
            "全失能",
            "重度失能",
            "不能自理",
            "生活不能自理",
            "完全不能自理",
            "卧床",
            "长期卧床",
            "瘫痪",
            "瘫痪在床",
        ),
    }
)

ELDER_TYPES = _table(
    {
        "低保": ("低保户", "低保对象", "低保老人", "农村低保", "城乡低保", "低保人员"),
        "分散特困": (
            "特困",
            "特困户",
            "特困人员",
            "特困老人",
            "特困供养",
            "分散供养",
            "分散供养特困",
            "分散特困供养",
            "五保",
            "五保户",
            "五保老人",
        ),
        "失独": ("失独老人", "失独家庭", "失独父母"),
        "残疾": ("残疾人", "残疾老人", "持证残疾", "持证残疾人", "重残", "重度残疾"),
        "优抚": (
            "优抚对象",
            "优抚老人",
            "退役军人",
            "退伍军人",
            "复员军人",
            "伤残军人",
            "军属",
            "烈属",
        ),
        "其他": ("一般", "普通", "无", "一般老人", "普通老人"),
    }
)

ELDER_TAGS = _table(
    {
        "空巢": ("空巢老人",),
        "留守": ("留守老人",),
        "计划生育特殊家庭": ("计生特殊家庭", "计生特扶", "计划生育特扶"),
    }
)
# Said by other columns (居住情况, age), so not an elder type: accepted and ignored there.
DERIVED = frozenset({"高龄", "高龄老人", "80岁以上", "独居", "独居老人"})

HELPER_ROLES = _table(
    {
        "志愿者": ("互助员", "党员志愿者", "志愿服务者", "青年志愿者", "低龄老人"),
        "互助养老小组长": ("小组长", "组长", "互助小组长", "互助组长", "互助养老组长"),
        "养老助理": ("养老服务助理", "助理"),
        "养老专干": ("专干", "养老服务专干"),
        "社工": ("社会工作者", "社工人员", "专业社工"),
    }
)
# The card and some sheets call a 志愿者 互助员 (seed 003); both are the same role here.

PAIRING_KINDS = _table(
    {
        vocab.ONE_TO_ONE: ("1对1", "一帮一", "1帮1", "一对一结对", "一对一帮扶"),
        vocab.AREA_GROUP: ("划片", "网格化", "网格", "片区", "划片帮扶", "网格化帮扶"),
    }
)

VISIT_KINDS = _table(
    {
        "敲敲门": ("敲门", "问候", "上门问候"),
        "谈谈心": ("谈心", "聊天", "陪聊", "谈心谈话", "电话谈心"),
        "帮帮忙": ("帮忙", "帮办"),
        "入户探访": ("入户", "探访", "探望", "看望", "走访", "入户走访", "上门探访", "探视"),
    }
)

_GRADE_DIGITS = {"1": "一级", "2": "二级", "3": "三级", "4": "四级"}
_GRADE_CHARS = {"一": "一级", "二": "二级", "三": "三级", "四": "四级", "壹": "一级", "贰": "二级"}
_GRADE = r"([一二三四壹贰1-4])级"
_DISABILITY_KINDS = "肢体|视力|听力|言语|智力|精神|多重"
# 二级残疾, 残疾二级, 残疾(二级), 肢体二级, 肢体残疾二级, 视力残疾1级 …
_DISABILITY_RE = re.compile(
    rf"(?:(?:{_DISABILITY_KINDS})?残疾(?:人)?\(?{_GRADE}\)?"
    rf"|{_GRADE}(?:{_DISABILITY_KINDS})?残疾(?:人)?"
    rf"|(?:{_DISABILITY_KINDS}){_GRADE}(?:残疾)?)"
)


def grade_word(digit: str) -> str:
    return _GRADE_DIGITS.get(digit) or _GRADE_CHARS[digit]


def disability_in(word: str) -> str | None:
    """'二级残疾' → '二级'; None when the word names no graded disability."""
    m = _DISABILITY_RE.fullmatch(word)
    if not m:
        return None
    digit = next(g for g in m.groups() if g)
    return grade_word(digit)


def disability_grade(word: str) -> str | None:
    """A 残疾等级 cell: 一级, 1级, 1, 二, 残疾二级, 肢体二级 …"""
    if word in vocab.DISABILITY_GRADES:
        return word
    m = re.fullmatch(r"([一二三四壹贰1-4])级?", word)
    if m:
        return grade_word(m[1])
    return disability_in(word)
