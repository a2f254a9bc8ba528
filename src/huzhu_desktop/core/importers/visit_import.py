"""Bring in visit records from a helper's sheet, a CSV or chat lines — the CLI's
`huzhu import-visits` and the 走访 page's import both plan here.

    source = read_visit_file(path)            # or parse_text(pasted)
    result = import_visits(source, session=s, actor=ws.actor, dry_run=True)

Every data row ends as exactly one of imported / skipped_duplicate / rejected (`updated` is
always 0: a visit that differs is another visit); blank and layout rows are counted beside.
Without `dry_run` the rows that matched are saved in the caller's transaction (the GUI never
saves from here: it fills the batch grid and the clerk presses 保存).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from huzhu_desktop.core import clock, vocab
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.errors import ValidationError
from huzhu_desktop.core.importers.outcome import Outcome
from huzhu_desktop.core.importers.rows import Rejection
from huzhu_desktop.core.importers.visit_plan import PlannedVisit, Problem, VisitPlanner
from huzhu_desktop.core.importers.visit_source import VisitSource
from huzhu_desktop.core.models import Visit, VisitMember
from huzhu_desktop.core.services import register
from huzhu_desktop.core.services.audit import record_audit
from huzhu_desktop.core.services.people_directory import PeopleDirectory
from huzhu_desktop.core.services.permissions import requires
from huzhu_desktop.core.services.visits import (
    VISIT_FIELD_LABELS,
    Lookups,
    VisitForm,
    check_visit,
    record_batch,
)
from huzhu_desktop.core.services.visits_read import active_plans

VisitKey = tuple[date | None, frozenset[str], frozenset[str], int | None]


@dataclass(kw_only=True)
class VisitImportResult(Outcome):
    """`updated` stays 0: a visit that differs from a recorded one is another visit."""

    source: str
    planned: list[PlannedVisit] = field(default_factory=list)

    def summary_text(self) -> str:
        verb = "预检" if self.dry_run else "导入"
        done = "可导入" if self.dry_run else "已保存"
        text = (
            f"{verb}完成：走访记录 {self.rows_total} 条，{done} {self.imported}，"
            f"重复跳过 {self.skipped_duplicates}，有问题 {self.rejected}。"
        )
        if self.skipped_blank or self.skipped_layout:
            text += f"另有空行 {self.skipped_blank} 行、合计/说明等 {self.skipped_layout} 行未读。"
        return text


def existing_keys(session: Session, first: date, last: date) -> set[VisitKey]:
    """Keys of the live visits recorded between two days (to spot re-imported lines)."""
    members: dict[str, tuple[set[str], set[str]]] = {}
    minutes: dict[str, tuple[date, int]] = {}
    stmt = (
        select(
            col(Visit.id),
            col(Visit.visit_date),
            col(Visit.duration_minutes),
            col(VisitMember.person_id),
        )
        .add_columns(col(VisitMember.role))
        .join(VisitMember, col(VisitMember.visit_id) == col(Visit.id))
        .where(
            col(Visit.deleted_at).is_(None),
            col(VisitMember.deleted_at).is_(None),
            col(Visit.visit_date) >= first,
            col(Visit.visit_date) <= last,
        )
    )
    for visit_id, day, mins, person_id, role in session.execute(stmt):
        minutes[visit_id] = (day, mins)
        helpers, elders = members.setdefault(visit_id, (set(), set()))
        (helpers if role == "helper" else elders).add(person_id)
    return {
        (day, frozenset(members[v][0]), frozenset(members[v][1]), mins)
        for v, (day, mins) in minutes.items()
    }


def planner_for(session: Session, *, today: date) -> VisitPlanner:
    """The village's elders and helpers in the register (在册), and their pairings."""
    elders = [
        e for e in register.list_elders(session, today=today) if e.status == vocab.ACTIVE_STATUS
    ]
    helpers = [h for h in register.list_helpers(session, today=today) if h.active]
    return VisitPlanner(
        PeopleDirectory(elders),
        PeopleDirectory(helpers),
        active_plans(session, today=today),
        today=today,
    )


def mark_duplicates(session: Session, planned: list[PlannedVisit]) -> None:
    """A row with the same date, helper(s), elder(s) and minutes as a recorded visit, or as an
    earlier row, is a duplicate (importing the same lines twice changes nothing)."""
    days = [p.day for p in planned if p.day is not None and not p.problems]
    if not days:
        return
    seen = existing_keys(session, min(days), max(days))
    for visit in planned:
        if visit.problems:
            continue
        key = visit.key()
        visit.duplicate = key in seen
        seen.add(key)


def duplicate_forms(session: Session, forms: list[VisitForm]) -> set[int]:
    """Which of these visits (by position) repeat a recorded visit or an earlier one of the list:
    same date, helper(s), elder(s) and minutes. For rows brought in from a sheet or a chat, so
    that a line settled by hand and imported again is not saved twice."""
    keys: list[VisitKey | None] = []
    for form in forms:
        try:
            day = (
                form.visit_date
                if isinstance(form.visit_date, date)
                else date.fromisoformat(str(form.visit_date))
            )
            minutes = int(str(form.duration_minutes))
        except ValueError:
            keys.append(None)
            continue
        keys.append((day, frozenset(form.helper_ids), frozenset(form.elder_ids), minutes))
    days = [k[0] for k in keys if k is not None and k[0] is not None]
    if not days:
        return set()
    seen = existing_keys(session, min(days), max(days))
    repeated = set()
    for i, key in enumerate(keys):
        if key is None:
            continue
        if key in seen:
            repeated.add(i)
        seen.add(key)
    return repeated


def plan_visits(
    source: VisitSource, *, session: Session, today: date | None = None
) -> list[PlannedVisit]:
    """Every row of the source planned: matched, checked, duplicates marked."""
    today = today or clock.today()
    planner = planner_for(session, today=today)
    planned = [planner.plan(raw, source.kind) for raw in source.rows]
    mark_duplicates(session, planned)
    cache = Lookups(session)
    for visit in planned:
        if visit.problems or visit.duplicate:
            continue
        try:  # the register's own rules: moved or died before that day, …
            check_visit(visit.form(), session=session, today=today, cache=cache)
        except ValidationError as exc:
            visit.problems += [
                Problem(VISIT_FIELD_LABELS.get(k, k), f"invalid_{k}", v)
                for k, v in exc.errors.items()
            ]
    return planned


@requires("import")
def import_visits(
    source: VisitSource,
    *,
    session: Session,
    actor: Actor,
    dry_run: bool = True,
    today: date | None = None,
) -> VisitImportResult:
    """Plan every row; unless `dry_run`, save the rows that matched (one batch, points posted)."""
    today = today or clock.today()
    result = VisitImportResult(
        source=source.kind,
        skipped_blank=source.skipped_blank,
        skipped_layout=source.skipped_layout,
        dry_run=dry_run,
    )
    result.planned = plan_visits(source, session=session, today=today)
    ready: list[PlannedVisit] = []
    for visit in result.planned:
        result.rows_total += 1
        if visit.problems:
            first = visit.problems[0]
            message = "；".join(p.message for p in visit.problems)
            result.rejections.append(Rejection(visit.row, first.column, first.reason, message))
        elif visit.duplicate:
            result.skipped_duplicates += 1
        else:
            ready.append(visit)
    result.imported = len(ready)
    if not dry_run and ready:
        outcomes = record_batch(
            [v.form() for v in ready], session=session, actor=actor, today=today
        )
        refused = [o for o in outcomes if o.errors]
        if refused:  # planned with the same rules: this would be a bug, never a silent loss
            raise ValidationError(refused[0].errors)
        record_audit(session, actor, "导入走访", detail=result.summary_text())
    return result
