"""argparse in Chinese: usage errors as a clerk can read them (exit 2), help headings translated.

argparse's own words come through gettext with no Chinese catalogue; the few a user meets are
translated here rather than shipping a catalogue."""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

HEADINGS = (
    ("usage: ", "用法："),
    ("positional arguments:", "位置参数："),
    ("options:", "选项："),
    ("optional arguments:", "选项："),
    ("show this help message and exit", "显示本帮助并退出"),
    ("show program's version number and exit", "显示版本号并退出"),
)
ERRORS = (
    (r"unrecognized arguments: (.*)", "不认识的参数：{0}"),
    (r"the following arguments are required: (.*)", "缺少必须填写的参数：{0}"),
    (
        r"argument (\S+): invalid choice: '(.*)' \(choose from (.*)\)",
        "参数 {0} 的值“{1}”不可用，可选：{2}",
    ),
    (r"argument (\S+): expected one argument", "参数 {0} 后面要跟一个值"),
    (r"argument (\S+): invalid int value: '(.*)'", "参数 {0} 要一个整数，“{1}”不是整数"),
    (r"argument (\S+): invalid (\w+) value: '(.*)'", "参数 {0} 的值“{2}”格式不对"),
    (r"argument (\S+): not allowed with argument (\S+)", "参数 {0} 不能和 {1} 一起用"),
    (r"ambiguous option: (\S+) could match (.*)", "参数 {0} 不明确，可能是：{1}"),
    (r"argument (\S+): ignored explicit argument '(.*)'", "参数 {0} 不需要值（多了“{1}”）"),
)


def chinese(message: str) -> str:
    """argparse's error message in Chinese (unknown ones are passed on as they are)."""
    for pattern, words in ERRORS:
        m = re.fullmatch(pattern, message)
        if m:
            return words.format(*(g.replace("'", "") for g in m.groups()))
    return message


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：{chinese(message)}（用 {self.prog} -h 查看用法）\n")

    def format_usage(self) -> str:
        return _translate(super().format_usage())

    def format_help(self) -> str:
        return _translate(super().format_help())


def _translate(text: str) -> str:
    for english, words in HEADINGS:
        text = text.replace(english, words)
    return text
