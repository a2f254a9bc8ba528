"""Cell values → the register's vocabulary. Each function returns a clean value or raises
FieldError with a Chinese message; nothing is guessed (an unknown word is an error)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from huzhu_desktop.core import vocab
from huzhu_desktop.core.validate import FieldError, clean, parse_id_number

EXCEL_EPOCH = date(1899, 12, 30)

LIVING_SYNONYMS = {
    "独居": "独居",
    "独住": "独居",
    "一人居住": "独居",
    "单独居住": "独居",
    "独自居住": "独居",
    "双居": "双居",
    "夫妻同住": "双居",
    "与配偶同住": "双居",
    "老两口": "双居",
    "夫妻双居": "双居",
    "两人居住": "双居",
    "与子女同住": "与子女同住",
    "与子女同居": "与子女同住",
    "子女同住": "与子女同住",
    "和子女住": "与子女同住",
    "随子女居住": "与子女同住",
    "与儿女同住": "与子女同住",
    "与亲属同住": "与亲属同住",
    "与亲戚同住": "与亲属同住",
    "其他": "其他",
}
HEALTH_SYNONYMS = {
    "自理": "自理",
    "能自理": "自理",
    "生活自理": "自理",
    "生活能自理": "自理",
    "基本自理": "自理",
    "健康": "自理",
    "半失能": "半失能",
    "部分失能": "半失能",
    "半自理": "半失能",
    "部分自理": "半失能",
    "失能": "失能",
    "完全失能": "失能",
    "不能自理": "失能",
    "生活不能自理": "失能",
    "全失能": "失能",
    "卧床": "失能",
}
TYPE_SYNONYMS = {
    "低保": "低保",
    "低保户": "低保",
    "农村低保": "低保",
    "城乡低保": "低保",
    "低保对象": "低保",
    "分散特困": "分散特困",
    "特困": "分散特困",
    "分散供养特困": "分散特困",
    "特困供养": "分散特困",
    "分散供养": "分散特困",
    "特困人员": "分散特困",
    "五保": "分散特困",
    "五保户": "分散特困",
    "失独": "失独",
    "失独老人": "失独",
    "失独家庭": "失独",
    "残疾": "残疾",
    "残疾人": "残疾",
    "重残": "残疾",
    "优抚": "优抚",
    "优抚对象": "优抚",
    "其他": "其他",
    "一般": "其他",
    "普通": "其他",
}
TAG_SYNONYMS = {
    "空巢": "空巢",
    "空巢老人": "空巢",
    "留守": "留守",
    "留守老人": "留守",
    "计划生育特殊家庭": "计划生育特殊家庭",
    "计生特殊家庭": "计划生育特殊家庭",
}
DERIVED_WORDS = {"高龄", "高龄老人", "独居", "独居老人"}  # said by other columns; not types
ROLE_SYNONYMS = {
    "志愿者": "志愿者",
    "互助员": "志愿者",
    "党员志愿者": "志愿者",
    "小组长": "互助养老小组长",
    "互助养老小组长": "互助养老小组长",
    "组长": "互助养老小组长",
    "养老助理": "养老助理",
    "养老专干": "养老专干",
    "社工": "社工",
}
KIND_SYNONYMS = {
    "一对一": "一对一",
    "1对1": "一对一",
    "划片式": "划片式",
    "划片": "划片式",
    "网格化": "划片式",
    "网格": "划片式",
}


def text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(value)


def gender(value: object) -> str:
    s = text(value).lower()
    if s in ("男", "男性", "m", "male", "1"):
        return "男"
    if s in ("女", "女性", "f", "female", "2"):
        return "女"
    raise FieldError(f"性别只能是“男”或“女”，不认识“{text(value)}”")


def excel_serial(n: float) -> date:
    return EXCEL_EPOCH + timedelta(days=int(n))


def birth(value: object, *, today: date) -> tuple[date | None, int]:
    """Birth date (if the day is known) and year, from a date cell, a serial or text."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        d = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1880 <= value <= today.year:
            return None, int(value)
        if 2 <= value <= 80_000:
            d = excel_serial(value)
        else:
            raise FieldError(f"出生日期“{text(value)}”看不懂")
    else:
        s = text(value).replace(" ", "")
        m = re.fullmatch(r"(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?)?", s)
        m8 = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", s)
        m = m or m8
        if not m:
            raise FieldError(f"出生日期“{s}”看不懂，请写成 1948-03-05、1948.3.5 或 1948年3月")
        year = int(m[1])
        if m[2] and m[3]:
            try:
                d = date(year, int(m[2]), int(m[3]))
            except ValueError:
                raise FieldError(f"出生日期“{s}”不存在") from None
        else:
            if m[2] and not 1 <= int(m[2]) <= 12:
                raise FieldError(f"出生日期“{s}”的月份不对")
            if not today.year - 120 <= year <= today.year:
                raise FieldError(f"出生年份{year}不合理")
            return None, year
    if d > today or d.year < today.year - 120:
        raise FieldError(f"出生日期{d.isoformat()}不合理")
    return d, d.year


def age_or_birth(value: object, *, today: date) -> tuple[date | None, int]:
    """What a 年龄 column holds: 78, '78岁' (age at the day of import), or — as many sheets
    do — a birth date or year typed into it (1948.3.5, 1948年3月, a date cell, a date serial)."""
    s = text(value).replace(" ", "")
    m = re.fullmatch(r"(\d{1,3})(岁|周岁)?", s)
    if m and 0 < int(m[1]) <= 120:
        return None, today.year - int(m[1])
    try:
        return birth(value, today=today)
    except FieldError:
        raise FieldError(f"年龄“{s}”看不懂，应为年龄（如 78 或 78岁）或出生日期") from None


def phone_text(value: object) -> str:
    """A phone typed as a number (13812345678.0) or text; validation happens later."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return text(value)


def id_number(value: object, *, today: date) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = len(str(int(value)))
        if (isinstance(value, float) and digits > 15) or digits >= 16:
            raise FieldError(
                "身份证号码被 Excel 存成了数字，后几位已丢失，无法恢复；"
                "请把这一列设为“文本”格式后按原件重新录入"
            )
        value = str(int(value))
    return parse_id_number(value, today=today).number


def _words(value: object) -> list[str]:
    return [w for w in re.split(r"[、,，;；/\s]+|和|及", text(value)) if w]


def elder_types(value: object) -> tuple[list[str], list[str], str | None]:
    """'低保、残疾' → (['低保', '残疾'], tags, note). Unknown words are an error."""
    types: list[str] = []
    tags: list[str] = []
    note = None
    unknown = []
    for word in _words(value):
        if word in TYPE_SYNONYMS:
            t = TYPE_SYNONYMS[word]
            if t not in types:
                types.append(t)
            if word == "重残":
                note = "原表写“重残”，请补充残疾等级"
        elif word in TAG_SYNONYMS:
            tags.append(TAG_SYNONYMS[word])
        elif word not in DERIVED_WORDS:
            unknown.append(word)
    if unknown:
        raise FieldError(
            f"老人类型“{'、'.join(unknown)}”不认识，应为{'、'.join(vocab.ELDER_TYPES)}之一或几种"
        )
    if not types:
        types = ["其他"]
    if len(types) > 1 and "其他" in types:
        types.remove("其他")
    return types, tags, note


def one_of(value: object, synonyms: dict[str, str], label: str, allowed: tuple[str, ...]) -> str:
    s = text(value).replace(" ", "")
    if s in synonyms:
        return synonyms[s]
    raise FieldError(f"{label}“{s}”不认识，应为{'、'.join(allowed)}")


def has_children(value: object) -> str:
    s = text(value).replace(" ", "")
    if re.fullmatch(r"(有|有子女|有儿女|是|有（\d+.*）|有\(\d+.*\)|有\d+[个人名]?.*)", s):
        return "有"
    if s in ("无", "无子女", "没有", "否", "无儿女", "0"):
        return "无"
    m = re.fullmatch(r"(\d+)[个人名]?(子女)?", s)
    if m:
        return "有" if int(m[1]) > 0 else "无"
    raise FieldError(f"子女情况“{s}”不认识，应为“有”或“无”")
