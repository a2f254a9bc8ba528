"""Apply alembic migrations to a workspace database (called at open, after a backup)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect, text

from huzhu_desktop.core.app_versions import install
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


def newer_than_app(revision: str | None, made_by: str) -> str:
    """Why a database from a newer app cannot be used here, naming the version to install when
    the database says which app made it (databases record it from 0.2.0 on)."""
    from huzhu_desktop import __version__

    if made_by:
        by, needed = f" {made_by} ", install(made_by)
    else:
        by, needed = "", "请先把本软件升级到最新版本"
    return (
        f"由更新版本的互助养老桌面版{by}保存（数据库版本 {revision}），"
        f"本软件是 {__version__}，不能使用它。{needed}"
    )


def needs_upgrade(revision: str | None) -> bool:
    return revision != SCHEMA_HEAD


def stamp_app_version(engine: Engine, version: str) -> None:
    """Record which app brought the database to its revision (workspace_info.app_version)."""
    with engine.begin() as conn:
        conn.execute(text("UPDATE workspace_info SET app_version = :v"), {"v": version})


def upgrade_to_head(engine: Engine) -> None:
    """Run every pending migration step (alembic is imported only when there is work to do)."""
    upgrade_to(engine, "head")


def upgrade_to(engine: Engine, revision: str, *, check_references: bool = True) -> None:
    """Upgrade to a given revision (tests build databases of old schema versions with it; a
    bundle from an older app is brought up through it, without the reference check: a bundle
    holds one unit's rows, which may point at rows another unit owns)."""
    from alembic import command

    _migrate(engine, lambda cfg: command.upgrade(cfg, revision), check_references)


def downgrade_to(engine: Engine, revision: str) -> None:
    """Step back to an earlier revision (tests of migrations that must rebuild the same rows)."""
    from alembic import command

    _migrate(engine, lambda cfg: command.downgrade(cfg, revision))


def _migrate(engine: Engine, step: Callable[[Any], None], check_references: bool = True) -> None:
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
                broken = (
                    check_references and conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                )
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
