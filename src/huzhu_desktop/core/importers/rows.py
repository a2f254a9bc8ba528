"""One data row of a 台账 → clean elder, helper and pairing values, or a rejection.

Validation reuses the register's own rules (services.validation), so an imported elder is held
to exactly what the add-elder dialog demands; only the 残疾等级 may be missing (old sheets do
not record it) and is then flagged in the elder's note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from huzhu_desktop.core import vocab
from huzhu_desktop.core.importers import normalize as norm
from huzhu_desktop.core.importers.columns import HeaderMap, header_key
from huzhu_desktop.core.services.people import ElderForm, PersonForm
from huzhu_desktop.core.services.validation import (
    CleanElder,
    CleanHelper,
    CleanPerson,
    clean_elder,
    clean_person,
)
from huzhu_desktop.core.validate import FieldError

GROUP_IN_ADDRESS = re.compile(r"^((?:\d{1,2}|[一二三四五六七八九十]{1,3})(?:组|社|村民小组))")
STALE_AGE_YEARS = 2  # 年龄 in an old sheet lags behind the ID's birth year by this much at most
NOT_DATA_MARKS = (
    "合计",
    "小计",
    "总计",
    "说明",
    "备注：",
    "备注:",
    "注：",
    "注:",
    "填表",
    "审核",
    "制表",
    "填报",
)

REASONS = {
    "name": "invalid_name",
    "gender": "invalid_gender",
    "birth_date": "invalid_birth",
    "id_number": "invalid_id",
    "phone": "invalid_phone",
    "elder_types": "unknown_elder_type",
    "living": "unknown_living",
    "health": "unknown_health",
    "has_children": "unknown_children",
    "disability_grade": "unknown_disability_grade",
    "role": "unknown_helper_role",
    "pairing_kind": "unknown_pairing_kind",
    "pairing_start": "invalid_pairing_date",
}
# Which sheet field a service field error belongs to, per side.
PERSON_FIELD_COLUMNS = {
    "name": "name",
    "gender": "gender",
    "birth_date": "birth",
    "id_number": "id",
    "phone": "phone",
    "address": "address",
    "group_name": "group",
}


@dataclass
class Rejection:
    row: int
    column: str
    reason: str
    message: str

    def to_json(self) -> dict[str, object]:
        return {
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
            "message": self.message,
        }


@dataclass
class ParsedRow:
    row: int
    elder: CleanPerson
    elder_profile: CleanElder
    elder_note: str
    helper: CleanPerson | None
    helper_profile: CleanHelper | None
    pairing_kind: str
    pairing_start: date


class RowRejected(Exception):
    def __init__(self, rejection: Rejection) -> None:
        super().__init__(rejection.message)
        self.rejection = rejection


def is_data_row(values: list[Any], header: HeaderMap) -> bool:
    first = next(
        (v for v in values if v is not None and not (isinstance(v, str) and not v.strip())), None
    )
    if first is None:
        return False
    if isinstance(first, str) and norm.text(first).replace(" ", "").startswith(NOT_DATA_MARKS):
        return False
    same = 0
    for c in header.columns:  # a repeated header row is not data
        if c.field and c.header and c.index < len(values):
            v = values[c.index]
            if isinstance(v, str) and (
                v == c.header or (v[:1] == c.header[:1] and header_key(v) == header.keys[c.index])
            ):
                same += 1
    return same < 3


class RowParser:
    def __init__(
        self,
        header: HeaderMap,
        formula_cells: set[tuple[int, int]],
        *,
        today: date,
        default_kind: str = "一对一",
    ) -> None:
        self.header, self.formula_cells, self.today = header, formula_cells, today
        self.default_kind = default_kind
        self.index = header.field_index()
        self.headers = {c.index: c.header for c in header.columns}

    def _col(self, field: str) -> str:
        i = self.index.get(field)
        return self.headers.get(i, field).replace("\n", "") if i is not None else field

    def _reject(self, row: int, field: str, message: str, reason: str | None = None) -> RowRejected:
        column = self._col(field)
        return RowRejected(
            Rejection(
                row,
                column,
                reason
                or REASONS.get(field)
                or REASONS.get(field.split("_", 1)[-1], "invalid_value"),
                f"“{column}”：{message}",
            )
        )

    def get(self, row_no: int, values: list[Any], field: str) -> Any:
        i = self.index.get(field)
        if i is None or i >= len(values):
            return None
        if self.formula_cells and (row_no, i) in self.formula_cells:
            raise self._reject(
                row_no,
                field,
                "这一格是公式且没有保存计算结果，请在 Excel 中打开并保存后再导入，或把公式改成数值",
                "formula_without_value",
            )
        v = values[i]
        return None if isinstance(v, str) and not v.strip() else v

    def parse(self, row_no: int, values: list[Any]) -> ParsedRow:
        elder, elder_note = self._person(row_no, values, "elder", required=True)
        assert elder is not None
        profile = self._elder_profile(row_no, values)
        helper, _ = self._person(row_no, values, "helper", required=False)
        helper_profile = None
        if helper is not None:
            role = self.get(row_no, values, "helper_role")
            try:
                role_value = (
                    norm.one_of(role, norm.ROLE_SYNONYMS, "帮扶人身份", vocab.HELPER_ROLES)
                    if role is not None
                    else "志愿者"
                )
            except FieldError as exc:
                raise self._reject(row_no, "helper_role", str(exc), "unknown_helper_role") from None
            helper_profile = CleanHelper(role_value, "", None)
        kind_value = self.get(row_no, values, "pairing_kind")
        try:
            kind = (
                norm.one_of(kind_value, norm.KIND_SYNONYMS, "结对方式", vocab.PAIRING_KINDS)
                if kind_value is not None
                else self.default_kind
            )
            start_value = self.get(row_no, values, "pairing_start")
            start = (
                norm.birth(start_value, today=self.today)[0] if start_value is not None else None
            )
        except FieldError as exc:
            field = (
                "pairing_kind"
                if kind_value is not None and "结对方式" in str(exc)
                else "pairing_start"
            )
            raise self._reject(row_no, field, str(exc)) from None
        note = "；".join(n for n in (elder_note, profile[1]) if n)
        return ParsedRow(
            row_no, elder, profile[0], note, helper, helper_profile, kind, start or self.today
        )

    def _person(
        self, row_no: int, values: list[Any], side: str, *, required: bool
    ) -> tuple[CleanPerson | None, str]:
        name = self.get(row_no, values, f"{side}_name")
        if name is None:
            if required:
                raise self._reject(row_no, f"{side}_name", "姓名为空", "missing_name")
            return None, ""
        errors: dict[str, str] = {}
        birth_text, from_age = "", False
        try:
            birth_value = self.get(row_no, values, f"{side}_birth")
            age_value = self.get(row_no, values, f"{side}_age")
            if birth_value is not None:
                d, year = norm.birth(birth_value, today=self.today)
                birth_text = d.isoformat() if d else str(year)
            elif age_value is not None:
                d, year = norm.age_or_birth(age_value, today=self.today)
                birth_text = d.isoformat() if d else str(year)
                from_age = d is None
        except FieldError as exc:
            field = (
                f"{side}_birth" if self.index.get(f"{side}_birth") is not None else f"{side}_age"
            )
            raise self._reject(row_no, field, str(exc), "invalid_birth") from None
        id_value = self.get(row_no, values, f"{side}_id")
        id_text = ""
        if id_value is not None:
            try:
                id_text = norm.id_number(id_value, today=self.today)
            except FieldError as exc:
                reason = "id_number_mangled" if "数字" in str(exc) else "invalid_id"
                raise self._reject(row_no, f"{side}_id", str(exc), reason) from None
            if (
                from_age
                and abs(
                    int(birth_text)
                    - int(id_text[6:10] if len(id_text) == 18 else "19" + id_text[6:8])
                )
                <= STALE_AGE_YEARS
            ):
                birth_text = ""  # a 年龄 filled in a year or two ago: the ID says exactly
        gender_value = self.get(row_no, values, f"{side}_gender")
        form = PersonForm(
            name=norm.text(name),
            gender=norm.text(gender_value) if gender_value is not None else "",
            birth_date=birth_text,
            id_number=id_text,
            phone=norm.phone_text(self.get(row_no, values, f"{side}_phone") or ""),
            address=norm.text(self.get(row_no, values, f"{side}_address") or ""),
            group_name=self._group(row_no, values) if side == "elder" else "",
        )
        person = clean_person(form, errors, today=self.today)
        if errors or person is None:
            field, message = next(iter(errors.items()))
            sheet_field = f"{side}_{PERSON_FIELD_COLUMNS.get(field, field)}"
            if field == "birth_date" and self.index.get(sheet_field) is None:
                sheet_field = f"{side}_age"
            raise self._reject(row_no, sheet_field, message, REASONS.get(field))
        note = norm.text(self.get(row_no, values, "note") or "") if side == "elder" else ""
        return person, note

    def _group(self, row_no: int, values: list[Any]) -> str:
        """组 from its own column, else from an address that starts with it (3组黄桷湾12号)."""
        if "group" in self.index:
            return norm.text(self.get(row_no, values, "group") or "")
        address = norm.text(self.get(row_no, values, "elder_address") or "")
        m = GROUP_IN_ADDRESS.match(address)
        return m.group(1) if m else ""

    def _elder_profile(self, row_no: int, values: list[Any]) -> tuple[CleanElder, str]:
        note = ""
        try:
            raw_types = self.get(row_no, values, "elder_types")
            types, tags, note_from_types = norm.elder_types(raw_types or "其他")
            note = note_from_types or ""
        except FieldError as exc:
            raise self._reject(row_no, "elder_types", str(exc), "unknown_elder_type") from None
        fields = (
            ("living", norm.LIVING_SYNONYMS, "居住情况", vocab.LIVING),
            ("health", norm.HEALTH_SYNONYMS, "健康状况", vocab.HEALTH),
            (
                "disability_grade",
                {g: g for g in vocab.DISABILITY_GRADES},
                "残疾等级",
                vocab.DISABILITY_GRADES,
            ),
        )
        mapped: dict[str, str] = {}
        for field, synonyms, label, allowed in fields:
            value = self.get(row_no, values, field)
            if value is None:
                mapped[field] = ""
                continue
            try:
                mapped[field] = norm.one_of(value, synonyms, label, allowed)
            except FieldError as exc:
                raise self._reject(row_no, field, str(exc)) from None
        children_value = self.get(row_no, values, "has_children")
        try:
            children = norm.has_children(children_value) if children_value is not None else ""
        except FieldError as exc:
            raise self._reject(row_no, "has_children", str(exc)) from None
        for field, label in (("living", "居住情况"), ("health", "健康状况")):
            if not mapped[field]:
                raise self._reject(row_no, field, f"{label}为空", f"missing_{field}")
        errors: dict[str, str] = {}
        form = ElderForm(
            types, mapped["disability_grade"], mapped["living"], mapped["health"], children, tags
        )
        profile = clean_elder(form, errors, require_grade=False)
        if errors or profile is None:
            field, message = next(iter(errors.items()))
            raise self._reject(row_no, field, message)
        if "残疾" in types and not profile.disability_grade and not note:
            note = "请补充残疾等级"
        return profile, note
