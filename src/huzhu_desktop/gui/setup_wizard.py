"""首次设置 — the first-run wizard: workspace kind, org unit with its code, first clerk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from huzhu_desktop.core.errors import HuzhuError
from huzhu_desktop.core.services import keys
from huzhu_desktop.core.services.keys import KeyCard
from huzhu_desktop.core.services.setup import (
    KNOWN_DISTRICTS,
    SetupForm,
    form_from_card,
    initialize,
    validate_setup,
)
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui import files
from huzhu_desktop.gui.forms import FieldErrors

KIND_LABELS = (
    ("village", "村（村委会的电脑）"),
    ("town", "镇（乡镇民政办）"),
    ("district", "区（区民政局）"),
)
UNIT_FIELDS = ("kind", "org_code", "org_name", "parent_name", "district_name")


class _Page(QWizardPage):
    def __init__(self, wizard: SetupWizard, fields: tuple[str, ...]) -> None:
        super().__init__()
        self.owner, self.fields = wizard, fields

    def validatePage(self) -> bool:
        errors = {k: v for k, v in validate_setup(self.owner.form()).items() if k in self.fields}
        self.owner.errors.show(errors)
        return not errors


class _Derived(QLineEdit):
    """A field the wizard fills from another (所属区县 from the code): it says so beside the
    field, and typing into it replaces the whole filled text instead of adding to it (so 渝北区
    typed again does not become 渝北区渝北区)."""

    def __init__(self) -> None:
        super().__init__()
        self.derived = False
        self.textEdited.connect(self._edited)

    def fill(self, text: str, why: str) -> None:
        self.setText(text)
        self.derived = True
        self.setToolTip(why)
        self.setStyleSheet("background: #f3f7ee;")

    def _edited(self, _text: str) -> None:
        if self.derived:
            self.derived = False
            self.setStyleSheet("")

    def focusInEvent(self, event: Any) -> None:
        super().focusInEvent(event)
        if self.derived:
            QTimer.singleShot(0, self.selectAll)  # after Qt has placed the cursor


def choose_card(parent: QWidget) -> str:
    """The OS file picker for the first PC's key card (tests replace this function)."""
    return files.choose_open_path(
        parent, "选择第一台电脑的密钥卡", "密钥卡 (*.json *.card);;所有文件 (*)"
    )


class SetupWizard(QWizard):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.errors = FieldErrors()
        self.setWindowTitle("互助养老 — 首次设置")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步")
        self.setButtonText(QWizard.WizardButton.BackButton, "上一步")
        self.setButtonText(QWizard.WizardButton.FinishButton, "完成")
        self.setButtonText(QWizard.WizardButton.CancelButton, "取消")
        self.addPage(self._unit_page())
        self.addPage(self._clerk_page())
        self.resize(720, 520)

    def _unit_page(self) -> QWizardPage:
        page = _Page(self, UNIT_FIELDS)
        page.setTitle("第一步：本工作区属于哪个单位")
        page.setSubTitle(
            "统计用区划代码可填6位（区县）、9位（乡镇）或12位（村），软件会自动补足12位。"
        )
        self.kind = QComboBox()
        for value, label in KIND_LABELS:
            self.kind.addItem(label, value)
        self.org_code = QLineEdit()
        self.org_code.setPlaceholderText("如 500112108201")
        self.org_code.textChanged.connect(self._guess_district)
        self.org_name = QLineEdit()
        self.org_name.setPlaceholderText("如 演示村")
        self.parent_name = QLineEdit()
        self.parent_name.setPlaceholderText("村填所属镇，如 茨竹镇；镇填所属区")
        self.district_name = _Derived()
        self.district_name.setPlaceholderText("如 渝北区（报表标题用）")
        form = QFormLayout()
        for label, name, editor in (
            ("工作区类型", "kind", self.kind),
            ("统计用区划代码", "org_code", self.org_code),
            ("单位名称", "org_name", self.org_name),
            ("上级单位名称", "parent_name", self.parent_name),
            ("所属区县", "district_name", self.district_name),
        ):
            self.errors.add_row(form, label, name, editor)
        lay = QVBoxLayout(page)
        lay.addLayout(form)
        self.join_card: KeyCard | None = None
        join = QPushButton("本单位已在另一台电脑上使用：读那台电脑的密钥卡…")
        join.setObjectName("join_from_card")
        join.clicked.connect(self.read_first_pc_card)
        lay.addWidget(join)
        self.join_note = QLabel()
        self.join_note.setWordWrap(True)
        self.join_note.hide()
        lay.addWidget(self.join_note)
        return page

    def read_first_pc_card(self) -> None:
        """第二台电脑: fill the unit from the first PC's key card (same code and names, so the
        two PCs' records line up) and trust that PC once the clerk finishes."""
        chosen = choose_card(self)
        if not chosen:
            return
        try:
            card = keys.read_card(Path(chosen))
        except HuzhuError as exc:
            QMessageBox.warning(self, "读取密钥卡", exc.user_message)
            return
        names = keys.card_unit_names(Path(chosen))
        form = form_from_card(card, names)
        self.kind.setCurrentIndex(self.kind.findData(form.kind))
        self.org_code.setText(form.org_code)
        self.org_name.setText(form.org_name)
        self.parent_name.setText(form.parent_name)
        if form.district_name:
            self.district_name.fill(form.district_name, "照第一台电脑填好，可以修改")
        self.join_card = card
        self.join_note.setText(
            f"已按第一台电脑的密钥卡填好。第一台电脑的指纹：{card.fingerprint}——请与那台电脑"
            "“同步 → 密钥”页上显示的逐组核对。设置完成后，把本机的密钥卡导入第一台电脑，"
            "再从那台电脑导出数据包给本机导入，台账就全过来了。"
        )
        self.join_note.show()

    def _clerk_page(self) -> QWizardPage:
        page = _Page(self, ("clerk_name", "office_phone", "supervision_phone"))
        page.setTitle("第二步：经办人和电话")
        page.setSubTitle(
            "每一次新增和修改都会记下经办人的姓名。两个电话印在每张明白卡上，"
            "可以以后在“设置”里再填。"
        )
        self.clerk_name = QLineEdit()
        self.clerk_name.setPlaceholderText("您的姓名")
        self.office_phone = QLineEdit()
        self.office_phone.setPlaceholderText("村委会（或镇民政办）电话，如 023-67851234")
        self.supervision_phone = QLineEdit()
        self.supervision_phone.setPlaceholderText("服务不到位时投诉的电话，如镇民政办 023-67851000")
        form = QFormLayout()
        self.errors.add_row(form, "经办人姓名", "clerk_name", self.clerk_name)
        self.errors.add_row(form, "村委会电话", "office_phone", self.office_phone)
        self.errors.add_row(form, "监督电话", "supervision_phone", self.supervision_phone)
        self.general = QLabel()
        self.general.setObjectName("error_general")
        self.general.hide()
        self.errors.general = self.general
        lay = QVBoxLayout(page)
        lay.addLayout(form)
        lay.addWidget(self.general)
        return page

    def _guess_district(self, text: str) -> None:
        name = KNOWN_DISTRICTS.get(text.strip()[:6])
        if name and (not self.district_name.text() or self.district_name.derived):
            self.district_name.fill(name, "已按统计用区划代码填好，可以修改")

    def form(self) -> SetupForm:
        return SetupForm(
            kind=self.kind.currentData(),
            org_code=self.org_code.text(),
            org_name=self.org_name.text(),
            parent_name=self.parent_name.text(),
            district_name=self.district_name.text(),
            clerk_name=self.clerk_name.text(),
            office_phone=self.office_phone.text(),
            supervision_phone=self.supervision_phone.text(),
        )

    def accept(self) -> None:
        """Finish: one transaction writes the org unit and clerk (fast: no background op needed)."""
        try:
            with self.ws.transaction() as s:
                info = initialize(self.form(), session=s)
                card = self.join_card
                if card is not None and card.org_code == info.org_code:
                    keys.trust(s, card, self.clerk_name.text().strip())
        except HuzhuError as exc:
            self.errors.show(getattr(exc, "errors", None) or {"general": exc.user_message})
            return
        self.ws.reload_info()
        super().accept()
