"""Opening workspaces: safe pragmas, and every bad folder or database refused untouched."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import text

from huzhu_desktop import __version__
from huzhu_desktop.core.db import migrate
from huzhu_desktop.core.db.engine import make_engine
from huzhu_desktop.core.errors import WorkspaceError
from huzhu_desktop.core.workspace import Workspace


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_workspace_has_its_folders_and_safe_pragmas(ws) -> None:
    for sub in ("backups", "exports", "attachments", "logs"):
        assert (ws.folder / sub).is_dir()
    with ws.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA page_size")).scalar() == 8192
        assert conn.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 8192
    assert len(ws.info.org_code) == 12 and ws.operator == "王文书"


def test_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(WorkspaceError, match="是一个文件"):
        Workspace.open(f)
    with pytest.raises(WorkspaceError, match="无法在"):
        Workspace.open(f / "ws")


def test_workspace_on_a_usb_stick_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="可移动磁盘"):
        Workspace.open(tmp_path / "usb", removable_check=lambda _p: True)
    assert not (tmp_path / "usb").exists()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"PK\x03\x04 not a database at all" * 50, "不是本软件的数据库"),
        (b"SQLite format 3\x00" + b"\xff" * 3000, "损坏"),
    ],
)
def test_corrupt_database_is_refused_untouched(
    tmp_path: Path, content: bytes, fragment: str
) -> None:
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "huzhu.db").write_bytes(content)
    before = digest(folder / "huzhu.db")
    with pytest.raises(WorkspaceError, match=fragment) as err:
        Workspace.open(folder)
    assert "恢复" in err.value.user_message
    assert digest(folder / "huzhu.db") == before


def test_truncated_database_is_refused(ws, tmp_path: Path) -> None:
    ws.close()
    data = (ws.folder / "huzhu.db").read_bytes()
    folder = tmp_path / "cut"
    folder.mkdir()
    (folder / "huzhu.db").write_bytes(data[: len(data) // 3])
    with pytest.raises(WorkspaceError):
        Workspace.open(folder)


def test_database_from_a_newer_app_is_refused_untouched_naming_the_version_to_install(ws) -> None:
    with ws.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num='9999'"))
        conn.execute(text("UPDATE workspace_info SET app_version='0.7.1'"))
    ws.close()
    db = ws.folder / "huzhu.db"
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = digest(db)
    with pytest.raises(WorkspaceError, match="更新版本") as refused:
        Workspace.open(ws.folder)
    assert "请安装互助养老桌面版 0.7.1 或更新的版本" in str(refused.value)
    assert f"本软件是 {__version__}" in str(refused.value)
    assert digest(db) == before


def test_a_workspace_records_the_app_version_that_made_its_schema(ws) -> None:
    assert ws.info is not None and ws.info.app_version == __version__
    with ws.engine.begin() as conn:
        conn.execute(text("UPDATE workspace_info SET app_version=''"))
    ws.close()
    engine = make_engine(ws.folder / "huzhu.db")
    migrate.downgrade_to(engine, "0008")
    engine.dispose()
    with Workspace.open(ws.folder) as again:  # upgraded by this app: it records itself
        assert again.info is not None and again.info.app_version == __version__


def test_someone_elses_sqlite_file_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    folder.mkdir()
    con = sqlite3.connect(folder / "huzhu.db")
    con.execute("CREATE TABLE accounts (x)")
    con.commit()
    con.close()
    with pytest.raises(WorkspaceError, match="不是本软件的数据库"):
        Workspace.open(folder)


CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from huzhu_desktop.core.services import people
    from huzhu_desktop.core.services.people import ElderForm, PersonForm
    from huzhu_desktop.core.workspace import Workspace
    ws = Workspace.open(Path(sys.argv[1]))
    for i in range(10_000):
        with ws.transaction() as s:
            people.save_person(PersonForm(name="测试" + "甲乙丙丁戊己庚辛壬癸"[i % 10] + "老人",
                gender="男", birth_date=str(1930 + i % 30), group_name=f"{i}组"),
                ElderForm(["其他"], living="双居", health="自理"), None, session=s, actor=ws.actor)
        print(i, flush=True)
""")


def test_killing_the_app_mid_save_loses_nothing_confirmed(ws) -> None:
    """A save is confirmed only after its commit; a hard kill right after keeps every one."""
    ws.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(ws.folder)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    confirmed = -1
    for line in proc.stdout:
        confirmed = int(line)
        if confirmed >= 25:
            break
    proc.kill()
    proc.wait()
    with Workspace.open(ws.folder) as again, again.reading() as s:
        stored = s.execute(text("SELECT count(*) FROM person")).scalar()
        assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    assert stored >= confirmed + 1


def test_a_big_database_is_checked_after_opening_not_before(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Every page is read before opening a village's database; a district's (over the size
    limit) opens at once and is read afterwards — a damaged page found then is reported."""
    from huzhu_desktop.core import workspace as workspace_module
    from huzhu_desktop.core.demo import make_demo

    folder = tmp_path / "big"
    with Workspace.open(folder) as ws:
        make_demo(ws, elders=200, seed=3, town=False)
    opened = Workspace.open(folder)
    assert not opened.deep_check_pending  # small: checked before it opened
    opened.close()
    monkeypatch.setattr(workspace_module, "DEEP_CHECK_MAX_BYTES", 0)
    ws = Workspace.open(folder)
    assert ws.deep_check_pending
    assert ws.deep_check() == "" and not ws.deep_check_pending
    ws.close()
    db = folder / "huzhu.db"
    size = db.stat().st_size
    with db.open("r+b") as fh:  # a page deep in the file (visits), not the schema's
        fh.seek(size - 8192 * 3)
        fh.write(b"\xff" * 8192)
    ws = Workspace.open(folder)
    assert "损坏" in ws.deep_check()
    ws.close()


SLOW_READ = (  # a read that would run for minutes: counting to a billion
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000) "
    "SELECT count(*) FROM n"
)


def _in_thread(work):  # type: ignore[no-untyped-def]
    import threading

    out: dict[str, object] = {}

    def run() -> None:
        try:
            out["result"] = work()
        except BaseException as exc:
            out["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


def _until(predicate, what: str) -> None:  # type: ignore[no-untyped-def]
    import time

    deadline = time.monotonic() + 60
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.01)


def test_a_closing_window_stops_the_reads_still_running_but_never_a_write(ws) -> None:
    """The 首页's figures still being read when the clerk closes the window (at a district the
    process and its lock stayed 13 s): the reads stop with Cancelled; a save commits."""
    from sqlalchemy import text

    from huzhu_desktop.core.errors import Cancelled

    def slow_read() -> object:
        with ws.reading() as s:
            return s.execute(text(SLOW_READ)).scalar()

    reader, read = _in_thread(slow_read)
    stops = []  # as finish_background does: again and again, a read may be between queries

    def stopped() -> bool:
        stops.append(ws.interrupt_reads())
        reader.join(timeout=0.02)
        return not reader.is_alive()

    _until(stopped, "the read was not stopped")
    assert isinstance(read.get("error"), Cancelled) and max(stops) == 1, read

    def save() -> object:
        with ws.transaction() as s:
            n = s.execute(text(SLOW_READ.replace("1000000000", "300000"))).scalar()
            s.execute(text("UPDATE workspace_info SET org_name = '改过的村' WHERE id = 1"))
            return n

    writer, wrote = _in_thread(save)
    while writer.is_alive():
        assert ws.interrupt_reads() == 0  # a write is never among the reads to stop
        writer.join(timeout=0.005)
    assert wrote == {"result": 300000}
    ws.reload_info()
    assert ws.info is not None and ws.info.org_name == "改过的村"
    with ws.reading() as s:  # and the next read runs as usual
        assert s.execute(text("SELECT 1")).scalar() == 1
