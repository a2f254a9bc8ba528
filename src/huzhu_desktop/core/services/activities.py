"""集体活动 — 院坝会、节日娱乐、集体生日会、健康服务… Each village that runs 互助养老 holds at least
one a quarter (002); the town counts them for 附件1 (集体活动（场）).

Recording an activity is one user action: the activity, its registered participants, and — when
the village's 活动 rule gives an award — one 存入 per participant for their household, all in the
caller's transaction. The date and the participants decide the points, so they are fixed once
saved; a wrong one is deleted (its points reversed) and recorded again. The rest can be edited.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session, col

from huzhu_desktop.core import vocab
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.db.bulk import flushed_connection
from huzhu_desktop.core.errors import NotFoundError, ValidationError
from huzhu_desktop.core.models import (
    Activity,
    ActivityMember,
    HelperProfile,
    Person,
    PointEntry,
)
from huzhu_desktop.core.pinyin import collation_key
from huzhu_desktop.core.services.audit import deletion_reason, record_audit, tombstone, touch
from huzhu_desktop.core.services.first_screen import count_activities
from huzhu_desktop.core.services.ledger import Poster, points_json, unreversed
from huzhu_desktop.core.services.permissions import requires
from huzhu_desktop.core.services.point_rules import ACTIVITY_KIND, RuleBook
from huzhu_desktop.core.services.points import business_day
from huzhu_desktop.core.services.register import unit_names
from huzhu_desktop.core.validate import clean

QUARTER_MINIMUM = 1  # 原则上开展互助养老的行政村每季度至少开展一次集体活动
MAX_ATTENDANCE = 10_000


@dataclass
class ActivityForm:
    held_on: str | date
    kind: str
    title: str
    place: str = ""
    attendance: str | int = ""  # everyone who came; empty: the registered participants
    note: str = ""
    participants: list[str] = field(default_factory=list)  # person ids


@dataclass
class Recorded:
    activity: Activity
    awarded: int  # 存入 entries posted
    award_c: int  # each participant's award in hundredths (0: the rule gives none)


@requires("records")
def record_activity(
    form: ActivityForm, *, session: Session, actor: Actor, today: date | None = None
) -> Recorded:
    errors: dict[str, str] = {}
    when = business_day(form.held_on, today, errors)
    kind, title, place, note, attendance = _describe(form, errors)
    people = _participants(session, form.participants, errors)
    if attendance is None:
        attendance = len(people)
    elif attendance < len(people):
        errors["attendance"] = f"参加人数不能少于登记的参加者（{len(people)}人）"
    terms = RuleBook(session).for_kind(ACTIVITY_KIND, when)
    if terms.award_c > 0:
        homeless = [p.name for p in people if p.household_id is None]
        if homeless:
            errors["people"] = f"{'、'.join(homeless[:5])}没有所属的户，参加活动的积分无处可记"
    if errors:
        raise ValidationError(errors)
    activity = Activity(
        owner_code=actor.owner_code,
        origin=actor.origin,
        updated_by=actor.operator,
        held_on=when,
        kind=kind,
        title=title,
        place=place,
        attendance=attendance,
        note=note,
    )
    session.add(activity)
    for p in people:
        session.add(
            ActivityMember(
                owner_code=actor.owner_code,
                origin=actor.origin,
                updated_by=actor.operator,
                activity_id=activity.id,
                person_id=p.id,
            )
        )
    session.flush()
    awarded = 0
    if terms.award_c > 0 and people:
        poster = Poster(session, actor)
        for p in people:
            assert p.household_id is not None
            poster.post(
                household_id=p.household_id,
                amount_c=terms.award_c,
                kind="earn",
                ref_kind="activity",
                ref_id=activity.id,
                person_id=p.id,
                posted_on=when,
                rule_id=terms.id,
                summary=f"参加活动：{title}",
            )
        awarded = poster.flush()
    record_audit(
        session, actor, "登记活动", "activity", activity.id, f"{when} {kind} {title} {attendance}人"
    )
    return Recorded(activity, awarded, terms.award_c if people else 0)


@requires("records")
def update_activity(
    activity_id: str, form: ActivityForm, *, session: Session, actor: Actor
) -> Activity:
    """Change what the activity was (kind, title, place, head count, note); the date and the
    participants stay (they decided the points)."""
    activity = _live(session, activity_id)
    errors: dict[str, str] = {}
    kind, title, place, note, attendance = _describe(form, errors)
    registered = _member_count(session, activity.id)
    if attendance is None:
        attendance = registered
    elif attendance < registered:
        errors["attendance"] = f"参加人数不能少于登记的参加者（{registered}人）"
    if errors:
        raise ValidationError(errors)
    activity.kind, activity.title, activity.place = kind, title, place
    activity.attendance, activity.note = attendance, note
    touch(activity, actor)
    record_audit(session, actor, "修改活动", "activity", activity.id, f"{kind} {title}")
    return activity


@requires("records")
def delete_activity(activity_id: str, *, session: Session, actor: Actor, reason: str) -> int:
    """Delete an activity recorded by mistake: it and its participants stay as tombstones (the
    deletion travels to the town) and the points it gave are reversed. Returns the reversals."""
    activity = _live(session, activity_id)
    reason = deletion_reason(reason)
    members = select(ActivityMember).where(
        col(ActivityMember.activity_id) == activity.id, col(ActivityMember.deleted_at).is_(None)
    )
    tombstone([activity, *session.execute(members).scalars()], actor)
    session.flush()
    open_ = unreversed(
        session.execute(
            select(PointEntry).where(
                col(PointEntry.ref_kind) == "activity", col(PointEntry.ref_id) == activity.id
            )
        ).scalars()
    )
    reversals = 0
    if open_:
        poster = Poster(session, actor)
        for e in open_:
            poster.reverse(e, f"活动记录已删除：{reason}")
        reversals = poster.flush()
    record_audit(session, actor, "删除活动", "activity", activity.id, f"{activity.title} {reason}")
    return reversals


@dataclass
class ActivityRow:
    id: str
    held_on: date
    kind: str
    title: str
    place: str
    attendance: int
    note: str
    participants: list[str]  # names of the registered participants
    points_c: int  # what the activity gave, net of reversals
    unit: str = ""  # the village that held it (a town sees every village's)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "date": self.held_on.isoformat(),
            "kind": self.kind,
            "title": self.title,
            "place": self.place,
            "attendance": self.attendance,
            "participants": self.participants,
            "points": points_json(self.points_c),
            "note": self.note,
        }


def list_activities(
    session: Session, start: date | None = None, end: date | None = None
) -> list[ActivityRow]:
    """Live activities, newest first, with their participants and the points they gave."""
    stmt = select(Activity).where(col(Activity.deleted_at).is_(None))
    if start is not None:
        stmt = stmt.where(col(Activity.held_on) >= start)
    if end is not None:
        stmt = stmt.where(col(Activity.held_on) <= end)
    activities = list(
        session.execute(
            stmt.order_by(col(Activity.held_on).desc(), col(Activity.created_at).desc())
        )
        .scalars()
        .all()
    )
    names: dict[str, list[str]] = defaultdict(list)
    points: dict[str, int] = {}
    units = unit_names(session)
    if activities:
        ids = [a.id for a in activities]
        for activity_id, name in session.execute(
            select(col(ActivityMember.activity_id), col(Person.name))
            .join(Person, col(Person.id) == col(ActivityMember.person_id))
            .where(
                col(ActivityMember.activity_id).in_(ids), col(ActivityMember.deleted_at).is_(None)
            )
            .order_by(col(ActivityMember.created_at))
        ):
            names[activity_id].append(name)
        points = dict(
            session.execute(
                select(col(PointEntry.ref_id), func.sum(col(PointEntry.amount_c)))
                .where(col(PointEntry.ref_kind) == "activity", col(PointEntry.ref_id).in_(ids))
                .group_by(col(PointEntry.ref_id))
            ).all()
        )
    return [
        ActivityRow(
            a.id,
            a.held_on,
            a.kind,
            a.title,
            a.place,
            a.attendance,
            a.note,
            names.get(a.id, []),
            int(points.get(a.id) or 0),
            units.get(a.owner_code, a.owner_code),
        )
        for a in activities
    ]


def count_between(session: Session, start: date, end: date) -> int:
    """集体活动（场）: live activities held in [start, end] (`first_screen`)."""
    return count_activities(flushed_connection(session), start, end)


def participants_of(session: Session, activity_id: str) -> list[tuple[str, str]]:
    """(person id, name) of an activity's registered participants."""
    return [
        (pid, name)
        for pid, name in session.execute(
            select(col(Person.id), col(Person.name))
            .join(ActivityMember, col(ActivityMember.person_id) == col(Person.id))
            .where(
                col(ActivityMember.activity_id) == activity_id,
                col(ActivityMember.deleted_at).is_(None),
            )
            .order_by(col(ActivityMember.created_at))
        )
    ]


def candidates(session: Session) -> list[tuple[str, str]]:
    """Who can be ticked as a participant: everyone in the register, helpers first, by 组."""
    stmt = (
        select(col(Person.id), col(Person.name), col(Person.group_name))
        .join(HelperProfile, col(HelperProfile.person_id) == col(Person.id), isouter=True)
        .where(col(Person.deleted_at).is_(None), col(Person.status) == vocab.ACTIVE_STATUS)
        .add_columns(col(HelperProfile.id).is_(None))
    )
    rows = sorted(
        session.execute(stmt), key=lambda r: (r[3], collation_key(r[2]), collation_key(r[1]))
    )
    return [(pid, f"{name}（{group}）") for pid, name, group, _not_helper in rows]


# --- helpers ---------------------------------------------------------------------------------


def _describe(form: ActivityForm, errors: dict[str, str]) -> tuple[str, str, str, str, int | None]:
    kind = clean(form.kind)
    if kind not in vocab.ACTIVITY_KINDS:
        errors["activity_kind"] = "请选择活动类型"
    title = clean(form.title)
    if not title:
        errors["title"] = "请填写活动名称，如“重阳节集体生日会”"
    elif len(title) > 40:
        errors["title"] = "活动名称最多40个字"
    place = clean(form.place)
    if len(place) > 60:
        errors["place"] = "地点最多60个字"
    note = clean(form.note)
    if len(note) > 500:
        errors["note"] = "备注最多500个字"
    attendance: int | None = None
    raw = clean(str(form.attendance))
    if raw:
        if not raw.isdigit() or not 0 < int(raw) <= MAX_ATTENDANCE:
            errors["attendance"] = "参加人数请填1到10000之间的整数"
        else:
            attendance = int(raw)
    return kind, title, place, note, attendance


def _participants(session: Session, person_ids: list[str], errors: dict[str, str]) -> list[Person]:
    people = []
    for pid in dict.fromkeys(person_ids):
        p = session.get(Person, pid)
        if p is None or p.deleted_at is not None:
            errors["people"] = "所选的人不在名单中"
            return []
        people.append(p)
    return people


def _live(session: Session, activity_id: str) -> Activity:
    activity = session.get(Activity, activity_id)
    if activity is None or activity.deleted_at is not None:
        raise NotFoundError("找不到这条活动记录。", detail=activity_id)
    return activity


def _member_count(session: Session, activity_id: str) -> int:
    stmt = select(func.count()).where(
        col(ActivityMember.activity_id) == activity_id, col(ActivityMember.deleted_at).is_(None)
    )
    return int(session.execute(stmt).scalar_one())
