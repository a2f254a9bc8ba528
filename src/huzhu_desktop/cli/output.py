"""Printing results: one JSON value with --json, readable Chinese text otherwise."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any

from huzhu_desktop.core.labels import COUNT_LINE


def emit(args: argparse.Namespace, value: Any, text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(value, ensure_ascii=False, default=_json_default))
    else:
        print(text)


def _json_default(o: object) -> object:
    iso = getattr(o, "isoformat", None)
    if iso is not None:
        return iso()
    raise TypeError(type(o).__name__)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain text table that lines up Chinese (two columns wide) and ASCII characters."""
    cells = [[_text(v) for v in row] for row in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True))]
    lines += ["  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)) for r in cells]
    lines.append(COUNT_LINE.format(n=len(rows)))
    return "\n".join(lines)


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))


def _text(value: object) -> str:
    """A cell: nothing for None, a list of names as 张三、李四."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value)
