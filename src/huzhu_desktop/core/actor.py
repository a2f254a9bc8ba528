"""Who is acting and where — recorded on every row a service writes (DESIGN §4: `updated_by`,
`origin`, `owner_code`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    """The operator (the logged-in user or the clerk named at setup), the workspace they work in
    (`origin`) and the org unit that owns the rows they create."""

    operator: str
    origin: str  # workspace id
    owner_code: str  # org unit that owns new rows
    role: str | None = None  # the logged-in user's role; None: a login-free workspace

    def stamp(self) -> dict[str, Any]:
        """The sync columns a new row takes from whoever creates it (ORM keyword arguments)."""
        return {"owner_code": self.owner_code, "origin": self.origin, "updated_by": self.operator}
