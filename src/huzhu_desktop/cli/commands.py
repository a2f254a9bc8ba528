"""The `huzhu` subcommands: each opens the workspace, calls services, prints the result."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from huzhu_desktop.cli.output import emit, table
from huzhu_desktop.core import clock
from huzhu_desktop.core.errors import LimitExceededError, UnreadableFileError, WorkspaceError
from huzhu_desktop.core.periods import Period
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.paths import resolve_workspace


def _open(
    args: argparse.Namespace, *, must_exist: bool = True, demo: bool = False, login: bool = True
) -> Workspace:
    ws = Workspace.open(resolve_workspace(args.workspace, demo=demo), must_exist=must_exist)
    if must_exist and not ws.is_initialized:
        ws.close()
        raise WorkspaceError("工作区尚未设置单位。请先运行 huzhu init，或在软件中完成首次设置。")
    try:
        if login:
            authenticate(ws, args)
    except BaseException:
        ws.close()
        raise
    _warn_if_clock_behind(ws)
    return ws


def authenticate(ws: Workspace, args: argparse.Namespace) -> None:
    """A workspace with users: log in as --user, the password from HUZHU_PASSWORD or typed at a
    terminal; with neither, stop (exit 1) rather than wait for input that never comes."""
    from huzhu_desktop.core.services import users

    name = getattr(args, "user", None)
    if not ws.has_users:
        if name:
            print(
                f"提示：这个工作区还没有设用户（免登录），--user {name} 未使用。", file=sys.stderr
            )
        return
    if not name:
        raise WorkspaceError(
            "这个工作区设有用户：请用 --user 用户名 登录（密码见 HUZHU_PASSWORD）。"
        )
    password = os.environ.get("HUZHU_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise WorkspaceError(
                "需要密码：请在终端里运行以便输入密码，或设置环境变量 HUZHU_PASSWORD。"
            )
        import getpass

        password = getpass.getpass(f"{name} 的密码：")
    users.log_in(ws, name, password)


def _warn_if_clock_behind(ws: Workspace) -> None:
    from huzhu_desktop.core.services.clock_check import clock_behind, clock_warning

    with ws.reading() as s:
        latest = clock_behind(s)
    if latest is not None:
        print(f"警告：{clock_warning(latest)}", file=sys.stderr)


def _out(raw: str) -> Path:
    """An output file named on the command line (the folder is made if missing)."""
    if "\0" in raw or not raw.strip():
        raise UnreadableFileError(f"输出文件名“{raw!r}”不能用")
    return Path(raw)


def cmd_init(args: argparse.Namespace) -> int:
    from huzhu_desktop.core.services.setup import SetupForm, initialize

    if args.from_card:
        return _join(args)
    wanted = ("kind", "org-code", "org-name")
    missing = [f"--{n}" for n in wanted if not getattr(args, n.replace("-", "_"))]
    if missing:
        raise WorkspaceError(
            "请给出 " + "、".join(missing) + "（本单位第二台电脑可用 --from-card）。"
        )
    form = SetupForm(
        args.kind,
        args.org_code,
        args.org_name,
        args.parent_name,
        args.district_name,
        args.clerk,
        args.office_phone,
        args.supervision_phone,
    )
    with Workspace.open(resolve_workspace(args.workspace)) as ws:
        with ws.transaction() as s:
            info = initialize(form, session=s)
            if (
                args.parent_code
                and info.parent_code
                and not info.parent_code.startswith(args.parent_code.strip()[:9].rstrip("0"))
            ):
                raise WorkspaceError(
                    f"上级单位代码 {args.parent_code} 与本单位代码 {info.org_code} 不相符。"
                )
        value = _created(ws, info)
        emit(args, value, f"已创建工作区：{ws.folder}\n单位：{info.org_name}（{info.org_code}）")
    return 0


def _created(ws: Workspace, info: Any) -> dict[str, Any]:
    """What `init` says of the workspace it made (either way)."""
    return {
        "workspace": str(ws.folder),
        "workspace_id": info.workspace_id,
        "kind": info.kind,
        "org_code": info.org_code,
        "org_name": info.org_name,
        "parent_code": info.parent_code,
    }


def _join(args: argparse.Namespace) -> int:
    """`init --from-card`: this PC joins its unit from the first PC's key card."""
    from huzhu_desktop.core.services import keys
    from huzhu_desktop.core.services.setup import join_from_card

    card_path = Path(args.from_card)
    card = keys.read_card(card_path)
    names = keys.card_unit_names(card_path)
    names = {
        "parent_name": args.parent_name or names.get("parent_name", ""),
        "district_name": args.district_name or names.get("district_name", ""),
    }
    with Workspace.open(resolve_workspace(args.workspace)) as ws:
        with ws.transaction() as s:
            info = join_from_card(card, names, args.clerk, session=s)
            mine = keys.own_card(s).fingerprint
        value = _created(ws, info) | {"first_pc_fingerprint": card.fingerprint, "fingerprint": mine}
        emit(
            args,
            value,
            f"已创建工作区：{ws.folder}\n单位：{info.org_name}（{info.org_code}），本单位的第二台电脑\n"
            f"第一台电脑的指纹：{card.fingerprint}（请与那台电脑“同步 → 密钥”页上的核对）\n"
            f"本机的指纹：{mine}\n"
            "下一步：导出本机的密钥卡（huzhu keys export-card），在第一台电脑上导入它，"
            "再从第一台电脑导出数据包给本机"
            f"（huzhu bundle export -o 文件夹 --to {info.org_code}），在本机导入。",
        )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from huzhu_desktop.core.demo import make_demo_folder

    result = make_demo_folder(
        resolve_workspace(args.workspace, demo=True),
        elders=args.elders,
        years=args.years,
        seed=args.seed,
    )
    emit(
        args,
        result.to_json(),
        f"演示数据已生成：老人 {result.elders} 人，帮扶人 {result.helpers} 人，"
        f"{result.households} 户，结对 {result.pairings} 个，走访 {result.visits} 次，"
        f"互助养老点 {result.care_points} 个。\n"
        f"演示工作区：{result.workspace}\n"
        f"练习导入用的台账：{result.practice_ledger}（在“老人”页点“从Excel导入台账”）\n"
        f"练习导入用的走访表：{result.practice_visits}，微信群消息：{result.practice_chat}"
        "（在“走访”页点“导入走访表”或“粘贴走访记录”）\n"
        f"演示乡镇（已收到并审核通过演示村上季度的数据包，它的回执本村已导入）：{result.town_workspace}"
        "（用 --workspace 打开它，看“同步”页）",
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from huzhu_desktop.core.services.check import run_checks

    with _open(args) as ws, ws.reading() as s:
        report = run_checks(s)
    lines = (
        ["检查通过，没有发现问题。"]
        if report.ok
        else [f"发现 {len(report.problems)} 个问题："]
        + [f"- {p['message']}" for p in report.problems]
    )
    counts = report.counts
    lines.append(
        f"人员 {counts.get('people', 0)}，老人 {counts.get('elders', 0)}，"
        f"在岗帮扶人 {counts.get('helpers', 0)}，户 {counts.get('households', 0)}"
    )
    emit(args, report.to_json(), "\n".join(lines))
    return 0 if report.ok else 1


def cmd_backup(args: argparse.Namespace) -> int:
    from huzhu_desktop.core.db.restore import inspect_backup

    with _open(args, must_exist=True) as ws:
        dest = ws.backup(_out(args.output) if args.output else None)
    held = inspect_backup(dest)
    keys = (
        "本单位的私钥在备份里是加密保存的。"
        if held.keys_sealed
        else "注意：免登录的工作区，备份里的本单位私钥没有加密（设置登录后会加密保存）。"
        if held.has_keys
        else "备份不含本单位的私钥（恢复后需重新核对密钥）。"
    )
    emit(
        args,
        {"backup": str(dest), "bytes": dest.stat().st_size, "keys": held.to_json()["has_keys"],
         "keys_sealed": held.keys_sealed},
        f"已备份到：{dest}\n{keys}",
    )  # fmt: skip
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Show what a backup holds, then (without --inspect) put it in place, migrate and check."""
    from huzhu_desktop.core.db.restore import inspect_backup, restore
    from huzhu_desktop.core.services.check import run_checks

    source = Path(args.file)
    if args.inspect:
        info = inspect_backup(source)
        emit(args, info.to_json(), "\n".join(info.lines()))
        return 0
    folder = resolve_workspace(args.workspace)
    _restore_allowed(folder, args)
    done = restore(folder, source, confirm_move=args.move)
    with Workspace.open(folder) as ws, ws.reading() as s:  # migrates an older backup
        report = run_checks(s)
    lines = [f"已从“{source}”恢复：", *(f"  {line}" for line in done.source.lines())]
    if done.kept is not None:
        what = "（已损坏，原样保存）" if done.kept_damaged else ""
        lines.append(f"恢复前的数据{what}已另存为：{done.kept}")
    lines.append(
        "检查：通过。"
        if report.ok
        else f"检查发现 {len(report.problems)} 个问题，请运行 huzhu check 查看。"
    )
    emit(
        args,
        {
            "restored_from": str(source),
            "backup": done.source.to_json(),
            "previous_data_backup": str(done.kept) if done.kept else None,
            "previous_data_damaged": done.kept_damaged,
            "moved": done.moved,
            "check_ok": report.ok,
        },
        "\n".join(lines),
    )
    return 0


def _restore_allowed(folder: Path, args: argparse.Namespace) -> None:
    """With logins and a database that still opens, only a 村管理员 restores; a damaged or
    missing one (the rescue) cannot be logged into, so anyone at the PC may."""
    from huzhu_desktop.core.services.permissions import check

    try:
        ws = Workspace.open(folder, must_exist=True)
    except WorkspaceError:
        return
    try:
        if ws.has_users:
            authenticate(ws, args)
            check(ws.actor, "restore")
    finally:
        ws.close()


def cmd_import_xlsx(args: argparse.Namespace) -> int:

    from huzhu_desktop.core.importers.error_book import write_error_book
    from huzhu_desktop.core.importers.ledger import import_ledger

    with _open(args) as ws:
        with ws.transaction() as s:
            result = import_ledger(
                Path(args.file), session=s, actor=ws.actor, sheet=args.sheet, dry_run=args.dry_run
            )
        lines = [result.summary_text()]
        if result.rejections:
            lines += [f"第{r.row}行 {r.message}" for r in result.rejections[:50]]
            if len(result.rejections) > 50:
                lines.append(f"……另有 {len(result.rejections) - 50} 行有问题")
            stamp = clock.now().strftime("%Y%m%d-%H%M%S")
            book = write_error_book(result, ws.folder / "exports" / f"导入错误清单-{stamp}.xlsx")
            print(f"错误清单已保存：{book}（改正后可再次导入）", file=sys.stderr)
    emit(args, result.to_json(), "\n".join(lines))
    return 0


def cmd_import_visits(args: argparse.Namespace) -> int:
    """Exit 0 when the input was read (also with rejections), 1 over a cap, 2 unreadable."""
    from huzhu_desktop.core.importers.visit_import import import_visits
    from huzhu_desktop.core.importers.visit_source import (
        MAX_TEXT_BYTES,
        decode_text,
        parse_text,
        read_visit_file,
    )

    if args.file == "-":
        data = sys.stdin.buffer.read(MAX_TEXT_BYTES + 1)
        if len(data) > MAX_TEXT_BYTES:
            raise LimitExceededError("输入的文字太多（超过 8 MB），请分几次导入。")
        if not data.strip():
            raise UnreadableFileError("没有读到任何文字：请把走访记录粘贴或重定向到标准输入。")
        source = parse_text(decode_text(data))
    else:
        source = read_visit_file(Path(args.file), args.sheet)
    with _open(args) as ws, ws.transaction() as s:
        result = import_visits(source, session=s, actor=ws.actor, dry_run=args.dry_run)
    lines = [result.summary_text()]
    lines += [f"第{r.row}行 {r.column}：{r.message}" for r in result.rejections[:50]]
    lines += [f"第{v.row}行 请确认：{w}" for v in result.planned for w in v.warnings][:50]
    if len(result.rejections) > 50:
        lines.append(f"……另有 {len(result.rejections) - 50} 行有问题")
    emit(args, result.to_json(), "\n".join(lines))
    return 0


def cmd_cards(args: argparse.Namespace) -> int:
    from huzhu_desktop.core.reports.cards_pdf import render_cards, render_helper_sheets
    from huzhu_desktop.core.services.cards import collect_cards, record_prints

    today = clock.today()
    with _open(args) as ws:
        with ws.reading() as s:
            cards = collect_cards(s, today=today, pairing_ids=args.pairing)
        if args.pairing:
            missing = set(args.pairing) - {c.pairing_id for c in cards}
            if missing:
                raise WorkspaceError(
                    f"找不到这些结对（或已没有在册老人）：{'、'.join(sorted(missing))}"
                )
        if args.helper_sheets:
            helpers = render_helper_sheets(cards, _out(args.output), today=today)
            emit(args, {"file": args.output, "helpers": helpers},
                 f"已生成 {helpers} 位帮扶人的帮扶名单：{args.output}")  # fmt: skip
            return 0
        pages = render_cards(cards, _out(args.output), a5=args.a5, copies=args.copies, today=today)
        with ws.transaction() as s:
            record_prints(cards, "A5" if args.a5 else "A4", session=s, actor=ws.actor)
    emit(
        args,
        {"file": args.output, "cards": len(cards), "pages": pages},
        f"已生成 {len(cards)} 张明白卡，共 {pages} 页：{args.output}",
    )
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from huzhu_desktop.core.reports.coverage_xlsx import write_coverage

    if args.what == "attachment1":
        return _attachment1(args)
    if args.what == "attachment2":
        return _attachment2(args)
    with _open(args) as ws, ws.reading() as s:
        unit = ws.info.org_name if ws.info else ""
        result = write_coverage(s, _out(args.output), quarter=args.quarter, unit=unit)
    months = "，".join(f"{m['month']} {float(m['rate']) * 100:.0f}%" for m in result["months"])  # type: ignore[attr-defined]
    emit(
        args,
        result,
        f"已导出：{args.output}\n月探访率：{months or '（本季度尚未开始）'}；"
        f"未结对特殊老人 {result['unpaired_special']} 人，超期未走访 {result['overdue']} 人",
    )
    return 0


def _attachment1(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from huzhu_desktop.core.reports.attachment1 import cells, numbered, write_attachment1
    from huzhu_desktop.core.reports.forms import ATTACHMENT1_HEADER
    from huzhu_desktop.core.services import submissions
    from huzhu_desktop.core.services.funding import yuan

    period, rows = _form(args, write_attachment1)
    with _open(args) as ws:  # keep what was reported; say if it differs from last time
        with ws.reading() as s:
            kept = submissions.last_reported(s, period.key)
        with ws.transaction() as s:
            submissions.record(s, ws.actor, period.key, rows)
    changed = submissions.changes(kept, rows) if kept is not None else {}
    header = [h.replace("\n", "") for h in ATTACHMENT1_HEADER]
    note = ""
    if kept is not None:
        when = kept.made_at.astimezone().strftime("%Y-%m-%d")
        note = (
            f"\n与 {when} 导出的附件1 相比，{len(changed)} 个数字不同。"
            if changed
            else f"\n与 {when} 导出的附件1 一致。"
        )
    emit(
        args,
        {
            "file": args.output,
            "period": period.label,
            "rows": [asdict(r) for r in rows],  # as the workbook: villages, 本级, 小计, 合计
            "villages": [asdict(r) for r in rows if r.kind == "village"],
            "changed_since_last": [
                {"code": code, "field": field, "was": was, "now": now}
                for (code, field), (was, now) in sorted(changed.items())
            ],
        },
        f"已导出附件1（{period.label}）：{args.output}\n"
        + table(header, [[*cells(n, r)[:-1], yuan(r.funding_fen)] for n, r in numbered(rows)])
        + note,
    )
    return 0


def _attachment2(args: argparse.Namespace) -> int:
    from huzhu_desktop.core.reports.attachment2 import write_attachment2

    period, n = _form(args, write_attachment2)
    emit(
        args,
        {"file": args.output, "period": period.label, "rows": n},
        f"已导出附件2（{period.label}，{n} 行）：{args.output}",
    )
    return 0


def _form(args: argparse.Namespace, write: Callable[..., Any]) -> tuple[Any, Any]:
    """Write an official form for --quarter [--year-to-date] to -o; (period, what it wrote)."""

    period = Period.of(args.quarter, year_to_date=args.year_to_date)
    with _open(args) as ws, ws.reading() as s:
        info = ws.info
        written = write(
            s,
            _out(args.output),
            period=period,
            district=info.district_name if info else "",
            unit=info.org_name if info else "",
        )
    return period, written


def cmd_points(args: argparse.Namespace) -> int:
    from huzhu_desktop.core.services import points_read
    from huzhu_desktop.core.services.ledger import fmt_points, points_json

    with _open(args) as ws:
        if args.action == "balance":
            with ws.reading() as s:
                accounts = points_read.accounts(s, with_entries_only=not args.all)
            total = sum(a.balance_c for a in accounts)
            value = {
                "households": [
                    {
                        "id": a.household_id,
                        "name": a.name,
                        "card_no": a.card_no,
                        "group": a.group_name,
                        "members": a.members,
                        "balance": points_json(a.balance_c),
                        "entries": a.entries,
                    }
                    for a in accounts
                ],
                "total": points_json(total),
            }
            rows = [
                [a.name, a.group_name, a.members, fmt_points(a.balance_c), a.entries]
                for a in accounts
            ]
            text = table(["户名", "组", "成员", "结余（分）", "笔数"], rows)
            emit(args, value, f"{text}\n全村结余合计 {fmt_points(total)} 分")
            return 0
        from huzhu_desktop.core.reports.passbook_pdf import render_passbook

        if not args.output:
            raise WorkspaceError("请用 -o 指定存折 PDF 的保存位置")
        with ws.reading() as s:
            h = points_read.find_household(s, args.household)
            head = points_read.passbook_head(s, h.id, ws.info.org_name if ws.info else "")
            lines = points_read.statement(s, h.id)
        pages = render_passbook(head, lines, _out(args.output))
        final = lines[-1].balance_c if lines else 0
        emit(
            args,
            {
                "file": args.output,
                "household": h.id,
                "name": h.name,
                "entries": len(lines),
                "balance": points_json(final),
                "pages": pages,
            },
            f"已生成{h.name}的积分存折（{len(lines)} 笔，结余 {fmt_points(final)} 分，"
            f"{pages} 页）：{args.output}",
        )
    return 0


def cmd_about(args: argparse.Namespace) -> int:
    from huzhu_desktop.about import facts, libraries

    v = facts()
    lines = [
        f"互助养老桌面版 {v['version']}（数据库版本 {v['schema']}，"
        f"数据包格式第 {v['bundle_format']} 版）",
        f"程序位置：{v['program_folder']}",
        f"数据文件夹：{v['data_folder']}",
        "随软件附带的组件：",
        *(f"  {x.name} {x.version}（{x.licence}）" for x in libraries()),
    ]
    emit(args, v, "\n".join(lines))
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "about": cmd_about,
    "init": cmd_init,
    "demo": cmd_demo,
    "import-xlsx": cmd_import_xlsx,
    "import-visits": cmd_import_visits,
    "cards": cmd_cards,
    "report": cmd_report,
    "check": cmd_check,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "points": cmd_points,
}
