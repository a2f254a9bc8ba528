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


# Where a stored value may be spelled out: vocab defines them; the others read what people write
# (input synonyms and typing shortcuts) or make sample data.
SPELLED_OUT_OK = {
    "core/vocab.py": "defines the values",
    "core/importers/words.py": "the words people write for them in sheets and chats",
    "core/importers/normalize.py": "input synonyms",
    "core/validate.py": "input synonyms",
    "gui/views/visit_grid.py": "typing shortcuts (q → 敲敲门)",
}


def test_stored_enum_values_are_named_through_vocab() -> None:
    """A status, pairing kind, visit kind or source that drives a rule is vocab.X, not a literal
    (SQL included): a wording change is then one edit and a typo is a NameError, not a silent
    mismatch."""
    import re

    from huzhu_desktop.core import vocab

    values = {
        *vocab.PERSON_STATUSES,
        *vocab.PAIRING_KINDS,
        *vocab.VISIT_KINDS,
        *vocab.REQUEST_STATUSES,
        *(s for s in vocab.VISIT_SOURCES if s != "电话"),  # 电话 is also the phone column's title
    }
    root = Path(__file__).parents[1] / "src" / "huzhu_desktop"
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel in SPELLED_OUT_OK or rel.startswith("core/demo/"):
            continue
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            quoted = re.findall(r'"([^"\n]+)"', line) + re.findall(r"'([^'\n]+)'", line)
            found += [f"{rel}:{no}: {q}" for q in quoted if q in values]  # SQL's '在册' too
    assert found == []
