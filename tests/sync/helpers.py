"""Workspaces for the sync tests: a district, its town, a demo village under the town, and the
village's second PC — with key cards exchanged the way the clerks would."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from huzhu_desktop.core.demo import make_demo
from huzhu_desktop.core.services import keys
from huzhu_desktop.core.services.setup import SetupForm, initialize
from huzhu_desktop.core.sync.export import export_bundle
from huzhu_desktop.core.sync.importer import ImportResult, import_bundle
from huzhu_desktop.core.workspace import Workspace

TODAY = date(2026, 11, 23)


def make(root: Path, kind: str, code: str, name: str, parent: str = "") -> Workspace:
    w = Workspace.open(root / name)
    with w.transaction() as s:
        initialize(
            SetupForm(kind, code, name, parent, "渝北区", "李专干"),
            session=s,
        )
    w.reload_info()
    return w


def demo_village(root: Path, name: str = "village", elders: int = 20) -> Workspace:
    w = Workspace.open(root / name)
    make_demo(w, elders=elders, years=1, seed=5, today=TODAY, town=False)
    return w


def hand_card(src: Workspace, dst: Workspace, tmp: Path) -> None:
    """src exports its key card; dst imports it (fingerprint compared by eye)."""
    card = tmp / f"card-{src.folder.name}.json"
    with src.transaction() as s:
        keys.write_card(s, card)
    with dst.transaction() as s:
        keys.trust(s, keys.read_card(card), "李专干")


def export(w: Workspace, usb: Path, **kw: object) -> Path:
    usb.mkdir(parents=True, exist_ok=True)
    with w.transaction() as s:
        return export_bundle(s, w.actor, usb, period="2026Q4", **kw).path  # type: ignore[arg-type]


def bring(w: Workspace, bundle: Path, **kw: object) -> ImportResult:
    with w.transaction() as s:
        return import_bundle(s, w.actor, bundle, **kw)  # type: ignore[arg-type]


def db_hash(w: Workspace) -> str:
    """A digest of every row of every table (what 'database untouched' means)."""
    h = hashlib.sha256()
    with w.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        for line in raw.iterdump():
            h.update(line.encode())
    return h.hexdigest()


@dataclass
class Chain:
    district: Workspace
    town: Workspace
    village: Workspace
    usb: Path

    def close(self) -> None:
        for w in (self.district, self.town, self.village):
            w.close()


def chain(root: Path, elders: int = 20) -> Chain:
    district = make(root, "district", "500112", "渝北区")
    town = make(root, "town", "500112108", "茨竹镇", "渝北区")
    village = demo_village(root, elders=elders)
    for src, dst in ((town, village), (village, town), (district, town), (town, district)):
        hand_card(src, dst, root)
    return Chain(district, town, village, root / "usb")
