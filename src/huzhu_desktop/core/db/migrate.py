"""Apply alembic migrations to a workspace database (called at open, after a backup)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect, text

from huzhu_desktop.core.db.schema import KNOWN_REVISIONS, SCHEMA_HEAD

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def current_revision(engine: Engine) -> str | None:
    """The alembic revision stored in the database, None for a database without tables."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return row[0] if row else None


def is_newer_than_app(revision: str | None) -> bool:
    return revision is not None and revision not in KNOWN_REVISIONS


def needs_upgrade(revision: str | None) -> bool:
    return revision != SCHEMA_HEAD


def upgrade_to_head(engine: Engine) -> None:
    """Run every pending migration step (alembic is imported only when there is work to do)."""
    upgrade_to(engine, "head")


def upgrade_to(engine: Engine, revision: str) -> None:
    """Upgrade to a given revision (tests build databases of old schema versions with it)."""
    from alembic import command

    _migrate(engine, lambda cfg: command.upgrade(cfg, revision))


def downgrade_to(engine: Engine, revision: str) -> None:
    """Step back to an earlier revision (tests of migrations that must rebuild the same rows)."""
    from alembic import command

    _migrate(engine, lambda cfg: command.downgrade(cfg, revision))


def _migrate(engine: Engine, step: Callable[[Any], None]) -> None:
    """All steps in one transaction, foreign keys off while tables are rebuilt (SQLite's own
    procedure for altering a table: a rebuilt parent table would otherwise fail or cascade),
    and checked before the commit: a step that broke a reference is rolled back."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")  # outside any transaction, or it is ignored
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                step(cfg)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration broke references: {broken[:5]}")
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


def script_head() -> str | None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(cfg).get_current_head()
