"""Form helpers: a field with its inline error line, and a registry that shows errors by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

ERROR_STYLE = "color: #b00020;"
# The first of these an editor has is what "the clerk changed it" means for it.
CHANGE_SIGNALS = (
    "textChanged",  # QLineEdit, QPlainTextEdit
    "currentIndexChanged",  # QComboBox
    "dateChanged",  # QDateEdit
    "valueChanged",  # QSpinBox
    "toggled",  # QCheckBox, QRadioButton
)


class FieldErrors:
    """Error labels under form fields, addressed by the service's field names."""

    def __init__(self) -> None:
        self.labels: dict[str, QLabel] = {}
        self.general: QLabel | None = None

    def add_row(
        self, form: QFormLayout, label: str, name: str, editor: QWidget, hint: str = ""
    ) -> None:
        """The field with its error line under it, and an explanation that wraps (a
        placeholder is cut at the field's width: 18位；填了会自动带…)."""
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(1)
        lay.addWidget(editor)
        if hint:
            note = QLabel(hint)
            note.setObjectName(f"hint_{name}")
            note.setWordWrap(True)
            note.setStyleSheet("color: #666; font-size: 9pt;")
            lay.addWidget(note)
        err = QLabel()
        err.setObjectName(f"error_{name}")
        err.setStyleSheet(ERROR_STYLE)
        err.setWordWrap(True)
        err.hide()
        lay.addWidget(err)
        self.labels[name] = err
        self.clear_on_change(name, editor)
        editor.setObjectName(name)
        caption = QLabel(label)
        caption.setBuddy(editor)
        form.addRow(caption, box)

    def clear_on_change(self, name: str, editor: QWidget) -> None:
        """The field's message goes as soon as the clerk changes the field (a red 请选择性别 beside
        a chosen 男 only confuses); the service checks everything again on 保存."""

        def hide(*_args: object) -> None:
            label = self.labels.get(name)
            if label is not None and not label.isHidden():
                label.clear()
                label.hide()

        for widget in [editor, *editor.findChildren(QWidget)]:
            for signal in CHANGE_SIGNALS:
                changed = getattr(widget, signal, None)
                if changed is not None and hasattr(changed, "connect"):
                    changed.connect(hide)
                    break

    def show(self, errors: dict[str, str]) -> None:
        self.clear()
        leftovers = []
        for name, message in errors.items():
            label = self.labels.get(name)
            if label is None:
                leftovers.append(message)
            else:
                label.setText(message)
                label.show()
        if self.general is not None and leftovers:
            self.general.setText("；".join(leftovers))
            self.general.show()

    def clear(self) -> None:
        for label in self.labels.values():
            label.clear()
            label.hide()
        if self.general is not None:
            self.general.clear()
            self.general.hide()

    def first_field(self, errors: dict[str, str]) -> str | None:
        return next((n for n in self.labels if n in errors), None)


def combo(items: tuple[str, ...] | list[str], *, blank: str | None = "") -> QComboBox:
    box = QComboBox()
    if blank is not None:
        box.addItem(blank, "")
    for item in items:
        box.addItem(item, item)
    return box


def set_combo(box: QComboBox, value: str) -> None:
    index = box.findData(value)
    if index < 0 and box.isEditable():
        box.setEditText(value)
        return
    box.setCurrentIndex(max(0, index))


def submit(
    parent: QWidget,
    work: Callable[[], Any],
    errors: FieldErrors,
    done: Callable[[Any], None],
    *,
    label: str = "正在保存…",
) -> None:
    """Save a form off the GUI thread: field errors appear under their fields, `done` on success."""
    from huzhu_desktop.core.errors import ValidationError
    from huzhu_desktop.gui.ops import BackgroundOp

    def failed(exc: BaseException) -> bool:
        if isinstance(exc, ValidationError):
            errors.show(exc.errors)
            return True
        return False

    BackgroundOp(parent, work, label=label).on_success(done).on_error(failed).run()


def dialog_buttons(dialog: QDialog, ok: str = "保存") -> QDialogButtonBox:
    """OK / 取消 in Chinese, wired to the dialog's save() and reject()."""
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    box.accepted.connect(dialog.save)  # type: ignore[attr-defined]
    box.rejected.connect(dialog.reject)
    return box


def ask_deletion_reason(parent: QWidget, title: str, what: str) -> str | None:
    """Why a record is deleted, asked before it goes (tests replace this); None when cancelled."""
    text, ok = QInputDialog.getText(parent, title, f"删除“{what}”的原因：")
    return text if ok else None


def shortcut(keys: str, parent: QWidget, slot: Callable[[], object]) -> QShortcut:
    """A keyboard shortcut on a window or page (typed: QShortcut's `activated=` keyword is not)."""
    made = QShortcut(QKeySequence(keys), parent)
    made.activated.connect(slot)
    return made
