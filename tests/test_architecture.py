"""Architecture written down as checks: core never imports Qt or the GUI, its layers only import
downward, the GUI and the CLI never import each other."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept() -> None:
    exe = Path(sys.executable).with_name("lint-imports" + (".exe" if os.name == "nt" else ""))
    result = subprocess.run(
        [str(exe), "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_an_upward_import_breaks_the_layers(tmp_path: Path) -> None:
    """The layers contract is not vacuous: a base module importing a service is caught."""
    import shutil

    copy = tmp_path / "src"
    shutil.copytree(ROOT / "src", copy)
    periods = copy / "huzhu_desktop" / "core" / "periods.py"
    periods.write_text(
        periods.read_text(encoding="utf-8") + "\nfrom huzhu_desktop.core.services import search\n",
        encoding="utf-8",
    )
    exe = Path(sys.executable).with_name("lint-imports" + (".exe" if os.name == "nt" else ""))
    result = subprocess.run(
        [str(exe), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(copy)},
    )
    assert result.returncode != 0
    assert "huzhu_desktop.core.periods is not allowed to import" in result.stdout


def test_core_imports_without_qt() -> None:
    code = (
        "import sys; import huzhu_desktop.core.services.people, huzhu_desktop.core.demo, "
        "huzhu_desktop.cli; assert not any(m.startswith('PySide6') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
