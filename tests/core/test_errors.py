"""What a clerk reads when a file cannot be written: which file, and why in plain words."""

from __future__ import annotations

import errno

import pytest

from huzhu_desktop.core.errors import describe_os_error


@pytest.mark.parametrize(
    ("exc", "says"),
    [
        (PermissionError(errno.EACCES, "Permission denied", "台账.xlsx"), "正被别的程序"),
        (IsADirectoryError(errno.EISDIR, "Is a directory", "导出"), "是一个文件夹"),
        (FileNotFoundError(errno.ENOENT, "No such file", "E:/村.huzhu"), "U盘可能已拔出"),
        (OSError(errno.ENOSPC, "No space left on device", "E:/村.huzhu"), "已满"),
        (OSError(errno.EIO, "Input/output error", "E:/村.huzhu"), "Input/output error"),
    ],
)
def test_each_file_error_names_the_file_and_the_reason(exc: OSError, says: str) -> None:
    text = describe_os_error(exc)
    assert f"“{exc.filename}”" in text and says in text
