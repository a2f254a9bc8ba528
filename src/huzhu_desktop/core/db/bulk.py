"""Bulk inserts straight through the DB-API for the big paths (import, demo, visit batches).

SQLAlchemy's Core executemany spends most of its time running type processors row by row; here
values are turned into exactly what those processors would store (DateTime as
'YYYY-MM-DD HH:MM:SS.ffffff' in UTC, Date as ISO, bool as 0/1) and handed to sqlite3 in one
executemany per table. A test checks that rows written this way read back identically.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timezone
from operator import itemgetter
from typing import Any

from sqlmodel import Session, SQLModel

from huzhu_desktop.core.models import table_of


def stamp(v: datetime) -> str:
    """A datetime as SQLAlchemy stores it in SQLite (UTC text with microseconds)."""
    if v.tzinfo is not None:
        v = v.astimezone(timezone.utc)
    return v.strftime("%Y-%m-%d %H:%M:%S.%f")


def _converters(table: type[SQLModel]) -> list[Callable[[Any], Any] | None]:
    """Per column: how a Python value becomes what SQLAlchemy would store (None: as it is)."""
    found: list[Callable[[Any], Any] | None] = []
    for column in table_of(table).columns:
        sql_type = getattr(column.type, "impl_instance", None) or column.type
        try:
            kind = sql_type.python_type
        except NotImplementedError:
            kind = object
        if issubclass(kind, datetime):
            found.append(stamp)
        elif issubclass(kind, date):
            found.append(date.isoformat)
        elif issubclass(kind, bool):
            found.append(int)
        else:
            found.append(None)
    return found


def insert_rows(session: Session, table: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """Insert dict rows (all with the table's every column) in the session's transaction."""
    if not rows:
        return
    columns = [c.name for c in table_of(table).columns]
    sql = (
        f"INSERT INTO {table.__tablename__} ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    convert = [(i, f) for i, f in enumerate(_converters(table)) if f is not None]
    getter = itemgetter(*columns)
    memo: dict[Any, Any] = {}  # rows of one import share their timestamps
    values = []
    for row in rows:
        v = list(getter(row))
        for i, f in convert:
            x = v[i]
            if x is not None:
                done = memo.get(x)
                if done is None:
                    done = memo[x] = f(x)
                v[i] = done
        values.append(tuple(v))
    session.connection().exec_driver_sql(sql, values)


def driver_connection(session: Session) -> sqlite3.Connection:
    """The session's sqlite3 connection, in its transaction."""
    driver = session.connection().connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


def flushed_connection(session: Session) -> sqlite3.Connection:
    """`driver_connection` with the session's pending changes flushed first, as a select would
    (for the reads that go straight through sqlite3: the register, the first screen)."""
    session.flush()
    return driver_connection(session)


def raw_rows(session: Session, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> Any:
    """A query's rows as plain tuples straight from sqlite3, in the session's transaction (for
    reads of 100,000 rows, where building a SQLAlchemy Row per row costs as much as SQLite)."""
    return driver_connection(session).execute(sql, params)


@contextlib.contextmanager
def larger_cache(session: Session, megabytes: int) -> Iterator[None]:
    """SQLite's page cache raised to `megabytes` for one bulk write on the session's connection,
    then put back (the connection returns to the pool with its usual cache)."""
    conn = session.connection()
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    wanted = -megabytes * 1024  # negative: KiB
    if before < 0 and wanted >= before:  # already as large (or larger)
        yield
        return
    conn.exec_driver_sql(f"PRAGMA cache_size={wanted}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={before}")


@contextlib.contextmanager
def key_table(
    session: Session, name: str, rows: Iterable[tuple[Any, ...]], columns: str
) -> Iterator[str]:
    """A temporary table of keys to join against, instead of thousands of `IN (…)` chunks.
    `columns` is its column list, e.g. "id TEXT PRIMARY KEY"; yields the table's name."""
    conn = session.connection()
    table = f"temp.{name}"
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
    conn.exec_driver_sql(f"CREATE TEMP TABLE {name} ({columns})")
    width = columns.count(",") + 1
    values = list(rows)
    if values:  # an empty executemany would run once with no parameters and fail
        conn.exec_driver_sql(
            f"INSERT OR IGNORE INTO {table} VALUES ({', '.join('?' * width)})", values
        )
    try:
        yield table
    finally:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
