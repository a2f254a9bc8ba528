"""Cell values → the register's vocabulary. Each function returns a clean value or raises
FieldError with a Chinese message; nothing is guessed (an unknown word is an error)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from huzhu_desktop.core import vocab
from huzhu_desktop.core.importers import words
from huzhu_desktop.core.validate import FieldError, clean, parse_date, parse_id_number

EXCEL_EPOCH = date(1899, 12, 30)

LIVING_SYNONYMS = words.LIVING
HEALTH_SYNONYMS = words.HEALTH
ROLE_SYNONYMS = words.HELPER_ROLES
KIND_SYNONYMS = words.PAIRING_KINDS


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


@dataclass(frozen=True)
class BirthValue:
    """A birth as a sheet wrote it, to the precision it was written in.

    `day` is set when a whole date was given (a date cell, 1948-03-05); `month` when a month was
    (1948.6, 1948年6月); `from_age` when an age was (78岁: the year is this year minus the age).
    A date cell on the 1st may be a month typed as 1948.6, which Excel stores as 1948-06-01.
    """

    year: int
    month: int | None = None
    day: date | None = None
    from_age: bool = False
    written: str = ""

    def agrees_with(self, real: date) -> bool:
        """Does the ID's birth date agree to this value's precision? (An age may lag by up to
        STALE_AGE_YEARS: an old sheet's 年龄 was right when it was filled in.)"""
        if self.from_age:
            return abs(self.year - real.year) <= STALE_AGE_YEARS
        if self.day is not None:
            return self.day == real or (
                self.day.day == 1 and (self.day.year, self.day.month) == (real.year, real.month)
            )
        if self.month is not None:
            return (self.year, self.month) == (real.year, real.month)
        return self.year == real.year

    def differs_from(self, real: date) -> bool:
        """Agrees, yet says something else (age off by a year, the 1st for the 12th)."""
        if self.from_age:
            return self.year != real.year
        return self.day is not None and self.day != real

    def as_text(self) -> str:
        """The value for the register when no ID says better: a date or a year."""
        return self.day.isoformat() if self.day else str(self.year)


STALE_AGE_YEARS = 2  # 年龄 in an old sheet lags behind the ID's birth year by this much at most


def birth_value(value: object, *, today: date) -> BirthValue:
    """A birth from a date cell, a date serial, a year, or text (1948-03-05, 1948.3.5,
    1948年3月, 1948.6, 19480305)."""
    written = text(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        d = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1880 <= value <= today.year:
            return BirthValue(int(value), written=written)  # 1948 or 1948.6 typed as a number
        if 2 <= value <= 80_000:
            d = excel_serial(value)
        else:
            raise FieldError(f"出生日期“{written}”看不懂")
    else:
        s = written.replace(" ", "")
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
            return BirthValue(year, int(m[2]) if m[2] else None, written=s)
    if d > today or d.year < today.year - 120:
        raise FieldError(f"出生日期{d.isoformat()}不合理")
    return BirthValue(d.year, d.month, d, written=d.isoformat())


def birth(value: object, *, today: date) -> tuple[date | None, int]:
    """Birth date (if the day is known) and year, from a date cell, a serial or text."""
    b = birth_value(value, today=today)
    return b.day, b.year


def age_value(value: object, *, today: date) -> BirthValue:
    """What a 年龄 column holds: 78, '78岁' (age at the day of import), or — as many sheets
    do — a birth date or year typed into it (1948.3.5, 1948年3月, a date cell, a date serial)."""
    s = text(value).replace(" ", "")
    m = re.fullmatch(r"(\d{1,3})(岁|周岁)?", s)
    if m and 0 < int(m[1]) <= 120:
        return BirthValue(today.year - int(m[1]), from_age=True, written=f"{int(m[1])}岁")
    try:
        return birth_value(value, today=today)
    except FieldError:
        raise FieldError(f"年龄“{s}”看不懂，应为年龄（如 78 或 78岁）或出生日期") from None


def day(value: object, *, today: date) -> date:
    """A date of record (登记日期): a date cell, a serial, or text as validate.parse_date reads."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and 30_000 <= value <= 80_000
    ):
        return excel_serial(value)
    return parse_date(text(value), today=today)


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


@dataclass
class ElderTypes:
    """What a 老人类型 cell says: types, 001's tags, a disability grade it named, a note."""

    types: list[str]
    tags: list[str]
    grade: str = ""
    note: str = ""


def elder_types(value: object) -> ElderTypes:
    """'低保、二级残疾、空巢' → types [低保, 残疾], grade 二级, tags [空巢]. Unknown words are an
    error naming them and the accepted words."""
    found = ElderTypes([], [])
    unknown = []
    for word in _words(value):
        grade = words.disability_in(word)
        if grade:
            found.grade = found.grade or grade
            word = "残疾"
        if word in words.ELDER_TYPES:
            t = words.ELDER_TYPES[word]
            if t not in found.types:
                found.types.append(t)
            if word in ("重残", "重度残疾") and not found.grade:
                found.note = f"原表写“{word}”，请补充残疾等级"
        elif word in words.ELDER_TAGS:
            found.tags.append(words.ELDER_TAGS[word])
        elif word not in words.DERIVED:
            unknown.append(word)
    if unknown:
        raise FieldError(
            f"老人类型“{'、'.join(unknown)}”不认识，应为{'、'.join(vocab.ELDER_TYPES)}之一或几种"
            f"（也可写{'、'.join(vocab.ELDER_TAGS)}）"
        )
    if not found.types:
        found.types = ["其他"]
    if len(found.types) > 1 and "其他" in found.types:
        found.types.remove("其他")
    return found


def disability_grade(value: object) -> str:
    s = text(value).replace(" ", "")
    grade = words.disability_grade(s)
    if grade is None:
        raise FieldError(f"残疾等级“{s}”不认识，应为{'、'.join(vocab.DISABILITY_GRADES)}")
    return grade


def one_of(value: object, synonyms: dict[str, str], label: str, allowed: tuple[str, ...]) -> str:
    s = text(value).replace(" ", "")
    if s in synonyms:
        return synonyms[s]
    raise FieldError(f"{label}“{s}”不认识，应为{'、'.join(allowed)}")


_CHILD = "(?:子女|儿女|孩子|儿子|女儿|子|儿|女)"
_COUNT = "(?:[1-9]\\d?|[一二两三四五六七八九十])"
_NO_CHILDREN = re.compile("(?:无|没有|否|0)(?:个|人|名)?(?:子女|儿女|孩子|子无女|儿无女|后)?")
_SOME_CHILDREN = re.compile(
    f"(?:有|是)|有.*|(?:{_COUNT}[个人名]?{_CHILD}?)+|(?:{_CHILD}{_COUNT}[个人名]?)+"
)


def has_children(value: object) -> str:
    """有 / 无 from 有、有子女、有（2个）、1子1女、两个儿子、儿子2个、无、无子女、没有、0 …"""
    s = text(value).replace(" ", "")
    if _NO_CHILDREN.fullmatch(s):
        return "无"
    if _SOME_CHILDREN.fullmatch(s) and "无" not in s:
        return "有"
    raise FieldError(f"子女情况“{s}”不认识，应为“有”或“无”（也可写“有2个”“无子女”）")
