"""Find the header of a 台账 by what it says, not where it is, and map columns to fields.

Handles title rows and the 填表单位 line above the header, two-row headers whose upper row
holds merged group cells (被帮扶老人信息 / 帮扶人信息), reordered and extra columns, and the
same word (性别, 年龄, 电话, 住址) meaning the elder's or the helper's by its place.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

SCAN_ROWS = 30

# Field keys. Elder and helper fields share their suffix (name, gender, …).
ELDER, HELPER = "elder", "helper"
PERSON_SUFFIXES = ("name", "gender", "age", "birth", "phone", "address", "id")
FIELD_LABELS: dict[str, str] = {
    "elder_name": "被帮扶老人姓名",
    "elder_gender": "老人性别",
    "elder_age": "老人年龄",
    "elder_birth": "老人出生日期",
    "elder_phone": "老人电话",
    "elder_address": "老人住址",
    "elder_id": "老人身份证号码",
    "group": "组别",
    "has_children": "子女情况",
    "living": "居住情况",
    "health": "健康状况",
    "elder_types": "老人类型",
    "disability_grade": "残疾等级",
    "note": "备注",
    "helper_name": "帮扶人姓名",
    "helper_gender": "帮扶人性别",
    "helper_age": "帮扶人年龄",
    "helper_birth": "帮扶人出生日期",
    "helper_phone": "帮扶人电话",
    "helper_address": "帮扶人住址",
    "helper_id": "帮扶人身份证号码",
    "helper_role": "帮扶人身份",
    "pairing_kind": "结对方式",
    "pairing_start": "结对日期",
    "registered_on": "登记日期",
    "seq": "序号（不导入）",
    "visit_count": "帮扶次数（不导入，走访另行录入）",
}
IGNORED_FIELDS = ("seq", "visit_count")

GENERIC: dict[str, str] = {
    "姓名": "name",
    "名字": "name",
    "性别": "gender",
    "年龄": "age",
    "岁数": "age",
    "出生日期": "birth",
    "出生年月": "birth",
    "出生年月日": "birth",
    "出生年份": "birth",
    "电话": "phone",
    "联系电话": "phone",
    "手机": "phone",
    "手机号": "phone",
    "手机号码": "phone",
    "电话号码": "phone",
    "联系方式": "phone",
    "住址": "address",
    "家庭住址": "address",
    "地址": "address",
    "现住址": "address",
    "居住地址": "address",
    "身份证号码": "id",
    "身份证号": "id",
    "公民身份号码": "id",
    "身份证": "id",
    "身份号码": "id",
}
ELDER_PREFIXES = ("被帮扶老人", "被帮扶人", "被帮扶对象", "帮扶对象", "老人", "服务对象")
HELPER_PREFIXES = ("帮扶人员", "帮扶人", "结对帮扶人", "结对人", "志愿者", "互助员")
SPECIFIC: dict[str, str] = {
    "被帮扶老人": "elder_name",
    "被帮扶对象": "elder_name",
    "帮扶对象": "elder_name",
    "帮扶人": "helper_name",
    "结对帮扶人": "helper_name",
    "互助员": "helper_name",
    "志愿者": "helper_name",
    "组别": "group",
    "组": "group",
    "所在组": "group",
    "村民小组": "group",
    "社别": "group",
    "子女情况": "has_children",
    "有无子女": "has_children",
    "居住情况": "living",
    "居住状况": "living",
    "居住方式": "living",
    "健康状况": "health",
    "身体状况": "health",
    "健康情况": "health",
    "老人类型": "elder_types",
    "老人类别": "elder_types",
    "人员类别": "elder_types",
    "人员类型": "elder_types",
    "类型": "elder_types",
    "残疾等级": "disability_grade",
    "残疾级别": "disability_grade",
    "备注": "note",
    "帮扶人身份": "helper_role",
    "帮扶人类型": "helper_role",
    "帮扶人角色": "helper_role",
    "身份": "helper_role",
    "结对方式": "pairing_kind",
    "帮扶方式": "pairing_kind",
    "结对类型": "pairing_kind",
    "结对时间": "pairing_start",
    "结对日期": "pairing_start",
    "帮扶开始时间": "pairing_start",
    "登记日期": "registered_on",
    "登记时间": "registered_on",
    "纳入日期": "registered_on",
    "纳入时间": "registered_on",
    "建档日期": "registered_on",
    "建档时间": "registered_on",
    "序号": "seq",
    "编号": "seq",
    "帮扶次数": "visit_count",
    "走访次数": "visit_count",
    "探访次数": "visit_count",
}


def header_key(text: object) -> str:
    """'子女情况\\n（有无子女）' → '子女情况'; full-width folded, spaces and marks dropped."""
    s = unicodedata.normalize("NFKC", "" if text is None else str(text))
    s = re.sub(r"[(（][^)）]*[)）]", "", s)
    return re.sub(r"[\s*:：\"“”]", "", s)


def classify(text: object, side_hint: str | None) -> str | None:
    """The field a header cell names; `side_hint` decides 性别/年龄/… (elder or helper)."""
    key = header_key(text)
    if not key:
        return None
    if key in SPECIFIC:
        return SPECIFIC[key]
    for prefixes, side in ((HELPER_PREFIXES, HELPER), (ELDER_PREFIXES, ELDER)):
        for prefix in prefixes:
            if key.startswith(prefix) and key[len(prefix) :] in GENERIC:
                return f"{side}_{GENERIC[key[len(prefix) :]]}"
    if key in GENERIC:
        return f"{side_hint or ELDER}_{GENERIC[key]}"
    return None


@dataclass
class Column:
    index: int  # 0-based
    header: str
    field: str | None


@dataclass
class HeaderMap:
    header_row: int  # 1-based Excel row of the (last) header row
    columns: list[Column] = field(default_factory=list)

    @property
    def keys(self) -> dict[int, str]:
        """header_key of every column, computed once."""
        cached = self.__dict__.get("_keys")
        if cached is None:
            cached = {c.index: header_key(c.header) for c in self.columns}
            self.__dict__["_keys"] = cached
        return cached

    def field_index(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for col in self.columns:
            if col.field and col.field not in found:
                found[col.field] = col.index
        return found

    def with_overrides(self, overrides: dict[int, str | None]) -> HeaderMap:
        """The clerk's corrections: column index → field (None: do not import)."""
        cols = [Column(c.index, c.header, overrides.get(c.index, c.field)) for c in self.columns]
        return HeaderMap(self.header_row, cols)

    def duplicate_fields(self) -> list[str]:
        seen: dict[str, int] = {}
        for c in self.columns:
            if c.field and c.field not in IGNORED_FIELDS:
                seen[c.field] = seen.get(c.field, 0) + 1
        return [f for f, n in seen.items() if n > 1]


def _group_side(text: str) -> str | None:
    key = header_key(text)
    if not key:
        return None
    if any(key.startswith(p) for p in HELPER_PREFIXES):
        return HELPER
    if any(key.startswith(p) for p in ELDER_PREFIXES):
        return ELDER
    return None


def _map_row(cells: list[str], groups: list[str] | None) -> list[Column]:
    columns = []
    side = ELDER
    carried: str | None = None
    for i, text in enumerate(cells):
        group_text = groups[i] if groups and i < len(groups) else ""
        if groups is not None:
            carried = _group_side(group_text) or (carried if not group_text else None)
        hint = carried or side
        own = text or (group_text if groups is not None and not _group_side(group_text) else "")
        f = classify(own, hint)
        if f == "helper_name":
            side = HELPER
        elif f and not f.startswith(("elder_", "helper_")):
            side = ELDER  # 帮扶次数, 备注 … end the helper's block; later 身份证号码 is the elder's
        columns.append(Column(i, own, f))
    return columns


def _score(columns: list[Column]) -> int:
    fields = {c.field for c in columns if c.field}
    if "elder_name" not in fields:
        return 0
    return len(fields)


def find_header(rows: list[list[object]]) -> HeaderMap | None:
    """Best header among the first rows: one row, or a group row over a sub-header row."""
    width = max((len(r) for r in rows[:SCAN_ROWS]), default=0)
    texts = [
        [("" if v is None else str(v).strip()) for v in row] + [""] * (width - len(row))
        for row in rows[:SCAN_ROWS]
    ]
    best: tuple[int, HeaderMap] | None = None
    for i, row in enumerate(texts):
        candidates = [_map_row(row, None)]
        if i > 0:
            candidates.append(_map_row(row, texts[i - 1]))
        for cols in candidates:
            score = _score(cols)
            if score >= 3 and (best is None or score > best[0]):
                best = (score, HeaderMap(i + 1, cols))
    return best[1] if best else None


def looks_like_header(values: list[object], header: HeaderMap) -> bool:
    """A repeated header row (sheets printed page by page often repeat it)."""
    same = sum(
        1
        for c in header.columns
        if c.field and c.index < len(values) and header_key(values[c.index]) == header_key(c.header)
    )
    return same >= 3
