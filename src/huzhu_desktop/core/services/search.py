"""Search-as-you-type over the register: name, pinyin initials, full pinyin, phone tail,
ID tail, 组 and address — all in Python over rows already in memory.

Each keystroke narrows the previous result when the query only grew, so typing stays well under
the 20 ms budget on 20,000 elders.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Protocol


class Searchable(Protocol):
    name: str
    initials: str
    pinyin: str
    phone: str
    id_number: str | None
    group: str
    address: str


_DIGITS = re.compile(r"\d+[xX]?")
_LETTERS = re.compile(r"[a-z]+")


def normalize_query(text: str) -> list[str]:
    s = unicodedata.normalize("NFKC", text).strip().lower()
    return [t for t in s.split() if t]


class SearchIndex:
    """Precomputed search keys for a list of rows; `search(query)` returns row positions."""

    def __init__(self, rows: Sequence[Searchable]) -> None:
        self._keys = [
            (
                r.name.lower(),
                r.initials,
                r.pinyin,
                re.sub(r"\D", "", r.phone),
                (r.id_number or "").lower(),
                (r.group + " " + r.address).lower(),
            )
            for r in rows
        ]
        self._last_query: list[str] = []
        self._last_hits: list[int] = list(range(len(self._keys)))

    def __len__(self) -> int:
        return len(self._keys)

    def search(self, text: str) -> list[int]:
        tokens = normalize_query(text)
        if not tokens:
            hits = list(range(len(self._keys)))
        else:
            base = self._last_hits if self._narrows(tokens) else range(len(self._keys))
            keys = self._keys
            hits = [i for i in base if all(_match(t, keys[i]) for t in tokens)]
        self._last_query, self._last_hits = tokens, hits
        return hits

    def _narrows(self, tokens: list[str]) -> bool:
        """True when every hit of the new query is certainly a hit of the previous one."""
        last = self._last_query
        if not last or len(tokens) < len(last):
            return False
        if tokens[: len(last)] == last:
            return True  # same tokens, or more tokens (AND) — only fewer hits
        if len(tokens) != len(last) or tokens[:-1] != last[:-1]:
            return False
        old, new = last[-1], tokens[-1]
        if not new.startswith(old) or _DIGITS.fullmatch(old):
            return False  # a longer tail is not a narrower tail
        if _LETTERS.fullmatch(old):
            return _LETTERS.fullmatch(new) is not None and len(old) >= 3
        return _DIGITS.fullmatch(new) is None and _LETTERS.fullmatch(new) is None


def _match(token: str, key: tuple[str, str, str, str, str, str]) -> bool:
    name, initials, pinyin, phone, id_number, place = key
    if _LETTERS.fullmatch(token):
        return (
            initials.startswith(token)
            or pinyin.startswith(token)
            or (len(token) >= 2 and token in initials)
            or (len(token) >= 3 and token in pinyin)
        )
    if _DIGITS.fullmatch(token):
        if phone.endswith(token) or id_number.endswith(token):
            return True
        return (len(token) >= 6 and token in phone) or token in place
    return token in name or token in place
