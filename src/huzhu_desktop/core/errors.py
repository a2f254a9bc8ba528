"""Typed errors. Each carries a Chinese message for the user and English detail for the log."""

from __future__ import annotations


class HuzhuError(Exception):
    """Base error: `user_message` is shown to the clerk, `detail` goes to the log."""

    exit_code = 1

    def __init__(self, user_message: str, detail: str = "") -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.detail = detail or user_message


class ValidationError(HuzhuError):
    """Input that the user must fix. `errors` maps a form field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        lines = "；".join(f"{FIELD_LABELS.get(k, k)}：{v}" for k, v in self.errors.items())
        super().__init__(f"请更正以下内容：{lines}", detail=repr(self.errors))


class DuplicatePersonError(HuzhuError):
    """Saving would create a probable twin (same ID, or same name + birth year + 组)."""

    def __init__(self, matches: list[dict[str, str]]) -> None:
        self.matches = matches
        names = "、".join(f"{m['name']}（{m['reason']}）" for m in matches)
        super().__init__(f"可能与已登记的人员重复：{names}。请核对后再保存。")


class WorkspaceError(HuzhuError):
    """The workspace folder or database cannot be used as it is."""


class NotFoundError(HuzhuError):
    """A record asked for by id does not exist (or was deleted)."""


FIELD_LABELS: dict[str, str] = {
    "name": "姓名",
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
}


class UnreadableFileError(HuzhuError):
    """A file that cannot be read at all: not xlsx, corrupt, password-protected, hostile."""

    exit_code = 2


class LimitExceededError(HuzhuError):
    """A file refused by a size or row cap: readable, but too big to take safely."""

    exit_code = 1
