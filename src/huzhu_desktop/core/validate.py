"""Validation and normalisation of what clerks type: 身份证, phones, names, dates, org codes.

Every function takes raw text (possibly with full-width digits or stray spaces) and returns the
normalised value, or raises `FieldError` with a Chinese message naming what is wrong.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from operator import mul

from huzhu_desktop.core import clock

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"


class FieldError(ValueError):
    """One field's value is wrong; the message is Chinese and shown next to the field."""


_ODD_SPACE = re.compile(r"\s{2,}|[^\S ]")
# What copying from WeChat, a web page or another sheet leaves in a cell and nobody can see:
# zero-width spaces and joiners, word joiner, BOM, soft hyphen, direction marks and embeddings,
# and control characters (tabs and line breaks are whitespace and fold into one space instead).
_INVISIBLE = re.compile(
    "[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e\u202a-\u202e\u2066-\u2069"
    "\x00-\x08\x0b\x0e-\x1f\x7f-\x84\x86-\x9f]"
)


def plain_text(value: object, limit: int = 100) -> bool:
    """Text fit to show as a name: a string of at most `limit` characters with no control,
    format (bidi overrides, zero-width) or private-use characters, which could make it read
    differently on screen than it is stored."""
    return (
        isinstance(value, str)
        and len(value) <= limit
        and not any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") for ch in value)
    )


def clean(text: object) -> str:
    """NFKC-normalise (full-width digits and letters become ASCII), drop invisible characters,
    trim, fold inner spaces and line breaks into one space."""
    if text is None:
        return ""
    if isinstance(text, str) and len(text) <= 40:
        return _clean_short(text)  # sheets repeat the same short words: 男, 独居, 3组 …
    return _clean(text if isinstance(text, str) else str(text))


@lru_cache(maxsize=65536)
def _clean_short(s: str) -> str:
    return _clean(s)


def _clean(s: str) -> str:
    if _INVISIBLE.search(s):
        s = _INVISIBLE.sub("", s)
    if not unicodedata.is_normalized("NFKC", s):
        s = unicodedata.normalize("NFKC", s)  # also turns U+3000 and U+00A0 into spaces
    if _ODD_SPACE.search(s):
        s = re.sub(r"\s+", " ", s)
    return s.strip()


# --- 身份证 (GB 11643-1999) -------------------------------------------------------------------


@dataclass(frozen=True)
class IdInfo:
    """What an ID number tells: the stored number, birth date and gender."""

    number: str
    birth_date: date
    gender: str  # 男 / 女


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    if len(first17) != 17:
        raise ValueError("17 digits expected")
    total = sum(map(mul, map(int, first17), ID_WEIGHTS))
    return ID_CHECK_CHARS[total % 11]


def parse_id_number(raw: object, *, today: date | None = None) -> IdInfo:
    """Check an 18-digit 身份证 (with check digit) or an old 15-digit one."""
    s = clean(raw).replace(" ", "").upper()
    if not s:
        raise FieldError("身份证号码为空")
    if re.fullmatch(r"\d+(\.\d+)?E\+?\d+", s):
        raise FieldError("身份证号码被表格软件变成了科学计数法，后几位已丢失，请按原件重新录入")
    if len(s) == 18:
        if not re.fullmatch(r"\d{17}[\dX]", s):
            raise FieldError("18位身份证号码只能是数字，最后一位可以是X")
        birth_text, seq = s[6:14], s[14:17]
        expected = id_check_char(s[:17])
        if s[17] != expected:
            raise FieldError("身份证号码校验位不对，请逐位核对（常见错误：抄错一位或两位颠倒）")
    elif len(s) == 15:
        if not s.isdigit():
            raise FieldError("15位身份证号码只能是数字")
        birth_text, seq = "19" + s[6:12], s[12:15]
    else:
        raise FieldError(f"身份证号码应为18位（或旧的15位），现在是{len(s)}位")
    try:
        birth = date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:8]))
    except ValueError:
        raise FieldError("身份证号码中的出生日期不存在，请核对") from None
    today = today or clock.today()
    if birth > today or birth.year < 1880:
        raise FieldError("身份证号码中的出生日期不合理，请核对")
    gender = "男" if int(seq[-1]) % 2 == 1 else "女"
    return IdInfo(s, birth, gender)


def mask_id(number: str) -> str:
    """Never show an ID in full: 500112********123X."""
    if len(number) < 8:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


# --- phones ----------------------------------------------------------------------------------


def mask_phone(phone: str) -> str:
    """A phone as lists show it: enough to tell two people apart, not enough to call —
    13812345678 → 138****5678, 023-67800001 → 023-****0001."""
    if not phone:
        return ""
    if "-" in phone:  # a landline: keep the area code
        area, _, number = phone.partition("-")
        return f"{area}-{mask_phone(number) if len(number) > 4 else '*' * len(number)}"
    if len(phone) <= 4:
        return "*" * len(phone)
    keep = 3 if len(phone) >= 9 else 0
    return phone[:keep] + "*" * (len(phone) - keep - 4) + phone[-4:]


def normalize_phone(raw: object) -> str:
    """Mobile (11 digits starting 1) or landline with area code → `13812345678` / `023-67891234`."""
    s = clean(raw)
    if not s:
        return ""
    compact = re.sub(r"[\s\-—－()（）]", "", s)
    if compact.startswith("+86"):
        compact = compact[3:]
    elif compact.startswith("0086"):
        compact = compact[4:]
    if not compact.isdigit():
        raise FieldError("电话号码只能包含数字（固定电话可写成 023-12345678）")
    if compact.startswith("1"):
        if re.fullmatch(r"1[3-9]\d{9}", compact):
            return compact
        raise FieldError(f"手机号码应为11位，以13～19开头，现在是{len(compact)}位")
    if compact.startswith("0"):
        # Area codes: 010, 02x (3 digits incl. 0) or 0xxx (4 digits); local number 7–8 digits.
        area_len = 3 if compact[1] in "12" else 4
        area, local = compact[:area_len], compact[area_len:]
        if re.fullmatch(r"[2-9]\d{6,7}", local):
            return f"{area}-{local}"
        raise FieldError("固定电话号码位数不对：区号后应为7～8位号码")
    if re.fullmatch(r"[2-9]\d{6,7}", compact):
        raise FieldError("固定电话请加上区号，例如 023-12345678")
    raise FieldError("电话号码格式不对：手机号11位，固定电话要带区号")


# --- names, gender, dates -----------------------------------------------------------------------

_NAME_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z·]+( [A-Za-z]+)*")


def normalize_name(raw: object) -> str:
    s = clean(raw)
    if not s:
        raise FieldError("姓名不能为空")
    for dot in (".", "•", "・", "‧", "．"):
        s = s.replace(dot, "·")
    if re.search(r"[\u3400-\u9fff]", s):
        s = s.replace(" ", "")  # "张  三" padded to line up in a sheet is 张三
    if len(s) > 30:
        raise FieldError("姓名太长（最多30个字）")
    if not _NAME_RE.fullmatch(s):
        raise FieldError("姓名只能包含汉字、字母或间隔号“·”")
    if len(s) < 2 and not s.isascii():
        raise FieldError("姓名至少两个字")
    return s


def normalize_gender(raw: object) -> str:
    s = clean(raw).lower()
    if s in ("男", "m", "male", "男性", "1"):
        return "男"
    if s in ("女", "f", "female", "女性", "2", "0"):
        return "女"
    if not s:
        raise FieldError("请选择性别")
    raise FieldError(f"性别只能是“男”或“女”，不认识“{clean(raw)}”")


_DATE_RES = (
    re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


def parse_date(raw: object, *, allow_future: bool = False, today: date | None = None) -> date:
    """2026-09-30, 2026/9/30, 2026.9.30, 2026年9月30日, 20260930."""
    if isinstance(raw, date):
        d = raw
    else:
        s = clean(raw).replace(" ", "")
        if not s:
            raise FieldError("日期为空")
        for rx in _DATE_RES:
            m = rx.fullmatch(s)
            if m:
                try:
                    d = date(int(m[1]), int(m[2]), int(m[3]))
                except ValueError:
                    raise FieldError(f"日期“{s}”不存在，请核对") from None
                break
        else:
            raise FieldError(f"日期“{s}”看不懂，请写成 2026-09-30 这样")
    today = today or clock.today()
    if not allow_future and d > today:
        raise FieldError("日期不能晚于今天")
    if d.year < 1880:
        raise FieldError("日期太早，请核对")
    return d


PLAUSIBLE_FROM = date(2000, 1, 1)


def implausible_date_warning(d: date) -> str:
    """A date before 2000 is allowed (old paper records typed in late) but worth a second look:
    1926 for 2026 is an easy slip."""
    if d < PLAUSIBLE_FROM:
        return f"日期是{d.year}年，早于2000年，请确认没有写错（补录的旧纸质记录可以保存）"
    return ""


def age_on(birth: date | None, birth_year: int | None, on: date) -> int | None:
    """Age in whole years on a day; from the year alone when the day is unknown."""
    if birth is not None:
        return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    if birth_year is not None:
        return on.year - birth_year
    return None


# --- 统计用区划代码 ------------------------------------------------------------------------------

LEVEL_DIGITS = {"district": 6, "town": 9, "village": 12}


def normalize_org_code(raw: object, level: str) -> str:
    """Pad a 6/9/12-digit 统计用区划代码 to 12 digits and check it fits the level.

    渝北区 500112 → 500112000000; 茨竹镇 500112108 → 500112108000; a village keeps its 12 digits.
    """
    s = clean(raw).replace(" ", "")
    if not s.isdigit():
        raise FieldError("统计用区划代码只能是数字")
    significant = LEVEL_DIGITS[level]
    label = {"district": "区县", "town": "乡镇", "village": "村"}[level]
    if len(s) not in (significant, 12):
        allowed = "12位" if significant == 12 else f"{significant}位或12位"
        raise FieldError(f"{label}的统计用区划代码应为{allowed}，现在是{len(s)}位")
    code = s.ljust(12, "0")
    if code[significant:] != "0" * (12 - significant):
        raise FieldError(f"这不是{label}的代码：{label}代码第{significant + 1}位以后应全为0")
    if code[significant - 3 : significant] == "000":
        raise FieldError(f"这不是{label}的代码（末三位全为0是上级单位的代码），请核对")
    return code


def parent_code_of(code: str, level: str) -> str | None:
    """The town of a village, the district of a town; None for a district."""
    if level == "village":
        return code[:9] + "000"
    if level == "town":
        return code[:6] + "000000"
    return None
