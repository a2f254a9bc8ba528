"""Search-as-you-type over the register: name, pinyin initials, full pinyin, phone tail,
ID tail, 组 and address — all in memory, no database round trip.

"Begins with" (initials, pinyin) and "ends with" (phone and ID tails) are binary searches in
each field's values sorted (reversed, for a tail); "holds" is a string search over the field's
values joined into one text — a keystroke is a few C-speed lookups and scans instead of a
Python loop over every row. `matches()` is the plain definition of a hit; the index must
always agree with it (a property test holds them together).
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left
from collections import Counter
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
    """One field of every row as a single text, values separated by "\n", and for each
    character the row it belongs to: "holds the token somewhere" is one string search over it
    (tokens hold no "\n", so a hit never spans two rows)."""

    def __init__(self, values: list[str]) -> None:
        self.text = "\n" + "\n".join(values) + "\n"
        self.row_of = array("I", [0])  # the leading "\n"
        for i, v in enumerate(values):
            self.row_of.extend(repeat(i, len(v) + 1))

    def rows(self, token: str) -> set[int]:
        """Rows holding `token`. `str.find` in a loop, not `re.finditer`: CPython's string
        search skips ahead where the regex engine tries every position (a scan of a district's
        180,000 phone numbers that finds nothing: 2 ms by regex, a tenth of that by find)."""
        text, row_of, found = self.text, self.row_of, set()
        step = len(token)
        i = text.find(token)
        while i != -1:
            found.add(row_of[i])
            i = text.find(token, i + step)
        return found


class _Sorted:
    """One field of every row in sorted order, for "begins with": a binary search finds the
    run of rows that begin with a token (a scan of the joined text, even with `str.find`, was
    1–2 ms a field at a district's 180,000 rows). "Ends with" is "begins with" on the values
    reversed (phone and ID tails)."""

    def __init__(self, values: list[str], *, reverse: bool = False) -> None:
        keyed = [v[::-1] for v in values] if reverse else values
        order = sorted(range(len(keyed)), key=keyed.__getitem__)
        self.keys = [keyed[i] for i in order]
        self.rows = array("I", order)
        self.reverse = reverse

    def beginning(self, token: str) -> array[int]:
        """Rows whose value begins (reverse: ends) with `token`, a non-empty text."""
        if self.reverse:
            token = token[::-1]
        after = token[:-1] + chr(ord(token[-1]) + 1)  # the first text past every "token…"
        return self.rows[bisect_left(self.keys, token) : bisect_left(self.keys, after)]


# Every search starts with one keystroke, and one letter or digit is the slowest query there is
# (at a district's 180,000 elders "z" hits 21,000 rows, "3" 80,000: 25–35 ms of regex scans).
FIRST_KEYS = "abcdefghijklmnopqrstuvwxyz0123456789"
# A surname typed as its character is the other slow first keystroke ("黄" finds 16,000 of a
# district's elders: 5–9 ms): the commonest first characters of the names are prepared too.
COMMON_SURNAMES, COMMON_MIN = 64, 1000
_CACHED_TOKENS = 256  # tokens whose hits are kept (backspace and retyping cost nothing)


class SearchIndex:
    """Precomputed search text for a list of rows; `search(query)` returns row positions.

    `prepare()` (off the GUI thread) works out the hits of every one-key query ahead (a letter,
    a digit, a common surname); each
    token's hits are kept once found, as compact arrays (4 bytes a row)."""

    def __init__(self, rows: Sequence[Searchable], *, prepare: bool = False) -> None:
        keys = [_keys(r) for r in rows]
        self._count = len(keys)
        names, initials, pinyin, phones, ids, places = ([k[i] for k in keys] for i in range(6))
        del keys
        self._name, self._place = _Column(names), _Column(places)
        self._initials, self._pinyin, self._phone = (
            _Column(initials),
            _Column(pinyin),
            _Column(phones),
        )  # inside a value: initials from 2 letters, pinyin from 3, phone from 6 digits
        self._initials_start, self._pinyin_start = _Sorted(initials), _Sorted(pinyin)
        self._phone_end, self._id_end = _Sorted(phones, reverse=True), _Sorted(ids, reverse=True)
        firsts = Counter(name[:1] for name in names if name)
        self._surnames = [c for c, n in firsts.most_common(COMMON_SURNAMES) if n >= COMMON_MIN]
        self._hits: dict[str, array[int]] = {}
        if prepare:
            self.prepare()

    def __len__(self) -> int:
        return self._count

    def prepare(self) -> None:
        for key in (*FIRST_KEYS, *self._surnames):
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
            found = set(self._initials_start.beginning(token))
            found.update(self._pinyin_start.beginning(token))
            if len(token) >= 2:
                found |= self._initials.rows(token)
            if len(token) >= 3:
                found |= self._pinyin.rows(token)
            return found
        if _DIGITS.fullmatch(token):
            found = self._place.rows(token)
            found.update(self._phone_end.beginning(token))
            found.update(self._id_end.beginning(token))
            if len(token) >= 6:
                found |= self._phone.rows(token)
            return found
        return self._name.rows(token) | self._place.rows(token)
