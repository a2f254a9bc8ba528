"""Write src/huzhu_desktop/resources/pinyin_chars.txt: the toneless common reading of every
character U+3400–U+9FFF, one line per reading ("li 李里理…"), for sorting lists.

    .venv/bin/python resources/make_pinyin_table.py

Sorting a list must not wait for pypinyin to load its phrase dictionary (0.25 s at every
`huzhu list`); this table loads in a few milliseconds. pypinyin stays the source (run again when
it is upgraded) and the fallback for characters outside the table.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from pypinyin import Style, lazy_pinyin

OUT = (
    Path(__file__).resolve().parents[1] / "src" / "huzhu_desktop" / "resources" / "pinyin_chars.txt"
)


def main() -> None:
    by_reading: dict[str, list[str]] = defaultdict(list)
    for code in range(0x3400, 0xA000):
        ch = chr(code)
        reading = lazy_pinyin(ch, style=Style.NORMAL, errors="ignore")
        if reading and reading[0].isascii() and reading[0].isalpha():
            by_reading[reading[0].lower()].append(ch)
    lines = [f"{r} {''.join(chars)}" for r, chars in sorted(by_reading.items())]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{sum(map(len, by_reading.values()))} characters, {len(lines)} readings → {OUT}")


if __name__ == "__main__":
    main()
