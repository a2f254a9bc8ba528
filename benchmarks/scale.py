"""Where one PC stops: the district of `district.py` (600 villages made through the real path)
grown to 2,000, 5,000 and 8,000 villages by copying whole towns in bulk — every synced row of a
town and its villages copied with new codes (a new town code, the same village numbers) and new
ids (the copy's number in the first eight hex digits of each UUID) — then measured as
`district.measure` does, each step until a budget breaks or a step runs past the cap.

    python benchmarks/scale.py --district DIR --villages 2000,5000,8000 [--cap 900]

DIR is a district workspace `district.py --keep` left (it is grown in place: copy it first to
keep the 600-village one). Prints one JSON object: per size, the figures and which budgets held.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import district  # noqa: E402  (benchmarks/district.py)

CODE_COLUMNS = {"owner_code", "code", "parent_code", "unit_code"}
TOWNS_MADE = 20  # district.py's full size
VILLAGES_PER_TOWN = 30


def _is_uuid_column(name: str) -> bool:
    return name in ("id", "origin") or name.endswith("_id")


def _synced_tables() -> list[str]:
    from huzhu_desktop.core.models import SYNCED_TABLES

    names = [t.__tablename__ for t in SYNCED_TABLES]
    # stock_move's insert trigger adds to its item's stock: copy the moves before the items (the
    # copied items already hold the stock the moves made)
    names.remove("stock_move")
    names.insert(names.index("shop_item"), "stock_move")
    return names


def _copy_town(con: sqlite3.Connection, source: int, target: int, tables: list[str]) -> int:
    """Copy original town `source` (0-based) as town number `target`; returns rows written."""
    old_town, new_town = district._town_code(source), district._town_code(target)
    con.execute("DELETE FROM temp.codemap")
    con.execute("INSERT INTO temp.codemap VALUES (?, ?)", (old_town, new_town))
    con.executemany(
        "INSERT INTO temp.codemap VALUES (?, ?)",
        [
            (f"{old_town}{201 + v:03d}", f"{new_town}{201 + v:03d}")
            for v in range(VILLAGES_PER_TOWN)
        ],
    )
    prefix = f"{target:08x}"
    written = 0
    for table in tables:
        cols = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
        exprs = []
        for c in cols:
            if c in CODE_COLUMNS:
                exprs.append(f'COALESCE((SELECT new FROM temp.codemap WHERE old = "{c}"), "{c}")')
            elif _is_uuid_column(c):
                exprs.append(
                    f'CASE WHEN length("{c}") = 36 THEN :p || substr("{c}", 9) ELSE "{c}" END'
                )
            else:
                exprs.append(f'"{c}"')
        cur = con.execute(
            f'INSERT INTO "{table}" ({", ".join(cols)}) SELECT {", ".join(exprs)} FROM "{table}" '
            "WHERE owner_code IN (SELECT old FROM temp.codemap)",
            {"p": prefix},
        )
        written += cur.rowcount
    con.execute(
        "INSERT INTO point_balance SELECT :p || substr(household_id, 9), balance_c, entries "
        "FROM point_balance WHERE household_id IN (SELECT id FROM household WHERE owner_code IN "
        "(SELECT old FROM temp.codemap))",
        {"p": prefix},
    )
    return written


def grow(db: Path, villages: int) -> dict[str, Any]:
    """Add town copies until the district holds `villages` villages (whole towns)."""
    towns_wanted = -(-villages // VILLAGES_PER_TOWN)
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TEMP TABLE IF NOT EXISTS codemap (old TEXT PRIMARY KEY, new TEXT)")
    have = con.execute(
        "SELECT count(DISTINCT owner_code) FROM org_unit WHERE level = 'village'"
    ).fetchone()[0]
    towns_have = max(TOWNS_MADE, -(-have // VILLAGES_PER_TOWN))
    tables = _synced_tables()
    t0, rows = time.perf_counter(), 0
    for target in range(towns_have, towns_wanted):
        con.execute("BEGIN")
        rows += _copy_town(con, target % TOWNS_MADE, target, tables)
        con.execute("COMMIT")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return {"towns": towns_wanted, "rows_added": rows, "grow_s": round(time.perf_counter() - t0, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--district", required=True, help="a district workspace folder")
    parser.add_argument("--villages", default="2000,5000,8000")
    parser.add_argument("--cap", type=float, default=900, help="seconds a figure may take")
    parser.add_argument("--keep-going", action="store_true", help="past a broken budget too")
    args = parser.parse_args()
    from huzhu_desktop.paths import DB_NAME

    folder = Path(args.district)
    results: dict[str, Any] = {}
    for n in (int(x) for x in args.villages.split(",")):
        step: dict[str, Any] = {"grown": grow(folder / DB_NAME, n)}
        try:
            step["figures"] = district.measure(folder, quick=True, cap=args.cap)
        except Exception as exc:  # a step past the cap: say so, and stop
            step["stopped"] = repr(exc)[:500]
        results[str(n)] = step
        print(json.dumps({n: step}, ensure_ascii=False), file=sys.stderr, flush=True)
        broken = [k for k, e in step.get("figures", {}).items() if e.get("met") is False] or [
            "stopped"
        ] * ("stopped" in step)
        step["broken"] = broken
        if broken and not args.keep_going:
            break
    print(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
