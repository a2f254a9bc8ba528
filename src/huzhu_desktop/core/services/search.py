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
    """One field of every row as a single text ("\\n" before and after each value), and for each
    character the row it belongs to. Every search is a literal one — a prefix is "\\n" + token, a
    tail token + "\\n" — because an anchored `^…` regex over 180,000 lines was 4–12 ms a scan
    where a literal is under 1 ms."""

    def __init__(self, values: list[str]) -> None:
        self.text = "\n" + "\n".join(values) + "\n"
        self.row_of = array("I", [0])  # the leading "\n"
        for i, v in enumerate(values):
            self.row_of.extend(repeat(i, len(v) + 1))

    def rows(self, token: str, *, at: str = "") -> set[int]:
        """Rows holding `token` (at="start": beginning with it; at="end": ending with it)."""
        row_of = self.row_of
        if at == "start":
            return {row_of[m.end() - 1] for m in re.finditer(re.escape("\n" + token), self.text)}
        pattern = re.escape(token + "\n" if at == "end" else token)
        return {row_of[m.start()] for m in re.finditer(pattern, self.text)}


# Every search starts with one keystroke, and one letter or digit is the slowest query there is
# (at a district's 180,000 elders "z" hits 21,000 rows, "3" 80,000: 25–35 ms of regex scans).
FIRST_KEYS = "abcdefghijklmnopqrstuvwxyz0123456789"
_CACHED_TOKENS = 256  # tokens whose hits are kept (backspace and retyping cost nothing)


class SearchIndex:
    """Precomputed search text for a list of rows; `search(query)` returns row positions.

    `prepare()` (off the GUI thread) works out the hits of every one-key query ahead; each
    token's hits are kept once found, as compact arrays (4 bytes a row)."""

    def __init__(self, rows: Sequence[Searchable], *, prepare: bool = False) -> None:
        keys = [_keys(r) for r in rows]
        self._count = len(keys)
        self._name, self._initials, self._pinyin, self._phone, self._id, self._place = (
            _Column([k[i] for k in keys]) for i in range(6)
        )
        self._hits: dict[str, array[int]] = {}
        if prepare:
            self.prepare()

    def __len__(self) -> int:
        return self._count

    def prepare(self) -> None:
        for key in FIRST_KEYS:
            self._hits_of(key)

    def search(self, text: str) -> list[int]:
        tokens = normalize_query(text)
        if not tokens:
            return list(range(self._count))
        if len(tokens) == 1:
            return self._hits_of(tokens[0]).tolist()
        hits: set[int] | None = None
        for token in tokens:
            found = self._hits_of(token)
            hits = set(found) if hits is None else hits.intersection(found)
            if not hits:
                return []
        return sorted(hits or ())

    def _hits_of(self, token: str) -> array[int]:
        found = self._hits.get(token)
        if found is None:
            if len(self._hits) >= _CACHED_TOKENS + len(FIRST_KEYS):
                for old in [t for t in self._hits if len(t) > 1]:
                    del self._hits[old]
            found = self._hits[token] = array("I", sorted(self._token(token)))
        return found

    def _token(self, token: str) -> set[int]:
        # Tokens hold no spaces or newlines: a hit never crosses from one row to the next.
        if _LETTERS.fullmatch(token):
            found = self._initials.rows(token, at="start") | self._pinyin.rows(token, at="start")
            if len(token) >= 2:
                found |= self._initials.rows(token)
            if len(token) >= 3:
                found |= self._pinyin.rows(token)
            return found
        if _DIGITS.fullmatch(token):
            found = (
                self._phone.rows(token, at="end")
                | self._id.rows(token, at="end")
                | self._place.rows(token)
            )
            if len(token) >= 6:
                found |= self._phone.rows(token)
            return found
        return self._name.rows(token) | self._place.rows(token)
