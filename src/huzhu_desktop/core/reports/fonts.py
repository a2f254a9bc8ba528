"""A TrueType CJK font for reportlab: the system's on Windows, else the bundled WenQuanYi."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import huzhu_desktop

FONT_NAME = "HuzhuCJK"
BUNDLED = Path(huzhu_desktop.__file__).with_name("resources") / "fonts" / "wqy-microhei.ttc"


def _candidates() -> list[tuple[Path, int]]:
    windir = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    return [
        (windir / "simhei.ttf", 0),
        (windir / "msyh.ttc", 0),
        (windir / "msyh.ttf", 0),
        (windir / "simsun.ttc", 0),
        (BUNDLED, 0),
    ]


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Register (once) and return the name of a CJK font that reportlab can embed."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path, index in _candidates():
        if path.is_file():
            try:
                pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=index))
            except Exception:
                continue
            return FONT_NAME
    raise FileNotFoundError(f"no CJK TrueType font found (bundled one missing: {BUNDLED})")
