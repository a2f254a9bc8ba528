"""The demo village's time bank: its rules, its 积分超市, and a year of earning and spending."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from datetime import date, timedelta

from sqlalchemy import select, text
from sqlmodel import Session, col

from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.models import HelperProfile, Person, Visit
from huzhu_desktop.core.services import activities, points, shop
from huzhu_desktop.core.services.point_rules import RuleForm, save_rule
from huzhu_desktop.core.services.points_read import accounts
from huzhu_desktop.core.services.visit_points import post_visit_points

CATALOG = (
    # name, unit, cost, stock (None: a service, no stock)
    ("大米（5斤）", "袋", "10", 20),
    ("食用油（1升）", "桶", "8", 15),
    ("洗衣粉", "袋", "3", 30),
    ("挂面", "把", "2", 40),
    ("鸡蛋（10个）", "份", "4", 25),
    ("理发", "次", "2", None),
    ("上门测血压", "次", "1", None),
)
APPEND_ONLY = ("point_entry", "stock_move")


@contextlib.contextmanager
def ledger_unlocked(session: Session) -> Iterator[None]:
    """Only for refilling a demo workspace: lift the append-only triggers inside the
    transaction (SQLite DDL is transactional; a failure rolls the triggers back too)."""
    for table in APPEND_ONLY:
        session.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_delete"))
    yield
    for table in APPEND_ONLY:
        session.execute(
            text(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
        )


def fill_time_bank(
    session: Session, actor: Actor, *, seed: int, today: date, first_day: date
) -> int:
    """Rules from the first day, every demo visit's points, a stocked 积分超市, a 重阳节 award,
    redemptions and one transfer. Returns the number of ledger entries."""
    r = random.Random(seed)
    save_rule(
        RuleForm("默认", first_day, "1", rounding_minutes=30, minimum_minutes=15, daily_cap="4"),
        session=session,
        actor=actor,
        today=first_day,
    )
    save_rule(
        RuleForm("活动", first_day, "0", award="2"), session=session, actor=actor, today=first_day
    )
    visit_ids = list(session.execute(select(col(Visit.id))).scalars())
    post_visit_points(session, actor, visit_ids)
    items = []
    for name, unit, cost, stock in CATALOG:
        item = shop.save_item(
            shop.ItemForm(name, unit, cost, stock is not None), session=session, actor=actor
        )
        session.flush()
        if stock is not None:
            shop.move_stock(
                item.id,
                "入库",
                stock,
                "镇民政办配送",
                session=session,
                actor=actor,
                on=today - timedelta(days=40),
                today=today,
            )
        items.append(item)
    helpers = list(
        session.execute(
            select(col(Person.id)).join(
                HelperProfile, col(HelperProfile.person_id) == col(Person.id)
            )
        ).scalars()
    )
    if helpers:
        _activities(session, actor, r, helpers, today=today, first_day=first_day)
    rich = sorted(accounts(session, with_entries_only=True), key=lambda a: -a.balance_c)[:8]
    left_after: dict[str, int] = {}  # each household's balance once its basket is paid
    for account in rich:
        basket: dict[str, int] = {}
        left = account.balance_c
        for item in r.sample(items, len(items)):
            if item.cost_c <= left // 2:  # households keep some points back
                basket[item.id] = 1
                left -= item.cost_c
        left_after[account.household_id] = left
        if basket:
            shop.redeem(
                account.household_id,
                basket,
                session=session,
                actor=actor,
                on=today - timedelta(days=r.randint(1, 20)),
                today=today,
            )
    if rich and left_after[rich[0].household_id] >= 1000:  # enough left to give 2 points
        elder_household = accounts(session)[0].household_id
        if elder_household != rich[0].household_id:
            points.transfer(
                rich[0].household_id,
                elder_household,
                "2",
                "送给邻居老人理发用",
                session=session,
                actor=actor,
                on=today - timedelta(days=3),
                today=today,
            )
    session.flush()
    return int(session.execute(text("SELECT count(*) FROM point_entry")).scalar_one())


ACTIVITIES = (  # one a quarter, as the 方案 asks; kind, title, place
    ("院坝会", "互助养老议事院坝会", "村互助养老中心点"),
    ("健康服务", "义诊和健康课堂", "村卫生室"),
    ("数字鸿沟消除", "教老人用智能手机、防诈骗宣传", "村互助养老中心点"),
    ("生活支持服务", "理发剪指甲志愿服务", "4组互助养老分点"),
)


def _activities(
    session: Session,
    actor: Actor,
    r: random.Random,
    helpers: list[str],
    *,
    today: date,
    first_day: date,
) -> None:
    """A collective activity in the middle of every quarter since the first day, and the 重阳节
    集体生日会; helpers take part and their households earn the 活动 award."""
    days = []
    month = date(first_day.year, first_day.month, 1)
    while month <= today:
        if month.month % 3 == 2 and first_day <= month.replace(day=15) <= today:
            days.append(month.replace(day=15))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    plans = [(d, *ACTIVITIES[i % len(ACTIVITIES)]) for i, d in enumerate(days)]
    festival = date(today.year, 10, 29)
    if first_day <= festival <= today:
        plans.append((festival, "集体生日会", "重阳节集体生日会", "村互助养老中心点"))
    for held_on, kind, title, place in sorted(plans):
        people = r.sample(helpers, min(r.randint(6, 15), len(helpers)))
        activities.record_activity(
            activities.ActivityForm(
                held_on, kind, title, place, len(people) + r.randint(5, 30), "", people
            ),
            session=session,
            actor=actor,
            today=today,
        )
