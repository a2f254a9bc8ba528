"""The demo village's 资金筹集: the town's matching money each year and a few donations."""

from __future__ import annotations

import random
from datetime import date

from sqlmodel import Session

from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.services.funding import FundingForm, record_funding

GIFTS = (  # source, donor, 元, purpose
    ("村集体", "演示村股份经济合作联合社", "5000", "互助养老中心点水电和日常运转"),
    ("爱心企业", "渝北某农业开发公司", "3000", "积分超市物品"),
    ("慈善组织", "区慈善会", "2000", "重阳节集体生日会"),
    ("爱心人士", "在外乡贤王某某", "800", "为独居老人购买取暖器"),
)


def fill_funding(session: Session, actor: Actor, *, seed: int, today: date, first_day: date) -> int:
    """The town's 配套 at the start of each year in the demo span, then the gifts spread over the
    last months. Returns the records made."""
    r = random.Random(seed + 7)
    made = 0
    for year in range(first_day.year, today.year + 1):
        on = max(first_day, date(year, 3, 10))
        if on <= today:
            record_funding(
                FundingForm(on, "镇财政", "20000", "茨竹镇人民政府", "互助养老镇街配套"),
                session=session,
                actor=actor,
                today=today,
            )
            made += 1
    span = (today - first_day).days
    for source, donor, amount, purpose in GIFTS:
        on = date.fromordinal(today.toordinal() - r.randrange(max(1, min(span, 300))))
        record_funding(
            FundingForm(on, source, amount, donor, purpose),
            session=session,
            actor=actor,
            today=today,
        )
        made += 1
    return made
