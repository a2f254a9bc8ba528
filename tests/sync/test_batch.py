"""The town's clerk brings a USB stick with every village's bundle and imports them in one go:
each bundle all or nothing, a refused one named with its reason, the others in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from huzhu_desktop.core.demo import make_demo
from huzhu_desktop.core.errors import Cancelled
from huzhu_desktop.core.services.setup import SetupForm, initialize
from huzhu_desktop.core.sync import merge
from huzhu_desktop.core.sync.batch import bundle_files, import_many
from huzhu_desktop.core.sync.container import BundleRefused
from huzhu_desktop.core.workspace import Workspace
from tests.cli.test_cli import run
from tests.sync.helpers import TODAY, db_hash, export, hand_card, make

TOWN = ("500112108", "茨竹镇")
VILLAGES = [("500112108201", "石坪村"), ("500112108202", "金星村"), ("500112108203", "放牛坪村")]


def _village(root: Path, code: str, name: str, seed: int) -> Workspace:
    w = Workspace.open(root / code)
    with w.transaction() as s:
        initialize(
            SetupForm("village", code, name, TOWN[1], "渝北区", "李专干"), session=s, is_demo=True
        )
    w.reload_info()
    make_demo(w, elders=6, years=1, seed=seed, today=TODAY, town=False)
    return w


@pytest.fixture
def stick(tmp_path: Path):
    """A town and three villages that know each other's keys; the stick holds one bundle from
    each village. Yields (town, {village code: its bundle}, the stick's folder)."""
    town = make(tmp_path, "town", *TOWN, "渝北区")
    usb = tmp_path / "U盘"
    bundles, villages = {}, []
    for n, (code, name) in enumerate(VILLAGES):
        v = _village(tmp_path, code, name, seed=n + 1)
        hand_card(town, v, tmp_path)
        hand_card(v, town, tmp_path)
        bundles[code] = export(v, usb)
        villages.append(v)
    yield town, bundles, usb
    for w in (town, *villages):
        w.close()


def _elders(w: Workspace) -> dict[str, int]:
    with w.engine.connect() as c:
        got = c.exec_driver_sql("SELECT owner_code, count(*) FROM elder_profile GROUP BY 1")
        return dict(got.fetchall())


def test_a_folder_of_village_bundles_goes_in_whole(stick) -> None:
    town, bundles, usb = stick
    entries = import_many(town, bundle_files([usb]), commit_rows=1)  # a transaction each
    assert [e.ok for e in entries] == [True] * 3
    assert [e.path for e in entries] == sorted(bundles.values())
    assert _elders(town) == {code: 6 for code, _ in VILLAGES}
    with town.engine.connect() as c:
        logged = c.exec_driver_sql("SELECT count(*) FROM bundle_log WHERE direction = 'in'")
        assert logged.scalar() == 3

    again = import_many(town, bundle_files([usb]))
    assert all(e.ok and e.result is not None and e.result.already_imported for e in again)


def test_a_damaged_file_and_a_stranger_are_named_and_the_rest_go_in(tmp_path: Path, stick) -> None:
    town, bundles, usb = stick
    (usb / "000_坏了的.huzhu").write_bytes(b"PK\x03\x04 half a file")
    stranger = make(tmp_path / "x", "village", "500112108299", "外村", TOWN[1])
    hand_card(town, stranger, tmp_path)
    bundles["stranger"] = export(stranger, usb)  # the town never took its key card
    progress: list[tuple[int, int]] = []

    entries = import_many(town, bundle_files([usb]), progress=lambda d, n: progress.append((d, n)))

    by_name = {e.path.name: e for e in entries}
    damaged = by_name["000_坏了的.huzhu"]
    assert not damaged.ok and damaged.refused is not None
    assert "不是互助养老数据包" in damaged.refused.user_message
    unknown = by_name[bundles["stranger"].name]
    assert unknown.refused is not None and "还没有导入" in unknown.refused.user_message
    assert sum(e.ok for e in entries) == 3
    assert _elders(town) == {code: 6 for code, _ in VILLAGES}
    assert progress[0] == (0, 5) and progress[-1] == (5, 5)
    stranger.close()


def test_a_bundle_refused_while_it_is_written_leaves_nothing_of_itself(
    stick, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second village's rows are already in the tables when its bundle is refused: they go,
    the first and third village stay — in the same transaction."""
    town, bundles, usb = stick
    real = merge._write

    def write_then_refuse(session, plan, bundle_id, progress=None):
        real(session, plan, bundle_id, progress)
        owners = {r[1] for tp in plan.tables.values() for r in tp.new}
        if VILLAGES[1][0] in owners:
            raise BundleRefused("数据包里有记录与本机的记录编号冲突，没有导入任何数据。")

    monkeypatch.setattr(merge, "_write", write_then_refuse)
    entries = import_many(town, bundle_files([usb]))

    assert [e.ok for e in entries] == [True, False, True]
    assert _elders(town) == {VILLAGES[0][0]: 6, VILLAGES[2][0]: 6}
    with town.engine.connect() as c:
        logged = c.exec_driver_sql("SELECT count(*) FROM bundle_log").scalar()
    assert logged == 2
    monkeypatch.undo()
    retried = import_many(town, [bundles[VILLAGES[1][0]]])
    assert retried[0].ok and _elders(town) == {code: 6 for code, _ in VILLAGES}


def test_stopping_mid_way_keeps_the_groups_already_committed(stick) -> None:
    town, bundles, usb = stick

    def stop_at_third(done: int, total: int) -> None:
        if done == 2:
            raise Cancelled()

    with pytest.raises(Cancelled):  # groups of one bundle: two committed, the third not begun
        import_many(town, bundle_files([usb]), progress=stop_at_third, commit_rows=1)
    assert _elders(town) == {VILLAGES[0][0]: 6, VILLAGES[1][0]: 6}

    def stop_after_first(done: int, total: int) -> None:
        if done == 1:
            raise Cancelled()

    before = db_hash(town)
    with pytest.raises(Cancelled):  # one group: the bundle written before the stop goes too
        import_many(
            town, [bundles[VILLAGES[2][0]], bundles[VILLAGES[0][0]]], progress=stop_after_first
        )
    assert db_hash(town) == before

    finished = import_many(town, bundle_files([usb]))
    assert [e.result.already_imported for e in finished if e.result] == [True, True, False]
    assert _elders(town) == {code: 6 for code, _ in VILLAGES}


def test_a_dry_run_of_the_stick_writes_nothing(stick) -> None:
    town, _bundles, usb = stick
    before = db_hash(town)
    entries = import_many(town, bundle_files([usb]), dry_run=True)
    assert all(e.ok and e.result is not None and not e.result.applied for e in entries)
    assert all(e.result.totals()["new"] > 0 for e in entries if e.result)
    assert db_hash(town) == before


def test_the_files_named_a_folder_and_repeats(tmp_path: Path) -> None:
    usb = tmp_path / "U盘"
    usb.mkdir()
    for name in ("b_002.huzhu", "a_001.huzhu", "c_003.HUZHU", "说明.txt"):
        (usb / name).write_bytes(b"")
    (usb / "子文件夹.huzhu").mkdir()
    got = bundle_files([usb / "b_002.huzhu", usb])
    assert [p.name for p in got] == ["b_002.huzhu", "a_001.huzhu", "c_003.HUZHU"]  # any case
    empty = tmp_path / "空"
    empty.mkdir()
    with pytest.raises(BundleRefused, match="没有数据包"):
        bundle_files([empty])


def test_the_command_line_imports_a_folder(stick, capsys) -> None:
    town, bundles, usb = stick
    folder = str(town.folder)
    town.close()
    (usb / "000_坏了的.huzhu").write_bytes(b"")

    code, out, _ = run(capsys, "--workspace", folder, "bundle", "import", str(usb), "--json")
    got = json.loads(out)
    assert code == 1  # one was refused
    assert [v["ok"] for v in got] == [False, True, True, True]
    assert "不是互助养老数据包" in got[0]["refused"]
    assert all(v["result"]["applied"] for v in got[1:])

    code, out, _ = run(
        capsys, "--workspace", folder, "bundle", "import", *map(str, bundles.values())
    )
    assert code == 0
    assert out.count("已经导入过") == 3 and out.rstrip().endswith("共 3 个数据包：已导入 3 个。")

    code, _, err = run(
        capsys, "--workspace", folder, "bundle", "import", str(usb / "没有.huzhu"), str(usb)
    )
    assert code == 2 and "找不到数据包文件" in err
