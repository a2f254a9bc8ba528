"""`huzhu villages …` — a town's 村名单 (services.villages, importers.village_list)."""

from __future__ import annotations

import argparse
from pathlib import Path

from huzhu_desktop.cli.commands import _open
from huzhu_desktop.cli.output import emit, table


def cmd_villages(args: argparse.Namespace) -> int:
    from huzhu_desktop.core.errors import WorkspaceError
    from huzhu_desktop.core.services import villages
    from huzhu_desktop.core.services.register import unit_names

    with _open(args) as ws:
        if args.action == "list":
            assert ws.info is not None
            with ws.reading() as s:
                if ws.info.kind == "town":
                    lists = {ws.info.org_code: villages.town_villages(s)}
                elif ws.info.kind == "district":  # each town's list, as its bundle brought it
                    lists = villages.villages_of_towns(s)
                else:
                    raise WorkspaceError("村名单在乡镇的工作区里维护（区县可以查看各镇的村名单）。")
                names = unit_names(s)
            found = [(town, v) for town, vs in lists.items() for v in vs]
            rows = [[names.get(town, town), v.code, v.name, v.started_text,
                     "" if v.listed else "未列入名单（从密钥卡或数据包得知）"]
                    for town, v in found]  # fmt: skip
            started = sum(1 for _t, v in found if v.started)
            emit(
                args,
                [v.to_json() | {"town": town} for town, v in found],
                table(["乡镇", "代码", "名称", "已开展", "备注"], rows)
                + f"\n其中已开展互助养老 {started} 个。",
            )
        elif args.action in ("add", "set"):
            flag = villages.parse_started(args.started) if args.started is not None else None
            with ws.transaction() as s:
                if args.action == "add":
                    entry = villages.save_village(
                        args.code, args.name, flag, session=s, actor=ws.actor
                    )
                else:
                    entry = villages.set_started(args.code, flag, session=s, actor=ws.actor)
            emit(args, entry.to_json(), f"{entry.code} {entry.name}：{entry.started_text}")
        else:
            from huzhu_desktop.core.importers.village_list import import_village_list

            with ws.transaction() as s:
                result = import_village_list(Path(args.file), session=s, actor=ws.actor)
            emit(
                args,
                {"added": result.added, "changed": result.changed,
                 "unchanged": result.unchanged, "skipped": result.skipped},
                f"已导入村名单：{result.text()}",
            )  # fmt: skip
    return 0


COMMANDS = {"villages": cmd_villages}
