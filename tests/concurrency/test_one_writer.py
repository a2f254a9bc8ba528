"""One writer per workspace: the GUI's lock, what a second window sees, a crashed holder, and
writers that slip past the lock and still cannot both insert the same person."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from huzhu_desktop.core.db.lock import HOLDER_NAME, WorkspaceLock
from huzhu_desktop.core.errors import WorkspaceError
from huzhu_desktop.core.models import Person
from huzhu_desktop.core.workspace import Workspace
from tests.fixtures import ledgers

FULL = os.environ.get("HUZHU_FULL_MATRIX") == "1"
CLI = [sys.executable, "-m", "huzhu_desktop.cli"]


def test_a_second_window_reads_and_says_who_holds_the_workspace(ws) -> None:
    first, second = WorkspaceLock(ws.folder), WorkspaceLock(ws.folder)
    assert first.try_acquire(user="王文书")
    assert not second.try_acquire()
    holder = second.holder()
    assert holder is not None and holder.user == "王文书" and holder.pid == os.getpid()
    assert "王文书" in holder.describe() and holder.pc in holder.describe()
    ws.read_only = f"此工作区正由{holder.describe()}打开"
    with pytest.raises(WorkspaceError, match=r"王文书.*不能修改"), ws.transaction():
        pass
    with ws.reading() as s:  # reading is always allowed
        assert s.execute(select(func.count()).select_from(Person)).scalar_one() == 0
    first.release()
    assert not (ws.folder / HOLDER_NAME).exists()
    assert second.try_acquire()
    second.release()


HOLD = """
import sys, time
from pathlib import Path
from huzhu_desktop.core.db.lock import WorkspaceLock
lock = WorkspaceLock(Path(sys.argv[1]))
assert lock.try_acquire(user="崩溃的窗口")
print("held", flush=True)
time.sleep(600)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="kill -9 is POSIX")
def test_a_lock_left_by_a_killed_holder_is_recovered_at_once(ws) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(ws.folder)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    lock = WorkspaceLock(ws.folder)
    assert not lock.try_acquire()
    assert lock.holder() is not None and lock.holder().user == "崩溃的窗口"  # type: ignore[union-attr]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while not lock.try_acquire():  # the OS dropped it with the process: nobody deletes files
        assert time.monotonic() < deadline, "the lock of a killed process was not recovered"
        time.sleep(0.01)
    assert lock.holder() is not None and lock.holder().user != "崩溃的窗口"  # type: ignore[union-attr]
    lock.release()
    with ws.transaction():  # and the database is intact
        pass


def _register(folder: Path) -> tuple[int, int]:
    """(people, people sharing a 身份证 with someone else)."""
    with Workspace.open(folder, must_exist=True) as w, w.reading() as s:
        people = s.execute(select(func.count()).select_from(Person)).scalar_one()
        with_id = s.execute(
            select(func.count()).select_from(Person).where(Person.id_number.is_not(None))
        ).scalar_one()
        distinct = s.execute(select(func.count(func.distinct(Person.id_number)))).scalar_one()
    return people, with_id - distinct


def _check_clean(folder: Path) -> None:
    out = subprocess.run(
        [*CLI, "--workspace", str(folder), "check", "--json"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert json.loads(out.stdout)["ok"] is True


@pytest.mark.parametrize("run", range(20 if FULL else 3))
def test_two_imports_started_together_never_double_the_register(
    ws, tmp_path: Path, run: int
) -> None:
    """Two `huzhu import-xlsx` of one file at the same moment: one person per 身份证."""
    rows = 10_000 if FULL else 1_500
    book = ledgers.many_rows_with_ids(tmp_path / "台账.xlsx", rows)
    ws.close()
    cmd = [*CLI, "--workspace", str(ws.folder), "import-xlsx", str(book), "--json"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in "ab"]
    results = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err.decode()
    outcomes = sorted(json.loads(out)["imported"] for out, _err in results)
    assert outcomes == [0, rows]  # one did the work; the other found everyone there
    assert _register(ws.folder) == (rows + 2, 0)  # the elders and their two helpers
    _check_clean(ws.folder)


def test_an_import_and_a_bundle_import_and_the_demo_serialise(tmp_path: Path) -> None:
    """Different writers at once on a demo workspace: each waits for the other, none fails."""
    folder = tmp_path / "demo"
    subprocess.run([*CLI, "--workspace", str(folder), "demo", "--elders", "60"], check=True)
    book = ledgers.many_rows_with_ids(tmp_path / "台账.xlsx", 800)
    cmds = [
        [*CLI, "--workspace", str(folder), "import-xlsx", str(book)],
        [*CLI, "--workspace", str(folder), "demo", "--elders", "60"],
        [*CLI, "--workspace", str(folder), "import-xlsx", str(book)],
    ]
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for c in cmds]
    for p in procs:
        _out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
    _people, shared_ids = _register(folder)
    assert shared_ids == 0
    _check_clean(folder)


def test_a_clock_behind_the_stored_records_is_named_at_start(ws) -> None:
    """A PC whose motherboard battery died boots in 2009: the CLI warns before anything."""
    from huzhu_desktop.core import clock
    from huzhu_desktop.core.services.clock_check import clock_behind, clock_warning

    with ws.reading() as s:
        assert clock_behind(s) is None  # set up just now
    with clock.frozen("2009-01-01T08:00"), ws.reading() as s:
        latest = clock_behind(s)
        assert latest is not None
        text = clock_warning(latest)
    assert "2009-01-01 08:00" in text and "校准" in text
    env = {**os.environ, clock.ENV: "2009-01-01T08:00"}
    ws.close()
    out = subprocess.run(
        [*CLI, "--workspace", str(ws.folder), "list", "elders"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert out.returncode == 0 and "警告" in out.stderr and "校准" in out.stderr


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="kill -9 is POSIX")
def test_a_killed_gui_leaves_a_workspace_the_next_window_opens(demo_ws) -> None:
    """The GUI killed while it holds the workspace (a power cut): the next start writes."""
    demo_ws.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    gui = subprocess.Popen(
        [sys.executable, "-m", "huzhu_desktop", "--workspace", str(demo_ws.folder)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    lock = WorkspaceLock(demo_ws.folder)
    deadline = time.monotonic() + 60
    while lock.holder() is None or lock.try_acquire():  # wait until the window holds it
        if lock.held:
            lock.release()
        assert gui.poll() is None and time.monotonic() < deadline, "the GUI did not start"
        time.sleep(0.05)
    gui.send_signal(signal.SIGKILL)
    gui.wait()
    assert lock.try_acquire()
    lock.release()
    _check_clean(demo_ws.folder)
