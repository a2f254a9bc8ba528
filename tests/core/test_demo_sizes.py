"""`huzhu demo --elders N` works at the small sizes a trainer tries first (10 once failed: a
household gave away points it had just spent), and the workspace checks clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from huzhu_desktop.core.demo import make_demo
from huzhu_desktop.core.services.check import run_checks
from huzhu_desktop.core.workspace import Workspace


@pytest.mark.parametrize("elders", [1, 2, 10])
def test_a_tiny_demo_is_whole(elders: int, tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "demo")
    try:
        made = make_demo(ws, elders=elders, town=False)
        with ws.reading() as s:
            assert run_checks(s).ok
        assert made.elders == elders
    finally:
        ws.close()
