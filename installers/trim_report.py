"""After a build: what trim.py left out of the packaged folder, and what is in it.

.venv/bin/python installers/trim_report.py dist/huzhu-desktop [--json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import PySide6

sys.path.insert(0, str(Path(__file__).resolve().parent))
from trim import keep


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str]) -> int:
    built = Path(argv[0])
    qt = Path(PySide6.__file__).parent / "Qt"
    parts = {"plugins", "translations", "lib"}
    left = [p for p in qt.rglob("*") if p.is_file() and parts & set(p.parts) and not keep(str(p))]
    report = {
        "folder": str(built),
        "folder_mb": round(folder_bytes(built) / 1e6, 1),
        "qt_files_left_out": len(left),
        "qt_mb_left_out": round(sum(p.stat().st_size for p in left) / 1e6, 1),
        "qt_plugins_kept": sorted(
            str(p.relative_to(built)) for p in built.rglob("plugins/*/*") if p.is_file()
        ),
        "translations_kept": sorted(p.name for p in built.rglob("translations/*.qm")),
    }
    if "--json" in argv:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print(
            f"folder {report['folder_mb']} MB; left out {report['qt_files_left_out']} Qt files "
            f"({report['qt_mb_left_out']} MB); plugins kept: {len(report['qt_plugins_kept'])}; "
            f"translations kept: {', '.join(report['translations_kept'])}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
