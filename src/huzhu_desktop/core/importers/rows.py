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
from huzhu_desktop.core.importers.columns import FIELD_LABELS, HeaderMap
from huzhu_desktop.core.services.people import ElderForm, PersonForm
from huzhu_desktop.core.services.validation import (
    CleanElder,
    CleanHelper,
    CleanPerson,
    clean_elder,
    clean_person,
)
from huzhu_desktop.core.validate import FieldError, parse_id_number

GROUP_IN_ADDRESS = re.compile(r"^((?:\d{1,2}|[一二三四五六七八九十]{1,3})(?:组|社|村民小组))")

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
    registered_on: date | None = None  # 登记日期 column; None: the day of the import


class RowRejected(Exception):
    def __init__(self, rejection: Rejection) -> None:
        super().__init__(rejection.message)
        self.rejection = rejection


class RowParser:
    def __init__(
        self,
        header: HeaderMap,
        formula_cells: set[tuple[int, int]],
        *,
        today: date,
        default_kind: str = vocab.ONE_TO_ONE,
    ) -> None:
        self.header, self.formula_cells, self.today = header, formula_cells, today
        self.default_kind = default_kind
        self.index = header.field_index()
        self.headers = {c.index: c.header for c in header.columns}

    def _col(self, field: str) -> str:
        """The sheet's own header of a field's column, else the field's name in Chinese."""
        i = self.index.get(field)
        if i is not None and self.headers.get(i):
            return self.headers[i].replace("\n", "")
        return FIELD_LABELS.get(field, field)

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
                    else vocab.VOLUNTEER
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
        registered_value = self.get(row_no, values, "registered_on")
        try:
            registered = (
                norm.day(registered_value, today=self.today)
                if registered_value is not None
                else None
            )
        except FieldError as exc:
            raise self._reject(row_no, "registered_on", str(exc), "invalid_registered_on") from None
        return ParsedRow(
            row_no,
            elder,
            profile[0],
            note,
            helper,
            helper_profile,
            kind,
            start or self.today,
            registered,
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
        sheet_birth: norm.BirthValue | None = None
        try:
            birth_value = self.get(row_no, values, f"{side}_birth")
            age_value = self.get(row_no, values, f"{side}_age")
            if birth_value is not None:
                sheet_birth = norm.birth_value(birth_value, today=self.today)
            elif age_value is not None:
                sheet_birth = norm.age_value(age_value, today=self.today)
        except FieldError as exc:
            field = (
                f"{side}_birth" if self.index.get(f"{side}_birth") is not None else f"{side}_age"
            )
            raise self._reject(row_no, field, str(exc), "invalid_birth") from None
        birth_text = sheet_birth.as_text() if sheet_birth else ""
        id_value = self.get(row_no, values, f"{side}_id")
        id_text, birth_note = "", ""
        if id_value is not None:
            try:
                id_text = norm.id_number(id_value, today=self.today)
            except FieldError as exc:
                reason = "id_number_mangled" if "数字" in str(exc) else "invalid_id"
                raise self._reject(row_no, f"{side}_id", str(exc), reason) from None
            real = parse_id_number(id_text, today=self.today).birth_date
            if sheet_birth is not None and not sheet_birth.agrees_with(real):
                field = f"{side}_birth" if birth_value is not None else f"{side}_age"
                raise self._reject(
                    row_no,
                    field,
                    f"“{sheet_birth.written}”与身份证号码中的出生日期"
                    f"（{real.isoformat()}）不一致，请核对",
                    "invalid_birth",
                )
            if sheet_birth is not None:
                birth_text = ""  # the ID says exactly; the sheet agreed to its precision
                if sheet_birth.differs_from(real):
                    label = "年龄" if sheet_birth.from_age else "出生年月"
                    birth_note = (
                        f"表中{label}“{sheet_birth.written}”与身份证略有出入，"
                        f"已按身份证记为{real.isoformat()}"
                    )
        gender_value = self.get(row_no, values, f"{side}_gender")
        form = PersonForm(
            name=norm.text(name),
            gender=norm.text(gender_value) if gender_value is not None else "",
            birth_date=birth_text,
            id_number=id_text,
            phone=norm.phone_text(self.get(row_no, values, f"{side}_phone") or ""),
            address=norm.text(self.get(row_no, values, f"{side}_address") or ""),
            group_name=self._group(row_no, values, side),
        )
        person = clean_person(form, errors, today=self.today, require_birth=side == "elder")
        if errors or person is None:
            field, message = next(iter(errors.items()))
            sheet_field = f"{side}_{PERSON_FIELD_COLUMNS.get(field, field)}"
            if field == "birth_date" and self.index.get(sheet_field) is None:
                sheet_field = f"{side}_age"
            raise self._reject(row_no, sheet_field, message, REASONS.get(field))
        note = norm.text(self.get(row_no, values, "note") or "") if side == "elder" else ""
        return person, "；".join(n for n in (note, birth_note) if n)

    def _group(self, row_no: int, values: list[Any], side: str) -> str:
        """组 from its own column (the elder's), else from the person's own address when it
        starts with one (3组黄桷湾12号) — a helper's too."""
        if side == "elder" and "group" in self.index:
            return norm.text(self.get(row_no, values, "group") or "")
        address = norm.text(self.get(row_no, values, f"{side}_address") or "")
        m = GROUP_IN_ADDRESS.match(address)
        return m.group(1) if m else ""

    def _elder_profile(self, row_no: int, values: list[Any]) -> tuple[CleanElder, str]:
        try:
            parsed = norm.elder_types(self.get(row_no, values, "elder_types") or vocab.OTHER_TYPE)
        except FieldError as exc:
            raise self._reject(row_no, "elder_types", str(exc), "unknown_elder_type") from None
        note = parsed.note
        fields = (
            ("living", norm.LIVING_SYNONYMS, "居住情况", vocab.LIVING),
            ("health", norm.HEALTH_SYNONYMS, "健康状况", vocab.HEALTH),
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
        grade_value = self.get(row_no, values, "disability_grade")
        try:
            grade = norm.disability_grade(grade_value) if grade_value is not None else parsed.grade
        except FieldError as exc:
            raise self._reject(row_no, "disability_grade", str(exc)) from None
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
            parsed.types, grade, mapped["living"], mapped["health"], children, parsed.tags
        )
        profile = clean_elder(form, errors, require_grade=False)
        if errors or profile is None:
            field, message = next(iter(errors.items()))
            raise self._reject(row_no, field, message)
        if vocab.DISABLED in parsed.types and not profile.disability_grade and not note:
            note = "请补充残疾等级"
        return profile, note
