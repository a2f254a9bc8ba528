"""`huzhu list KIND`: one table of list kinds — what each reads, its columns and its cells.

Every read service returns typed rows with a `to_json()`; this module only chooses columns.
`list elders` on an ordinary workspace is read through sqlite3 alone (`db.quick`): the ORM is
imported only when the workspace needs the full opening or another kind is listed."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from huzhu_desktop.cli.output import emit, table
from huzhu_desktop.core import clock
from huzhu_desktop.core.labels import FIELD_LABELS as L
from huzhu_desktop.core.labels import NO, YES
from huzhu_desktop.core.validate import mask_id, mask_phone

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass(frozen=True)
class ListKind:
    read: Callable[[Session], Sequence[Any]]
    columns: tuple[tuple[str, Callable[[Any], object]], ...]
    # the same rows from a plain sqlite3 connection, for the quick read (None: the full one)
    quick: Callable[[sqlite3.Connection], Sequence[Any]] | None = None


def cmd_list(args: argparse.Namespace) -> int:
    kind = KINDS[args.what]
    rows = _quick_rows(args, kind)
    if rows is None:
        from huzhu_desktop.cli.commands import _open

        with _open(args) as ws, ws.reading() as s:
            rows = kind.read(s)
    if args.json:  # one shape or the other: building both cost a small list a third of its time
        emit(args, [r.to_json() for r in rows], "")
    else:
        titles = [title for title, _ in kind.columns]
        emit(args, None, table(titles, [[cell(r) for _, cell in kind.columns] for r in rows]))
    return 0


def _quick_rows(args: argparse.Namespace, kind: ListKind) -> Sequence[Any] | None:
    """The rows through `db.quick` when the workspace allows it (no --user: a login, or its
    hint, is the full opening's), warning of a clock behind as the full opening does."""
    if kind.quick is None or getattr(args, "user", None):
        return None
    from huzhu_desktop.core.db.quick import quick_connection
    from huzhu_desktop.core.services.clock_check import clock_warning, stored_time_ahead
    from huzhu_desktop.paths import resolve_workspace

    conn = quick_connection(resolve_workspace(args.workspace))
    if conn is None:
        return None
    try:
        latest = stored_time_ahead(conn)
        rows = kind.quick(conn)
    except sqlite3.Error:  # the full opening says what is wrong, in Chinese
        return None
    finally:
        conn.close()
    if latest is not None:
        print(f"警告：{clock_warning(latest)}", file=sys.stderr)
    return rows


def _quick_elders(conn: sqlite3.Connection) -> Sequence[Any]:
    from huzhu_desktop.core.services.elder_rows import read_elder_rows

    return read_elder_rows(conn, today=clock.today())


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
            (L["name"], lambda r: r.name),
            (L["gender"], lambda r: r.gender),
            (L["age"], lambda r: r.age),
            (L["group_name"], lambda r: r.group),
            (L["elder_types"], lambda r: "、".join(r.elder_types)),
            (L["living"], lambda r: r.living),
            (L["health"], lambda r: r.health),
            (L["phone"], lambda r: mask_phone(r.phone)),
            (L["id_number"], lambda r: mask_id(r.id_number) if r.id_number else ""),
            (L["status"], lambda r: r.status),
        ),
        quick=_quick_elders,
    ),
    "helpers": ListKind(
        _helpers,
        (
            (L["name"], lambda h: h.name),
            (L["gender"], lambda h: h.gender),
            (L["age"], lambda h: h.age),
            (L["group_name"], lambda h: h.group),
            (L["role"], lambda h: h.role),
            (L["phone"], lambda h: mask_phone(h.phone)),
            (L["elders_helped"], lambda h: h.elders_helped),
            (L["active"], lambda h: YES if h.active else NO),
        ),
    ),
    "pairings": ListKind(
        _pairings,
        (
            (L["pairing_kind"], lambda p: p.kind),
            (L["elders"], lambda p: p.elders),
            (L["helpers"], lambda p: p.helpers),
            (L["start_date"], lambda p: _iso(p.start_date)),
            (L["end_date"], lambda p: _iso(p.end_date)),
            (L["end_reason"], lambda p: p.end_reason),
        ),
    ),
    "visits": ListKind(
        _visits,
        (
            (L["visit_date"], lambda v: _iso(v.visit_date)),
            (L["visit_kind"], lambda v: v.kind),
            (L["elders"], lambda v: v.elders),
            (L["helpers"], lambda v: v.helpers),
            (L["duration_minutes"], lambda v: v.duration_minutes),
            (L["services"], lambda v: v.services),
            (L["visit_source"], lambda v: v.source),
        ),
    ),
    "activities": ListKind(
        _activities,
        (
            (L["date"], lambda a: _iso(a.held_on)),
            ("类型", lambda a: a.kind),
            ("活动名称", lambda a: a.title),
            (L["place"], lambda a: a.place),
            (L["attendance"], lambda a: a.attendance),
            ("登记参加者", lambda a: len(a.participants)),
            ("积分", lambda a: _points(a.points_c)),
        ),
    ),
    "funding": ListKind(
        _funding,
        (
            ("到账日期", lambda f: _iso(f.received_on)),
            (L["visit_source"], lambda f: f.source),
            (L["donor"], lambda f: f.donor),
            ("金额（元）", lambda f: _yuan(f.amount_fen)),
            (L["purpose"], lambda f: f.purpose),
        ),
    ),
    "households": ListKind(
        _households,
        (
            (L["household"], lambda h: h.name),
            (L["card_no"], lambda h: h.card_no),
            (L["group_name"], lambda h: h.group),
            (L["members"], lambda h: h.members),
            (L["address"], lambda h: h.address),
        ),
    ),
    "care-points": ListKind(
        _care_points,
        (
            ("名称", lambda c: c.name),
            ("类型", lambda c: c.kind),
            (L["group_name"], lambda c: c.group),
            ("地址", lambda c: c.address),
            (L["opened_on"], lambda c: _iso(c.opened_on)),
        ),
    ),
}
COMMANDS = {"list": cmd_list}
