"""Start-up of the installed app against the same app run from source, in the same run.

    python benchmarks/installed_start.py [--installed /usr/bin] [--runs 5]

Prints JSON: for `huzhu --version` and `huzhu-desktop --smoke` (a fresh workspace, offscreen),
the first start after install ("cold": nothing of the program in the page cache yet, as far as
this machine lets a non-privileged run know) and the median of the next runs, each with its
baseline (the source checkout's .venv) and the ratio. .ci/run runs it after installing the .deb.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=120)
    return time.perf_counter() - t0


def measure(cmd: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    first = timed(cmd, env)
    rest = [timed(cmd, env) for _ in range(runs)]
    return first, statistics.median(rest)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--installed", default="/usr/bin")
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    installed, source = Path(args.installed), ROOT / ".venv" / "bin"
    out: dict[str, dict[str, float | str]] = {}
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, HOME=home, QT_QPA_PLATFORM="offscreen")
        env.pop("HUZHU_WORKSPACE", None)
        ws = Path(home) / "ws"
        subprocess.run(
            [str(source / "huzhu"), "--workspace", str(ws), "init", "--kind", "village",
             "--org-code", "500112108201", "--org-name", "测试村", "--parent-name", "茨竹镇",
             "--district-name", "渝北区"],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        for name, argv in {
            "version": ["huzhu", "--version"],
            "smoke": ["huzhu-desktop", "--workspace", str(ws), "--smoke"],
        }.items():
            first, median = measure([str(installed / argv[0]), *argv[1:]], env, args.runs)
            b_first, b_median = measure([str(source / argv[0]), *argv[1:]], env, args.runs)
            for kind, value, base in (("first", first, b_first), ("median", median, b_median)):
                out[f"installed_{name}_{kind}_s"] = {
                    "value": round(value, 3),
                    "unit": "s",
                    "baseline": round(base, 3),
                    "baseline_is": "the same command from the source checkout (.venv)",
                    "ratio": round(value / base, 2),
                }
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
