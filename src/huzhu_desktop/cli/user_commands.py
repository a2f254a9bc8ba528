"""`huzhu users …`: logins from the command line. Passwords never go on the command line (they
would stay in the shell's history): they come from HUZHU_NEW_PASSWORD / HUZHU_RECOVERY_CODE or
are typed at a terminal; with neither, the command stops (exit 1)."""

from __future__ import annotations

import argparse
import os
import sys

from huzhu_desktop.cli.commands import _open
from huzhu_desktop.cli.output import emit, table
from huzhu_desktop.core.errors import WorkspaceError
from huzhu_desktop.core.services.permissions import ROLES


def _secret(env: str, prompt: str, *, twice: bool = False) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise WorkspaceError(f"需要{prompt}：请在终端里运行以便输入，或设置环境变量 {env}。")
    import getpass

    value = getpass.getpass(f"{prompt}：")
    if twice and getpass.getpass(f"再输一次{prompt}：") != value:
        raise WorkspaceError("两次输入的不一样，没有保存。")
    return value


def cmd_users(args: argparse.Namespace) -> int:
    from huzhu_desktop.core.services import users

    if args.action in ("first-admin", "reset-admin"):  # no login: there is none yet, or it is lost
        args.user = None
        with _open(args, login=False) as ws:
            if args.action == "first-admin":
                password = _secret("HUZHU_NEW_PASSWORD", "新密码", twice=True)
                with ws.transaction() as s:
                    code = users.create_first_admin(s, args.name, password)
                emit(
                    args,
                    {"name": args.name, "role": "admin", "recovery_code": code},
                    f"已设{args.name}为村管理员。以后打开这个工作区都要登录。\n"
                    f"恢复码（只显示这一次，请抄下或打印后锁好；忘了密码时用它重设）：\n  {code}",
                )
            else:
                code = _secret("HUZHU_RECOVERY_CODE", "恢复码")
                password = _secret("HUZHU_NEW_PASSWORD", "新密码", twice=True)
                with ws.transaction() as s:
                    users.reset_with_recovery_code(s, code, args.name, password)
                emit(args, {"name": args.name, "reset": True}, f"已重设{args.name}的密码。")
        return 0
    with _open(args) as ws:
        if args.action == "list":
            with ws.reading() as s:
                found = users.list_users(s)
            emit(
                args,
                [{"name": u.name, "role": u.role, "active": u.active} for u in found],
                table(
                    ["用户", "角色", "状态"],
                    [[u.name, ROLES[u.role], "在用" if u.active else "已停用"] for u in found],
                ),
            )
        elif args.action == "add":
            password = _secret("HUZHU_NEW_PASSWORD", f"{args.name}的密码", twice=True)
            with ws.transaction() as s:
                users.add_user(s, ws.actor, args.name, args.role, password, ws.data_key)
            emit(
                args,
                {"name": args.name, "role": args.role},
                f"已添加{ROLES[args.role]}{args.name}。",
            )
        elif args.action == "passwd":
            password = _secret("HUZHU_NEW_PASSWORD", f"{args.name}的新密码", twice=True)
            with ws.transaction() as s:
                users.set_password(s, ws.actor, args.name, password, ws.data_key)
            emit(args, {"name": args.name}, f"已修改{args.name}的密码。")
        else:
            with ws.transaction() as s:
                users.set_active(s, ws.actor, args.name, args.action == "enable")
            print(f"已{'启用' if args.action == 'enable' else '停用'}{args.name}。")
    return 0


COMMANDS = {"users": cmd_users}
