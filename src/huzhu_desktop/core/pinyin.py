"""Pinyin of personal names for search-as-you-type (张三丰 → zsf / zhangsanfeng).

pypinyin reads several surnames by their everyday reading (单 dan, 曾 ceng, 解 jie, 乐 le,
区 qu …); as surnames they read shan, zeng, xie, yue, ou. A surname table fixes the first
character (and two-character compound surnames) before pypinyin does the given name.
"""

from __future__ import annotations

from functools import lru_cache

# Surname readings that differ from the common reading of the character.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "万俟": ("mo", "qi"),
    "尉迟": ("yu", "chi"),
    "单于": ("chan", "yu"),
    "长孙": ("zhang", "sun"),
    "单": ("shan",),
    "曾": ("zeng",),
    "解": ("xie",),
    "乐": ("yue",),
    "区": ("ou",),
    "仇": ("qiu",),
    "朴": ("piao",),
    "查": ("zha",),
    "盖": ("ge",),
    "覃": ("qin",),
    "缪": ("miao",),
    "召": ("shao",),
    "种": ("chong",),
    "折": ("she",),
    "翟": ("zhai",),
    "秘": ("bi",),
    "员": ("yun",),
    "句": ("gou",),
    "繁": ("po",),
    "华": ("hua",),
    "任": ("ren",),
    "冼": ("xian",),
    "牟": ("mu",),
    "蕃": ("pi",),
    "应": ("ying",),
    "重": ("chong",),
    "都": ("du",),
    "石": ("shi",),
    "宿": ("su",),
    "燕": ("yan",),
    "沈": ("shen",),
    "柏": ("bai",),
    "尉": ("wei",),
    "藏": ("zang",),
    "阚": ("kan",),
    "隗": ("wei",),
    "费": ("fei",),
    "谌": ("chen",),
    "卜": ("bu",),
    "薄": ("bo",),
    "祭": ("zhai",),
    "贲": ("ben",),
    "纪": ("ji",),
    "过": ("guo",),
    "殷": ("yin",),
}


def _split_surname(name: str) -> tuple[tuple[str, ...], str]:
    if name[:2] in SURNAME_READINGS:
        return SURNAME_READINGS[name[:2]], name[2:]
    if name[:1] in SURNAME_READINGS:
        return SURNAME_READINGS[name[:1]], name[1:]
    return (), name


@lru_cache(maxsize=65536)
def name_pinyin(name: str) -> tuple[str, str]:
    """(initials, full pinyin), lower-case ASCII; non-Chinese characters pass through."""
    from pypinyin import Style, lazy_pinyin  # imported on first use: keeps start-up fast

    clean = name.replace("·", "").replace(" ", "")
    if not clean:
        return "", ""
    surname, rest = _split_surname(clean)
    syllables = list(surname) + lazy_pinyin(rest, style=Style.NORMAL, errors="default")
    syllables = [s.lower() for s in syllables if s]
    initials = "".join(s[0] for s in syllables if s[0].isalnum())
    return initials, "".join(syllables)
