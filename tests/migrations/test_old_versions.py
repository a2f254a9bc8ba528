"""A village's database from every earlier app version opens in this one with its data intact.

The fixtures were made by each version's own code (tests/fixtures/make_old_versions.py): its
`huzhu demo`, and the figures that code itself printed. Here each is opened as a clerk would,
after an upgrade of the app: a backup is made first, the migrations run, `check` is clean, and
the register, the pairings and every household's points are what the old version showed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from huzhu_desktop import __version__
from huzhu_desktop.cli import main
from huzhu_desktop.core.db import migrate
from huzhu_desktop.core.db.schema import KNOWN_REVISIONS, SCHEMA_HEAD
from huzhu_desktop.core.workspace import Workspace

SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"
REVISIONS = sorted(p.stem for p in SCHEMAS.glob("*.db"))
ELDER_FIELDS = ("id", "name", "gender", "birth_year", "elder_types", "living", "health")
PAIRING_FIELDS = ("id", "kind", "elders", "helpers", "start_date", "end_date")


def old(rev: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{rev}.json").read_text(encoding="utf-8"))


def cli_json(capsys: pytest.CaptureFixture[str], folder: Path, *args: str) -> Any:
    code = main(["--workspace", str(folder), *args, "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def picked(rows: list[dict[str, Any]], fields: tuple[str, ...]) -> list[tuple[Any, ...]]:
    return sorted(tuple(json.dumps(r.get(f), ensure_ascii=False) for f in fields) for r in rows)


def test_every_schema_revision_has_a_fixture_made_by_its_own_version() -> None:
    assert tuple(REVISIONS) == KNOWN_REVISIONS
    for rev in REVISIONS:
        meta = old(rev)
        assert meta["revision"] == rev and len(meta["commit"].split()[0]) == 40
    assert old(SCHEMA_HEAD)["app_version"] == __version__


@pytest.mark.parametrize("rev", REVISIONS)
def test_an_old_village_database_opens_upgraded_with_the_same_figures(
    rev: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "village"
    folder.mkdir()
    shutil.copyfile(SCHEMAS / f"{rev}.db", folder / "huzhu.db")
    before = old(rev)["figures"]

    with Workspace.open(folder) as ws:
        assert migrate.current_revision(ws.engine) == SCHEMA_HEAD
        assert ws.info is not None and ws.info.app_version == __version__
    kept = list((folder / "backups").glob(f"*before-upgrade-{rev}*"))
    assert len(kept) == (0 if rev == SCHEMA_HEAD else 1)

    check = cli_json(capsys, folder, "check")
    assert check["ok"], check["problems"]
    for key, n in before["check"]["counts"].items():
        assert check["counts"][key] == n, key
    elders = cli_json(capsys, folder, "list", "elders")
    assert picked(elders, ELDER_FIELDS) == picked(before["elders"], ELDER_FIELDS)
    helpers = cli_json(capsys, folder, "list", "helpers")
    assert sorted(h["name"] for h in helpers) == sorted(h["name"] for h in before["helpers"])
    pairings = cli_json(capsys, folder, "list", "pairings")
    assert picked(pairings, PAIRING_FIELDS) == picked(before["pairings"], PAIRING_FIELDS)
    if "balances" in before:
        now = cli_json(capsys, folder, "points", "balance", "--all")
        assert now["total"] == before["balances"]["total"]
        assert {h["id"]: h["balance"] for h in now["households"]} == {
            h["id"]: h["balance"] for h in before["balances"]["households"]
        }


def test_an_upgraded_database_is_refused_by_the_version_before_naming_this_one(
    tmp_path: Path,
) -> None:
    """What the previous version will say (simulated: this app told the head is unknown)."""
    folder = tmp_path / "village"
    folder.mkdir()
    shutil.copyfile(SCHEMAS / f"{REVISIONS[0]}.db", folder / "huzhu.db")
    Workspace.open(folder).close()
    from huzhu_desktop.core.errors import WorkspaceError

    with (
        pytest.MonkeyPatch.context() as mp,
        pytest.raises(WorkspaceError, match=f"请安装互助养老桌面版 {__version__} 或更新的版本"),
    ):
        mp.setattr(migrate, "KNOWN_REVISIONS", KNOWN_REVISIONS[:-1])
        Workspace.open(folder)


@pytest.mark.parametrize("rev", [r for r in REVISIONS if r != SCHEMA_HEAD])
def test_every_older_version_refuses_a_workspace_of_this_one_and_leaves_it_as_it_was(
    rev: str,
) -> None:
    """Recorded by running that version's own `huzhu check` on this version's database
    (make_old_versions.py --refusals). Versions before 0.2.0 cannot name the version needed."""
    seen = old(rev)["newer_database"]
    assert seen["made_by"] == __version__
    assert seen["exit_code"] == 1 and seen["database_unchanged"]
    assert "更新版本" in seen["message"] and "数据没有被改动" in seen["message"]
