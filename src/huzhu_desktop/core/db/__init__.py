"""The SQLite store: engine with safe pragmas, alembic migrations, backups."""
