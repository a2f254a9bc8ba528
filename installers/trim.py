"""What the packaged app leaves out (read by huzhu.spec and by the tests of the build).

Qt ships far more than a widgets app uses: QML and Quick, the PDF and SQL modules, Wayland and
EGL integrations, network and TLS back-ends, and translations into 30 languages. The app uses
QtCore, QtGui, QtWidgets, QtPrintSupport and QtSvg (the icon) and speaks Simplified Chinese.
"""

from __future__ import annotations

import re

EXCLUDED_MODULES = [
    "tkinter",
    "unittest",
    "pydoc",
    "pytest",
    "hypothesis",
    "mypy",
    "PySide6.QtNetwork",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtDBus",
    "PySide6.QtConcurrent",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtUiTools",
    "PySide6.QtXml",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
]

# Paths inside the bundle (as PyInstaller names them) that are dropped.
_DROP = [
    r"plugins/(wayland-[^/]+|egldeviceintegrations|xcbglintegrations|qmltooling|qmllint"
    r"|designer|sqldrivers|networkinformation|tls|generic|platforminputcontexts)/",
    r"plugins/platforms/lib(qwayland|qeglfs|qlinuxfb|qminimalegl|qvnc|qvkkhrdisplay)",
    r"plugins/imageformats/(lib)?q(pdf|webp|tiff|tga|wbmp|icns|gif)",
    r"plugins/platformthemes/libqgtk3",  # pulls GTK; the app draws its own style
    r"lib(Qt6)?(Qml|Quick|Pdf|Network|Sql|Wayland|Wl[A-Z]|VirtualKeyboard|EglFS|EglFs)",
    r"Qt6?(Qml|Quick|Pdf|Network|Sql|VirtualKeyboard)[^/]*\.dll$",
    r"translations/(?!qt(base)?_zh_CN\.qm$)[^/]+$",
]
_DROPPED = re.compile("|".join(f"(?:{p})" for p in _DROP))


def keep(path: str) -> bool:
    """Whether a file goes into the build (paths with either slash)."""
    return not _DROPPED.search(path.replace("\\", "/"))
