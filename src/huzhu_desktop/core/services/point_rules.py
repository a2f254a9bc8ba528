"""积分规则 — how many points a service earns, versioned by the date a rule takes effect.

The seed's rule is the default: 1 hour of service = 1 point (时间银行：每1小时志愿服务时长计1积分).
A village may set its own per service kind: points per hour, rounding of the time (to the nearest
quarter, half or whole hour, halves up), a minimum time below which nothing is earned, a daily cap
per helper, and for 活动 a fixed award per participant. A new version applies from its date on;
entries already posted are never recomputed, so a rule may not start before today once points
have been posted on or after its date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlmodel import Session, col

from huzhu_desktop.core import clock, vocab
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.errors import ValidationError
from huzhu_desktop.core.models import PointEntry, PointRule
from huzhu_desktop.core.services.audit import record_audit
from huzhu_desktop.core.services.ledger import fmt_points
from huzhu_desktop.core.services.permissions import requires
from huzhu_desktop.core.validate import FieldError, clean, parse_date

DEFAULT_KIND = "默认"
ACTIVITY_KIND = "活动"
RULE_KINDS = (DEFAULT_KIND, *vocab.VISIT_KINDS, ACTIVITY_KIND)
ROUNDINGS = {0: "不取整", 15: "按一刻钟", 30: "按半小时", 60: "按整小时"}
MAX_POINTS_C = 100_00  # no rule gives more than 100 points an hour or an award


@dataclass(frozen=True)
class Terms:
    """One rule version, as posting uses it."""

    id: str | None
    service_kind: str
    effective_from: date
    points_per_hour_c: int = 100
    rounding_minutes: int = 0
    minimum_minutes: int = 0
    daily_cap_c: int = 0
    award_c: int = 0
    expire_years: int = 0

    def earning(self, minutes: int) -> tuple[int, int]:
        """(minutes counted, points in hundredths) for a service of this many minutes."""
        if minutes <= 0 or minutes < self.minimum_minutes:
            return 0, 0
        unit = self.rounding_minutes
        counted = (minutes + unit // 2) // unit * unit if unit else minutes
        return counted, (counted * self.points_per_hour_c + 30) // 60

    def describe(self) -> str:
        if self.service_kind == ACTIVITY_KIND:
            return f"每次参加得{fmt_points(self.award_c)}分"
        parts = [
            f"每小时{fmt_points(self.points_per_hour_c)}分",
            ROUNDINGS.get(self.rounding_minutes, ""),
        ]
        if self.minimum_minutes:
            parts.append(f"不足{self.minimum_minutes}分钟不计")
        if self.daily_cap_c:
            parts.append(f"每人每天最多{fmt_points(self.daily_cap_c)}分")
        if self.expire_years:
            parts.append(f"积分{self.expire_years}年后清零")
        return "，".join(p for p in parts if p)


BUILTIN = Terms(None, DEFAULT_KIND, date(1900, 1, 1))


def _terms(r: PointRule) -> Terms:
    return Terms(
        r.id,
        r.service_kind,
        r.effective_from,
        r.points_per_hour_c,
        r.rounding_minutes,
        r.minimum_minutes,
        r.daily_cap_c,
        r.award_c,
        r.expire_years,
    )


class RuleBook:
    """Every rule version, read once; `for_kind` finds the one in force on a day."""

    def __init__(self, session: Session) -> None:
        self.versions: dict[str, list[Terms]] = {}
        stmt = (
            select(PointRule)
            .where(col(PointRule.deleted_at).is_(None))
            .order_by(col(PointRule.effective_from), col(PointRule.created_at))
        )
        for r in session.execute(stmt).scalars():
            self.versions.setdefault(r.service_kind, []).append(_terms(r))

    def _latest(self, kind: str, on: date) -> Terms | None:
        best = None
        for t in self.versions.get(kind, []):
            if t.effective_from <= on:
                best = t
        return best

    def for_kind(self, kind: str, on: date) -> Terms:
        """The rule for a visit kind (or 活动) on a day: its own, else 默认, else 1 h = 1 分."""
        own = self._latest(kind, on)
        if own is not None:
            return own
        if kind == ACTIVITY_KIND:
            return Terms(None, ACTIVITY_KIND, BUILTIN.effective_from, award_c=100)
        return self._latest(DEFAULT_KIND, on) or BUILTIN

    def has_daily_cap(self) -> bool:
        return any(t.daily_cap_c for versions in self.versions.values() for t in versions)

    def current(self, on: date) -> list[tuple[str, Terms]]:
        return [(k, self.for_kind(k, on)) for k in RULE_KINDS]


@dataclass
class RuleForm:
    service_kind: str = DEFAULT_KIND
    effective_from: str | date = ""
    points_per_hour: str = "1"
    rounding_minutes: int = 0
    minimum_minutes: str | int = 0
    daily_cap: str = "0"
    award: str = "0"
    expire_years: str | int = 0
    note: str = ""


def parse_points(raw: object, label: str, errors: dict[str, str], key: str) -> int:
    """'1.5' → 150; at most two decimals, 0 … 100."""
    text = clean(raw).replace("分", "") or "0"
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors[key] = f"{label}请填数字，如 1 或 0.5"
        return 0
    if value != value.quantize(Decimal("0.01")) or value < 0 or value * 100 > MAX_POINTS_C:
        errors[key] = f"{label}应在0到100之间，最多两位小数"
        return 0
    return int(value * 100)


def _small_int(raw: object, label: str, top: int, errors: dict[str, str], key: str) -> int:
    try:
        n = int(clean(raw) or 0)
    except ValueError:
        errors[key] = f"{label}请填整数"
        return 0
    if not 0 <= n <= top:
        errors[key] = f"{label}应在0到{top}之间"
    return n


@requires("settings")
def save_rule(
    form: RuleForm, *, session: Session, actor: Actor, today: date | None = None
) -> PointRule:
    """Add a new version of a rule (old versions stay, for the entries posted under them)."""
    today = today or clock.today()
    errors: dict[str, str] = {}
    if form.service_kind not in RULE_KINDS:
        errors["service_kind"] = f"服务类别只能是{'、'.join(RULE_KINDS)}"
    start = today
    try:
        start = parse_date(form.effective_from or today, allow_future=True, today=today)
    except FieldError as exc:
        errors["effective_from"] = str(exc)
    pph = parse_points(form.points_per_hour, "每小时积分", errors, "points_per_hour")
    cap = parse_points(form.daily_cap, "每天上限", errors, "daily_cap")
    award = parse_points(form.award, "活动积分", errors, "award")
    if form.rounding_minutes not in ROUNDINGS:
        errors["rounding_minutes"] = "取整方式只能是不取整、一刻钟、半小时或整小时"
    minimum = _small_int(form.minimum_minutes, "最少时长", 240, errors, "minimum_minutes")
    years = _small_int(form.expire_years, "清零年限", 10, errors, "expire_years")
    if years and form.service_kind != DEFAULT_KIND:
        errors["expire_years"] = "积分清零只能在“默认”规则里设置"
    if "effective_from" not in errors and start < today:
        posted = _posted_since(session, form.service_kind, start)
        if posted:
            errors["effective_from"] = (
                f"{start.isoformat()}以后已有{posted}笔积分按原规则入账，"
                "已入账的积分不重算：新规则只能从今天或以后生效"
            )
    if errors:
        raise ValidationError(errors)
    rule = PointRule(
        owner_code=actor.owner_code,
        origin=actor.origin,
        updated_by=actor.operator,
        service_kind=form.service_kind,
        effective_from=start,
        points_per_hour_c=pph,
        rounding_minutes=form.rounding_minutes,
        minimum_minutes=minimum,
        daily_cap_c=cap,
        award_c=award,
        expire_years=years,
        note=clean(form.note)[:200],
    )
    session.add(rule)
    record_audit(
        session,
        actor,
        "设置积分规则",
        "point_rule",
        rule.id,
        f"{form.service_kind} 自{start.isoformat()}起 {_terms(rule).describe()}",
    )
    return rule


def _posted_since(session: Session, kind: str, start: date) -> int:
    stmt = select(func.count()).select_from(PointEntry).where(col(PointEntry.posted_on) >= start)
    if kind == ACTIVITY_KIND:
        stmt = stmt.where(col(PointEntry.ref_kind) == "activity")
    else:
        stmt = stmt.where(col(PointEntry.ref_kind) == "visit")
    return int(session.execute(stmt).scalar_one())


def list_rules(session: Session) -> list[PointRule]:
    stmt = (
        select(PointRule)
        .where(col(PointRule.deleted_at).is_(None))
        .order_by(col(PointRule.service_kind), col(PointRule.effective_from).desc())
    )
    return list(session.execute(stmt).scalars())


def describe(rule: PointRule) -> str:
    return _terms(rule).describe()
