"""The domain's vocabulary, in the seeds' exact wording (附件2, 南江 and 重庆 documents)."""

from __future__ import annotations

from typing import Any, TypeVar, cast

T = TypeVar("T")

GENDERS = ("男", "女")

# 附件2 说明：老人类型分为低保、分散特困、失独、残疾、优抚、其他。
ELDER_TYPES = ("低保", "分散特困", "失独", "残疾", "优抚", "其他")
DISABLED, OTHER_TYPE = ELDER_TYPES[3], ELDER_TYPES[5]
DISABILITY_GRADES = ("一级", "二级", "三级", "四级")
SEVERE_DISABILITY_GRADES = ("一级", "二级")  # 重残

LIVING = ("独居", "双居", "与子女同住", "与亲属同住", "其他")
ALONE = LIVING[0]
HEALTH = ("自理", "半失能", "失能")
# A 互助员's 身体状况 on the 明白卡 (seed 003: 年龄、身体状况、联系电话); the 低龄健康老人 helping.
HELPER_HEALTH = ("健康", "一般", "较差")
SELF_CARE, PARTLY_DEPENDENT, DEPENDENT = HEALTH
# 001: extra situations the town asks about.
ELDER_TAGS = ("空巢", "留守", "计划生育特殊家庭")
CARE_TIERS = ("高风险", "重点", "一般")

HELPER_ROLES = ("养老专干", "社工", "养老助理", "互助养老小组长", "志愿者")
SPECIALIST, SOCIAL_WORKER, ASSISTANT, GROUP_LEADER, VOLUNTEER = HELPER_ROLES

PERSON_STATUSES = ("在册", "迁出", "去世")
ACTIVE_STATUS, MOVED_OUT, DECEASED = PERSON_STATUSES

CARE_POINT_KINDS = ("中心点", "分点")
CENTRE, BRANCH = CARE_POINT_KINDS
PAIRING_KINDS = ("一对一", "划片式")
ONE_TO_ONE, AREA_GROUP = PAIRING_KINDS  # 特殊老人“一对一”; 社会老人“划片式”

WORKSPACE_KINDS = {"village": "村", "town": "镇", "district": "区"}

SPECIAL_ELDER_TYPES = ("分散特困", "失独")


def is_special_elder(
    elder_types: list[str] | tuple[str, ...],
    disability_grade: str | None,
    living: str | None,
    special_reason: str = "",
) -> bool:
    """特殊老人: 分散特困, 失独 or 重残 (残疾 一级/二级) elders who live alone (独居) — seed 002's
    "主要指" — or any elder the clerk marks special by judgment, with a reason."""
    if special_reason.strip():
        return True
    if living != ALONE:
        return False
    if any(t in SPECIAL_ELDER_TYPES for t in elder_types):
        return True
    return DISABLED in elder_types and disability_grade in SEVERE_DISABILITY_GRADES


def join_list(values: list[str] | tuple[str, ...], order: tuple[str, ...]) -> str:
    """Store a multi-valued enum as '、'-joined text in canonical order (as 附件2 writes it)."""
    return "、".join(v for v in order if v in values)


def split_list(text: str | None) -> list[str]:
    return [p for p in (text or "").split("、") if p]


class SharedValues:
    """One object for each value repeated across many rows read (性别, 居住, 组, dates, the
    、-joined lists as tuples): at a district's 180,000 elders the copies were most of the
    register's and the history's memory."""

    def __init__(self) -> None:
        self._seen: dict[Any, Any] = {}

    def one(self, value: T) -> T:
        return cast(T, self._seen.setdefault(value, value))

    def split(self, text: str | None) -> tuple[str, ...]:
        """`split_list(text)` as a tuple, one per distinct text."""
        key = ("、", text)
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = tuple(split_list(text))
        return cast(tuple[str, ...], found)


# 走访 (002: 每日敲敲门、每周谈谈心、每月帮帮忙; 入户探访 from the activity list).
VISIT_KINDS = ("敲敲门", "谈谈心", "帮帮忙", "入户探访")
KNOCK, TALK, HELP_OUT, HOME_VISIT = VISIT_KINDS
SERVICES = (
    "助餐",
    "助浴",
    "助洁",
    "助急",
    "助医",
    "助行",
    "助农",
    "代办",
    "心理疏导",
    "生活支持",
    "理发剪指甲",
)
# 集体活动 (002 （五）): each village that runs 互助养老 holds at least one a quarter.
ACTIVITY_KINDS = (
    "院坝会",
    "互助文化活动",
    "节日娱乐活动",
    "集体生日会",
    "健康服务",
    "生活支持服务",
    "数字鸿沟消除",
    "入户探访",
    "其他",
)
# 资金筹集 (002 四、资金筹集): 镇财政、村集体经济组织出一点，慈善组织、爱心企业、爱心人士捐赠一点.
FUNDING_SOURCES = ("镇财政", "村集体", "慈善组织", "爱心企业", "爱心人士", "其他")
TOWN_FUNDING_TARGET_FEN = 50_000_00  # 原则要求每个镇不少于5万元
# 表格: a helper's own 走访 sheet; 微信: lines reported in a chat group (both imported in batch).
VISIT_SOURCES = ("纸质", "电话", "卡片", "表格", "微信")
PAPER, BY_PHONE, BY_CARD, BY_SHEET, BY_WECHAT = VISIT_SOURCES
CONFIRMATIONS = ("签字", "电话回访", "当面")
REQUEST_STATUSES = ("待派单", "已派单", "已完成", "已取消")
REQUEST_NEW, REQUEST_ASSIGNED, REQUEST_DONE, REQUEST_CANCELLED = REQUEST_STATUSES

# What each kind of pairing asks for by default (002) and the longest gap it allows.
PAIRING_PLANS = {ONE_TO_ONE: "每日敲敲门、每周谈谈心、每月帮帮忙", AREA_GROUP: "定期上门巡访探视"}
PAIRING_PERIOD_DAYS = {ONE_TO_ONE: 7, AREA_GROUP: 30}
# Care tier → minimum contact (DESIGN §2: weekly / monthly / quarterly).
TIER_PERIOD_DAYS = {"高风险": 7, "重点": 30, "一般": 90}
# 特殊老人 must be visited every month (001: 特殊困难老年人月探访率 100%).
SPECIAL_PERIOD_DAYS = 30
