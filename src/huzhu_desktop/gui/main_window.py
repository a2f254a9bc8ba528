"""The main window: navigation on the left, one page per area, the demo banner and status bar."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QThreadPool, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core import vocab
from huzhu_desktop.core.settings import UiSettings, load_settings, save_settings
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui.ops import BackgroundOp
from huzhu_desktop.gui.style import apply_style
from huzhu_desktop.gui.views.elders import EldersView
from huzhu_desktop.gui.views.helpers import HelpersView
from huzhu_desktop.gui.views.home import HomeView
from huzhu_desktop.gui.views.placeholder import ComingSoonPage
from huzhu_desktop.gui.views.settings_view import SettingsView

AREAS = ("首页", "老人", "帮扶人", "结对", "走访", "积分", "活动", "报表", "同步", "设置")
DEMO_BANNER = (
    "演示数据 — 这是演示工作区，人员都是虚构的，可以放心练习。真实工作请使用自己的工作区。"
)


class MainWindow(QMainWindow):
    first_paint = Signal()

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.settings: UiSettings = load_settings(ws.folder)
        self._painted = False
        info = ws.info
        self.setWindowTitle(f"互助养老 — {info.org_name if info else ''}")
        self.resize(1280, 800)

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.addItems(list(AREAS))
        self.nav.setFixedWidth(130)
        self.stack = QStackedWidget()
        self.home = HomeView(ws)
        self.elders = EldersView(ws)
        self.helpers = HelpersView(ws)
        self.settings_view = SettingsView(ws, self.settings.large_font)
        pages: dict[str, QWidget] = {
            "首页": self.home,
            "老人": self.elders,
            "帮扶人": self.helpers,
            "设置": self.settings_view,
        }
        for area in AREAS:
            self.stack.addWidget(pages.get(area) or ComingSoonPage(area))
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.currentRowChanged.connect(self._on_area)

        body = QHBoxLayout()
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        if ws.is_demo:
            banner = QLabel(DEMO_BANNER)
            banner.setObjectName("demoBanner")
            outer.addWidget(banner)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        self.operator_label = QLabel()
        self.statusBar().addWidget(self.operator_label)
        self.statusBar().addPermanentWidget(QLabel(f"工作区：{ws.folder}"))
        self._update_status()

        for i in range(len(AREAS)):
            key = f"Ctrl+{(i + 1) % 10}"
            QShortcut(QKeySequence(key), self, activated=lambda i=i: self.go(i))
        self.elders.loaded.connect(lambda _n: self.home.reload())
        self.helpers.loaded.connect(lambda _n: self.home.reload())
        self.home.show_unpaired.connect(self.show_unpaired_special)
        self.settings_view.large_font_changed.connect(self.set_large_font)
        self.settings_view.clerk_changed.connect(lambda _n: self._update_status())
        self.nav.setCurrentRow(0)
        QTimer.singleShot(0, self.home.reload)

    def go(self, index: int) -> None:
        self.nav.setCurrentRow(index)

    def go_area(self, name: str) -> None:
        self.go(AREAS.index(name))

    def _on_area(self, index: int) -> None:
        page = self.stack.widget(index)
        if isinstance(page, (EldersView, HelpersView)):
            page.focus_search()

    def show_unpaired_special(self) -> None:
        self.go_area("老人")
        self.elders.special_only.setChecked(True)
        self.elders.unpaired_only.setChecked(True)

    def set_large_font(self, on: bool) -> None:
        self.settings.large_font = on
        save_settings(self.ws.folder, self.settings)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_style(app, large=on)

    def _update_status(self) -> None:
        info = self.ws.info
        unit = (
            f"{info.org_name}（{vocab.WORKSPACE_KINDS[info.kind]}，{info.org_code}）"
            if info
            else ""
        )
        self.operator_label.setText(f"经办人：{self.ws.operator}    单位：{unit}")

    def paintEvent(self, event: QEvent) -> None:
        super().paintEvent(event)  # type: ignore[arg-type]
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.first_paint.emit)

    def closeEvent(self, event: QEvent) -> None:
        if BackgroundOp.running:
            QThreadPool.globalInstance().waitForDone(10_000)  # let a save finish its commit
        super().closeEvent(event)  # type: ignore[arg-type]
