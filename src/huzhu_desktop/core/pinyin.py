"""Pinyin of personal names for search-as-you-type (张三丰 → zsf / zhangsanfeng).

pypinyin reads several surnames by their everyday reading (单 dan, 曾 ceng, 解 jie, 乐 le,
区 qu …); as surnames they read shan, zeng, xie, yue, ou. A surname table fixes the first
character (and two-character compound surnames) before pypinyin does the given name.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

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


_PARTS = re.compile(r"(\d+)|(\D)")
CollationKey = tuple[tuple[int, int | str, str], ...]


@lru_cache(maxsize=1)
def _reading_table() -> dict[str, str]:
    """Character → toneless common reading, from resources/pinyin_chars.txt (made from pypinyin
    by resources/make_pinyin_table.py): loads in milliseconds, where pypinyin takes 0.25 s."""
    table: dict[str, str] = {}
    path = Path(__file__).resolve().parents[1] / "resources" / "pinyin_chars.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        reading, _, chars = line.partition(" ")
        table.update(dict.fromkeys(chars, reading))
    return table


@cache
def _char_pinyin(ch: str) -> str:
    """One character's pinyin (its common reading), for sorting; others as they are."""
    if ch.isascii():
        return ch.lower()
    found = _reading_table().get(ch)
    if found is not None:
        return found
    from pypinyin import Style, lazy_pinyin  # a character outside the table: rare

    return lazy_pinyin(ch, style=Style.NORMAL, errors="default")[0].lower()


def collation_key(text: str | None) -> CollationKey:
    return _collation_key(text or "")


@lru_cache(maxsize=131072)
def _collation_key(text: str) -> CollationKey:
    """How lists sort Chinese text (列表排序): by pinyin character by character, so every 李 comes
    together before every 刘 (李碧秋 < 李月蓉 < 刘开仁, where whole-word pinyin would interleave
    them); a first character that is a surname with its own reading takes it (曾 zeng, 单 shan);
    characters of one reading keep apart (李 before 黎 only by code point, after the reading);
    numbers inside text in number order (1组 < 2组 < 15组)."""
    surname, _rest = _split_surname(text)
    out: list[tuple[int, int | str, str]] = []
    for i, m in enumerate(_PARTS.finditer(text)):
        digits, ch = m.group(1), m.group(2)
        if digits:
            out.append((0, int(digits), ""))
        else:
            reading = surname[i] if i < len(surname) else _char_pinyin(ch)
            out.append((1, reading, ch))
    return tuple(out)
