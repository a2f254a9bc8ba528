"""`huzhu list KIND`: one table of list kinds — what each reads, its columns and its cells.

Every read service returns typed rows with a `to_json()`; this module only chooses columns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from huzhu_desktop.core import clock
from huzhu_desktop.core.validate import mask_id


@dataclass(frozen=True)
class ListKind:
    read: Callable[[Session], Sequence[Any]]
    columns: tuple[tuple[str, Callable[[Any], object]], ...]


def _elders(s: Session) -> Sequence[Any]:
    from huzhu_desktop.core.services.register import list_elders

    return list_elders(s)


def _helpers(s: Session) -> Sequence[Any]:
    from huzhu_desktop.core.services.register import list_helpers

    return list_helpers(s)


def _pairings(s: Session) -> Sequence[Any]:
    from huzhu_desktop.core.services.pairings_read import list_pairings

    return list_pairings(s, today=clock.today())


def _visits(s: Session) -> Sequence[Any]:
    from huzhu_desktop.core.services.visits_read import list_visits

    return list_visits(s)


def _activities(s: Session) -> Sequence[Any]:
    from huzhu_desktop.core.services.activities import list_activities

    return list_activities(s)


def _funding(s: Session) -> Sequence[Any]:
    from huzhu_desktop.core.services.funding import list_funding

    return list_funding(s)


def _households(s: Session) -> Sequence[Any]:
    from huzhu_desktop.core.services.register import list_households

    return list_households(s)


def _care_points(s: Session) -> Sequence[Any]:
    from huzhu_desktop.core.services.register import list_care_points

    return list_care_points(s)


def _iso(d: Any) -> str:
    return d.isoformat() if d else ""


def _points(c: int) -> str:
    from huzhu_desktop.core.services.ledger import fmt_points

    return fmt_points(c)


def _yuan(fen: int) -> str:
    from huzhu_desktop.core.services.funding import yuan

    return yuan(fen)


KINDS: dict[str, ListKind] = {
    "elders": ListKind(
        _elders,
        (
            ("姓名", lambda r: r.name),
            ("性别", lambda r: r.gender),
            ("年龄", lambda r: r.age),
            ("组", lambda r: r.group),
            ("老人类型", lambda r: "、".join(r.elder_types)),
            ("居住", lambda r: r.living),
            ("健康", lambda r: r.health),
            ("电话", lambda r: r.phone),
            ("身份证", lambda r: mask_id(r.id_number) if r.id_number else ""),
            ("状态", lambda r: r.status),
        ),
    ),
    "helpers": ListKind(
        _helpers,
        (
            ("姓名", lambda h: h.name),
            ("性别", lambda h: h.gender),
            ("年龄", lambda h: h.age),
            ("组", lambda h: h.group),
            ("角色", lambda h: h.role),
            ("电话", lambda h: h.phone),
            ("结对老人", lambda h: h.elders_helped),
            ("在岗", lambda h: "是" if h.active else "否"),
        ),
    ),
    "pairings": ListKind(
        _pairings,
        (
            ("类型", lambda p: p.kind),
            ("老人", lambda p: p.elders),
            ("帮扶人", lambda p: p.helpers),
            ("开始", lambda p: _iso(p.start_date)),
            ("结束", lambda p: _iso(p.end_date)),
            ("结束原因", lambda p: p.end_reason),
        ),
    ),
    "visits": ListKind(
        _visits,
        (
            ("日期", lambda v: _iso(v.visit_date)),
            ("方式", lambda v: v.kind),
            ("老人", lambda v: v.elders),
            ("帮扶人", lambda v: v.helpers),
            ("时长(分钟)", lambda v: v.duration_minutes),
            ("服务", lambda v: v.services),
            ("来源", lambda v: v.source),
        ),
    ),
    "activities": ListKind(
        _activities,
        (
            ("日期", lambda a: _iso(a.held_on)),
            ("类型", lambda a: a.kind),
            ("活动名称", lambda a: a.title),
            ("地点", lambda a: a.place),
            ("参加人数", lambda a: a.attendance),
            ("登记参加者", lambda a: len(a.participants)),
            ("积分", lambda a: _points(a.points_c)),
        ),
    ),
    "funding": ListKind(
        _funding,
        (
            ("到账日期", lambda f: _iso(f.received_on)),
            ("来源", lambda f: f.source),
            ("出资单位或个人", lambda f: f.donor),
            ("金额（元）", lambda f: _yuan(f.amount_fen)),
            ("用途", lambda f: f.purpose),
        ),
    ),
    "households": ListKind(
        _households,
        (
            ("户名", lambda h: h.name),
            ("卡号", lambda h: h.card_no),
            ("组", lambda h: h.group),
            ("人数", lambda h: h.members),
            ("住址", lambda h: h.address),
        ),
    ),
    "care-points": ListKind(
        _care_points,
        (
            ("名称", lambda c: c.name),
            ("类型", lambda c: c.kind),
            ("组", lambda c: c.group),
            ("地址", lambda c: c.address),
            ("设立日期", lambda c: _iso(c.opened_on)),
        ),
    ),
}
