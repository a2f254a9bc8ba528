"""Restore on the day it is needed: huzhu.db damaged or gone, a backup from the USB stick — and
every file that must not be restored refused, with the current data untouched."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from huzhu_desktop.cli import main
from huzhu_desktop.core.db import restore as r
from huzhu_desktop.core.db.engine import make_engine
from huzhu_desktop.core.db.lock import WorkspaceLock
from huzhu_desktop.core.db.migrate import downgrade_to
from huzhu_desktop.core.errors import WorkspaceError
from huzhu_desktop.core.services.check import run_checks
from huzhu_desktop.core.services.setup import SetupForm, initialize
from huzhu_desktop.core.workspace import Workspace


def _elders(folder: Path) -> int:
    with Workspace.open(folder) as ws, ws.reading() as s:
        assert run_checks(s).ok
        return int(s.execute(text("SELECT count(*) FROM elder_profile")).scalar_one())


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"


def _damage(db: Path) -> None:
    """Overwrite the middle of the file, as a bad sector or a yanked USB cable would."""
    size = db.stat().st_size
    with open(db, "r+b") as fh:
        fh.seek(size // 3)
        fh.write(os.urandom(size // 3))


@pytest.fixture
def village(demo_ws: Workspace, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The demo village with a backup kept inside it and one taken to a USB stick."""
    inside = demo_ws.backup()  # backups/, with the keys
    usb = demo_ws.backup(tmp_path / "usb" / "备份.db")  # elsewhere: without the keys
    elders = _elders_now(demo_ws)
    demo_ws.close()
    return demo_ws.folder, inside, usb, elders


def _elders_now(ws: Workspace) -> int:
    with ws.reading() as s:
        return int(s.execute(text("SELECT count(*) FROM elder_profile")).scalar_one())


def test_a_damaged_database_is_restored_and_kept_as_it_was(village) -> None:  # type: ignore[no-untyped-def]
    folder, inside, _usb, elders = village
    _damage(folder / "huzhu.db")
    with pytest.raises(WorkspaceError, match="已损坏"):
        Workspace.open(folder)
    done = r.restore(folder, inside)
    assert done.kept is not None and done.kept_damaged and done.kept.exists()
    assert _elders(folder) == elders
    assert done.source.has_keys  # the unit keeps its keys: the town sees no key change


def test_a_missing_database_is_restored_and_still_knows_its_unit(village, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder, inside, _usb, elders = village
    (folder / "huzhu.db").unlink()
    assert r.workspace_identity(folder) is not None  # from the backups folder
    done = r.restore(folder, inside)
    assert done.kept is None and _elders(folder) == elders
    other = tmp_path / "other-village"
    other_ws = Workspace.open(other)
    with other_ws.transaction() as s:
        initialize(
            SetupForm("village", "500112108299", "别的村", "茨竹镇", "渝北区", "王文书"), session=s
        )
    stranger = other_ws.backup(tmp_path / "别的村.db")
    other_ws.close()
    (folder / "huzhu.db").unlink()
    with pytest.raises(r.ForeignBackup):  # gone database, yet a neighbour's backup is still refused
        r.restore(folder, stranger)


def test_the_preview_says_what_the_backup_holds(village) -> None:  # type: ignore[no-untyped-def]
    _folder, _inside, usb, elders = village
    info = r.inspect_backup(usb)
    text_ = "\n".join(info.lines())
    assert info.identity is not None and info.identity.org_name in text_
    assert info.counts["elders"] == elders and f"老人 {elders}" in text_
    assert not info.has_keys and "新密钥" in text_  # a copy off the PC holds no private keys


def _sqlite_of_another_program(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE accounts (x)")
    con.commit()
    con.close()


def _newer(path: Path, source: Path) -> None:
    path.write_bytes(source.read_bytes())
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.execute("UPDATE workspace_info SET app_version = '0.9.0'")
    con.commit()
    con.close()


def _damaged_copy(path: Path, source: Path) -> None:
    path.write_bytes(source.read_bytes())
    _damage(path)


REFUSED = {
    "empty": (lambda p, _s: p.write_bytes(b""), "空文件"),
    "text": (lambda p, _s: p.write_text("not a database"), "不是本软件的备份"),
    "another program": (lambda p, _s: _sqlite_of_another_program(p), "别的程序"),
    "newer app": (_newer, "更新版本的互助养老桌面版 0.9.0 保存.*请安装互助养老桌面版 0.9.0"),
    "damaged": (_damaged_copy, "已损坏"),
    "a folder": (lambda p, _s: p.mkdir(), "不是一个普通文件"),
    "missing": (lambda p, _s: None, "找不到"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_what_cannot_be_restored_is_refused_and_nothing_changes(
    village, tmp_path: Path, case: str
) -> None:  # type: ignore[no-untyped-def]
    folder, inside, _usb, _elders_before = village
    make, words = REFUSED[case]
    bad = tmp_path / "bad.db"
    make(bad, inside)
    before = _digest(folder / "huzhu.db"), sorted(p.name for p in (folder / "backups").iterdir())
    with pytest.raises(r.BackupRefused, match=words):
        r.restore(folder, bad)
    assert (
        _digest(folder / "huzhu.db"),
        sorted(p.name for p in (folder / "backups").iterdir()),
    ) == before


@pytest.mark.skipif(sys.platform == "win32", reason="no FIFOs on Windows")
def test_a_fifo_is_refused_without_hanging(village, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder, *_ = village
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    with pytest.raises(r.BackupRefused, match="不是一个普通文件"):
        r.restore(folder, fifo)


def test_another_units_backup_needs_a_confirmed_move(village, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder, *_ = village
    town = Workspace.open(tmp_path / "town")
    with town.transaction() as s:
        initialize(
            SetupForm("town", "500112108000", "茨竹镇", "渝北区", "渝北区", "李专干"), session=s
        )
    towns = town.backup(tmp_path / "镇.db")
    town.close()
    before = _digest(folder / "huzhu.db")
    with pytest.raises(r.ForeignBackup, match="茨竹镇") as refused:
        r.restore(folder, towns)
    assert "本工作区是" in refused.value.user_message and _digest(folder / "huzhu.db") == before
    done = r.restore(folder, towns, confirm_move=True)
    assert done.moved and done.kept is not None
    assert r.workspace_identity(folder).org_name == "茨竹镇"  # type: ignore[union-attr]


def test_the_same_village_on_another_pc_is_a_move_too(village, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder, *_ = village
    code = r.workspace_identity(folder).org_code  # type: ignore[union-attr]
    second = Workspace.open(tmp_path / "pc2")
    with second.transaction() as s:
        initialize(SetupForm("village", code, "演示村", "茨竹镇", "渝北区", "王文书"), session=s)
    copy = second.backup(tmp_path / "pc2.db")
    second.close()
    with pytest.raises(r.ForeignBackup, match="另一个工作区"):
        r.restore(folder, copy)


def test_restore_waits_for_the_window_to_close(village) -> None:  # type: ignore[no-untyped-def]
    folder, inside, *_ = village
    window = WorkspaceLock(folder)
    assert window.try_acquire()
    try:
        with pytest.raises(WorkspaceError, match="正在被"):
            r.restore(folder, inside)
    finally:
        window.release()


def test_an_older_backup_is_upgraded_after_restore(village, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder, inside, _usb, elders = village
    old = tmp_path / "old.db"
    old.write_bytes(inside.read_bytes())
    engine = make_engine(old)
    downgrade_to(engine, "0006")
    engine.dispose()
    assert r.inspect_backup(old).revision == "0006"
    r.restore(folder, old)
    assert _elders(folder) == elders


def test_the_command_restores_a_damaged_workspace(
    village, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    folder, inside, usb, elders = village
    assert main(["restore", str(usb), "--inspect"]) == 0
    assert "单位：" in capsys.readouterr().out
    _damage(folder / "huzhu.db")
    assert main(["--workspace", str(folder), "check"]) != 0
    capsys.readouterr()
    assert main(["--workspace", str(folder), "restore", str(inside), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (
        out["check_ok"]
        and out["previous_data_damaged"]
        and out["backup"]["counts"]["elders"] == elders
    )
    assert main(["--workspace", str(folder), "check"]) == 0
    empty = folder.parent / "empty.db"
    empty.write_bytes(b"")
    capsys.readouterr()
    assert main(["--workspace", str(folder), "restore", str(empty)]) == 1
    assert "空文件" in capsys.readouterr().err


def test_automatic_backups_are_thinned_day_month_year() -> None:
    """A backup every 6 hours for two years: all of the last day stay, then one a day for a
    month, one a month for a year; nothing older; a file not named by us is never removed."""
    from datetime import datetime, timedelta

    from huzhu_desktop.core.db.backup import made_at, to_remove

    now = datetime(2028, 3, 1, 12, 0)  # the day after a leap day
    paths = [
        Path(f"huzhu-{now - timedelta(hours=6 * i):%Y%m%d-%H%M%S}-000000-daily.db")
        for i in range(4 * 730)
    ] + [Path("U盘上的备份.db")]
    gone = set(to_remove(paths, now))
    kept = [p for p in paths if p not in gone]
    assert Path("U盘上的备份.db") in kept
    ages = [now - made_at(p) for p in kept if made_at(p)]  # type: ignore[operator]
    assert sum(a <= timedelta(days=1) for a in ages) == 5  # now, -6h, -12h, -18h, -24h
    days = {
        made_at(p).date() for p in kept if made_at(p) and now - made_at(p) <= timedelta(days=31)
    }  # type: ignore[operator, union-attr]
    assert len(days) >= 31
    older = [made_at(p) for p in kept if made_at(p) and now - made_at(p) > timedelta(days=31)]  # type: ignore[operator]
    assert len({(w.year, w.month) for w in older}) == len(older) <= 12  # type: ignore[union-attr]
    assert all(now - w <= timedelta(days=366) for w in older)  # type: ignore[operator]
    assert len(kept) < 60


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_a_workspace_is_private_to_its_os_user(tmp_path: Path) -> None:
    """After a full demo every folder is 0700 and every file 0600 (database, backups with their
    keys, exports, the town); a workspace left readable by an older version is tightened when
    it is opened."""
    from huzhu_desktop.core.demo import make_demo_folder

    folder = tmp_path / "demo"
    make_demo_folder(folder, elders=20)
    with Workspace.open(folder) as ws:
        ws.backup()
    loose = [p for p in (folder, *folder.rglob("*")) if p.stat().st_mode & 0o077]
    assert loose == []
    for p in (folder, *folder.rglob("*")):
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    Workspace.open(folder).close()
    assert [p for p in (folder, *folder.rglob("*")) if p.stat().st_mode & 0o077] == []


def test_a_full_disk_says_so_and_the_workspace_works_once_there_is_room(
    demo_ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """SQLite's SQLITE_FULL, made by capping the file's pages (a real full disk gives the same
    error): the import stops with a Chinese message and nothing half-written; with room again,
    the same import works."""
    from sqlalchemy import event

    from tests.fixtures import ledgers

    book = ledgers.many_rows_with_ids(tmp_path / "台账.xlsx", 2_000)
    with demo_ws.reading() as s:
        pages = int(s.execute(text("PRAGMA page_count")).scalar_one())
        people = int(s.execute(text("SELECT count(*) FROM person")).scalar_one())

    def cap(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 20}")

    folder = demo_ws.folder
    demo_ws.close()
    ws = Workspace.open(folder)
    event.listen(ws.engine, "connect", cap)
    ws.engine.dispose()
    writer = ws._writer  # the write engine too
    event.listen(writer, "connect", cap)
    writer.dispose()
    from huzhu_desktop.core.importers.ledger import import_ledger

    with pytest.raises(WorkspaceError, match="磁盘已满"), ws.transaction() as s:
        import_ledger(book, session=s, actor=ws.actor, dry_run=False)
    ws.close()
    assert _count_people(folder) == people  # nothing half-written
    assert main(["--workspace", str(folder), "import-xlsx", str(book)]) == 0  # room again
    assert _count_people(folder) > people
    _elders(folder)  # check clean


def _count_people(folder: Path) -> int:
    with Workspace.open(folder) as ws, ws.reading() as s:
        return int(s.execute(text("SELECT count(*) FROM person")).scalar_one())


def test_automatic_backups_are_copied_to_the_chosen_folder_without_keys(
    demo_ws: Workspace, tmp_path: Path
) -> None:
    """设置 → 自动备份另存一份到 a USB folder: the copy holds no private keys, sits in a folder
    named for the unit, and a missing stick only gives a warning — the backup itself is made."""
    from huzhu_desktop.core.settings import load_settings, save_settings
    from huzhu_desktop.core.workspace import automatic_backup

    usb = tmp_path / "U盘"
    settings = load_settings(demo_ws.folder)
    settings.copy_backups_to = str(usb)
    save_settings(demo_ws.folder, settings)
    made, warning = automatic_backup(demo_ws, "daily")
    assert made.exists() and "U盘没插" in warning  # the stick is not there yet
    usb.mkdir()
    made, warning = automatic_backup(demo_ws, "daily")
    [unit] = list(usb.iterdir())
    [copy] = list(unit.glob("huzhu-*-daily.db"))
    assert warning == "" and unit.name.endswith("演示村")
    assert r.inspect_backup(made).has_keys and not r.inspect_backup(copy).has_keys
