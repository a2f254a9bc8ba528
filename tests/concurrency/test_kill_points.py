"""kill -9 at random moments of the writes a clerk makes: visit entry, Excel import, bundle
import (one, or a stick's worth), demo, restore, backup. After each: every row the program
acknowledged is there, nothing is half-written, `check` is clean, and the same action works when
run again.

CI runs a few kill points per action (seeded, so a failure reruns the same way); with
HUZHU_FULL_MATRIX=1 there are 56 over the seven actions."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from huzhu_desktop.core.models import Person, Visit
from huzhu_desktop.core.workspace import Workspace
from tests.fixtures import ledgers

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="kill -9 is POSIX")

FULL = os.environ.get("HUZHU_FULL_MATRIX") == "1"
KILLS = {  # action → kill points (50 in all with the full matrix)
    "visits": 12 if FULL else 2,
    "import": 8 if FULL else 1,
    "bundle": 8 if FULL else 1,
    "batch": 6 if FULL else 1,
    "demo": 8 if FULL else 2,
    "restore": 7 if FULL else 1,
    "backup": 7 if FULL else 1,
}
CLI = [sys.executable, "-m", "huzhu_desktop.cli"]
ENV = dict(os.environ, HUZHU_NOW="2026-11-30T10:00")


def _kill_after(cmd: list[str], delay: float) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    time.sleep(delay)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    return proc


def _check_clean(folder: Path) -> None:
    out = subprocess.run(
        [*CLI, "--workspace", str(folder), "check", "--json"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert json.loads(out.stdout)["ok"] is True


def _points(action: str) -> list[tuple[int, float]]:
    r = random.Random(f"kill-{action}")
    return [(i, r.uniform(0.3, 3.0)) for i in range(KILLS[action])]


def _demo(folder: Path, elders: int = 40) -> None:
    subprocess.run(
        [*CLI, "--workspace", str(folder), "demo", "--elders", str(elders)],
        check=True,
        capture_output=True,
        env=ENV,
    )


VISITS_CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from sqlalchemy import select
    from huzhu_desktop.core.models import ElderProfile, HelperProfile
    from huzhu_desktop.core.services.visits import VisitForm, record_visit
    from huzhu_desktop.core.workspace import Workspace
    ws = Workspace.open(Path(sys.argv[1]), must_exist=True)
    with ws.reading() as s:
        elder = s.execute(select(ElderProfile.person_id)).scalars().first()
        helper = s.execute(select(HelperProfile.person_id)).scalars().first()
    n = 0
    while True:
        n += 1
        form = VisitForm("2026-11-29", 30, "谈谈心", [helper], [elder], note=f"kill-{n}")
        with ws.transaction() as s:
            record_visit(form, session=s, actor=ws.actor)
        print(f"kill-{n}", flush=True)  # acknowledged: committed
""")


@pytest.mark.parametrize(("point", "delay"), _points("visits"))
def test_killed_visit_entry_keeps_every_acknowledged_visit(
    tmp_path: Path, point: int, delay: float
) -> None:
    folder = tmp_path / "demo"
    _demo(folder)
    proc = _kill_after([sys.executable, "-c", VISITS_CHILD, str(folder)], delay)
    acknowledged = set(proc.stdout.read().decode().split()) if proc.stdout else set()
    with Workspace.open(folder, must_exist=True) as ws, ws.reading() as s:
        stored = set(s.execute(select(Visit.note).where(Visit.note.like("kill-%"))).scalars().all())
    assert acknowledged <= stored, sorted(acknowledged - stored)[:5]
    assert len(stored - acknowledged) <= 1  # at most the one committed as the kill came
    _check_clean(folder)


@pytest.mark.parametrize(("point", "delay"), _points("import"))
def test_a_killed_import_is_all_or_nothing(tmp_path: Path, point: int, delay: float) -> None:
    folder = tmp_path / "ws"
    subprocess.run(
        [*CLI, "--workspace", str(folder), "init", "--kind", "village", "--org-code",
         "500112108201", "--org-name", "石坪村", "--parent-name", "茨竹镇",
         "--district-name", "渝北区", "--clerk", "王文书"],
        check=True, capture_output=True, env=ENV,
    )  # fmt: skip
    rows = 3_000
    book = ledgers.many_rows_with_ids(tmp_path / "台账.xlsx", rows)
    _kill_after([*CLI, "--workspace", str(folder), "import-xlsx", str(book)], delay)
    with Workspace.open(folder, must_exist=True) as ws, ws.reading() as s:
        people = s.execute(select(func.count()).select_from(Person)).scalar_one()
    assert people in (0, rows + 2), people  # the elders and their two helpers, or nobody
    _check_clean(folder)
    again = subprocess.run(
        [*CLI, "--workspace", str(folder), "import-xlsx", str(book)], capture_output=True, env=ENV
    )
    assert again.returncode == 0, again.stderr.decode()


@pytest.mark.parametrize(("point", "delay"), _points("bundle"))
def test_a_killed_bundle_import_is_all_or_nothing(tmp_path: Path, point: int, delay: float) -> None:
    village = tmp_path / "demo"
    _demo(village, elders=200)
    town = village / "demo-town"
    usb = str(tmp_path / "usb")
    bundle = subprocess.run(
        [*CLI, "--workspace", str(village), "bundle", "export", "-o", usb, "--json"],
        check=True, capture_output=True, env=ENV,
    )  # fmt: skip
    path = json.loads(bundle.stdout)["file"]
    with Workspace.open(town, must_exist=True) as ws, ws.reading() as s:
        before = s.execute(text("SELECT count(*) FROM visit")).scalar_one()
    _kill_after([*CLI, "--workspace", str(town), "bundle", "import", path], delay)
    with Workspace.open(town, must_exist=True) as ws, ws.reading() as s:
        after = s.execute(text("SELECT count(*) FROM visit")).scalar_one()
        logged = s.execute(text("SELECT count(*) FROM bundle_log WHERE direction='in'")).scalar()
    assert (after == before and logged == 1) or (after >= before and logged == 2)
    _check_clean(town)
    again = subprocess.run(
        [*CLI, "--workspace", str(town), "bundle", "import", path], capture_output=True, env=ENV
    )
    assert again.returncode == 0, again.stderr.decode()


@pytest.mark.parametrize(("point", "delay"), _points("batch"))
def test_a_killed_import_of_a_folder_keeps_each_bundle_whole(
    tmp_path: Path, point: int, delay: float
) -> None:
    """Two bundles of the village (its first and, after more visits, its second) imported from
    the stick's folder in one go: killed at any moment, each is wholly in or wholly out."""
    village = tmp_path / "demo"
    _demo(village, elders=200)
    town = village / "demo-town"
    usb = tmp_path / "usb"
    for _ in range(2):
        subprocess.run(
            [*CLI, "--workspace", str(village), "bundle", "export", "-o", str(usb), "--json"],
            check=True, capture_output=True, env=ENV,
        )  # fmt: skip
    assert len(list(usb.iterdir())) == 2
    with Workspace.open(town, must_exist=True) as ws, ws.reading() as s:
        before = s.execute(text("SELECT count(*) FROM bundle_log WHERE direction='in'")).scalar()
    _kill_after([*CLI, "--workspace", str(town), "bundle", "import", str(usb)], delay)
    with Workspace.open(town, must_exist=True) as ws, ws.reading() as s:
        logged = s.execute(text("SELECT count(*) FROM bundle_log WHERE direction='in'")).scalar()
    assert logged in (before, before + 2)  # one group: both or neither
    _check_clean(town)
    again = subprocess.run(
        [*CLI, "--workspace", str(town), "bundle", "import", str(usb)], capture_output=True, env=ENV
    )
    assert again.returncode == 0, again.stderr.decode()
    with Workspace.open(town, must_exist=True) as ws, ws.reading() as s:
        logged = s.execute(text("SELECT count(*) FROM bundle_log WHERE direction='in'")).scalar()
    assert logged == before + 2


@pytest.mark.parametrize(("point", "delay"), _points("demo"))
def test_a_killed_demo_leaves_no_half_made_workspace(
    tmp_path: Path, point: int, delay: float
) -> None:
    folder = tmp_path / "demo"
    _kill_after([*CLI, "--workspace", str(folder), "demo", "--elders", "300"], delay)
    if folder.exists():  # whole: its unit, its data and its town
        _check_clean(folder)
        _check_clean(folder / "demo-town")
        with Workspace.open(folder, must_exist=True) as ws:
            assert ws.is_initialized and ws.is_demo
    _demo(folder)  # and a second run works either way
    _check_clean(folder)


@pytest.mark.parametrize(("point", "delay"), _points("restore"))
def test_a_killed_restore_leaves_the_old_or_the_new(
    tmp_path: Path, point: int, delay: float
) -> None:
    folder = tmp_path / "demo"
    _demo(folder, elders=300)
    copy = subprocess.run(
        [*CLI, "--workspace", str(folder), "backup", "--json"], check=True, capture_output=True
    )
    source = json.loads(copy.stdout)["backup"]
    _kill_after([*CLI, "--workspace", str(folder), "restore", source], delay * 0.3)
    _check_clean(folder)
    again = subprocess.run(
        [*CLI, "--workspace", str(folder), "restore", source], capture_output=True, env=ENV
    )
    assert again.returncode == 0, again.stderr.decode()


@pytest.mark.parametrize(("point", "delay"), _points("backup"))
def test_a_killed_backup_leaves_no_file_that_looks_whole(
    tmp_path: Path, point: int, delay: float
) -> None:
    folder = tmp_path / "demo"
    _demo(folder, elders=300)
    dest = tmp_path / "usb" / "备份.db"
    _kill_after([*CLI, "--workspace", str(folder), "backup", "-o", str(dest)], delay * 0.3)
    if dest.exists():  # only ever renamed into place when whole
        done = subprocess.run(
            [*CLI, "restore", str(dest), "--inspect", "--json"], capture_output=True, env=ENV
        )
        assert done.returncode == 0, done.stderr.decode()
    _check_clean(folder)
