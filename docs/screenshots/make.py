"""Remake the screenshots of every page in the three screen settings of the clipping test
(1366×768, 1280×800 large-font, 1366×768 at 150%), and the demo town's 首页, 报表 and 同步
(town-1366x768): runs those tests with HUZHU_SCREENSHOTS and
keeps the PNGs here, in 256 colours (a tenth of the size, text stays sharp).

    .venv/bin/python docs/screenshots/make.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def main() -> int:
    env = dict(os.environ, HUZHU_SCREENSHOTS=str(HERE))
    tests = [
        "tests/gui/test_no_clipping.py::test_no_page_cuts_a_header_or_a_phone_or_id_short",
        "tests/gui/test_no_clipping.py::test_the_demo_towns_pages_cut_nothing_short",  # town-…
    ]
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", *tests], cwd=ROOT, env=env)
    for png in HERE.glob("*/*.png"):
        Image.open(png).convert("RGB").quantize(256).save(png, optimize=True)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
