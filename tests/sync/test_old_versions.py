"""Thirty villages on different app versions: bundles from every earlier version are read.

The bundles and their receivers' databases were made by each version's own code
(tests/fixtures/make_old_versions.py): a demo village's next bundle to its town, and the town's
bundle to a new district. Here the town and the district run this version (their databases
upgraded at open), as when the town upgrades in January and its villages do not.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlmodel import Session

from huzhu_desktop import __version__
from huzhu_desktop.core.db.schema import SCHEMA_HEAD
from huzhu_desktop.core.demo import make_demo
from huzhu_desktop.core.services.setup import SetupForm, initialize
from huzhu_desktop.core.sync import container
from huzhu_desktop.core.sync.container import BundleRefused
from huzhu_desktop.core.sync.export import export_bundle
from huzhu_desktop.core.sync.importer import import_bundle, inspect_bundle
from huzhu_desktop.core.sync.snapshot import read_own
from huzhu_desktop.core.workspace import Workspace
from tests.sync.helpers import TODAY, db_hash, hand_card

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BUNDLES = FIXTURES / "bundles"
RELEASED = sorted(p.name for p in BUNDLES.iterdir())
OLDER = [r for r in RELEASED if r != SCHEMA_HEAD]
NAMES_VERSION = "0009"  # the first revision whose app (0.2.0) names the version to install
VILLAGE = "500112108201"  # the demo village of every version


def opened(tmp: Path, rev: str, who: str) -> Workspace:
    folder = tmp / f"{who}-{rev}"
    folder.mkdir()
    shutil.copyfile(BUNDLES / rev / f"{who}.db", folder / "huzhu.db")
    return Workspace.open(folder)


def bring(w: Workspace, bundle: Path, **kw: object):  # type: ignore[no-untyped-def]
    with w.transaction() as s:
        return import_bundle(s, w.actor, bundle, **kw)  # type: ignore[arg-type]


def rows_of(w: Workspace, owner: str) -> dict[str, list[tuple[object, ...]]]:
    with Session(w.engine) as s:
        snap = read_own(s, owner)
    return {t: sorted(tuple(r) for r in rows) for t, rows in snap.rows.items()}


def test_fixtures_cover_every_revision_since_sync_landed() -> None:
    from huzhu_desktop.core.db.schema import KNOWN_REVISIONS

    assert [r for r in KNOWN_REVISIONS if r >= "0004"] == RELEASED
    for rev in RELEASED:
        meta = json.loads((FIXTURES / "schemas" / f"{rev}.json").read_text(encoding="utf-8"))
        assert set(meta["bundles"]) == {"village_to_town", "town_to_district"}


@pytest.mark.parametrize("rev", RELEASED)
def test_a_town_on_this_version_takes_a_village_bundle_of_every_version(
    rev: str, tmp_path: Path
) -> None:
    town = opened(tmp_path, rev, "town")
    try:
        with Session(town.engine) as s:
            seen = inspect_bundle(s, BUNDLES / rev / "village_to_town.huzhu").as_json()
        assert seen["schema"] == rev
        if rev == SCHEMA_HEAD:
            assert seen["from_older"] == ""
        else:
            made_by = json.loads((FIXTURES / "schemas" / f"{rev}.json").read_text("utf-8"))
            shown = made_by["app_version"]
            assert seen["from_older"].startswith(f"来自旧版本 {shown}（数据库版本 {rev}）")
        before = rows_of(town, VILLAGE)
        result = bring(town, BUNDLES / rev / "village_to_town.huzhu")
        assert result.applied
        # The town upgraded its copy of the village's rows with the same steps the bundle's
        # rows went through: nothing new, nothing changed, nothing lost.
        totals = result.totals()
        assert totals["new"] == totals["changed"] == totals["deleted"] == 0
        assert totals["conflicts"] == 0
        assert rows_of(town, VILLAGE) == before
    finally:
        town.close()


@pytest.mark.parametrize("rev", RELEASED)
def test_a_district_gets_from_an_old_village_the_rows_it_will_hold_once_upgraded(
    rev: str, tmp_path: Path
) -> None:
    """The town's bundle of that version embeds the village's payload of that version."""
    district = opened(tmp_path, rev, "district")
    village_folder = tmp_path / "village"
    village_folder.mkdir()
    shutil.copyfile(FIXTURES / "schemas" / f"{rev}.db", village_folder / "huzhu.db")
    try:
        result = bring(district, BUNDLES / rev / "town_to_district.huzhu")
        assert {s.org_code for s in result.sources} == {"500112108000", VILLAGE}
        with Workspace.open(village_folder) as village:  # the village upgrades, later
            assert rows_of(district, VILLAGE) == rows_of(village, VILLAGE)
    finally:
        district.close()


def test_a_town_forwards_villages_of_different_versions_and_the_district_reads_them_all(
    tmp_path: Path,
) -> None:
    old = OLDER[0]
    town = opened(tmp_path, old, "town")
    district = opened(tmp_path, old, "district")
    new = Workspace.open(tmp_path / "new-village")
    try:
        with new.transaction() as s:
            initialize(
                SetupForm("village", "500112108202", "新建村", "茨竹镇", "渝北区", "李专干"),
                session=s,
                is_demo=True,
            )
        new.reload_info()
        make_demo(new, elders=6, years=1, seed=9, today=TODAY, town=False)
        hand_card(new, town, tmp_path)
        hand_card(town, new, tmp_path)
        bring(district, BUNDLES / old / "town_to_district.huzhu")  # the town's last old bundle
        bring(town, BUNDLES / old / "village_to_town.huzhu")  # the old village's next one
        usb = tmp_path / "usb"
        usb.mkdir()
        with new.transaction() as s:
            made = export_bundle(s, new.actor, usb, period="2026Q4").path
        bring(town, made, trust_new_key=True)
        with town.transaction() as s:
            up = export_bundle(s, town.actor, usb, period="2026Q4").path
        raw = container.read_head(up)
        assert raw.manifest["schema"] == SCHEMA_HEAD
        assert raw.manifest["app_version"] == __version__
        result = bring(district, up, trust_new_key=True)
        by_unit = {s.org_code: s for s in result.sources}
        assert by_unit["500112108202"].status == "new"
        assert by_unit[VILLAGE].status == "new"  # its old-version payload, upgraded here
        assert sum(by_unit["500112108202"].tables["person"].values()) > 0
        assert rows_of(district, VILLAGE) == rows_of(town, VILLAGE)
        assert rows_of(district, "500112108202") == rows_of(new, "500112108202")
    finally:
        for w in (town, district, new):
            w.close()


def _as_newer(bundle: Path, target: Path, **fields: object) -> Path:
    """A bundle as a future version would write it (re-signed by a key of its own: the check of
    the versions must not depend on the signature being one we know)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from huzhu_desktop.core.services.keys import fingerprint

    raw = container.read_head(bundle)
    m = dict(raw.manifest)
    m.update(fields)
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes_raw().hex()
    m["source"] = dict(m["source"], sign_public=public)
    m["source"]["fingerprint"] = fingerprint(public, m["source"]["box_public"])
    manifest_bytes = json.dumps(m, ensure_ascii=False, sort_keys=True).encode()
    payload = container.read_payload(raw)
    target.write_bytes(container.build(manifest_bytes, key.sign(manifest_bytes), payload))
    return target


@pytest.mark.parametrize(
    "fields,detail",
    [
        ({"schema": "0042", "app_version": "0.9.1"}, "数据库版本 0042"),
        ({"version": 2, "app_version": "1.0.0"}, "格式第 2 版"),
    ],
)
def test_a_bundle_from_a_newer_version_is_refused_naming_it_and_nothing_changes(
    fields: dict[str, object], detail: str, tmp_path: Path
) -> None:
    town = opened(tmp_path, SCHEMA_HEAD, "town")
    try:
        future = _as_newer(
            BUNDLES / SCHEMA_HEAD / "village_to_town.huzhu", tmp_path / "future.huzhu", **fields
        )
        before = db_hash(town)
        with pytest.raises(BundleRefused) as refused:
            bring(town, future, trust_new_key=True, accept_changed_key=True)
        text = str(refused.value)
        assert detail in text
        assert f"请安装互助养老桌面版 {fields['app_version']} 或更新的版本" in text
        assert f"本软件是 {__version__}" in text
        assert db_hash(town) == before
    finally:
        town.close()


@pytest.mark.parametrize(
    "line",
    [
        {"table": "sqlite_master", "columns": ["name"], "rows": [["x"]]},
        {"table": "app_user", "columns": ["id"], "rows": [["x"]]},
        {"table": "person", "columns": ["id); DROP TABLE person; --"], "rows": [["x"]]},
        {"table": "person", "columns": ["id", "id"], "rows": [["x", "y"]]},
        {"table": "person", "columns": ["id"], "rows": [[["nested"]]]},
        {"table": "person", "columns": ["id"], "rows": [["a", "b"]]},
        {"table": "activity", "columns": ["id"], "rows": [["x"]]},  # not in 0004's schema
        ["not", "an", "object"],
    ],
)
def test_a_hostile_old_version_payload_is_refused_as_damaged(line: object) -> None:
    from huzhu_desktop.core.sync.versions import upgrade_rows

    data = (
        json.dumps({"payload": "huzhu-rows", "version": 1}) + "\n" + json.dumps(line) + "\n"
    ).encode()
    with pytest.raises(BundleRefused, match="已损坏或被改动过"):
        upgrade_rows(data, "0004", "x.huzhu")


def test_the_clerk_reads_which_old_version_a_bundle_came_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from huzhu_desktop.cli import main

    rev = OLDER[0]
    opened(tmp_path, rev, "town").close()
    bundle = BUNDLES / rev / "village_to_town.huzhu"
    assert (
        main(["--workspace", str(tmp_path / f"town-{rev}"), "bundle", "inspect", str(bundle)]) == 0
    )
    out = capsys.readouterr().out
    assert f"版本：来自旧版本 0.1.0（数据库版本 {rev}），导入时先转换成本版本的格式" in out


def _synced_columns(db: Path) -> dict[str, list[str]]:
    import sqlite3

    from huzhu_desktop.core.sync.snapshot import TABLES

    con = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)  # a missing fixture: no new file
    try:
        return {t: [r[1] for r in con.execute(f"PRAGMA table_info({t})")] for t in TABLES}
    finally:
        con.close()


@pytest.mark.parametrize("rev", OLDER)
def test_an_older_version_handed_a_bundle_from_this_one_refuses_it_untouched_or_reads_it_whole(
    rev: str,
) -> None:
    """Recorded by running that version's own code (make_old_versions.py --refusals). Versions
    before 0.2.0 cannot name the version to install; they refuse and change nothing — unless
    nothing that travels in a bundle changed since them, and then they import it."""
    meta = json.loads((FIXTURES / "schemas" / f"{rev}.json").read_text(encoding="utf-8"))
    seen = meta["newer_bundle"]
    assert seen["made_by"] == __version__
    head = FIXTURES / "schemas" / f"{SCHEMA_HEAD}.db"
    if rev >= NAMES_VERSION:  # 0.2.0 onwards: a revision it does not know is refused, named
        assert seen["exit_code"] == 1 and seen["database_unchanged"], seen
        assert f"请安装互助养老桌面版 {__version__}" in seen["message"]
    elif _synced_columns(FIXTURES / "schemas" / f"{rev}.db") == _synced_columns(head):
        assert seen["exit_code"] == 0, seen["message"]
    else:
        assert seen["exit_code"] == 1 and seen["database_unchanged"], seen
        assert "升级" in seen["message"]


@pytest.mark.parametrize("rev", OLDER)
def test_an_older_version_handed_a_receipt_from_this_one_refuses_it_untouched(rev: str) -> None:
    """A 回执 (bundle format 2) written by this version's district, handed to a town still on
    that version (make_old_versions.py --refusals): refused, nothing changed; from 0.2.0 on the
    refusal names the version to install."""
    meta = json.loads((FIXTURES / "schemas" / f"{rev}.json").read_text(encoding="utf-8"))
    seen = meta["newer_receipt"]
    assert seen["made_by"] == __version__
    assert seen["exit_code"] == 1 and seen["database_unchanged"], seen
    if rev >= NAMES_VERSION:
        assert "格式第 2 版" in seen["message"] and f"{__version__} 或更新" in seen["message"]
    else:
        assert "版本是 2" in seen["message"] and "升级" in seen["message"]


@pytest.mark.parametrize("rev", OLDER)
def test_a_stick_with_a_bundle_of_an_older_version_goes_in_through_the_folder_import(
    rev: str, tmp_path: Path
) -> None:
    """The folder import (`batch.import_many`) takes what the single import takes: a village
    bundle written by an older app, beside a file cut short on the same stick."""
    from huzhu_desktop.core.sync.batch import bundle_files, import_many

    stick = tmp_path / "U盘"
    stick.mkdir()
    shutil.copyfile(BUNDLES / rev / "village_to_town.huzhu", stick / "a_old.huzhu")
    cut = (BUNDLES / rev / "village_to_town.huzhu").read_bytes()
    (stick / "b_cut.huzhu").write_bytes(cut[: len(cut) // 2])
    town = opened(tmp_path, rev, "town")
    try:
        before = rows_of(town, VILLAGE)
        old, half = import_many(town, bundle_files([stick]))
        assert old.ok and old.result is not None and old.result.applied
        assert old.result.totals()["conflicts"] == 0
        assert not half.ok and half.refused is not None
        assert "数据包" in half.refused.user_message
        assert rows_of(town, VILLAGE) == before
    finally:
        town.close()
