"""Raw visit rows → visits ready for the batch grid (and the CLI): people found by name within the
village, dates, durations, kinds and services read, duplicates of what is already recorded
marked. Nothing is saved here and nothing is guessed: a name that is unknown or fits several
people stays open with its candidates, for the clerk to choose.

Chat lines look like `3. 王秀英 11.28 看望张德明40分钟 帮买药`: an optional number, the names of
the helper and the elder(s) (found among the village's people), a date (11.28, 11月28日,
2026-11-28, 今天/昨天/前天), a duration (40分钟, 1小时, 半小时, 1小时20分), the kind in the words
people use (看望 → 入户探访, 谈心 → 谈谈心), services (买药 → 代办 …); the rest is the note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from huzhu_desktop.core import vocab
from huzhu_desktop.core.importers import words
from huzhu_desktop.core.importers.normalize import excel_serial
from huzhu_desktop.core.importers.visit_source import RawVisit
from huzhu_desktop.core.services.people_directory import NameMatch, PeopleDirectory
from huzhu_desktop.core.services.visits import VisitForm, default_kind
from huzhu_desktop.core.validate import clean, implausible_date_warning

SPLIT_NAMES = re.compile(r"[、，,/／;；\s]+|和|及")
SERVICE_WORDS = {
    **{s: s for s in vocab.SERVICES},
    **dict.fromkeys(("送饭", "做饭", "送餐", "买菜做饭"), "助餐"),
    **dict.fromkeys(("洗澡", "擦身"), "助浴"),
    **dict.fromkeys(("打扫", "打扫卫生", "扫地", "洗衣", "洗衣服", "收拾屋子"), "助洁"),
    **dict.fromkeys(("看病", "陪诊", "就医", "量血压", "测血压", "送医"), "助医"),
    **dict.fromkeys(("买药", "代购", "代买", "缴费", "交电费", "取钱", "办事"), "代办"),
    **dict.fromkeys(("理发", "剪指甲", "剪头"), "理发剪指甲"),
    **dict.fromkeys(("陪同出行", "陪走", "搀扶"), "助行"),
    **dict.fromkeys(("收菜", "种菜", "农活", "帮忙干农活"), "助农"),
    **dict.fromkeys(("心理安慰", "疏导"), "心理疏导"),
}
_SEQ = re.compile(r"^\s*\d{1,4}\s*[.、．)）:：](?!\d)\s*")
_DATE = re.compile(
    r"(?:(\d{4})\s*[年./-]\s*)?(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*[日号]?|(今天|昨天|前天)"
)
_MINUTES = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:个)?小时\s*(?:(\d+)\s*分(?:钟)?)?"
    r"|(\d+)\s*(?:分钟|分|min)"
    r"|(半)\s*(?:个)?小时"
)
_KIND_WORDS = sorted(words.VISIT_KINDS, key=len, reverse=True)
_SERVICE_WORDS = sorted(SERVICE_WORDS, key=len, reverse=True)
_CONNECTORS = frozenset("给和跟与帮陪去到为在了")  # left alone once names and words are taken out
_PUNCT = re.compile(r"^[\s,，.。;；:：、!！?？~～]+|[\s,，.。;；:：、!！?？~～]+$")


@dataclass
class Problem:
    column: str
    reason: str
    message: str


@dataclass
class PlannedVisit:
    """One visit as read, with what was found and what the clerk still has to settle."""

    row: int
    day: date | None = None
    helpers: list[NameMatch] = field(default_factory=list)
    elders: list[NameMatch] = field(default_factory=list)
    kind: str = ""
    minutes: int | None = None
    services: list[str] = field(default_factory=list)
    note: str = ""
    source: str = vocab.BY_SHEET
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # saved anyway, shown for a second look
    duplicate: bool = False

    @property
    def ready(self) -> bool:
        return not self.problems and not self.duplicate

    def key(self) -> tuple[date | None, frozenset[str], frozenset[str], int | None]:
        """Same date + helper(s) + elder(s) + minutes: the same visit (re-imported)."""
        return (
            self.day,
            frozenset(m.person_id for m in self.helpers if m.person_id),
            frozenset(m.person_id for m in self.elders if m.person_id),
            self.minutes,
        )

    def form(self) -> VisitForm:
        return VisitForm(
            self.day.isoformat() if self.day else "",
            self.minutes if self.minutes is not None else "",
            self.kind,
            [m.person_id for m in self.helpers if m.person_id],
            [m.person_id for m in self.elders if m.person_id],
            list(self.services),
            self.note,
            source=self.source,
        )


def resolve_day(month: int, day: int, today: date) -> date:
    """A date written without a year: the latest such date that is not in the future."""
    for year in range(today.year, today.year - 9, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue  # 2月29日 in a year that has none
        if candidate <= today:
            return candidate
    raise ValueError(f"{month}月{day}日")


def read_day(value: Any, today: date) -> date:
    """A date cell, a serial, or text: 2026-11-28, 2026/11/28, 11.28, 11月28日, 今天."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 30_000 <= value <= 80_000:
            return excel_serial(value)
        if not isinstance(value, float):
            raise ValueError(str(value))
        text = f"{value:.2f}"  # 11.28 typed into a cell Excel took for a number
        if text.endswith("0"):  # 11.1 is what Excel keeps of 11.10 as well as of 11.1
            raise ValueError(f"{value:g}（Excel 会把 11.10 存成 11.1，请写成 11月10日）")
        value = text
    text = clean(value).replace(" ", "")
    m = _DATE.fullmatch(text) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if m is None:
        raise ValueError(text)
    return _day_of(m, today)


def _day_of(m: re.Match[str], today: date) -> date:
    groups = m.groups()
    if len(groups) == 4 and groups[3]:
        return today - timedelta(days=("今天", "昨天", "前天").index(groups[3]))
    year, month, day = groups[0], int(groups[1]), int(groups[2])
    if year:
        return date(int(year), month, day)
    return resolve_day(month, day, today)


def read_minutes(value: Any) -> int:
    """40, 40分钟, 1小时, 1.5小时, 半小时, 1小时20分, 0.5 (hours when < 5)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return round(value * 60) if 0 < value < 5 and not float(value).is_integer() else int(value)
    text = clean(value).replace(" ", "")
    if re.fullmatch(r"\d+", text):
        return int(text)
    m = _MINUTES.fullmatch(text)
    if m is None:
        raise ValueError(text)
    return _minutes_of(m)


def _minutes_of(m: re.Match[str]) -> int:
    hours, extra, minutes, half = m.groups()
    if half:
        return 30
    if minutes:
        return int(minutes)
    return round(float(hours) * 60) + (int(extra) if extra else 0)


class VisitPlanner:
    """Plans visits against the village's elders, helpers and pairings."""

    def __init__(
        self,
        elders: PeopleDirectory,
        helpers: PeopleDirectory,
        plans: dict[str, tuple[str, str]],
        *,
        today: date,
    ) -> None:
        """`plans`: elder id → (pairing kind, a helper id) of their active pairing."""
        self.elders, self.helpers, self.plans, self.today = elders, helpers, plans, today
        self._names = sorted(
            {*elders.by_name, *helpers.by_name}, key=len, reverse=True
        )  # for chat lines
        self._name_re = (
            re.compile("|".join(re.escape(n) for n in self._names)) if self._names else None
        )

    # --- one row ---------------------------------------------------------------------------

    def plan(self, raw: RawVisit, source: str) -> PlannedVisit:
        visit = self._chat(raw) if raw.line else self._cells(raw)
        visit.source = source
        self._finish(visit)
        return visit

    def _cells(self, raw: RawVisit) -> PlannedVisit:
        visit = PlannedVisit(raw.row)
        cells = raw.cells
        if cells.get("date") is not None:
            try:
                visit.day = read_day(cells["date"], self.today)
            except ValueError as exc:
                visit.problems.append(
                    Problem(
                        "日期", "invalid_date", f"日期“{exc}”看不懂，请写成 2026-11-28 或 11月28日"
                    )
                )
        visit.helpers = self._names_in(cells.get("helper"), self.helpers)
        visit.elders = self._names_in(cells.get("elder"), self.elders)
        kind_text = clean(cells.get("kind") or "").replace(" ", "")
        if kind_text:
            visit.kind = words.VISIT_KINDS.get(kind_text, "")
            if not visit.kind:
                visit.problems.append(
                    Problem(
                        "方式",
                        "unknown_kind",
                        f"方式“{kind_text}”不认识，应为{'、'.join(vocab.VISIT_KINDS)}",
                    )
                )
        if cells.get("minutes") is not None:
            try:
                visit.minutes = read_minutes(cells["minutes"])
            except ValueError:
                visit.problems.append(
                    Problem(
                        "时长",
                        "invalid_minutes",
                        f"时长“{clean(cells['minutes'])}”看不懂，请写分钟数或如“1小时”",
                    )
                )
        services_text = clean(cells.get("services") or "")
        for word in (w for w in SPLIT_NAMES.split(services_text) if w):
            service = SERVICE_WORDS.get(word)
            if service is None:
                visit.note = "；".join(x for x in (visit.note, word) if x)
            elif service not in visit.services:
                visit.services.append(service)
        visit.note = "；".join(x for x in (visit.note, clean(cells.get("note") or "")) if x)
        return visit

    def _names_in(self, value: Any, directory: PeopleDirectory) -> list[NameMatch]:
        text = clean(value or "")
        return [directory.resolve(part) for part in SPLIT_NAMES.split(text) if part]

    def _chat(self, raw: RawVisit) -> PlannedVisit:
        visit = PlannedVisit(raw.row)
        rest = _SEQ.sub("", clean(raw.line), count=1)
        m = _MINUTES.search(rest)  # before the date: 1.5小时 is no 1月5日
        if m:
            visit.minutes = _minutes_of(m)
            rest = rest[: m.start()] + " " + rest[m.end() :]
        m = _DATE.search(rest)
        if m:
            try:
                visit.day = _day_of(m, self.today)
            except ValueError:
                visit.problems.append(Problem("日期", "invalid_date", f"日期“{m[0]}”不存在"))
            rest = rest[: m.start()] + " " + rest[m.end() :]
        rest = self._chat_people(visit, rest)
        for word in _KIND_WORDS:
            if word in rest:
                visit.kind = words.VISIT_KINDS[word]
                rest = rest.replace(word, " ", 1)
                break
        bare = rest
        for word in _SERVICE_WORDS:
            if word in rest:
                bare = bare.replace(word, " ")
                if SERVICE_WORDS[word] not in visit.services:
                    visit.services.append(SERVICE_WORDS[word])
        if not visit.elders:
            unknown = self._unknown_elder(bare)
            visit.elders = [unknown]
            if unknown.text:
                rest = rest.replace(unknown.text, " ", 1)  # a name, not part of the note
        kept = [t for t in _PUNCT.sub("", rest).split() if t not in _CONNECTORS]
        visit.note = " ".join(kept)[:200]
        return visit

    def _chat_people(self, visit: PlannedVisit, rest: str) -> str:
        """Names of the village's people in the line: a helper (the first name that is a helper),
        the elders (the others). Returns the line without them."""
        found: list[str] = []
        if self._name_re is not None:
            found = [m[0] for m in self._name_re.finditer(rest)]
            rest = self._name_re.sub(" ", rest)
        for name in found:
            is_helper, is_elder = name in self.helpers.by_name, name in self.elders.by_name
            if is_helper and (not is_elder or not visit.helpers):
                visit.helpers.append(self.helpers.resolve(name))  # a 低龄老人 helper: first name
            else:
                visit.elders.append(self.elders.resolve(name))
        return rest

    def _unknown_elder(self, rest: str) -> NameMatch:
        """No elder's name in the line: offer people whose names sound like a word in it."""
        runs = re.findall(r"[\u3400-\u9fff]{2,}", re.sub(r"[给帮和跟与陪去到]", " ", rest))
        for run in runs:
            for size in (3, 2, 4):
                for i in range(len(run) - size + 1):
                    near = self.elders.near(run[i : i + size])
                    if near:
                        return NameMatch(run[i : i + size], candidates=near, problem="unknown")
        return NameMatch("", problem="empty")

    # --- checks shared by both sources --------------------------------------------------------

    def _finish(self, visit: PlannedVisit) -> None:
        for matches, label, field_ in (
            (visit.helpers, "帮扶人", "helper"),
            (visit.elders, "老人", "elder"),
        ):
            if not matches:
                visit.problems.append(Problem(label, f"missing_{field_}", f"请填{label}"))
            for m in matches:
                if not m.found:
                    reason = (
                        f"{m.problem}_{field_}" if m.problem != "empty" else f"missing_{field_}"
                    )
                    visit.problems.append(Problem(label, reason, m.message(label)))
        if visit.day is None and not any(p.column == "日期" for p in visit.problems):
            visit.problems.append(Problem("日期", "missing_date", "没有日期"))
        elif visit.day is not None and visit.day > self.today:
            visit.problems.append(Problem("日期", "future_date", "走访日期不能晚于今天"))
        elif visit.day is not None and implausible_date_warning(visit.day):
            visit.warnings.append(implausible_date_warning(visit.day))
        if visit.minutes is None and not any(p.column == "时长" for p in visit.problems):
            visit.problems.append(Problem("时长", "missing_minutes", "没有写时长（分钟）"))
        elif visit.minutes is not None and not 0 < visit.minutes <= 24 * 60:
            visit.problems.append(Problem("时长", "invalid_minutes", "时长应在1分钟到24小时之间"))
        if not visit.kind:
            first = visit.elders[0].person_id if visit.elders else None
            plan = self.plans.get(first or "")
            visit.kind = default_kind(plan[0] if plan else None, visit.services)
