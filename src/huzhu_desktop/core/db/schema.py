"""The schema revision this app was built for (alembic head); a test keeps it in step."""

SCHEMA_HEAD = "0010"
KNOWN_REVISIONS = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
)
