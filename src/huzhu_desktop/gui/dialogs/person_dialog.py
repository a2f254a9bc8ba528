"""Add or edit a person: 基本信息, and the 被帮扶老人 and/or 帮扶人 sections.

Validation happens in the service; its field messages appear under the fields and nothing is
saved until every field is right. A probable twin asks before saving.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core import vocab
from huzhu_desktop.core.errors import DuplicatePersonError, ValidationError
from huzhu_desktop.core.services import people, register
from huzhu_desktop.core.services.people import ElderForm, HelperForm, PersonForm
from huzhu_desktop.core.services.permissions import allowed
from huzhu_desktop.core.validate import FieldError, parse_id_number
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui import fit_screen
from huzhu_desktop.gui.forms import ERROR_STYLE, FieldErrors, combo, set_combo, shortcut
from huzhu_desktop.gui.ops import BackgroundOp

NEW_HOUSEHOLD = "（新建一户）"


HINTS = {  # explanations under a field, wrapped (a placeholder would be cut at the field's width)
    "id_number": "填了身份证号，性别和出生日期会自动带出。",
    "medical_notes": "老人同意时才印在明白卡上。",
    "special_reason": "分散特困、失独、重残的独居老人自动算特殊老人；其他需要“一对一”帮扶的，"
    "村里认定后在这里写明原因。",
}


class PersonDialog(QDialog):
    saved = Signal(str)

    def __init__(
        self,
        ws: Workspace,
        parent: QWidget | None = None,
        *,
        person_id: str | None = None,
        as_elder: bool = False,
        as_helper: bool = False,
    ) -> None:
        super().__init__(parent)
        self.ws, self.person_id = ws, person_id
        self.errors = FieldErrors()
        self.setWindowTitle(
            "修改人员信息" if person_id else ("新增老人" if as_elder else "新增帮扶人")
        )
        self.households: list[register.HouseholdRow] = []
        grid = QGridLayout()
        basic = self._basic_box([])
        basic.setMinimumWidth(340)  # room for 1948-03-05 或 1948 and the phone's hint, uncut
        grid.addWidget(basic, 0, 0, 2, 1)
        grid.addWidget(self._elder_box(), 0, 1)
        grid.addWidget(self._helper_box(), 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.general_error = QLabel()
        self.general_error.setObjectName("error_general")
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.errors.general = self.general_error

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            "保存（Ctrl+S）", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setObjectName("save")
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        shortcut("Ctrl+S", self, self.save)

        layout = QVBoxLayout(self)
        body = fit_screen.scrolling(grid)  # scrolls on a small screen; the buttons stay in view
        layout.addWidget(body, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        fit_screen.fit(self, body)

        if person_id is None:
            self.elder_box.setChecked(as_elder or not as_helper)
            self.helper_box.setChecked(as_helper)
            box = self.changed_on.parentWidget()
            if box is not None:  # new: nothing changed yet
                self._basic_form.setRowVisible(box, False)
        else:
            self.save_button.setEnabled(False)  # until the saved person is on screen
        self.name.setFocus()
        # The 组 list, the households (thousands in a big village) and the saved person are read
        # off the GUI thread; a new person can be typed in and saved meanwhile.
        BackgroundOp(self, self._load).on_success(self._loaded).run()

    def _load(self) -> tuple[list[str], list[register.HouseholdRow], Any]:
        with self.ws.reading() as s:
            loaded = (
                register.group_names(s),
                register.list_households(s),
                people.load_forms(s, self.person_id) if self.person_id else None,
            )
        if self.person_id and loaded[2] is not None:
            if not allowed(self.ws.actor.role, "reveal"):  # 只读/审计: the record, masked
                loaded = (*loaded[:2], people.masked(loaded[2]))
            elif not self.ws.read_only:  # the full 身份证号 and phone are shown, and logged
                with self.ws.transaction() as t:
                    people.record_viewed(t, self.ws.actor, self.person_id)
        return loaded

    def _loaded(self, data: tuple[list[str], list[register.HouseholdRow], Any]) -> None:
        groups, self.households, loaded = data
        typed = self.group.currentText()
        self.group.addItems([g for g in groups if self.group.findText(g) < 0])
        self.group.setCurrentText(typed)
        self._refresh_households(typed)
        if loaded is not None:
            self._fill(*loaded)
            self.save_button.setEnabled(True)

    # --- layout -------------------------------------------------------------------------------

    def _basic_box(self, groups: list[str]) -> QGroupBox:
        box = QGroupBox("基本信息")
        form = QFormLayout(box)
        self._basic_form = form
        self.name = QLineEdit()
        self.gender = combo(vocab.GENDERS)
        self.birth = QLineEdit()
        self.birth.setPlaceholderText("1948-03-05 或 1948")
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(20)
        self.id_number.setPlaceholderText("18位")
        self.id_number.editingFinished.connect(self._from_id)
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("手机11位，或 023-12345678")
        self.group = QComboBox()
        self.group.setEditable(True)
        self.group.addItems(["", *groups])
        self.group.currentTextChanged.connect(self._refresh_households)
        self.address = QLineEdit()
        self.household = QComboBox()
        self.note = QLineEdit()
        self.registered = QLineEdit()
        self.registered.setObjectName("registered_on")
        self.registered.setPlaceholderText("默认今天")
        self.registered.setToolTip("老人或帮扶人纳入本村台账的日期；补录老台账时可填实际纳入日期")
        self.changed_on = QLineEdit()
        self.changed_on.setObjectName("effective_on")
        self.changed_on.setPlaceholderText("默认今天")
        self.changed_on.setToolTip(
            "居住、健康、类型、组或帮扶人角色从哪天起变的；若是更正原来写错的，请填登记日期"
        )
        for label, name, editor in (
            ("姓名 *", "name", self.name),
            ("性别 *", "gender", self.gender),
            ("出生日期 *", "birth_date", self.birth),
            ("身份证号码", "id_number", self.id_number),
            ("电话", "phone", self.phone),
            ("组", "group_name", self.group),
            ("住址", "address", self.address),
            ("户（一户一卡）", "household", self.household),
            ("备注", "note", self.note),
            ("登记日期", "registered_on", self.registered),
            ("情况变化日期", "effective_on", self.changed_on),
        ):
            self.errors.add_row(form, label, name, editor, HINTS.get(name, ""))
        self._refresh_households("")
        return box

    def _elder_box(self) -> QGroupBox:
        box = QGroupBox("登记为被帮扶老人")
        box.setObjectName("elder_box")
        box.setCheckable(True)
        form = QFormLayout(box)
        self.type_checks = self._checks(vocab.ELDER_TYPES, "type")
        self.grade = combo(vocab.DISABILITY_GRADES)
        self.living = combo(vocab.LIVING)
        self.health = combo(vocab.HEALTH)
        self.has_children = combo(("有", "无"), blank="（不清楚）")
        self.tag_checks = self._checks(vocab.ELDER_TAGS, "tag")
        self.tier = combo(vocab.CARE_TIERS)
        self.contact = QLineEdit()
        self.contact.setPlaceholderText("姓名（关系）")
        self.contact_phone = QLineEdit()
        self.medical = QLineEdit()
        self.medical.setPlaceholderText("过敏、慢病等")
        self.special_reason = QLineEdit()
        self.special_reason.setObjectName("special_reason")
        self.special_reason.setMaxLength(60)
        self.special_reason.setPlaceholderText("如：子女长期在外、无人照料")
        self.special_hint = QLabel()
        self.special_hint.setObjectName("special_hint")
        self.special_hint.setWordWrap(True)
        for label, name, editor in (
            ("老人类型 *", "elder_types", self._row(self.type_checks)),
            ("残疾等级", "disability_grade", self.grade),
            ("居住情况 *", "living", self.living),
            ("健康状况 *", "health", self.health),
            ("子女情况", "has_children", self.has_children),
            ("其他情况", "tags", self._row(self.tag_checks)),
            ("关爱等级", "care_tier", self.tier),
            ("紧急联系人", "emergency_contact", self.contact),
            ("紧急联系人电话", "emergency_phone", self.contact_phone),
            ("健康备注", "medical_notes", self.medical),
            ("认定为特殊老人的原因", "special_reason", self.special_reason),
        ):
            self.errors.add_row(form, label, name, editor, HINTS.get(name, ""))
        form.addRow("", self.special_hint)
        self.special_reason.textChanged.connect(self._update_special_hint)
        for cb in self.type_checks.values():
            cb.toggled.connect(self._update_special_hint)
        self.grade.currentIndexChanged.connect(self._update_special_hint)
        self.living.currentIndexChanged.connect(self._update_special_hint)
        self.elder_box = box
        return box

    def _helper_box(self) -> QGroupBox:
        box = QGroupBox("登记为帮扶人（低龄老人也可以同时是帮扶人）")
        box.setObjectName("helper_box")
        box.setCheckable(True)
        form = QFormLayout(box)
        self.role = combo(vocab.HELPER_ROLES)
        self.organisation = QLineEdit()
        self.organisation.setPlaceholderText("社工填所属社工组织名称")
        self.since = QLineEdit()
        self.since.setPlaceholderText("加入日期，不填为今天")
        self.errors.add_row(form, "角色 *", "role", self.role)
        self.errors.add_row(form, "所属组织", "organisation", self.organisation)
        self.errors.add_row(form, "加入日期", "since", self.since)
        self.helper_health = combo(vocab.HELPER_HEALTH, blank="（不填）")
        self.helper_health.setObjectName("helper_health")
        self.errors.add_row(form, "身体状况", "helper_health", self.helper_health)
        self.helper_box = box
        return box

    @staticmethod
    def _checks(values: tuple[str, ...], prefix: str) -> dict[str, QCheckBox]:
        checks = {}
        for v in values:
            cb = QCheckBox(v)
            cb.setObjectName(f"{prefix}_{v}")
            checks[v] = cb
        return checks

    @staticmethod
    def _row(checks: dict[str, QCheckBox]) -> QWidget:
        w = QWidget()
        lay = QHBoxLayout(w)
        lay.setContentsMargins(0, 0, 0, 0)
        for cb in checks.values():
            lay.addWidget(cb)
        lay.addStretch(1)
        return w

    # --- behaviour ----------------------------------------------------------------------------

    def _refresh_households(self, group: str) -> None:
        current = self.household.currentData()
        self.household.clear()
        self.household.addItem(NEW_HOUSEHOLD, None)
        for h in self.households:
            if not group or h.group == group or h.id == current:
                self.household.addItem(f"{h.name}（{h.group}，{h.members}人）", h.id)
        if current:
            self.household.setCurrentIndex(max(0, self.household.findData(current)))

    def _from_id(self) -> None:
        try:
            info = parse_id_number(self.id_number.text())
        except FieldError:
            return
        if not self.gender.currentData():
            set_combo(self.gender, info.gender)
        if not self.birth.text().strip():
            self.birth.setText(info.birth_date.isoformat())

    def _update_special_hint(self) -> None:
        types = [t for t, cb in self.type_checks.items() if cb.isChecked()]
        by_rule = vocab.is_special_elder(types, self.grade.currentData(), self.living.currentData())
        marked = bool(self.special_reason.text().strip())
        if by_rule:
            text = "★ 属于特殊老人：须有“一对一”结对帮扶，每月探访"
        elif marked:
            text = "★ 村里认定为特殊老人：须有“一对一”结对帮扶，每月探访（计入附件1）"
        else:
            text = ""
        self.special_hint.setText(text)

    def _fill(self, form: PersonForm, elder: ElderForm | None, helper: HelperForm | None) -> None:
        self.name.setText(form.name)
        set_combo(self.gender, form.gender)
        self.birth.setText(form.birth_date)
        self.id_number.setText(form.id_number)
        self.phone.setText(form.phone)
        self.group.setCurrentText(form.group_name)
        self._refresh_households(form.group_name)
        self.household.setCurrentIndex(max(0, self.household.findData(form.household_id)))
        self.address.setText(form.address)
        self.note.setText(form.note)
        self.registered.setText(form.registered_on)
        self.elder_box.setChecked(elder is not None)
        if elder is not None:
            for t, cb in self.type_checks.items():
                cb.setChecked(t in elder.elder_types)
            set_combo(self.grade, elder.disability_grade)
            set_combo(self.living, elder.living)
            set_combo(self.health, elder.health)
            set_combo(self.has_children, elder.has_children)
            for t, cb in self.tag_checks.items():
                cb.setChecked(t in elder.tags)
            set_combo(self.tier, elder.care_tier)
            self.contact.setText(elder.emergency_contact)
            self.contact_phone.setText(elder.emergency_phone)
            self.medical.setText(elder.medical_notes)
            self.special_reason.setText(elder.special_reason)
        self.helper_box.setChecked(helper is not None)
        if helper is not None:
            set_combo(self.role, helper.role)
            self.organisation.setText(helper.organisation)
            self.since.setText(helper.since)
            set_combo(self.helper_health, helper.health)

    def forms(self) -> tuple[PersonForm, ElderForm | None, HelperForm | None]:
        person = PersonForm(
            self.name.text(),
            self.gender.currentData() or "",
            self.birth.text(),
            self.id_number.text(),
            self.phone.text(),
            self.address.text(),
            self.group.currentText(),
            self.household.currentData(),
            self.note.text(),
            self.registered.text(),
        )
        elder = None
        if self.elder_box.isChecked():
            elder = ElderForm(
                [t for t, cb in self.type_checks.items() if cb.isChecked()],
                self.grade.currentData() or "",
                self.living.currentData() or "",
                self.health.currentData() or "",
                self.has_children.currentData() or "",
                [t for t, cb in self.tag_checks.items() if cb.isChecked()],
                self.tier.currentData() or "",
                self.contact.text(),
                self.contact_phone.text(),
                self.medical.text(),
                self.special_reason.text(),
            )
        helper = None
        if self.helper_box.isChecked():
            helper = HelperForm(
                self.role.currentData() or "",
                self.organisation.text(),
                self.since.text(),
                self.helper_health.currentData() or "",
            )
        return person, elder, helper

    def save(self, allow_duplicate: bool = False) -> None:
        if not self.save_button.isEnabled():
            return
        person, elder, helper = self.forms()
        changed_on = self.changed_on.text()
        self.errors.clear()
        self.save_button.setEnabled(False)

        def work() -> str:
            with self.ws.transaction() as s:
                saved = people.save_person(
                    person,
                    elder,
                    helper,
                    session=s,
                    actor=self.ws.actor,
                    person_id=self.person_id,
                    allow_duplicate=allow_duplicate,
                    effective_on=changed_on,
                )
                return saved.id

        def done(person_id: str) -> None:
            self.person_id = person_id
            self.saved.emit(person_id)
            self.accept()

        (
            BackgroundOp(self, work, label="正在保存…")
            .on_success(done)
            .on_error(self._show_error)
            .on_finally(lambda: self.save_button.setEnabled(True))
            .run()
        )

    def _show_error(self, exc: BaseException) -> bool:
        if isinstance(exc, ValidationError):
            self.errors.show(exc.errors)
            first = self.errors.first_field(exc.errors)
            widget = self.findChild(QWidget, first) if first else None
            if widget is not None:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        if isinstance(exc, DuplicatePersonError):
            same_id = any(m["reason"] == "身份证号码相同" for m in exc.matches)
            if same_id:
                self.errors.show({"id_number": exc.user_message})
                return True
            answer = QMessageBox.question(
                self,
                "可能重复",
                exc.user_message + "\n\n确实是另一个人，仍要保存吗？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer == QMessageBox.StandardButton.Yes:
                QTimer.singleShot(0, lambda: self.save(allow_duplicate=True))
            return True
        return False
