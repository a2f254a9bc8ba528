"""What the OS and a typing clerk hand the command line: mistyped commands, names that are not
UTF-8, quarters out of range — always a Chinese message and exit 2 (or 1), never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from huzhu_desktop.cli import main

USAGE = [
    (["--bogus"], "错误："),
    ([], "缺少必须填写的参数"),
    (["list", "nothing"], "不可用"),
    (["demo", "--elders", "abc"], "不是整数"),
    (["check", "--extra"], "不认识的参数"),
    (["report", "attachment1", "--quarter"], "后面要跟一个值"),
]


@pytest.mark.parametrize(("argv", "words"), USAGE)
def test_usage_errors_are_chinese_with_exit_2(
    argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main(argv)
    err = capsys.readouterr().err
    assert done.value.code == 2 and words in err and "用法：" in err
    assert "usage:" not in err and "error:" not in err


def test_help_is_headed_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["list", "-h"])
    out = capsys.readouterr().out
    assert out.startswith("用法：") and "选项：" in out and "显示本帮助并退出" in out


@pytest.mark.parametrize("quarter", ["9999Q4", "1999Q4", "2026Q5", "x"])
def test_a_quarter_out_of_range_is_a_usage_error(
    quarter: str, demo_ws, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(demo_ws.folder)
    demo_ws.close()
    code = main(
        [
            "--workspace",
            folder,
            "report",
            "attachment1",
            "--quarter",
            quarter,
            "-o",
            str(tmp_path / "a.xlsx"),
        ]
    )
    assert code == 2 and "季度" in capsys.readouterr().err


@pytest.mark.skipif(sys.platform == "win32", reason="Windows names are UTF-16, never raw bytes")
@pytest.mark.parametrize(
    ("argv", "codes"),
    [
        (["--workspace", "{bad}", "check"], (1,)),
        (["--workspace", "{ws}", "import-xlsx", "{bad}.xlsx"], (2,)),
        (["--workspace", "{ws}", "import-xlsx", "{ws}/none.xlsx", "--sheet", "\udcff"], (2,)),
        (["--workspace", "{ws}", "bundle", "import", "{bad}.huzhu"], (1, 2)),
        (["--workspace", "{ws}", "cards", "{bad}/卡.pdf"], (0,)),  # written, and said so
        (["--workspace", "{ws}", "restore", "{bad}.db"], (1,)),
    ],
)
def test_names_that_are_not_utf8_get_a_message_not_a_traceback(
    argv: list[str], codes: tuple[int, ...], demo_ws, tmp_path: Path
) -> None:
    """A folder or file name with bytes that are not UTF-8 (an old USB stick, a GBK archive):
    run as a real process, so the bytes reach the program as the OS gives them."""
    ws = str(demo_ws.folder)
    demo_ws.close()
    bad = os.fsencode(str(tmp_path)) + b"/\xff\xfe"
    args = [
        os.fsencode(a.replace("{ws}", ws)).replace(b"{bad}", bad)
        if "{bad}" in a
        else os.fsencode(a.replace("{ws}", ws))
        for a in argv
    ]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    done = subprocess.run(
        [sys.executable.encode(), b"-m", b"huzhu_desktop.cli", *args],
        capture_output=True,
        env=env,
        timeout=120,
    )
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode in codes, err
    assert "Traceback" not in err and ("错误：" in err) == (done.returncode != 0)


def test_the_arguments_know_every_list_and_role_the_commands_do() -> None:
    from huzhu_desktop.cli import arguments
    from huzhu_desktop.cli.lists import KINDS
    from huzhu_desktop.core.services.permissions import ROLES

    assert tuple(KINDS) == arguments.LIST_KINDS
    assert arguments.ROLES == ROLES


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["list", "nothing"], ["users", "-h"]])
def test_help_version_and_usage_errors_answer_without_loading_the_core(argv: list[str]) -> None:
    """What `huzhu --help` costs is Python's start and argparse, not the database layer."""
    import subprocess

    code = (
        "import sys\n"
        "from huzhu_desktop.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "heavy = ('sqlalchemy', 'sqlmodel', 'openpyxl', 'huzhu_desktop.core.models')\n"
        "heavy = sorted(m for m in heavy if m in sys.modules)\n"
        "print('LOADED', heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().endswith("LOADED []"), done.stdout + done.stderr
