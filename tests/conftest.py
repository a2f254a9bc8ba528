"""Shared fixtures. Qt runs offscreen; this must be set before anything imports Qt."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.fonts.warning=false")

from datetime import date
from pathlib import Path

import pytest

from huzhu_desktop.core.services.setup import SetupForm, initialize
from huzhu_desktop.core.workspace import Workspace

TODAY = date(2026, 11, 23)

# Tests whose rules turn on the date (months, quarters, years, "today"): CI runs them with the
# clock at each date of the matrix (HUZHU_NOW; .ci/run), and the first test of every other
# module as a smoke. HUZHU_FULL_MATRIX=1 runs the whole suite on every date.
DATED_MODULES = {
    "tests/core/test_clock.py",
    "tests/core/test_periods.py",
    "tests/core/test_pairings_visits.py",
    "tests/core/test_points.py",
    "tests/core/test_activities.py",
    "tests/core/test_funding.py",
    "tests/core/test_attachment1.py",
    "tests/core/test_attachment2.py",
    "tests/core/test_register.py",
    "tests/core/test_history.py",
    "tests/concurrency/test_one_writer.py",
    "tests/importers/test_visit_import.py",
    "tests/importers/test_sheet_classes.py",
    "tests/cli/test_cli.py",
    "tests/gui/test_home.py",
    "tests/gui/test_activities_view.py",
    "tests/gui/test_pairings_view.py",
    "tests/gui/test_points_view.py",
    "tests/gui/test_requests_panel.py",
    "tests/gui/test_reports_view.py",
    "tests/gui/test_visit_grid.py",
    "tests/gui/test_visit_import.py",
    "tests/sync/test_two_pcs.py",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    first_of_module: set[str] = set()
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        if module in DATED_MODULES:
            item.add_marker(pytest.mark.dated)
        elif module not in first_of_module:
            first_of_module.add(module)
            item.add_marker(pytest.mark.smoke)


VILLAGE = SetupForm(
    kind="village",
    org_code="500112108201",
    org_name="石坪村",
    parent_name="茨竹镇",
    district_name="渝北区",
    clerk_name="王文书",
)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the real user's data folder."""
    monkeypatch.delenv("HUZHU_WORKSPACE", raising=False)
    monkeypatch.setattr("huzhu_desktop.paths.data_root", lambda: tmp_path / "data-root")


@pytest.fixture
def on_today():  # type: ignore[no-untyped-def]
    """The one clock fixed at TODAY (noon, local time) for tests whose rules stamp "now"."""
    from huzhu_desktop.core import clock

    with clock.frozen(TODAY):
        yield TODAY


@pytest.fixture
def ws(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A freshly set-up village workspace with nobody in it yet."""
    workspace = Workspace.open(tmp_path / "village")
    with workspace.transaction() as s:
        initialize(VILLAGE, session=s)
    workspace.reload_info()
    yield workspace
    workspace.close()


@pytest.fixture
def demo_ws(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A small demo village (60 elders) — the same every run."""
    from huzhu_desktop.core.demo import make_demo

    workspace = Workspace.open(tmp_path / "demo")
    make_demo(workspace, elders=60, seed=7, today=TODAY)
    yield workspace
    workspace.close()
