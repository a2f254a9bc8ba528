"""Typed errors. Each carries a Chinese message for the user and English detail for the log."""

from __future__ import annotations

import errno

from huzhu_desktop.core.labels import FIELD_LABELS


class HuzhuError(Exception):
    """Base error: `user_message` is shown to the clerk, `detail` goes to the log."""

    exit_code = 1

    def __init__(self, user_message: str, detail: str = "") -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.detail = detail or user_message


def describe_os_error(exc: OSError) -> str:
    """What a clerk should read when a file cannot be read or written: which file, and the usual
    reason in plain words (a file open in Excel, a folder's name, a full or pulled-out stick)."""
    name = f"“{exc.filename}”" if exc.filename else "文件"
    if isinstance(exc, IsADirectoryError):
        return f"{name}是一个文件夹，请换一个文件名。"
    if isinstance(exc, PermissionError):
        return (
            f"无法写入或读取{name}：没有权限，或文件正被别的程序（如 Excel、PDF 阅读器）打开。"
            "请关闭它，或换一个位置。"
        )
    if isinstance(exc, FileNotFoundError):
        return f"找不到{name}：U盘可能已拔出，或文件夹已被移走。"
    if exc.errno == errno.ENOSPC:
        return f"磁盘或U盘已满，{name}没有写完（原来的文件没有被改动）。"
    return f"无法读写{name}：{exc.strerror or exc}"


class ValidationError(HuzhuError):
    """Input that the user must fix. `errors` maps a form field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        lines = "；".join(f"{FIELD_LABELS.get(k, k)}：{v}" for k, v in self.errors.items())
        super().__init__(f"请更正以下内容：{lines}", detail=repr(self.errors))


class DuplicatePersonError(HuzhuError):
    """Saving would create a probable twin (same ID, or same name + birth year + 组)."""

    def __init__(self, matches: list[dict[str, str]]) -> None:
        self.matches = matches
        names = "、".join(f"{m['name']}（{m['reason']}）" for m in matches)
        super().__init__(f"可能与已登记的人员重复：{names}。请核对后再保存。")


class WorkspaceError(HuzhuError):
    """The workspace folder or database cannot be used as it is."""


class DamagedDatabase(WorkspaceError):
    """huzhu.db is there but cannot be read: the case 从备份恢复 exists for."""


class NotFoundError(HuzhuError):
    """A record asked for by id does not exist (or was deleted)."""


class Cancelled(HuzhuError):
    """The clerk pressed 取消: the work stopped where it was and its transaction rolled back."""

    def __init__(self) -> None:
        super().__init__("已取消，没有保存任何内容。")


class UsageError(HuzhuError):
    """What the user typed cannot be used at all (a quarter like 9999Q4): exit 2 at the CLI."""

    exit_code = 2


class UnreadableFileError(HuzhuError):
    """A file that cannot be read at all: not xlsx, corrupt, password-protected, hostile."""

    exit_code = 2


class LimitExceededError(HuzhuError):
    """A file refused by a size or row cap: readable, but too big to take safely."""

    exit_code = 1
