"""What a town (or district) reviewer should look at in a quarter's data before 审核通过 — the
automatic findings of the review (#17), each with the records behind it:

- 同一身份证登记在多个村: an elder or helper registered in two villages of the town;
- 帮扶人同一天在两个村走访: a helper (by 身份证) with visits in two villages on one day;
- 一天走访超过24小时: a helper's visits on one day add up to more than 24 hours;
- 积分没有对应的走访: points earned for a visit that is not (or no longer) there;
- 特殊老人本季度没有走访: a 特殊老人 in the register all quarter with no visit in it;
- 报送后数字变了: 附件1 figures different from the ones kept when the form was exported.

Read-only; run over whatever the workspace holds (a town: its villages' rows).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from huzhu_desktop.core import clock, vocab
from huzhu_desktop.core.db.bulk import raw_rows
from huzhu_desktop.core.labels import plain_number
from huzhu_desktop.core.periods import Period
from huzhu_desktop.core.reports.attachment1 import unit_figures
from huzhu_desktop.core.services import coverage, review, submissions
from huzhu_desktop.core.services.register import unit_names
from huzhu_desktop.core.sync.status import BELOW, UnitReport, report_matrix

KINDS = {
    "same_person": "同一身份证登记在多个村",
    "helper_two_villages": "帮扶人同一天在两个村走访",
    "over_24h": "一天走访超过24小时",
    "points_without_visit": "积分没有对应的走访",
    "special_not_visited": "特殊老人本季度没有走访",
    "changed_after_report": "报送后数字变了",
}
DAY_MINUTES = 24 * 60
FIGURE_LABELS = {  # 附件1's columns, as the 报表 screen heads them
    "social_orgs": "社工组织",
    "social_workers": "社工",
    "centres": "养老点",
    "branches": "分点",
    "volunteers": "志愿者",
    "one_to_one": "一对一（对）",
    "area_groups": "划片式（组）",
    "points_c": "积分",
    "activities": "活动",
    "funding_fen": "资金（元）",
}


def _shown(name: str, value: object) -> str:
    if value is None:
        return "—"
    if name in ("points_c", "funding_fen") and isinstance(value, int):
        return plain_number(value / 100)
    return str(value)


@dataclass(frozen=True)
class Finding:
    kind: str
    villages: tuple[str, ...]  # codes of the villages it concerns
    text: str  # in the reviewer's words
    records: tuple[str, ...] = field(default=())  # ids of the rows behind it

    @property
    def title(self) -> str:
        return KINDS[self.kind]

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "title": self.title,
            "villages": list(self.villages),
            "text": self.text,
            "records": list(self.records),
        }


def findings(session: Session, quarter: str, *, today: date | None = None) -> list[Finding]:
    """Every finding of `quarter` (2026Q4), village by village."""
    today = today or clock.today()
    period = Period.of(quarter, today=today)
    names = unit_names(session)
    found = [
        *_same_person(session, names),
        *_helper_day_findings(session, period, names),
        *_points_without_visit(session, period, names),
        *_special_not_visited(session, period, today, names),
        *_changed_after_report(session, period, names),
    ]
    return sorted(found, key=lambda f: (f.villages, list(KINDS).index(f.kind)))


def _who(names: dict[str, str], codes: list[str] | tuple[str, ...]) -> str:
    return "、".join(names.get(c, c) for c in codes)


def _same_person(session: Session, names: dict[str, str]) -> list[Finding]:
    out = []
    for id_number, owners, ids, people in raw_rows(
        session,
        "SELECT id_number, group_concat(DISTINCT owner_code), group_concat(id), "
        "group_concat(DISTINCT name) FROM person WHERE deleted_at IS NULL "
        f"AND status = '{vocab.ACTIVE_STATUS}' AND id_number IS NOT NULL AND id_number != '' "
        "GROUP BY id_number HAVING count(DISTINCT owner_code) > 1",
    ):
        codes = tuple(sorted(owners.split(",")))
        out.append(
            Finding(
                "same_person",
                codes,
                f"{people.replace(',', '、')}（身份证尾号 {id_number[-4:]}）同时登记在"
                f"{_who(names, codes)}，请核实归哪个村。",
                tuple(ids.split(",")),
            )
        )
    return out


_HELPER_VISITS = (
    "SELECT coalesce(nullif(p.id_number, ''), p.id) AS who, p.name, v.visit_date, v.owner_code, "
    "v.id, v.duration_minutes FROM visit v "
    "JOIN visit_member m ON m.visit_id = v.id AND m.role = 'helper' AND m.deleted_at IS NULL "
    "JOIN person p ON p.id = m.person_id "
    "WHERE v.deleted_at IS NULL AND v.visit_date BETWEEN :start AND :end"
)


def _helper_days(session: Session, period: Period) -> dict[tuple[str, str], list[tuple]]:
    """(helper, day) → [(name, village, visit id, minutes)], helpers known by 身份证 across
    villages (by their record within one)."""
    days: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    for who, name, day, owner, visit_id, minutes in raw_rows(session, _HELPER_VISITS, params):
        days[(who, day)].append((name, owner, visit_id, minutes))
    return days


def _helper_day_findings(session: Session, period: Period, names: dict[str, str]) -> list[Finding]:
    """A helper's days: in two villages on one day, or more than 24 hours of visits in one."""
    out = []
    for (_who_id, day), visits in sorted(_helper_days(session, period).items()):
        villages = tuple(sorted({v[1] for v in visits}))
        ids, name, minutes = tuple(v[2] for v in visits), visits[0][0], sum(v[3] for v in visits)
        if len(villages) > 1:
            text = (
                f"帮扶人{name}在 {day} 同一天在{_who(names, villages)}都记了走访"
                f"（{len(visits)} 次），请核实。"
            )
            out.append(Finding("helper_two_villages", villages, text, ids))
        if minutes > DAY_MINUTES:
            text = (
                f"帮扶人{name}在 {day} 的走访合计 {minutes // 60} 小时 {minutes % 60} 分钟，"
                "超过一天24小时，可能录重或时长写错。"
            )
            out.append(Finding("over_24h", villages, text, ids))
    return out


def _points_without_visit(session: Session, period: Period, names: dict[str, str]) -> list[Finding]:
    by_village: dict[str, list[str]] = defaultdict(list)
    for entry_id, owner in raw_rows(
        session,
        "SELECT pe.id, pe.owner_code FROM point_entry pe "
        "LEFT JOIN visit v ON v.id = pe.ref_id AND v.deleted_at IS NULL "
        "WHERE pe.ref_kind = 'visit' AND pe.kind = 'earn' AND pe.deleted_at IS NULL "
        "AND pe.posted_on BETWEEN :start AND :end AND v.id IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM point_entry r WHERE r.reverses_id = pe.id)",
        {"start": period.start.isoformat(), "end": period.end.isoformat()},
    ):
        by_village[owner].append(entry_id)
    return [
        Finding(
            "points_without_visit",
            (code,),
            f"{names.get(code, code)}有 {len(ids)} 笔走访积分找不到对应的走访记录"
            "（走访可能被删了而积分没有冲销）。",
            tuple(ids),
        )
        for code, ids in sorted(by_village.items())
    ]


def _special_not_visited(
    session: Session, period: Period, today: date, names: dict[str, str]
) -> list[Finding]:
    if today < period.start:
        return []
    end = min(period.end, today)
    special = coverage.special_on(session, period.start) & coverage.special_on(session, end)
    missed = special - coverage.visited_between(session, period.start, end)
    if not missed:
        return []
    owners = dict(raw_rows(session, "SELECT id, owner_code FROM person"))
    people = dict(raw_rows(session, "SELECT id, name FROM person"))
    by_village: dict[str, list[str]] = defaultdict(list)
    for pid in missed:
        by_village[owners.get(pid, "")].append(pid)
    return [
        Finding(
            "special_not_visited",
            (code,),
            f"{names.get(code, code)}的特殊老人"
            f"{'、'.join(sorted(people.get(p, p) for p in ids))}本季度"
            f"{'到今天' if end < period.end else ''}没有一次走访记录。",
            tuple(sorted(ids)),
        )
        for code, ids in sorted(by_village.items())
    ]


def _changed_after_report(session: Session, period: Period, names: dict[str, str]) -> list[Finding]:
    kept = submissions.last_reported(session, period.key)
    if kept is None:
        return []
    rows = list(unit_figures(session, period).values())
    changed: dict[str, list[str]] = defaultdict(list)
    for (code, name), (was, now) in submissions.changes(kept, rows).items():
        changed[code].append(
            f"{FIGURE_LABELS.get(name, name)} {_shown(name, was)} → {_shown(name, now)}"
        )
    when = kept.made_at.astimezone().strftime("%Y-%m-%d")
    return [
        Finding(
            "changed_after_report",
            (code,),
            f"{names.get(code, code)}的附件1数字与 {when} 导出报送的不同："
            + "；".join(items[:6])
            + ("……" if len(items) > 6 else ""),
        )
        for code, items in sorted(changed.items())
        if code
    ]


@dataclass(frozen=True)
class ReviewRow:
    """One unit below (a town's village, a district's town) for one quarter, as the reviewer
    sees it: whether its bundle arrived, and the findings in its data."""

    code: str
    name: str
    quarter: str
    status: str  # 未报 / 已接收 / 已审核 / 退回
    received_at: str | None
    seq: int | None
    findings: tuple[Finding, ...]
    reasons: tuple[review.Reason, ...] = ()
    reopened: bool = False  # a new bundle arrived after the verdict: to review again

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "quarter": self.quarter,
            "status": self.status,
            "received_at": self.received_at,
            "seq": self.seq,
            "findings": [f.to_json() for f in self.findings],
            "reasons": [{"record_id": r.record_id, "text": r.text} for r in self.reasons],
            "reopened": self.reopened,
        }


def review_rows(
    session: Session,
    quarter: str,
    *,
    today: date | None = None,
    units: list[UnitReport] | None = None,
    with_findings: bool = True,
) -> list[ReviewRow]:
    """Every unit below this workspace for `quarter` — those that never sent too (未报).
    `units`: the 已报送 matrix for `quarter` when the caller has read it already;
    `with_findings=False`: the statuses alone (the 首页's chores), without reading the data."""
    info_kind = workspace_kind(session)
    below = BELOW.get(info_kind)
    if below is None:
        return []
    if units is None:
        units = report_matrix(session, quarter)
    arrived = {
        code: (clock.local_time(str(done_at)), seq)
        for code, (done_at, seq) in review.carriers(session, quarter, kind=below).items()
    }
    verdicts = review.verdicts(session, quarter)
    found = findings(session, quarter, today=today) if with_findings else []
    rows = []
    for u in units:
        mine = tuple(f for f in found if _concerns(f, u.code, below))
        at, seq = arrived.get(u.code, (None, None))
        status, reasons, reopened = review.state(seq, verdicts.get(u.code))
        rows.append(ReviewRow(u.code, u.name, quarter, status, at, seq, mine, reasons, reopened))
    return rows


def _concerns(f: Finding, unit: str, below: str) -> bool:
    """A finding belongs to a village it names; at the district, to the town of one."""
    if below == "village":
        return unit in f.villages
    return any(v[:9] == unit[:9] for v in f.villages)


def workspace_kind(session: Session) -> str:
    row = next(iter(raw_rows(session, "SELECT kind FROM workspace_info")), None)
    return str(row[0]) if row else ""


@dataclass(frozen=True)
class FigureLine:
    """One 附件1 figure of a unit below: this quarter against the one before."""

    label: str
    now: float | int
    before: float | int

    @property
    def change(self) -> str:
        diff = self.now - self.before
        if not diff:
            return ""
        shown = plain_number(diff, signed=True)
        return f"{shown}（{diff * 100 / self.before:+.0f}%）" if self.before else shown


def against_last_quarter(session: Session, unit: str, quarter: str) -> list[FigureLine]:
    """A unit's figures for `quarter` beside the quarter before (the reviewer looks for jumps)."""
    from huzhu_desktop.core.periods import Quarter
    from huzhu_desktop.core.sync.status import unit_figures as figures_of
    from huzhu_desktop.core.sync.totals import TOTAL_LABELS

    below = BELOW.get(workspace_kind(session), "village")
    q = Quarter.parse(quarter)
    before_q = str(q.previous())
    now = figures_of(session, unit, below, str(q))
    before = figures_of(session, unit, below, before_q)
    return [
        FigureLine(label, now.get(key, 0), before.get(key, 0))
        for key, label in TOTAL_LABELS.items()
    ]


def record_labels(session: Session, ids: list[str] | tuple[str, ...]) -> dict[str, str]:
    """What each record behind a finding is, in the reviewer's words: a person's name, a visit's
    day and who made it, a points entry's amount and day."""
    if not ids:
        return {}
    marks = ",".join("?" for _ in ids)
    out: dict[str, str] = {}
    for rid, name, owner in raw_rows(
        session, f"SELECT id, name, owner_code FROM person WHERE id IN ({marks})", tuple(ids)
    ):
        out[rid] = f"{name}（{owner}）"
    for rid, day, kind, helper in raw_rows(
        session,
        "SELECT v.id, v.visit_date, v.kind, (SELECT p.name FROM visit_member m JOIN person p "
        "ON p.id = m.person_id WHERE m.visit_id = v.id AND m.role = 'helper' LIMIT 1) "
        f"FROM visit v WHERE v.id IN ({marks})",
        tuple(ids),
    ):
        out[rid] = f"{day} {helper or ''}{kind}"
    for rid, day, amount in raw_rows(
        session,
        f"SELECT id, posted_on, amount_c FROM point_entry WHERE id IN ({marks})",
        tuple(ids),
    ):
        out[rid] = f"{day} 积分 {plain_number(amount / 100)}"
    return out
