"""Find one person of the village from what someone wrote: a full name, pinyin initials or
pinyin (zdm, zhangdeming), a phone or ID tail — never a guess.

A name that fits several people is *ambiguous*; a Chinese name that fits nobody exactly is
*unknown*, with the people it may have meant (same pinyin — 张得明 for 张德明 typed on a phone —
or the same surname and initials) offered as candidates for the clerk to choose from. The batch
grid, the visit importer and the CLI all use this one rule.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from huzhu_desktop.core.pinyin import name_pinyin
from huzhu_desktop.core.services.search import SearchIndex
from huzhu_desktop.core.validate import clean

MAX_CANDIDATES = 8
_ASCII_KEY = re.compile(r"[a-z]+|\d{3,}x?")


class Person(Protocol):
    id: str
    name: str
    gender: str
    age: int | None
    group: str
    initials: str
    pinyin: str
    phone: str
    id_number: str | None
    address: str


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    group: str
    age: int | None
    gender: str

    def label(self) -> str:
        """张德明（3组，78岁，男） — enough to tell two people of one name apart."""
        bits = [b for b in (self.group, f"{self.age}岁" if self.age else "", self.gender) if b]
        return f"{self.name}（{'，'.join(bits)}）" if bits else self.name


@dataclass
class NameMatch:
    """What one written name resolved to."""

    text: str
    person_id: str | None = None
    name: str = ""
    candidates: list[Candidate] = field(default_factory=list)
    problem: str = ""  # "" | "empty" | "unknown" | "ambiguous"

    @property
    def found(self) -> bool:
        return self.person_id is not None

    def message(self, label: str) -> str:
        if self.problem == "empty":
            return f"请填{label}"
        names = "、".join(c.label() for c in self.candidates)
        if self.problem == "ambiguous":
            return f"“{self.text}”对应{len(self.candidates)}位{label}：{names}，请选定一位"
        if self.candidates:
            return f"在册{label}中没有“{self.text}”，是不是：{names}？请选定或改正"
        return f"在册{label}中没有“{self.text}”"


def _candidate(p: Person) -> Candidate:
    return Candidate(p.id, p.name, p.group, p.age, p.gender)


class PeopleDirectory:
    """The village's people of one kind (elders or helpers) to look names up in."""

    def __init__(self, people: Sequence[Person]) -> None:
        self.people = list(people)
        self.by_id = {p.id: p for p in self.people}
        self.by_name: dict[str, list[Person]] = defaultdict(list)
        self.by_pinyin: dict[str, list[Person]] = defaultdict(list)
        for p in self.people:
            self.by_name[p.name].append(p)
            self.by_pinyin[p.pinyin].append(p)
        self._index: SearchIndex | None = None

    @property
    def index(self) -> SearchIndex:
        if self._index is None:  # built on the first key lookup only
            self._index = SearchIndex(self.people)
        return self._index

    def names_longest_first(self) -> list[str]:
        return sorted(self.by_name, key=len, reverse=True)

    def resolve(self, text: str) -> NameMatch:
        written = clean(text).replace(" ", "")
        if not written:
            return NameMatch(written, problem="empty")
        exact = self.by_name.get(written, [])
        if len(exact) == 1:
            return NameMatch(written, exact[0].id, exact[0].name)
        if exact:
            return NameMatch(
                written, candidates=[_candidate(p) for p in exact], problem="ambiguous"
            )
        if _ASCII_KEY.fullmatch(written.lower()):  # initials, pinyin, phone or ID tail: a key
            hits = [self.people[i] for i in self.index.search(written)]
            if len(hits) == 1:
                return NameMatch(written, hits[0].id, hits[0].name)
            problem = "ambiguous" if hits else "unknown"
            return NameMatch(
                written, candidates=[_candidate(p) for p in hits[:20]], problem=problem
            )
        return NameMatch(written, candidates=self.near(written), problem="unknown")

    def near(self, written: str) -> list[Candidate]:
        """People the writer may have meant: same pinyin, else same surname and initials."""
        initials, full = name_pinyin(written)
        found = list(self.by_pinyin.get(full, []))
        if not found and initials:
            found = [
                p
                for p in self.people
                if p.initials == initials
                and p.name[:1] == written[:1]
                and len(p.name) == len(written)
            ]
        return [_candidate(p) for p in found[:MAX_CANDIDATES]]

    def choose(self, person_id: str, text: str = "") -> NameMatch:
        """The clerk picked a candidate."""
        p = self.by_id[person_id]
        return NameMatch(text or p.name, p.id, p.name)
