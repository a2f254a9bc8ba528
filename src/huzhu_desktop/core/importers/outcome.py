"""What an import did with every row it read — one shape for the 台账 import and the visit
import, so the CLI's JSON and the screens' counts say the same things the same way.

rows_total = imported + updated + skipped_duplicates + rejected (data rows); the sheet's blank
and layout rows are counted beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from huzhu_desktop.core.importers.rows import Rejection


@dataclass
class Outcome:
    rows_total: int = 0
    imported: int = 0
    updated: int = 0
    skipped_duplicates: int = 0
    skipped_blank: int = 0
    skipped_layout: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    dry_run: bool = True

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    def to_json(self) -> dict[str, object]:
        return {
            "rows_total": self.rows_total,
            "imported": self.imported,
            "updated": self.updated,
            "skipped_duplicates": self.skipped_duplicates,
            "skipped_blank": self.skipped_blank,
            "skipped_layout": self.skipped_layout,
            "rejected": self.rejected,
            "rejections": [r.to_json() for r in self.rejections],
        }
