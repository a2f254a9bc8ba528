"""The rows a bundle carries: every synced row an org unit owns, tombstones included, as stored.

Plaintext payload = JSON lines. The first line names the payload; then one line per chunk of a
table: `{"table": …, "columns": […], "rows": [[…], …]}` with values exactly as SQLite stores
them (dates ISO text, times 'YYYY-MM-DD HH:MM:SS.ffffff' UTC, booleans 0/1). A town's payload
adds one `{"embedded": …}` line per village: that village's latest manifest, signature and
plaintext payload, as received. Reading checks every table, column, type, length and owner.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, LargeBinary, String
from sqlmodel import Session

from huzhu_desktop.core.db.bulk import raw_rows
from huzhu_desktop.core.models import SYNCED_TABLES, table_of
from huzhu_desktop.core.sync.container import BundleRefused

PAYLOAD_KIND = "huzhu-rows"
PAYLOAD_VERSION = 1
CHUNK = 20_000
TABLES: dict[str, Any] = {t.__tablename__: table_of(t) for t in SYNCED_TABLES}
APPEND_ONLY = ("point_entry", "stock_move")
Row = Sequence[Any]  # one row's values in column order: a tuple from SQLite, a list from JSON
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def columns(table: str) -> list[str]:
    return [c.name for c in TABLES[table].columns]


@dataclass
class Embedded:
    """A village bundle carried inside a town's bundle, exactly as the town received it."""

    manifest_bytes: bytes
    signature: bytes
    plain: bytes  # compressed plaintext payload


@dataclass
class Snapshot:
    rows: dict[str, list[Row]] = field(default_factory=dict)
    embedded: list[Embedded] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {t: len(r) for t, r in self.rows.items()}


def read_own(
    session: Session, owner_code: str, progress: Callable[[int, int], None] | None = None
) -> Snapshot:
    """Every synced row `owner_code` owns, in table order (parents before children);
    `progress(tables read, tables)` after each."""
    snap = Snapshot()
    for done, table in enumerate(TABLES):
        if progress is not None:
            progress(done, len(TABLES))
        cols = ", ".join(columns(table))
        snap.rows[table] = list(
            raw_rows(
                session,
                f"SELECT {cols} FROM {table} WHERE owner_code = ? ORDER BY id",
                (owner_code,),
            )
        )
    return snap


def to_lines(snap: Snapshot) -> bytes:
    out = [json.dumps({"payload": PAYLOAD_KIND, "version": PAYLOAD_VERSION})]
    for table, rows in snap.rows.items():
        cols = columns(table)
        for start in range(0, max(len(rows), 1), CHUNK):
            chunk = [list(r) for r in rows[start : start + CHUNK]]
            out.append(
                json.dumps(
                    {"table": table, "columns": cols, "rows": chunk},
                    ensure_ascii=False,
                    separators=(",", ":"),
                )
            )
    for e in snap.embedded:
        out.append(
            json.dumps(
                {
                    "embedded": {
                        "manifest": base64.b64encode(e.manifest_bytes).decode(),
                        "signature": base64.b64encode(e.signature).decode(),
                        "payload": base64.b64encode(e.plain).decode(),
                    }
                }
            )
        )
    return ("\n".join(out) + "\n").encode()


def from_lines(data: bytes, owners: set[str], name: str) -> Snapshot:
    """Parse and check a plaintext payload; every row must belong to one of `owners`."""
    snap = Snapshot()
    lines = data.split(b"\n")
    try:
        head = json.loads(lines[0])
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise _bad(name, f"head: {e}") from e
    if head != {"payload": PAYLOAD_KIND, "version": PAYLOAD_VERSION}:
        raise BundleRefused(f"数据包“{name}”的内容格式本软件不认识，请把两边的软件升级到同一版本。")
    checks = {t: _checkers(t) for t in TABLES}
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise _bad(name, f"line {n}: {e}") from e
        if not isinstance(item, dict):
            raise _bad(name, f"line {n}: not an object")
        if "embedded" in item:
            snap.embedded.append(_embedded(item["embedded"], name))
            continue
        table = item.get("table")
        if not isinstance(table, str):
            raise _bad(name, f"line {n}: no table")
        if table not in TABLES:  # a newer version of the app added it
            raise BundleRefused(
                f"数据包“{name}”中有本软件不认识的数据（来自更新版本的软件），"
                "请把两边的软件升级到同一版本。",
                f"line {n}: unknown table {table[:40]!r}",
            )
        rows = item.get("rows")
        if not isinstance(rows, list):
            raise _bad(name, f"line {n}: rows")
        given = item.get("columns")
        if given != columns(table):
            rows = _older_columns(table, given, rows, name)
        tuples = _check_rows(table, rows, checks[table], owners, name)
        snap.rows.setdefault(table, []).extend(tuples)
    return snap


def _older_columns(table: str, given: Any, rows: list[Any], name: str) -> list[Any]:
    """Rows from an older app version, whose table lacked columns added since (all nullable):
    laid out as this version's columns, the missing ones empty. A column this version does not
    know means a newer app: refused."""
    current = columns(table)
    newer = BundleRefused(
        f"数据包“{name}”中“{table}”的栏目与本软件不同，请把两边的软件升级到同一版本。"
    )
    if (
        not isinstance(given, list)
        or not all(isinstance(c, str) for c in given)
        or len(set(given)) != len(given)
        or not set(given) <= set(current)
    ):
        raise newer
    missing = [c for c in current if c not in given]
    if any(not TABLES[table].c[c].nullable for c in missing):
        raise newer
    where = [given.index(c) if c in given else None for c in current]
    out = []
    for row in rows:
        if not isinstance(row, list) or len(row) != len(given):
            raise _bad(name, f"{table}: row width")
        out.append([row[i] if i is not None else None for i in where])
    return out


def _embedded(raw: Any, name: str) -> Embedded:
    try:
        return Embedded(
            base64.b64decode(raw["manifest"], validate=True),
            base64.b64decode(raw["signature"], validate=True),
            base64.b64decode(raw["payload"], validate=True),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise _bad(name, f"embedded: {e!r}") from e


def _bad(name: str, why: str) -> BundleRefused:
    return BundleRefused(f"数据包“{name}”的内容不完整或不正确，没有导入任何数据。", why)


Check = Callable[[Sequence[Any]], str | None]


def _checkers(table: str) -> list[Check]:
    """Per column: a check over all its values at once (returns what is wrong, or None)."""
    out: list[Check] = []
    for c in TABLES[table].columns:
        t = getattr(c.type, "impl_instance", None) or c.type  # UTCDateTime → its DateTime
        nullable = bool(c.nullable)
        if isinstance(t, Boolean):
            out.append(_of_values({0, 1}, nullable))
        elif isinstance(t, Integer):
            out.append(_of_type(int, nullable))
        elif isinstance(t, DateTime):
            out.append(_parsed(datetime.fromisoformat, 26, nullable))
        elif isinstance(t, Date):
            out.append(_parsed(date.fromisoformat, 10, nullable))
        elif isinstance(t, String):
            out.append(_text(t.length, nullable))
        elif isinstance(t, LargeBinary):
            out.append(lambda values: "binary columns do not travel")
        else:
            raise TypeError(f"no bundle check for {table}.{c.name}: {t!r}")
    return out


def _types(values: Sequence[Any]) -> set[type]:
    return set(map(type, values))


def _of_type(kind: type, nullable: bool) -> Check:
    allowed = {kind, type(None)} if nullable else {kind}
    return lambda values: None if _types(values) <= allowed else f"not {kind.__name__}"


def _of_values(allowed_values: set[Any], nullable: bool) -> Check:
    allowed = allowed_values | ({None} if nullable else set())

    def check(values: Sequence[Any]) -> str | None:
        if not _types(values) <= {int, type(None)}:
            return "not 0/1"
        return None if set(values) <= allowed else "not 0/1"

    return check


def _text(length: int | None, nullable: bool) -> Check:
    allowed = {str, type(None)} if nullable else {str}

    def check(values: Sequence[Any]) -> str | None:
        if not _types(values) <= allowed:
            return "not text"
        if length and max(map(len, filter(None, values)), default=0) > length:
            return f"longer than {length}"
        return None

    return check


def _parsed(parse: Callable[[str], Any], width: int, nullable: bool) -> Check:
    def check(values: Sequence[Any]) -> str | None:
        distinct = set(values)
        if None in distinct:
            if not nullable:
                return "missing"
            distinct.discard(None)
        for v in distinct:
            if type(v) is not str or len(v) != width:
                return f"bad date/time {v!r}"
            try:
                parse(v)
            except ValueError:
                return f"bad date/time {v!r}"
        return None

    return check


def _check_rows(
    table: str, rows: list[Any], checks: list[Check], owners: set[str], name: str
) -> list[Row]:
    width = len(checks)
    if not rows:
        return []
    if set(map(type, rows)) != {list} or set(map(len, rows)) != {width}:
        raise _bad(name, f"{table}: a row of the wrong shape")
    by_column = list(zip(*rows, strict=True))
    for col, (values, check) in enumerate(zip(by_column, checks, strict=True)):
        wrong = check(values)
        if wrong:
            raise _bad(name, f"{table}.{columns(table)[col]}: {wrong}")
    ids = by_column[0]
    if len(set(ids)) != len(ids) or not all(map(UUID.match, ids)):
        raise _bad(name, f"{table}: ids not unique UUIDs")
    strangers = set(by_column[1]) - owners
    if strangers:
        raise BundleRefused(
            f"数据包“{name}”里有不属于发送单位的数据（单位代码 {'、'.join(sorted(strangers))}），"
            "没有导入任何数据。",
            f"{table}: owners {strangers}",
        )
    return rows  # checked as they came: lists, compared and written as they are
