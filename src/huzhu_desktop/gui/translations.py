"""Qt's own words in Simplified Chinese: the file dialogs (查找范围 / 文件名 / 文件类型 / 打开 /
保存 / 取消), the 确定 of message boxes, dates. Qt ships the translations; the widgets' are in
qtbase_zh_CN.qm, which the packaged app keeps (installers/trim.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

FILES = ("qtbase_zh_CN",)  # qt_zh_CN.qm only points at the modules' own files (qtbase …)


def translation_folders() -> list[Path]:
    """Where Qt's .qm files are: as Qt says, else beside the PySide6 package (a packaged app)."""
    import PySide6

    return [
        Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
        Path(PySide6.__file__).resolve().parent / "Qt" / "translations",
        Path(PySide6.__file__).resolve().parent / "translations",
    ]


def install_chinese(app: QApplication) -> list[str]:
    """Install Qt's Simplified Chinese translations and the zh_CN locale (numbers and dates as
    a Chinese Windows shows them); returns the files loaded (kept on the app)."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    loaded: list[str] = []
    keep: list[QTranslator] = []
    for name in FILES:
        for folder in translation_folders():
            translator = QTranslator(app)
            if translator.load(name, str(folder)):
                app.installTranslator(translator)
                keep.append(translator)
                loaded.append(name)
                break
    app.setProperty("huzhu_translators", len(keep))
    return loaded
