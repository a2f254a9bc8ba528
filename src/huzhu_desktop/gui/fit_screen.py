"""Dialogs that fit the screen they open on: a village PC at 1366×768 with Windows' 150%
scaling leaves a window about 910×480 logical pixels, and large-font mode makes the person form
taller than 800. The body of a tall dialog scrolls; its buttons stay in view."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QLayout, QScrollArea, QWidget

MARGIN = QSize(24, 48)  # room left for the window frame and the taskbar


def scrolling(layout: QLayout) -> QScrollArea:
    """`layout` in a frameless scroll area that only scrolls when the screen is too small."""
    body = QWidget()
    body.setLayout(layout)
    area = QScrollArea()
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(body)
    area.setMinimumHeight(120)
    return area


def available(widget: QWidget) -> QSize:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry().size() - MARGIN


def fit(dialog: QWidget, body: QScrollArea) -> None:
    """Size `dialog` to show its scrolling `body` whole when the screen allows, else the
    screen's size (the body scrolls)."""
    inner = body.widget()
    want = dialog.sizeHint()
    if inner is not None:  # a scroll area's own size hint is capped: ask for the body's
        extra = inner.sizeHint() - body.viewport().sizeHint()
        want = QSize(want.width() + max(0, extra.width()), want.height() + max(0, extra.height()))
    room = available(dialog)
    dialog.resize(want.boundedTo(room))
