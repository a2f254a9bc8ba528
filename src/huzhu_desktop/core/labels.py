"""UI words that appear on more than one screen, in reports and in the CLI — one edit here changes
them everywhere. Stored values (statuses, kinds) live in `vocab`; this is how things are *called*.
"""

from __future__ import annotations

# A field's name, as forms, error messages, list columns and the CLI's tables call it.
FIELD_LABELS: dict[str, str] = {
    "registered_on": "登记日期",
    "effective_on": "情况变化日期",
    "name": "姓名",
    "village_code": "村代码",
    "village_name": "村名",
    "started": "已开展",
    "gender": "性别",
    "birth_date": "出生日期",
    "id_number": "身份证号码",
    "phone": "电话",
    "address": "住址",
    "group_name": "组",
    "elder_types": "老人类型",
    "disability_grade": "残疾等级",
    "living": "居住情况",
    "health": "健康状况",
    "has_children": "子女情况",
    "role": "帮扶人角色",
    "org_code": "统计用区划代码",
    "org_name": "单位名称",
    "parent_code": "上级单位代码",
    "parent_name": "上级单位名称",
    "district_name": "区县名称",
    "clerk_name": "经办人姓名",
    "kind": "工作区类型",
    "emergency_phone": "紧急联系人电话",
    "status_date": "变动日期",
    "care_tier": "关爱等级",
    "organisation": "所属组织",
    "activity_kind": "活动类型",
    "title": "名称",
    "place": "地点",
    "attendance": "参加人数",
    "people": "人员",
    "date": "日期",
    "note": "备注",
    "reason": "原因",
    "source": "资金来源",
    "amount": "金额",
    "donor": "出资单位或个人",
    "purpose": "用途",
    "age": "年龄",
    "unit": "单位",
    "status": "状态",
    "elders": "被帮扶老人",
    "helpers": "帮扶人",
    "pairing_kind": "结对方式",
    "plan": "帮扶内容",
    "start_date": "开始",
    "end_date": "结束",
    "end_reason": "结束原因",
    "visit_date": "日期",
    "visit_kind": "方式",
    "duration_minutes": "时长(分钟)",
    "services": "服务内容",
    "visit_source": "来源",
    "updated_by": "录入人",
    "elders_helped": "结对老人数",
    "active": "在岗",
    "card": "明白卡",
    "household": "户名",
    "card_no": "卡号",
    "members": "人数",
    "opened_on": "设立日期",
    "closed_on": "停用日期",
}


def label(key: str) -> str:
    """The field's name; the key itself if it has none (never a KeyError on a screen)."""
    return FIELD_LABELS.get(key, key)


YES, NO = "是", "否"
COUNT_LINE = "共 {n} 条"  # under every CLI table


def plain_number(value: float, *, signed: bool = False) -> str:
    """A figure as a clerk writes it: 18480000, 59.7, 0.25 — never 1.848e+07 (Python's `:g`
    turns seven digits into an exponent: a district's 全年筹集资金). Up to two decimals, no
    trailing zeros; `signed`: +/- in front (a change)."""
    text = f"{value:+.2f}" if signed else f"{value:.2f}"
    text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "+0") else text
