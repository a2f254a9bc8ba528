"""互助养老点 — the village's 中心点 and its 分点 (1 km / 15-minute walk radius)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from huzhu_desktop.core import clock, vocab
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.errors import NotFoundError, ValidationError
from huzhu_desktop.core.models import CarePoint
from huzhu_desktop.core.services.audit import record_audit, touch
from huzhu_desktop.core.services.permissions import requires
from huzhu_desktop.core.validate import FieldError, clean, parse_date


@dataclass
class CarePointForm:
    name: str = ""
    kind: str = vocab.BRANCH
    address: str = ""
    group_name: str = ""
    opened_on: str = ""
    closed_on: str = ""


@requires("settings")
def save_care_point(
    form: CarePointForm,
    *,
    session: Session,
    actor: Actor,
    point_id: str | None = None,
    today: date | None = None,
) -> CarePoint:
    today = today or clock.today()
    errors: dict[str, str] = {}
    name = clean(form.name)
    if not name:
        errors["name"] = "请填写互助养老点名称"
    if form.kind not in vocab.CARE_POINT_KINDS:
        errors["kind"] = "类型只能是中心点或分点"
    dates: dict[str, date | None] = {}
    for field in ("opened_on", "closed_on"):
        text = clean(getattr(form, field))
        try:
            dates[field] = parse_date(text, today=today) if text else None
        except FieldError as exc:
            errors[field] = str(exc)
    if dates.get("opened_on") is None and "opened_on" not in errors:
        errors["opened_on"] = "请填写设立日期（附件1按期末在用的点数统计）"
    opened, closed = dates.get("opened_on"), dates.get("closed_on")
    if opened and closed and closed < opened:
        errors["closed_on"] = "停用日期不能早于设立日期"
    if errors:
        raise ValidationError(errors)
    if point_id:
        point = session.get(CarePoint, point_id)
        if point is None or point.deleted_at is not None:
            raise NotFoundError("找不到这个互助养老点。", detail=point_id)
        touch(point, actor)
    else:
        point = CarePoint(
            owner_code=actor.owner_code,
            origin=actor.origin,
            updated_by=actor.operator,
            name=name,
            kind=form.kind,
        )
        session.add(point)
    point.name, point.kind = name, form.kind
    point.address, point.group_name = clean(form.address)[:120], clean(form.group_name)[:30]
    point.opened_on, point.closed_on = opened, closed
    session.flush()
    record_audit(
        session,
        actor,
        "修改互助养老点" if point_id else "新增互助养老点",
        "care_point",
        point.id,
        name,
    )
    return point
