"""Per-workspace user-interface settings, stored as versioned JSON (`settings.json`)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

SETTINGS_VERSION = 1
FILE_NAME = "settings.json"


@dataclass
class UiSettings:
    large_font: bool = False
    max_elders_per_helper: int = 5  # above this a new pairing warns (not blocks)
    idle_lock_minutes: int = 10  # a workspace with users locks after this long untouched; 0: never
    copy_backups_to: str = ""  # a second place for the automatic backups (a USB folder); "": none
    target_goals: dict[str, dict[str, float]] = field(default_factory=dict)  # year → id → goal


def load_settings(folder: Path) -> UiSettings:
    """Missing, unreadable or newer files give defaults (the file is then left as it is)."""
    try:
        data = json.loads((folder / FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return UiSettings()
    if not isinstance(data, dict) or data.get("version") != SETTINGS_VERSION:
        return UiSettings()
    limit = data.get("max_elders_per_helper", 5)
    idle = data.get("idle_lock_minutes", 10)
    return UiSettings(
        large_font=bool(data.get("large_font", False)),
        max_elders_per_helper=limit if isinstance(limit, int) and 1 <= limit <= 100 else 5,
        idle_lock_minutes=idle if isinstance(idle, int) and 0 <= idle <= 240 else 10,
        copy_backups_to=str(data.get("copy_backups_to") or "")[:500],
        target_goals=_goals(data.get("target_goals")),
    )


def _goals(value: object) -> dict[str, dict[str, float]]:
    """The clerk's goals as saved, anything malformed left out."""
    if not isinstance(value, dict):
        return {}
    out: dict[str, dict[str, float]] = {}
    for year, chosen in value.items():
        if isinstance(year, str) and year.isdigit() and isinstance(chosen, dict):
            out[year] = {
                str(k)[:40]: float(v)
                for k, v in chosen.items()
                if isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v <= 10**9
            }
    return out


def save_settings(folder: Path, settings: UiSettings) -> None:
    path = folder / FILE_NAME
    tmp = path.with_name(FILE_NAME + ".tmp")
    payload = {"version": SETTINGS_VERSION, **asdict(settings)}
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(payload, fh, ensure_ascii=False, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
