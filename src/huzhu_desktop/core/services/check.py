"""`huzhu check`: is the workspace database sound? Integrity, schema, derived fields, twins."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select, text
from sqlmodel import Session

from huzhu_desktop.core import vocab
from huzhu_desktop.core.db.schema import SCHEMA_HEAD
from huzhu_desktop.core.models import ElderProfile, HelperProfile, Household, Person


@dataclass
class CheckReport:
    problems: list[dict[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, code: str, message: str) -> None:
        self.problems.append({"code": code, "message": message})

    def to_json(self) -> dict[str, object]:
        return {"ok": self.ok, "problems": self.problems, "counts": self.counts}


def run_checks(session: Session) -> CheckReport:
    report = CheckReport()
    integrity = [r[0] for r in session.execute(text("PRAGMA integrity_check"))]
    if integrity != ["ok"]:
        report.add("integrity", f"数据库完整性检查未通过：{'；'.join(integrity[:5])}")
    fk = list(session.execute(text("PRAGMA foreign_key_check")))
    if fk:
        report.add("foreign_keys", f"有{len(fk)}条记录引用了不存在的记录（第一处在表 {fk[0][0]}）")
    version = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if version != SCHEMA_HEAD:
        report.add("schema", f"数据库版本 {version} 与软件所需版本 {SCHEMA_HEAD} 不一致")
    triggers = {
        r[0] for r in session.execute(text("SELECT name FROM sqlite_master WHERE type='trigger'"))
    }
    for name in ("audit_log_no_update", "audit_log_no_delete"):
        if name not in triggers:
            report.add("audit_trigger", f"操作日志的保护触发器 {name} 缺失，日志可能被改动")
    _check_special_flags(session, report)
    _check_twins(session, report)
    live = Person.deleted_at.is_(None)
    report.counts = {
        "people": session.execute(
            select(func.count()).select_from(Person).where(live)
        ).scalar_one(),
        "elders": session.execute(
            select(func.count()).select_from(ElderProfile).where(ElderProfile.deleted_at.is_(None))
        ).scalar_one(),
        "helpers": session.execute(
            select(func.count()).select_from(HelperProfile).where(HelperProfile.active == True)  # noqa: E712
        ).scalar_one(),
        "households": session.execute(select(func.count()).select_from(Household)).scalar_one(),
    }
    return report


def _check_special_flags(session: Session, report: CheckReport) -> None:
    wrong = []
    stmt = select(
        ElderProfile.id,
        ElderProfile.elder_types,
        ElderProfile.disability_grade,
        ElderProfile.living,
        ElderProfile.is_special,
    )
    for pid, types, grade, living, flag in session.execute(stmt):
        if vocab.is_special_elder(vocab.split_list(types), grade, living) != bool(flag):
            wrong.append(pid)
    if wrong:
        report.add("special_flag", f"{len(wrong)}位老人的“特殊老人”标记与其类型和居住情况不符")


def _check_twins(session: Session, report: CheckReport) -> None:
    stmt = (
        select(Person.id_number, func.count())
        .where(Person.id_number.is_not(None), Person.deleted_at.is_(None))
        .group_by(Person.id_number)
        .having(func.count() > 1)
    )
    twins = list(session.execute(stmt))
    if twins:
        report.add("duplicate_id", f"{len(twins)}个身份证号码登记了不止一人，请核对合并")
