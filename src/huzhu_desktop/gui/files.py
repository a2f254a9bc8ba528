"""Files the clerk saves and opens: the OS save dialog, and opening a finished file with its usual
program (Excel, the PDF reader). Tests replace these functions."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget


def choose_save_path(parent: QWidget, suggested: Path, title: str, file_filter: str) -> str:
    """The OS save dialog; '' when the clerk cancels."""
    suggested.parent.mkdir(parents=True, exist_ok=True)
    path, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), file_filter)
    return path


def open_file(path: Path) -> None:
    """Open a file with its usual program."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
