"""`huzhu list elders` reads an ordinary workspace through sqlite3 alone (issue 20: a small
list under 0.3 s; importing the ORM was 0.45 s of it) — and gives exactly what the full
opening gives, or steps aside for it whenever the workspace is anything but ordinary."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from huzhu_desktop.cli import main
from huzhu_desktop.core import clock
from huzhu_desktop.core.db import quick
from huzhu_desktop.core.workspace import Workspace


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _full_path_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quick, "quick_connection", lambda *a, **k: None)


@pytest.mark.parametrize("shape", [(), ("--json",)], ids=["table", "json"])
def test_the_quick_read_prints_what_the_full_opening_prints(
    demo_ws: Workspace, capsys, monkeypatch, shape: tuple[str, ...]
) -> None:
    folder = str(demo_ws.folder)
    demo_ws.close()
    assert quick.quick_connection(Path(folder)) is not None  # the demo is an ordinary village
    quick_answer = run(capsys, "--workspace", folder, "list", "elders", *shape)
    _full_path_only(monkeypatch)
    full_answer = run(capsys, "--workspace", folder, "list", "elders", *shape)
    assert quick_answer == full_answer and quick_answer[0] == 0
    if not shape:
        assert "共 60 条" in quick_answer[1]
    else:
        rows = json.loads(quick_answer[1])
        assert len(rows) == 60 and any(r["paired"] for r in rows)
        assert any(r["one_to_one"] for r in rows) and any(r["is_helper"] for r in rows)


def test_a_small_list_does_not_import_the_orm(demo_ws: Workspace) -> None:
    """The point of the quick read, asserted without a stopwatch: SQLAlchemy, SQLModel and the
    models stay unimported for an ordinary `list elders`."""
    demo_ws.close()
    probe = (
        "import sys\n"
        "from huzhu_desktop.cli import main\n"
        f"code = main(['--workspace', {str(demo_ws.folder)!r}, 'list', 'elders', '--json'])\n"
        "loaded = sorted(m for m in ('sqlalchemy', 'sqlmodel', 'alembic',"
        " 'huzhu_desktop.core.models') if m in sys.modules)\n"
        "print('LOADED', code, loaded, file=sys.stderr)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    assert "LOADED 0 []" in out.stderr, out.stderr
    assert len(json.loads(out.stdout)) == 60


def test_the_quick_read_sees_a_window_writing_at_the_same_time(demo_ws: Workspace, capsys) -> None:
    """The GUI holds the workspace with its WAL open and a write under way: the list shows what
    was committed, and neither waits for the other."""
    folder = str(demo_ws.folder)
    with demo_ws.reading() as s:
        from huzhu_desktop.core.services.register import list_elders

        before = [e.to_json() for e in list_elders(s)]
    with demo_ws.transaction() as s:
        s.connection().exec_driver_sql(
            "UPDATE person SET phone = '13900000000' WHERE id = ?", (before[0]["id"],)
        )
        assert quick.quick_connection(Path(folder)) is not None  # a reader beside the writer
        code, out, _ = run(capsys, "--workspace", folder, "list", "elders", "--json")
        assert code == 0 and json.loads(out) == json.loads(json.dumps(before))
    code, out, _ = run(capsys, "--workspace", folder, "list", "elders", "--json")
    assert json.loads(out)[0]["phone"] == "13900000000"


def test_a_workspace_with_logins_is_left_to_the_full_opening(
    demo_ws: Workspace, capsys, monkeypatch
) -> None:
    folder = str(demo_ws.folder)
    demo_ws.close()
    monkeypatch.setenv("HUZHU_NEW_PASSWORD", "admin-2026")
    assert main(["--workspace", folder, "users", "first-admin", "王主任"]) == 0
    capsys.readouterr()
    assert quick.quick_connection(Path(folder)) is None
    code, out, err = run(capsys, "--workspace", folder, "list", "elders")
    assert code == 1 and "--user" in err and out == ""  # the login is asked for, not skipped
    monkeypatch.setenv("HUZHU_PASSWORD", "admin-2026")
    code, out, _ = run(capsys, "--workspace", folder, "--user", "王主任", "list", "elders")
    assert code == 0 and "共 60 条" in out


def test_an_older_schema_is_upgraded_by_the_full_opening_first(
    tmp_path: Path, demo_ws: Workspace, capsys
) -> None:
    folder = demo_ws.folder
    demo_ws.close()
    with sqlite3.connect(folder / "huzhu.db") as conn:  # as if an older app had written it
        conn.execute("UPDATE alembic_version SET version_num = 'fake'")
    assert quick.quick_connection(folder) is None
    code, _, err = run(capsys, "--workspace", str(folder), "list", "elders")
    assert code != 0 and "错误" in err  # the full opening names the unknown revision


def test_unusual_workspaces_get_the_full_openings_answer(tmp_path: Path, capsys) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "huzhu.db").write_bytes(b"")
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "huzhu.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 3000)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    with sqlite3.connect(foreign / "huzhu.db") as conn:
        conn.execute("CREATE TABLE notes (x)")
    for folder, words in (
        (tmp_path / "missing", "没有工作区"),
        (damaged, "损坏"),
        (foreign, "不是本软件的数据库"),
        (empty, "尚未设置单位"),
    ):
        assert quick.quick_connection(folder) is None, folder
        code, out, err = run(capsys, "--workspace", str(folder), "list", "elders")
        assert code != 0 and words in err and out == "", (folder, err)


def test_a_workspace_on_a_usb_stick_is_left_to_the_full_opening(
    demo_ws: Workspace, monkeypatch
) -> None:
    """Which refuses it (tests/core/test_workspace.py): a stick can be pulled mid-read."""
    demo_ws.close()
    assert quick.quick_connection(demo_ws.folder) is not None
    monkeypatch.setattr("huzhu_desktop.core.platform_checks.is_removable", lambda _p: True)
    assert quick.quick_connection(demo_ws.folder) is None
    assert quick.quick_connection(demo_ws.folder, removable_check=lambda _p: True) is None


def test_the_quick_read_warns_of_a_clock_behind_the_records(demo_ws: Workspace, capsys) -> None:
    demo_ws.close()
    with clock.frozen("2009-01-01T08:00"):
        code, out, err = run(capsys, "--workspace", str(demo_ws.folder), "list", "elders")
    assert code == 0 and "共 60 条" in out
    assert "警告" in err and "2009-01-01 08:00" in err and "校准" in err
