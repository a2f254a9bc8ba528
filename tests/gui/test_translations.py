"""Qt's own dialogs speak Chinese: 确定 / 取消 on every standard button, the file dialog's 文件名
and 文件类型 — in the app as started, and with the files the packaged app keeps."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLabel

from huzhu_desktop.gui.translations import FILES, install_chinese, translation_folders


def test_standard_buttons_and_the_file_dialog_are_chinese(qapp: QApplication, qtbot) -> None:
    before = QLocale()
    try:
        assert install_chinese(qapp) == list(FILES)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Yes
            | QDialogButtonBox.StandardButton.No
        )
        qtbot.addWidget(buttons)
        texts = {b.text().replace("&", "").split("(")[0] for b in buttons.buttons()}
        assert texts == {"确定", "取消", "是", "否"}
        dialog = QFileDialog(None, "导入台账")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        qtbot.addWidget(dialog)
        labels = " ".join(label.text() for label in dialog.findChildren(QLabel))
        assert "文件名" in labels and "文件类型" in labels
        assert QLocale().name() == "zh_CN"
    finally:
        QLocale.setDefault(before)  # the other tests run as they always did
        for translator in qapp.findChildren(QTranslator):
            qapp.removeTranslator(translator)


def test_the_files_are_where_the_packaged_app_looks() -> None:
    found = [f for f in FILES if any((d / f"{f}.qm").is_file() for d in translation_folders())]
    assert found == list(FILES)
