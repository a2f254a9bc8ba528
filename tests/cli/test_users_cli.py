"""The command line with logins: `--user`, the password from HUZHU_PASSWORD (never a prompt
without a terminal — exit 1, never a hang), roles refused with a message, the recovery code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from huzhu_desktop.cli import main
from huzhu_desktop.core.workspace import Workspace

CLI = [sys.executable, "-m", "huzhu_desktop.cli"]


@pytest.fixture
def village(demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch, capsys) -> str:  # type: ignore[no-untyped-def]
    """The demo village with a 村管理员 王主任 and a 只读/审计 张审计."""
    folder = str(demo_ws.folder)
    demo_ws.close()
    monkeypatch.setenv("HUZHU_NEW_PASSWORD", "admin-2026")
    assert main(["--workspace", folder, "users", "first-admin", "王主任", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["recovery_code"]) == 29
    monkeypatch.setenv("HUZHU_PASSWORD", "admin-2026")
    monkeypatch.setenv("HUZHU_NEW_PASSWORD", "shenji-2026")
    argv = [
        "--workspace",
        folder,
        "--user",
        "王主任",
        "users",
        "add",
        "张审计",
        "--role",
        "auditor",
    ]
    assert main(argv) == 0
    monkeypatch.delenv("HUZHU_PASSWORD")
    capsys.readouterr()
    return folder


def test_without_user_or_password_the_command_stops_with_a_message(
    village: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--workspace", village, "list", "elders"]) == 1
    assert "--user" in capsys.readouterr().err
    assert main(["--workspace", village, "--user", "王主任", "list", "elders"]) == 1
    assert "HUZHU_PASSWORD" in capsys.readouterr().err


def test_no_terminal_and_no_password_never_hangs(village: str) -> None:
    done = subprocess.run(
        [*CLI, "--workspace", village, "--user", "王主任", "list", "elders"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "HUZHU_PASSWORD"},
    )
    assert done.returncode == 1 and "HUZHU_PASSWORD" in done.stderr.decode()


def test_a_wrong_password_exits_1_and_the_right_one_works(
    village: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HUZHU_PASSWORD", "wrong")
    assert main(["--workspace", village, "--user", "王主任", "list", "elders"]) == 1
    assert "再错 4 次" in capsys.readouterr().err
    monkeypatch.setenv("HUZHU_PASSWORD", "admin-2026")
    assert main(["--workspace", village, "--user", "王主任", "list", "elders"]) == 0


def test_a_read_only_user_reads_but_cannot_import(
    village: str, monkeypatch: pytest.MonkeyPatch, capsys, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HUZHU_PASSWORD", "shenji-2026")
    as_auditor = ["--workspace", village, "--user", "张审计"]
    assert main([*as_auditor, "list", "visits", "--json"]) == 0
    before = len(json.loads(capsys.readouterr().out))
    chat = tmp_path / "群消息.txt"
    chat.write_text("王秀英 11.28 看望张德明40分钟\n", encoding="utf-8")
    assert main([*as_auditor, "import-visits", str(chat)]) == 1
    err = capsys.readouterr().err
    assert "张审计（只读/审计）没有" in err and "没有做任何改动" in err
    assert main([*as_auditor, "list", "visits", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == before


def test_a_forgotten_admin_password_is_reset_with_the_recovery_code(
    demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(demo_ws.folder)
    demo_ws.close()
    monkeypatch.setenv("HUZHU_NEW_PASSWORD", "admin-2026")
    main(["--workspace", folder, "users", "first-admin", "王主任", "--json"])
    code = json.loads(capsys.readouterr().out)["recovery_code"]
    monkeypatch.setenv("HUZHU_RECOVERY_CODE", code)
    monkeypatch.setenv("HUZHU_NEW_PASSWORD", "forgot-2027")
    assert main(["--workspace", folder, "users", "reset-admin", "王主任"]) == 0
    monkeypatch.setenv("HUZHU_PASSWORD", "forgot-2027")
    assert main(["--workspace", folder, "--user", "王主任", "check"]) == 0


def test_only_an_admin_restores_a_workspace_that_still_opens(
    village: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HUZHU_PASSWORD", "admin-2026")
    assert main(["--workspace", village, "--user", "王主任", "backup", "--json"]) == 0
    made = json.loads(capsys.readouterr().out)["backup"]
    monkeypatch.setenv("HUZHU_PASSWORD", "shenji-2026")
    assert main(["--workspace", village, "--user", "张审计", "restore", made]) == 1
    assert "从备份恢复" in capsys.readouterr().err
    monkeypatch.setenv("HUZHU_PASSWORD", "admin-2026")
    assert main(["--workspace", village, "--user", "王主任", "restore", made]) == 0
