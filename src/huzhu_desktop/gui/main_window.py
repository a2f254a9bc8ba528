"""The main window: navigation on the left, one page per area, the demo banner and status bar.

It starts as a frame built from `ShellInfo` (no database stack imported yet), paints, and then
`attach(ws)` builds the pages once the workspace is open — so the window appears at once even
on an old PC. Page modules are imported in `attach`, not at the top of this module.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from huzhu_desktop.core import vocab
from huzhu_desktop.core.quick_info import ShellInfo
from huzhu_desktop.core.services.permissions import ROLES
from huzhu_desktop.core.settings import UiSettings, load_settings, save_settings
from huzhu_desktop.gui.areas import AREAS
from huzhu_desktop.gui.flow_layout import wrap_sentences
from huzhu_desktop.gui.forms import shortcut
from huzhu_desktop.gui.idle_lock import IdleLock
from huzhu_desktop.gui.ops import BackgroundOp, finish_background
from huzhu_desktop.gui.style import apply_style

if TYPE_CHECKING:
    from huzhu_desktop.core.services.first_screen import FirstFigures
    from huzhu_desktop.core.workspace import Workspace

WATCH_MS = 2000  # how often the window looks for changes another program committed
DEMO_BANNER = (
    "演示数据 — 这是演示工作区，人员都是虚构的，可以放心练习。真实工作请使用自己的工作区。"
)


def shell_info_of(ws: Workspace) -> ShellInfo:
    info = ws.info
    assert info is not None
    return ShellInfo(ws.folder, info.org_name, info.kind, info.org_code, info.is_demo, ws.operator)


class MainWindow(QMainWindow):
    first_paint = Signal()
    first_screen = Signal()  # the 首页's counts painted, from the quick read (before `attach`)
    ready = Signal()
    restore_wanted = Signal()  # 设置 → 从备份恢复: the app closes the workspace and restores

    def __init__(self, shell: ShellInfo) -> None:
        super().__init__()
        self.shell = shell
        self.ws: Workspace | None = None
        self.settings: UiSettings = load_settings(shell.folder)
        self._painted = False
        self._early_home: Any = None  # the 首页 built on the quick read, before `attach`
        self.setWindowTitle(f"互助养老 — {shell.org_name}")
        self.resize(1280, 800)
        self.guide: Any = None
        help_menu = self.menuBar().addMenu("帮助")
        guide = help_menu.addAction("使用说明")
        guide.setShortcut(QKeySequence("F1"))
        guide.triggered.connect(self.show_guide)
        help_menu.addAction("关于本软件…").triggered.connect(self.show_about)

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.addItems(list(AREAS))
        self.nav.setFixedWidth(130)
        self.nav.setEnabled(False)
        self.stack = QStackedWidget()
        opening = QLabel("正在打开工作区……")
        opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(opening)

        body = QHBoxLayout()
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        if shell.is_demo:
            banner = QLabel(DEMO_BANNER)
            banner.setObjectName("demoBanner")
            outer.addWidget(banner)
        self.read_only_banner = QLabel()
        self.read_only_banner.setObjectName("readOnlyBanner")
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.hide()
        outer.addWidget(self.read_only_banner)
        self.clock_banner = QLabel()
        self.clock_banner.setObjectName("readOnlyBanner")  # the same alarm colours
        self.clock_banner.setWordWrap(True)
        self.clock_banner.hide()
        outer.addWidget(self.clock_banner)
        self.damage_banner = QLabel()
        self.damage_banner.setObjectName("readOnlyBanner")
        self.damage_banner.setWordWrap(True)
        self.damage_banner.hide()
        outer.addWidget(self.damage_banner)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)
        self._seen: tuple[int, int] | None = None  # (data_version, own commits) last looked at
        self._stale: set[QWidget] = set()  # pages to reload when next shown

        self.operator_label = QLabel()
        self.statusBar().addWidget(self.operator_label)
        self.statusBar().addPermanentWidget(QLabel(f"工作区：{shell.folder}"))
        self._update_status(shell.operator)

    @classmethod
    def for_workspace(cls, ws: Workspace) -> MainWindow:
        window = cls(shell_info_of(ws))
        window.attach(ws)
        return window

    def show_first_screen(self, first: FirstFigures) -> None:
        """The 首页 with its counts in place of "正在打开工作区……", read by the quick read while
        the rest of the program loads; `first_screen` follows its first paint. The pages, the
        list on the left and every figure after the counts come with `attach`."""
        from huzhu_desktop.gui.views.home import HomeView

        home = self._early_home = HomeView(None, shell=self.shell)
        wrap_sentences(home)
        page = _scrolling(home)
        loading = self.stack.widget(0)
        self.stack.insertWidget(0, page)
        self.stack.setCurrentIndex(0)
        self.stack.removeWidget(loading)
        loading.deleteLater()
        home.show_first(first)
        home.installEventFilter(self)
        self.nav.setCurrentRow(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._early_home and event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.first_screen.emit)
        return super().eventFilter(watched, event)

    def attach(self, ws: Workspace) -> None:
        """Build the pages on the open workspace."""
        from huzhu_desktop.gui.views.activities import ActivitiesView
        from huzhu_desktop.gui.views.elders import EldersView
        from huzhu_desktop.gui.views.funding import FundingView
        from huzhu_desktop.gui.views.helpers import HelpersView
        from huzhu_desktop.gui.views.home import HomeView
        from huzhu_desktop.gui.views.pairings import PairingsView
        from huzhu_desktop.gui.views.points import PointsView
        from huzhu_desktop.gui.views.reports import ReportsView
        from huzhu_desktop.gui.views.settings_view import SettingsView
        from huzhu_desktop.gui.views.sync import SyncView
        from huzhu_desktop.gui.views.visits import VisitsView

        self.ws = ws
        early = self._early_home
        if early is not None:  # already on screen with its counts: keep it, with the workspace
            early.attach(ws)
            self.home = early
        else:
            self.home = HomeView(ws)
        self.elders = EldersView(ws)
        self.helpers = HelpersView(ws)
        self.settings_view = SettingsView(ws, self.settings.large_font)
        self.pairings = PairingsView(ws)
        self.visits = VisitsView(ws)
        self.points = PointsView(ws)
        self.sync = SyncView(ws)
        self.activities = ActivitiesView(ws)
        self.funding = FundingView(ws)
        self.reports = ReportsView(ws)
        activity_tabs = QTabWidget()
        activity_tabs.setObjectName("activity_tabs")
        activity_tabs.addTab(self.activities, "集体活动")
        activity_tabs.addTab(self.funding, "资金筹集")
        for inner in self.activities.findChildren(QLabel, "heading"):
            inner.hide()  # the tab says it; the area's title sits above the tabs, as on 积分
        activity_area = QWidget()
        area_layout = QVBoxLayout(activity_area)
        area_heading = QLabel("集体活动和资金筹集")
        area_heading.setObjectName("heading")
        area_layout.addWidget(area_heading)
        area_layout.addWidget(activity_tabs, 1)
        pages: dict[str, QWidget] = {
            "首页": self.home,
            "老人": self.elders,
            "帮扶人": self.helpers,
            "设置": self.settings_view,
            "结对": self.pairings,
            "走访": self.visits,
            "积分": self.points,
            "活动": activity_area,
            "报表": self.reports,
            "同步": self.sync,
        }
        if early is None:
            loading = self.stack.widget(0)
            self.stack.removeWidget(loading)
            loading.deleteLater()
        for area in AREAS:
            page = pages[area]
            if page is early:
                continue  # the stack's first page since show_first_screen
            wrap_sentences(page)  # a long hint never sets the window's minimum width
            if area in ("首页", "设置"):  # tall pages scroll instead of growing the window
                page = _scrolling(page)
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.currentRowChanged.connect(self._on_area)
        for i in range(len(AREAS)):
            shortcut(f"Ctrl+{(i + 1) % 10}", self, partial(self.go, i))
        self.elders.loaded.connect(lambda _n: self.home.reload())
        self.helpers.loaded.connect(lambda _n: self.home.reload())
        self.home.show_unpaired.connect(self.show_unpaired_special)
        self.home.show_ledger_42.connect(self.show_unpaired_42)
        for view in (
            self.elders,
            self.helpers,
            self.pairings,
            self.visits,
            self.points,
            self.activities,
            self.funding,
            self.reports,
        ):
            self.sync.changed.connect(view.reload)  # an imported bundle changes every list
        self.activities.changed.connect(self.points.reload)  # its awards are in the accounts
        self.activities.changed.connect(self.home.reload)
        self.home.loaded.connect(self.ready.emit)
        self.settings_view.large_font_changed.connect(self.set_large_font)
        self.settings_view.clerk_changed.connect(self._update_status)
        self.settings_view.restore_wanted.connect(self.restore_wanted)
        self.nav.setEnabled(True)
        self.nav.setCurrentRow(0)
        self._update_status(ws.operator)
        if ws.read_only:
            self.read_only_banner.setText(
                f"只读：{ws.read_only}。这里可以查看、打印和导出，不能修改。"
            )
            self.read_only_banner.show()
            self.setWindowTitle(f"{self.windowTitle()}（只读）")
        BackgroundOp(self, lambda: _clock_behind(ws)).on_success(self._warn_clock).run()
        if ws.deep_check_pending:  # a district's database: every page read once it is ready
            self.ready.connect(self._deep_check, Qt.ConnectionType.SingleShotConnection)
        self._watcher = QTimer(self)
        self._watcher.timeout.connect(self.look_for_changes)
        self._watcher.start(WATCH_MS)
        QTimer.singleShot(0, self.home.reload)
        self.idle: IdleLock | None = None
        if ws.has_users and self.settings.idle_lock_minutes > 0:
            self.idle = IdleLock(self.settings.idle_lock_minutes, self.lock_now)

    def lock_now(self) -> None:
        """The idle lock: the logged-in user's password again, or the program closes."""
        from huzhu_desktop.gui.dialogs.login_dialog import LoginDialog

        ws = self.ws
        if ws is None:
            return
        dialog = LoginDialog(ws, [], self, unlock_as=ws.operator)
        if not dialog.exec():
            QApplication.quit()

    def _deep_check(self) -> None:
        ws = self.ws
        if ws is not None:
            BackgroundOp(self, ws.deep_check).on_success(self._warn_damage).run()

    def _warn_damage(self, warning: str) -> None:
        if warning:
            self.damage_banner.setText(warning)
            self.damage_banner.show()

    def _warn_clock(self, warning: str) -> None:
        if warning:
            self.clock_banner.setText(f"时间不对：{warning}")
            self.clock_banner.show()

    def look_for_changes(self) -> None:
        """Another window or a command committed meanwhile: reload the page on screen, and each
        other page when it is next shown. (PRAGMA data_version: a few microseconds.)"""
        ws = self.ws
        if ws is None:
            return
        try:
            seen = (ws.data_version(), ws.commits)
        except Exception:  # the file is gone or busy for a moment: look again later
            return
        before, self._seen = self._seen, seen
        if before is None or seen[0] == before[0] or seen[1] != before[1]:
            return  # nothing new, or our own commit (its page reloads itself)
        current = self.stack.currentWidget()
        self._stale = {self.stack.widget(i) for i in range(self.stack.count())} - {current}
        _reload(current)

    def page(self, area: str) -> QWidget:
        """The page of an area (inside its scroll area, if it has one)."""
        widget = self.stack.widget(AREAS.index(area))
        return widget.widget() if isinstance(widget, QScrollArea) else widget

    def go(self, index: int) -> None:
        self.nav.setCurrentRow(index)

    def go_area(self, name: str) -> None:
        self.go(AREAS.index(name))

    def _on_area(self, index: int) -> None:
        page = self.stack.widget(index)
        if page in self._stale:
            self._stale.discard(page)
            _reload(page)
        if page in (self.elders, self.helpers):
            page.focus_search()

    def show_guide(self) -> None:
        """使用说明, opened on the task of the page in view (F1)."""
        from huzhu_desktop.gui.dialogs.guide_dialog import GuideDialog, section_for

        row = self.nav.currentRow()
        page = AREAS[row] if 0 <= row < len(AREAS) else "首页"
        section = section_for(page, self.ws.info.kind if self.ws and self.ws.info else "")
        if self.guide is None:
            self.guide = GuideDialog(self, section)
        else:
            self.guide.open_at(section)
        self.guide.show()
        self.guide.raise_()

    def show_about(self) -> None:
        from huzhu_desktop.gui.dialogs.about_dialog import AboutDialog

        AboutDialog(self.shell.folder, self).exec()

    def show_unpaired_42(self) -> None:
        """结对帮扶率's rows: the 42号 台账's elders still without a pairing."""
        self.go_area("老人")
        self.elders.special_only.setChecked(False)
        self.elders.ledger_42.setChecked(True)
        self.elders.unpaired_only.setChecked(True)

    def show_unpaired_special(self) -> None:
        self.go_area("老人")
        self.elders.special_only.setChecked(True)
        self.elders.unpaired_only.setChecked(True)

    def set_large_font(self, on: bool) -> None:
        self.settings = load_settings(self.shell.folder)  # other pages may have saved meanwhile
        self.settings.large_font = on
        save_settings(self.shell.folder, self.settings)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_style(app, large=on)

    def _update_status(self, operator: str) -> None:
        s = self.shell
        unit = f"{s.org_name}（{vocab.WORKSPACE_KINDS.get(s.kind, s.kind)}，{s.org_code}）"
        ws = self.ws
        role = ws.role if ws is not None and ws.has_users else None
        who = f"{operator}（{ROLES.get(role, role)}）" if role else operator
        self.operator_label.setText(f"经办人：{who}    单位：{unit}")

    def paintEvent(self, event: QEvent) -> None:
        super().paintEvent(event)  # type: ignore[arg-type]
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.first_paint.emit)

    def closeEvent(self, event: QEvent) -> None:
        if BackgroundOp.running:  # figures still being read are stopped; a save commits first
            finish_background(self.ws.interrupt_reads if self.ws is not None else None)
        super().closeEvent(event)  # type: ignore[arg-type]


def _clock_behind(ws: Workspace) -> str:
    from huzhu_desktop.core.services.clock_check import clock_behind, clock_warning

    with ws.reading() as s:
        latest = clock_behind(s)
    return clock_warning(latest) if latest is not None else ""


def _reload(page: QWidget) -> None:
    """Reload a page (inside its scroll area or tabs) from the workspace."""
    if isinstance(page, QScrollArea):
        page = page.widget()
    if isinstance(page, QTabWidget):
        for i in range(page.count()):
            _reload(page.widget(i))
        return
    for name in ("reload", "refresh"):
        method = getattr(page, name, None)
        if callable(method):
            method()
            return


def _scrolling(page: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area
