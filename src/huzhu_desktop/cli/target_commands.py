"""`huzhu targets` — the plan's targets at this workspace's level (services.targets)."""

from __future__ import annotations

import argparse

from huzhu_desktop.cli.commands import _open
from huzhu_desktop.cli.output import emit, table
from huzhu_desktop.core.labels import plain_number


def cmd_targets(args: argparse.Namespace) -> int:
    from huzhu_desktop.core import clock
    from huzhu_desktop.core.reports import targets
    from huzhu_desktop.core.reports.targets import shown

    year = args.year or clock.today().year
    with _open(args) as ws:
        if args.action == "set":
            targets.set_goal(ws.folder, args.target, args.goal, year)
            name, goal = targets.BY_ID[args.target].name, plain_number(args.goal)
            emit(args, {"id": args.target, "goal": args.goal, "year": year},
                 f"{name} {year}年的目标：{goal}")  # fmt: skip
            return 0
        with ws.reading() as s:
            found = targets.compute(s, ws.folder, year=year)
    rows = [
        [t.name, t.period, shown(t.value, t.unit), shown(t.goal, t.unit),
         "达到" if t.met else "未达到",
         "" if t.trend is None else plain_number(t.trend, signed=True)]
        for t in found
    ]  # fmt: skip
    emit(args, [t.to_json() for t in found],
         table(["指标", "期间", "现在", "目标", "是否达到", "比上期"], rows))  # fmt: skip
    return 0


def cmd_register(args: argparse.Namespace) -> int:
    """`huzhu register WHAT -o OUT.xlsx`: one of seed 002's 档案, printed like the forms."""
    from huzhu_desktop.cli.commands import _out
    from huzhu_desktop.core.reports.registers import REGISTERS, write_register

    dest = _out(args.output)
    with _open(args) as ws, ws.reading() as s:
        rows = write_register(s, args.what, dest, year=args.year)
    emit(args, {"file": str(dest), "rows": rows},
         f"已导出{REGISTERS[args.what].title}（{rows} 行）：{dest}")  # fmt: skip
    return 0


COMMANDS = {"targets": cmd_targets, "register": cmd_register}
