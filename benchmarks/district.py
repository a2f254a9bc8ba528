"""A whole district on one PC: 20 towns × 30 villages × 300 elders (one year of visits, points,
activities, funding), made through the real path — each village's demo exported as a bundle into
its town, each town's bundle (embedding its villages) into the district — and timed at each
level. `--quick`: 2 towns × 5 villages.

Every figure runs in a child process of its own, as a clerk's command or window would, and reports
its own peak memory; baselines are measured in the same run (a full read of the district's rows
with sqlite3, a bare PySide6 window, the table repaint without a search).

    python benchmarks/run.py --only district [--quick]
    python benchmarks/district.py --scale 2000,5000,8000   (docs/scale.md: where one PC stops)
"""

from __future__ import annotations

import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DISTRICT = ("500112", "渝北区")
PERIOD = "2026Q3"  # reported after the quarter; the demo's year ends on the day it is made
ELDERS = 300

BUDGETS = {  # full size, this machine (issue 20)
    "district_import_s": 60.0,
    "district_forms_s": 10.0,
    "district_gui_ready_s": 3.0,
    "district_search_p95_ms": 20.0,
    "district_rss_mb": 800.0,
}


def _town_code(t: int) -> str:
    return f"{DISTRICT[0]}{101 + t:03d}"


def _village_code(t: int, v: int) -> str:
    return f"{_town_code(t)}{201 + v:03d}"


def _setup(folder: Path, kind: str, code: str, name: str, parent: str, demo: bool = False) -> Any:
    from huzhu_desktop.core.services.setup import SetupForm, initialize
    from huzhu_desktop.core.workspace import Workspace

    w = Workspace.open(folder)
    with w.transaction() as s:
        initialize(
            SetupForm(kind, code, name, parent, DISTRICT[1], "基准测试"), session=s, is_demo=demo
        )
    w.reload_info()
    return w


def _card(w: Any, path: Path) -> Path:
    from huzhu_desktop.core.services import keys

    with w.transaction() as s:
        keys.write_card(s, path)
    return path


def _trust(w: Any, card: Path) -> None:
    from huzhu_desktop.core.services import keys

    with w.transaction() as s:
        keys.trust(s, keys.read_card(card), "基准")


def _make_village(job: tuple[str, int, int, str, str]) -> tuple[str, str, int, float]:
    """One village (a worker process): set up, demo of a year, trust its town, export to it.
    Returns (bundle, card, rows, seconds)."""
    root, t, v, town_card, town_name = job
    from huzhu_desktop.core.demo import make_demo
    from huzhu_desktop.core.sync.export import export_bundle

    t0 = time.perf_counter()
    folder = Path(root) / "villages" / _village_code(t, v)
    w = _setup(folder, "village", _village_code(t, v), f"第{t + 1}镇第{v + 1}村", town_name, True)
    try:
        make_demo(w, elders=ELDERS, years=1, seed=1000 * t + v, town=False)
        _trust(w, Path(town_card))
        card = _card(w, folder / "card.json")
        usb = Path(root) / "usb" / _town_code(t)
        usb.mkdir(parents=True, exist_ok=True)
        with w.transaction() as s:
            done = export_bundle(s, w.actor, usb, period=PERIOD)
        return str(done.path), str(card), sum(done.counts.values()), time.perf_counter() - t0
    finally:
        w.close()


def _child(code: str, *args: str, timeout: float = 3600) -> dict[str, Any]:
    """Run `code` in a fresh Python; it prints one JSON line last. Adds the child's wall time
    and peak RSS (MB)."""
    wrapped = (
        "import json, resource, sys, time\n"
        f"sys.path.insert(0, {str(HERE)!r})\n"
        "T0 = time.perf_counter()\n"
        f"{code}\n"
        "OUT['wall_s'] = time.perf_counter() - T0\n"
        # VmHWM: this process's own peak (ru_maxrss keeps the parent's across fork and exec)
        "try:\n"
        "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "    OUT['rss_mb'] = int(hwm.split()[1]) / 1024\n"
        "except (OSError, IndexError):\n"
        "    OUT['rss_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps(OUT))\n"
    )
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", wrapped, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    if done.returncode != 0:
        raise RuntimeError(f"child failed ({done.returncode}): {done.stderr[-2000:]}")
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    out["process_s"] = time.perf_counter() - t0
    return out


IMPORT_TOWNS = """
from pathlib import Path
from huzhu_desktop.core.sync.batch import import_many
from huzhu_desktop.core.workspace import Workspace
OUT = {}
with Workspace.open(Path(sys.argv[1])) as w:  # the stick's bundles in one go, as `bundle import`
    t = time.perf_counter()
    done = import_many(w, [Path(b) for b in sys.argv[2:]])
    OUT['import_s'] = time.perf_counter() - t
    OUT['refused'] = [e.refused.user_message for e in done if e.refused is not None]
    if OUT['refused']:
        raise SystemExit(str(OUT['refused']))
"""

FORMS = """
from pathlib import Path
from huzhu_desktop.cli import main
import contextlib, io
OUT = {}
for what in ('attachment1', 'attachment2'):
    t = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(['--workspace', sys.argv[1], 'report', what, '--quarter', sys.argv[2],
                     '-o', str(Path(sys.argv[3]) / f'{what}.xlsx'), '--json'])
    assert code == 0, what
    OUT[what + '_s'] = time.perf_counter() - t
"""

SEARCH = """
import gc
import random
from pathlib import Path
import run as bench
from huzhu_desktop.core.services import register
from huzhu_desktop.core.services.search import SearchIndex
from huzhu_desktop.core.workspace import Workspace
folder = Path(sys.argv[1])
OUT = {}
with Workspace.open(folder) as ws, ws.reading() as s:
    t = time.perf_counter()
    rows = register.list_elders(s)
    OUT['list_elders_s'] = time.perf_counter() - t
OUT['elders'] = len(rows)
sessions = bench._keystrokes(rows, random.Random(3), int(sys.argv[2]))
t = time.perf_counter()
index = SearchIndex(rows, prepare=True)  # as the 老人 page builds it, off the GUI thread
OUT['index_s'] = time.perf_counter() - t
core = bench._time_sessions(index.search, sessions)
del rows, index  # the window below reads its own: the peak is one register, as a clerk's
gc.collect()
gui, floor = bench._time_gui_sessions(folder, sessions)
OUT['core_p95_ms'] = bench._ms_entry(core, 95)['value']
OUT['gui_p95_ms'] = bench._ms_entry(gui, 95)['value']
OUT['repaint_p95_ms'] = bench._ms_entry(floor, 95)['value']
OUT['keystrokes'] = len(gui)
"""

READ_ALL = """
import sqlite3
con = sqlite3.connect(sys.argv[1])
OUT = {'rows': 0}
t = time.perf_counter()
for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall():
    for _ in con.execute(f'SELECT * FROM "{name}"'):
        OUT['rows'] += 1
OUT['read_s'] = time.perf_counter() - t
"""

BARE_RSS = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1280, 800); w.show(); app.processEvents()
OUT = {}
"""


def _gui_ready(folder: Path, runs: int, cap: float) -> tuple[float, float, float]:
    """Median seconds to the first paint and to the home page's figures, and the peak RSS (MB)
    of a `--smoke` start on the district's workspace."""
    from run import BARE_WINDOW, _time_to_first_paint, _time_to_lines  # type: ignore[import-not-found]

    app = [sys.executable, "-m", "huzhu_desktop", "--workspace", str(folder), "--smoke"]
    _time_to_lines(app)  # warm the file cache
    marks = [_time_to_lines(app) for _ in range(runs)]
    bare = statistics.median(
        _time_to_first_paint([sys.executable, "-c", BARE_WINDOW]) for _ in range(runs)
    )
    rss = _child(
        "import runpy\nsys.argv = ['huzhu_desktop', '--workspace', sys.argv[1], '--smoke']\n"
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        runpy.run_module('huzhu_desktop', run_name='__main__')\n"
        "    except SystemExit:\n        pass\n"
        # the 首页's figures still being read after ready: the peak is when they are done
        "from PySide6.QtCore import QThreadPool\nQThreadPool.globalInstance().waitForDone()\n"
        "OUT = {}",
        str(folder),
        timeout=cap,
    )["rss_mb"]
    return statistics.median(m["ready_ms"] for m in marks), bare, rss


def _entry(value: float, unit: str, baseline: float | None = None, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"value": round(value, 3), "unit": unit}
    if baseline is not None:
        out["baseline"] = round(baseline, 3)
        out["ratio"] = round(value / baseline, 2) if baseline else None
    out.update(extra)
    return out


def build(root: Path, towns: int, villages: int) -> dict[str, Any]:
    """Villages → towns → district through the real export and import. Returns what it took."""
    root.mkdir(parents=True, exist_ok=True)
    district = _setup(root / "district", "district", DISTRICT[0], DISTRICT[1], "重庆市")
    d_card = _card(district, root / "district.json")
    town_ws = []
    for t in range(towns):
        w = _setup(
            root / "towns" / _town_code(t), "town", _town_code(t), f"第{t + 1}镇", DISTRICT[1]
        )
        _trust(w, d_card)
        _trust(district, _card(w, root / "towns" / f"{_town_code(t)}.json"))
        town_ws.append(w)
    jobs = [
        (str(root), t, v, str(root / "towns" / f"{_town_code(t)}.json"), f"第{t + 1}镇")
        for t in range(towns)
        for v in range(villages)
    ]
    t0 = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(os.cpu_count() or 2) as pool:
        made = pool.map(_make_village, jobs, chunksize=1)
    villages_s = time.perf_counter() - t0
    rows = sum(m[2] for m in made)
    town_import, town_bundles, town_export = [], [], []
    for t, w in enumerate(town_ws):
        mine = made[t * villages : (t + 1) * villages]
        for _bundle, card, _rows, _s in mine:
            _trust(w, Path(card))
        folder = w.folder
        w.close()
        got = _child(IMPORT_TOWNS, str(folder), *(m[0] for m in mine))
        town_import.append(got["import_s"])
        from huzhu_desktop.core.sync.export import export_bundle
        from huzhu_desktop.core.workspace import Workspace

        with Workspace.open(folder) as w2:
            t1 = time.perf_counter()
            with w2.transaction() as s:
                done = export_bundle(s, w2.actor, root / "usb" / "district", period=PERIOD)
            town_export.append(time.perf_counter() - t1)
            town_bundles.append(done.path)
    d_folder = district.folder
    district.close()
    got = _child(IMPORT_TOWNS, str(d_folder), *map(str, town_bundles))
    return {
        "folder": d_folder,
        "villages_s": villages_s,
        "village_rows": rows,
        "village_export_s": statistics.median(m[3] for m in made),
        "town_import_s": town_import,
        "town_export_s": town_export,
        "district_import": got,
        "town_bundle_mb": sum(p.stat().st_size for p in town_bundles) / 2**20,
    }


def measure(
    folder: Path, quick: bool, built: dict[str, Any] | None = None, cap: float = 3600
) -> dict[str, Any]:
    """The district's figures on a district workspace already filled; `cap`: the seconds any
    one child may take (past it: an exception naming the step)."""
    from huzhu_desktop.paths import DB_NAME

    db = folder / DB_NAME
    read_all = _child(READ_ALL, str(db), timeout=cap)
    out = folder.parent / "forms"
    out.mkdir(exist_ok=True)
    forms = _child(FORMS, str(folder), PERIOD, str(out), timeout=cap)
    search = _child(SEARCH, str(folder), "10" if quick else "30", timeout=cap)
    ready, bare, gui_rss = _gui_ready(folder, 3 if built is not None or not quick else 1, cap)
    bare_rss = _child(BARE_RSS)["rss_mb"]
    db_mb = sum(p.stat().st_size for p in folder.glob(f"{DB_NAME}*")) / 2**20
    peak = max(forms["rss_mb"], search["rss_mb"], gui_rss)
    result = {
        "district_forms_s": _entry(
            forms["attachment1_s"] + forms["attachment2_s"],
            "s",
            read_all["read_s"],
            budget=BUDGETS["district_forms_s"],
            attachment1_s=round(forms["attachment1_s"], 3),
            attachment2_s=round(forms["attachment2_s"], 3),
            baseline_is="sqlite3 reading every row of the district's database",
        ),
        "district_gui_ready_s": _entry(
            ready,
            "s",
            bare,
            budget=BUDGETS["district_gui_ready_s"],
            baseline_is="a bare PySide6 window's first paint",
        ),
        "district_search_p95_ms": _entry(
            search["gui_p95_ms"],
            "ms",
            search["repaint_p95_ms"],
            budget=BUDGETS["district_search_p95_ms"],
            core_p95_ms=search["core_p95_ms"],
            elders=search["elders"],
            keystrokes=search["keystrokes"],
            list_elders_s=round(search["list_elders_s"], 3),
            index_s=round(search["index_s"], 3),
            baseline_is="the same table reset and repaint without a search",
        ),
        "district_rss_mb": _entry(
            peak,
            "MB",
            bare_rss,
            budget=BUDGETS["district_rss_mb"],
            forms_mb=round(forms["rss_mb"]),
            search_mb=round(search["rss_mb"]),
            gui_mb=round(gui_rss),
            baseline_is="a bare PySide6 window process",
        ),
        "district_db_mb": _entry(
            db_mb,
            "MB",
            rows=read_all["rows"],
            bytes_per_row=round(db_mb * 2**20 / max(1, read_all["rows"]), 1),
        ),
    }
    if built is not None:
        imp = built["district_import"]
        result["district_import_s"] = _entry(
            imp["import_s"],
            "s",
            read_all["read_s"],
            budget=BUDGETS["district_import_s"],
            rss_mb=round(imp["rss_mb"]),
            rows=read_all["rows"],
            ms_per_1000_rows=round(imp["import_s"] * 1e6 / max(1, read_all["rows"]), 2),
            town_bundles_mb=round(built["town_bundle_mb"], 1),
            baseline_is="sqlite3 reading every row of the district's database",
        )
        result["district_rss_mb"]["import_mb"] = round(imp["rss_mb"])
        result["district_rss_mb"]["value"] = round(max(peak, imp["rss_mb"]), 3)
        per_town = statistics.median(built["town_import_s"])
        result["district_town_import_s"] = _entry(
            per_town,
            "s",
            ms_per_1000_rows=round(
                per_town * 1e6 / max(1, built["village_rows"] / len(built["town_import_s"])), 2
            ),
            note="median import of one town's village bundles",
        )
        result["district_build_s"] = _entry(
            built["villages_s"],
            "s",
            village_rows=built["village_rows"],
            village_export_median_s=round(built["village_export_s"], 3),
            town_export_median_s=round(statistics.median(built["town_export_s"]), 3),
            note="making the village demos and their bundles (2 worker processes)",
        )
    for entry in result.values():
        if "budget" in entry:
            entry["met"] = entry["value"] <= entry["budget"]
    return result


def bench_district(tmp: Path, quick: bool) -> dict[str, dict[str, object]]:
    towns, villages = (2, 5) if quick else (20, 30)
    built = build(tmp / "district", towns, villages)
    result = measure(built["folder"], quick, built)
    for entry in result.values():
        entry["towns"], entry["villages"] = towns, towns * villages
    return result


if __name__ == "__main__":
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--keep", metavar="DIR", help="build in DIR and keep it")
    parser.add_argument(
        "--measure", metavar="DIR", help="only measure a district workspace already built"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    if args.measure:
        found = measure(Path(args.measure), args.quick)
        print(json.dumps(found, ensure_ascii=False, indent=1))
    elif args.keep:
        print(json.dumps(bench_district(Path(args.keep), args.quick), ensure_ascii=False, indent=1))
    else:
        with tempfile.TemporaryDirectory(prefix="huzhu-district-") as tmp:
            print(json.dumps(bench_district(Path(tmp), args.quick), ensure_ascii=False, indent=1))
