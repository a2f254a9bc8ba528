"""Checks before openpyxl touches a file: size, container type, zip bombs, encryption.

A password-protected .xlsx and an old .xls are both OLE compound files, not zip archives;
an encrypted one carries an `EncryptionInfo` stream. XML entity bombs are stopped by defusedxml,
which openpyxl uses when it is installed (it is a dependency).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from huzhu_desktop.core.errors import LimitExceededError, UnreadableFileError

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ENCRYPTION_MARK = "EncryptionInfo".encode("utf-16-le")


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 40 * 1024 * 1024
    unpacked_bytes: int = 400 * 1024 * 1024
    entries: int = 2_000
    ratio: int = 200  # uncompressed / compressed, per entry of real size
    shared_strings_bytes: int = 120 * 1024 * 1024
    data_rows: int = 60_000


DEFAULT_LIMITS = Limits()


def check_workbook_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise UnreadableFileError / LimitExceededError with a Chinese message, or return."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableFileError(f"找不到或打不开文件“{path}”。", detail=str(exc)) from exc
    if not path.is_file():
        raise UnreadableFileError(f"“{path}”不是一个文件。")
    if size == 0:
        raise UnreadableFileError("这个文件是空的（0 字节），请检查是否拷贝完整。")
    if size > limits.file_bytes:
        mb = limits.file_bytes // (1024 * 1024)
        raise LimitExceededError(
            f"文件太大（{size / 1024 / 1024:.1f} MB），超过了 {mb} MB 的上限。"
            "台账一般不会这么大，请删去图片或多余的工作表后再导入。"
        )
    with open(path, "rb") as fh:
        head = fh.read(8)
        if head == OLE_MAGIC:
            fh.seek(0)
            data = fh.read(min(size, 4 * 1024 * 1024))
            if ENCRYPTION_MARK in data:
                raise UnreadableFileError(
                    "这个 Excel 文件设置了打开密码，无法读取。请在 Excel 中取消密码"
                    "（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后另存，再导入。"
                )
            raise UnreadableFileError(
                "这是旧版 Excel（.xls）文件。"
                "请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）后再导入。"
            )
    if not zipfile.is_zipfile(path):
        raise UnreadableFileError("这个文件不是 Excel 工作簿（.xlsx），或文件已损坏。")
    _check_zip(path, limits)


def _check_zip(path: Path, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFileError("Excel 文件已损坏，无法打开。", detail=str(exc)) from exc
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise UnreadableFileError("这个压缩文件不是 Excel 工作簿（.xlsx）。")
    if len(infos) > limits.entries:
        raise UnreadableFileError("Excel 文件内部结构异常（条目过多），为安全起见拒绝读取。")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > limits.ratio * max(
            info.compress_size, 1
        ):
            raise UnreadableFileError(
                "Excel 文件内部压缩比异常（疑似“压缩炸弹”），为安全起见拒绝读取。"
            )
        if (
            info.filename.endswith("sharedStrings.xml")
            and info.file_size > limits.shared_strings_bytes
        ):
            raise LimitExceededError("表格中的文字内容过多（共享字符串表过大），拒绝读取。")
    if total > limits.unpacked_bytes:
        raise LimitExceededError(
            f"Excel 文件解压后超过 {limits.unpacked_bytes // (1024 * 1024)} MB，太大，拒绝读取。"
        )
