"""Bundles across app versions: 30 villages never upgrade on the same day.

Compatibility is keyed on the pair (bundle format version, schema revision) a manifest states:
- the same pair as this app: read as is;
- the same format, an older revision this app knows: the payload's rows are loaded into a
  scratch database made at *that* revision, brought to this app's head by the very migration
  steps a workspace takes (spells derived from profiles, activities from 活动积分 awards …, with
  the same deterministic ids), and read back — so a district gets from an old village exactly the
  rows that village will hold once it upgrades;
- anything newer (a format or revision this app does not know): refused before anything is
  opened, naming the app version that made it, which is the one to install.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from huzhu_desktop.core.app_versions import shown_version
from huzhu_desktop.core.db import migrate
from huzhu_desktop.core.db.schema import KNOWN_REVISIONS, SCHEMA_HEAD
from huzhu_desktop.core.sync.container import VERSION, damaged, is_known_version, newer
from huzhu_desktop.core.sync.snapshot import TABLES, Snapshot, columns, to_lines

FIRST_SYNC_REVISION = "0004"  # the first app that exported bundles
SCALARS = (str, int, float, type(None))


def check(m: dict[str, Any], name: str, who: str = "") -> None:
    """Refuse a bundle made by a newer app: its format version or schema revision unknown here."""
    version, schema = m.get("version", VERSION), m.get("schema", SCHEMA_HEAD)
    if m.get("kind") == "receipt" and is_known_version(m):
        return  # a 回执 holds no rows: its schema revision does not matter
    if version == VERSION and schema in KNOWN_REVISIONS and schema >= FIRST_SYNC_REVISION:
        return
    raise newer(
        name, m.get("app_version"), f"格式第 {str(version)[:8]} 版，数据库版本 {schema}"[:60], who
    )


def from_older(m: dict[str, Any]) -> str:
    """What the preview says of a bundle from an older version ("" for this version's)."""
    schema = m.get("schema", SCHEMA_HEAD)
    if schema == SCHEMA_HEAD:
        return ""
    made_by = shown_version(m.get("app_version")) or "旧版本"
    return f"来自旧版本 {made_by}（数据库版本 {schema}），导入时先转换成本版本的格式"


def upgrade_rows(data: bytes, schema: str, name: str) -> bytes:
    """A payload's rows (JSON lines, as an app at revision `schema` wrote them) as this app
    writes them. Embedded village bundles pass through untouched: each is upgraded by its own
    manifest's revision when it is read."""
    if schema == SCHEMA_HEAD:
        return data
    lines = data.split(b"\n")
    with tempfile.TemporaryDirectory(prefix="huzhu-upgrade-") as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'old.db'}")
        try:
            migrate.upgrade_to(engine, schema)
            passed = _load(engine, lines[1:], name)
            try:
                migrate.upgrade_to(engine, "head", check_references=False)
            except Exception as e:  # a migration step the rows did not fit: not a real bundle
                raise damaged(name, f"upgrade from {schema}: {e!r}") from e
            snap = Snapshot()
            with engine.connect() as conn:
                raw = conn.connection.driver_connection
                assert raw is not None
                for table in TABLES:
                    cols = ", ".join(columns(table))
                    snap.rows[table] = raw.execute(
                        f"SELECT {cols} FROM {table} ORDER BY id"
                    ).fetchall()
        finally:
            engine.dispose()
    out = to_lines(snap)
    return out + b"".join(line + b"\n" for line in passed)


def _load(engine: Any, lines: Sequence[bytes], name: str) -> list[bytes]:
    """Insert every table line into the scratch database; return the embedded lines."""
    embedded: list[bytes] = []
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        known = {
            t: [r[1] for r in raw.execute(f"PRAGMA table_info({t})")]
            for (t,) in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        for n, line in enumerate(lines, start=2):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as e:
                raise damaged(name, f"line {n}: {e}") from e
            if isinstance(item, dict) and "embedded" in item:
                embedded.append(line)
                continue
            table, cols, rows = _parts(item, known, name, n)
            marks = ", ".join("?" * len(cols))
            try:
                raw.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", rows)
            except sqlite3.Error as e:
                raise damaged(name, f"line {n}: {e}") from e
    return embedded


def _parts(
    item: Any, known: dict[str, list[str]], name: str, n: int
) -> tuple[str, list[str], list[Any]]:
    """A table line's table, columns and rows, each checked against the scratch database's own
    tables and columns (names are never taken from the file into SQL unchecked)."""
    if not isinstance(item, dict):
        raise damaged(name, f"line {n}: not an object")
    table, cols, rows = item.get("table"), item.get("columns"), item.get("rows")
    if not isinstance(table, str) or table not in known or table not in TABLES:
        raise damaged(name, f"line {n}: table {str(table)[:40]!r}")
    if (
        not isinstance(cols, list)
        or not cols
        or len(set(map(str, cols))) != len(cols)
        or not set(cols) <= set(known[table])
    ):
        raise damaged(name, f"line {n}: columns of {table}")
    if not isinstance(rows, list) or not all(
        isinstance(r, list) and len(r) == len(cols) and all(isinstance(v, SCALARS) for v in r)
        for r in rows
    ):
        raise damaged(name, f"line {n}: rows of {table}")
    return table, cols, rows
