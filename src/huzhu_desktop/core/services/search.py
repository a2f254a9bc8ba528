"""Search-as-you-type over the register: name, pinyin initials, full pinyin, phone tail,
ID tail, 组 and address — all in memory, no database round trip.

Each searchable field of every row is joined into one newline-separated text, so a keystroke is
a handful of C-speed regex scans (`^zs`, `5678$`, `三`) instead of a Python loop over 20,000
rows. `matches()` is the plain definition of a hit; the index must always agree with it.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Sequence
from itertools import repeat
from typing import Protocol


class Searchable(Protocol):
    name: str
    initials: str
    pinyin: str
    phone: str
    id_number: str | None
    group: str
    address: str


_DIGITS = re.compile(r"\d+x?")
_LETTERS = re.compile(r"[a-z]+")


def normalize_query(text: str) -> list[str]:
    s = unicodedata.normalize("NFKC", text).strip().lower()
    return [t for t in s.split() if t]


def _keys(row: Searchable) -> tuple[str, str, str, str, str, str]:
    return (
        row.name.lower(),
        row.initials,
        row.pinyin,
        re.sub(r"\D", "", row.phone),
        (row.id_number or "").lower(),
        (row.group + " " + row.address).lower().replace("\n", " "),
    )


def matches(token: str, keys: tuple[str, str, str, str, str, str]) -> bool:
    """The definition of a hit for one query token."""
    name, initials, pinyin, phone, id_number, place = keys
    if _LETTERS.fullmatch(token):
        return (
            initials.startswith(token)
            or pinyin.startswith(token)
            or (len(token) >= 2 and token in initials)
            or (len(token) >= 3 and token in pinyin)
        )
    if _DIGITS.fullmatch(token):
        return (
            phone.endswith(token)
            or id_number.endswith(token)
            or (len(token) >= 6 and token in phone)
            or token in place
        )
    return token in name or token in place


class _Column:
    """One field of every row as a single text, and for each character the row it belongs to."""

    def __init__(self, values: list[str]) -> None:
        self.text = "\n".join(values)
        self.row_of = array("I")
        for i, v in enumerate(values):
            self.row_of.extend(repeat(i, len(v) + 1))

    def rows(self, pattern: str) -> set[int]:
        row_of = self.row_of
        return {row_of[m.start()] for m in re.finditer(pattern, self.text, re.M)}


class SearchIndex:
    """Precomputed search text for a list of rows; `search(query)` returns row positions."""

    def __init__(self, rows: Sequence[Searchable]) -> None:
        keys = [_keys(r) for r in rows]
        self._count = len(keys)
        self._name, self._initials, self._pinyin, self._phone, self._id, self._place = (
            _Column([k[i] for k in keys]) for i in range(6)
        )

    def __len__(self) -> int:
        return self._count

    def search(self, text: str) -> list[int]:
        hits: set[int] | None = None
        for token in normalize_query(text):
            found = self._token(token)
            hits = found if hits is None else hits & found
            if not hits:
                return []
        return list(range(self._count)) if hits is None else sorted(hits)

    def _token(self, token: str) -> set[int]:
        t = re.escape(token)
        # Patterns never cross a row: tokens hold no spaces or newlines, and `[^\n]*` stays inside.
        if _LETTERS.fullmatch(token):
            found = self._initials.rows(f"^{t}") | self._pinyin.rows(f"^{t}")
            if len(token) >= 2:
                found |= self._initials.rows(t)
            if len(token) >= 3:
                found |= self._pinyin.rows(t)
            return found
        if _DIGITS.fullmatch(token):
            found = self._phone.rows(f"{t}$") | self._id.rows(f"{t}$") | self._place.rows(t)
            if len(token) >= 6:
                found |= self._phone.rows(t)
            return found
        return self._name.rows(t) | self._place.rows(t)
