"""`huzhu keys …` and `huzhu bundle …`: key cards and USB bundles from the command line."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from huzhu_desktop.cli.commands import _open, _out
from huzhu_desktop.cli.output import emit, table
from huzhu_desktop.core.errors import UnreadableFileError
from huzhu_desktop.core.periods import quarter_label
from huzhu_desktop.core.sync.merge import COUNT_LABELS, TABLE_LABELS
from huzhu_desktop.core.sync.totals import TOTAL_LABELS


def cmd_keys(args: argparse.Namespace) -> int:
    from huzhu_desktop.core.services import keys

    with _open(args) as ws:
        if args.action == "export-card":
            with ws.transaction() as s:
                card = keys.export_card(s, ws.actor, _out(args.output))
            emit(
                args,
                {"file": args.output, "fingerprint": card.fingerprint, "org_code": card.org_code},
                f"已导出{card.who()}的密钥卡：{args.output}\n指纹：{card.fingerprint}\n"
                "请把这个文件交给对方，并打电话核对指纹。",
            )
        elif args.action == "import-card":
            card = keys.read_card(Path(args.file))
            with ws.transaction() as s:
                keys.trust_card(s, ws.actor, card, replace=args.replace)
            emit(
                args,
                {
                    "org_code": card.org_code,
                    "org_name": card.org_name,
                    "fingerprint": card.fingerprint,
                },
                f"已导入{card.who()}的密钥卡。\n指纹：{card.fingerprint}\n"
                "请与对方电脑上显示的指纹逐组核对；"
                + (
                    "不一致请立即告诉镇民政办。"
                    if ws.info and ws.info.kind == "village"
                    else "不一致请不要导入它的数据包，并打电话问清楚。"
                ),
            )
        else:
            with ws.transaction() as s:
                own = keys.own_card(s)
                found = keys.peers(s)
            value = {
                "fingerprint": own.fingerprint,
                "workspace_id": own.workspace_id,
                "peers": [
                    {
                        "org_code": p.org_code,
                        "org_name": p.org_name,
                        "kind": p.kind,
                        "workspace_id": p.workspace_id,
                        "fingerprint": p.fingerprint,
                        "trusted_at": p.trusted_at,
                    }
                    for p in found
                ],
            }
            rows = [
                [p.org_name, p.org_code, keys.KIND_LABELS.get(p.kind, p.kind), p.fingerprint]
                for p in found
            ]
            text = f"本单位指纹：{own.fingerprint}\n" + (
                table(["单位", "代码", "级别", "指纹"], rows) if rows else "还没有导入任何密钥卡。"
            )
            emit(args, value, text)
    return 0


def cmd_bundle(args: argparse.Namespace) -> int:
    from huzhu_desktop.core.sync.export import export_bundle
    from huzhu_desktop.core.sync.importer import import_bundle, inspect_bundle
    from huzhu_desktop.core.sync.receipt import export_receipts

    with _open(args) as ws:
        if args.action == "export":
            folder = _out(args.output)
            if folder.exists() and not folder.is_dir():
                raise UnreadableFileError(
                    f"“{folder}”不是文件夹，请用 -o 指定保存数据包的文件夹或U盘。"
                )
            with ws.transaction() as s:
                below = _receipt_targets(s, args)
                if below is not None:
                    written = export_receipts(s, ws.actor, folder, to=below)
            if below is not None:
                _emit_receipts(args, written)
                return 0
            to = args.to[0] if args.to else None
            if args.to and len(args.to) > 1:
                raise UnreadableFileError("数据包一次只发给一个上级单位；--to 写多个只用于回执。")
            with ws.transaction() as s:
                done = export_bundle(s, ws.actor, folder, period=args.quarter, to=to)
            figures = "，".join(f"{TOTAL_LABELS[k]} {v}" for k, v in done.totals.items())
            emit(
                args,
                {
                    "file": str(done.path),
                    "bundle_id": done.bundle_id,
                    "seq": done.seq,
                    "period": done.period,
                    "target": done.target,
                    "counts": done.counts,
                    "totals": done.totals,
                    "villages": done.villages,
                    "size": done.size,
                },
                f"已导出数据包（第{done.seq}号，{quarter_label(done.period)}，发给{done.target}）："
                f"{done.path}\n"
                f"{figures}。已读回校验无误，可以安全拔出U盘。",
            )
            return 0
        if args.action == "import" and (len(args.file) > 1 or Path(args.file[0]).is_dir()):
            return _import_many(args, ws)
        given = args.file[0] if isinstance(args.file, list) else args.file
        path = Path(given)
        if not path.is_file():
            raise UnreadableFileError(f"找不到数据包文件“{given}”。")
        if args.action == "inspect":
            with ws.reading() as s:
                seen = inspect_bundle(s, path).as_json()
            emit(args, seen, _inspection_text(seen))
            return 0
        with ws.transaction() as s:
            result = import_bundle(
                s,
                ws.actor,
                path,
                dry_run=args.dry_run,
                trust_new_key=args.trust_new_key,
                accept_changed_key=args.accept_changed_key,
            )
        value = result.as_json()
        emit(args, value, _import_text(value))
    return 0


def _import_many(args: argparse.Namespace, ws: Any) -> int:
    """Several bundles, or a folder of them: each all or nothing, a refused one reported and
    the others imported. Exit 1 when any was refused."""
    from huzhu_desktop.core.sync.batch import bundle_files, import_many

    paths = bundle_files(Path(f) for f in args.file)
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise UnreadableFileError(f"找不到数据包文件“{missing[0]}”。")
    entries = import_many(
        ws,
        paths,
        dry_run=args.dry_run,
        trust_new_key=args.trust_new_key,
        accept_changed_key=args.accept_changed_key,
    )
    values: list[dict[str, Any]] = [
        {"file": str(e.path), "ok": e.ok}
        | ({"result": e.result.as_json()} if e.result is not None else {})
        | ({"refused": e.refused.user_message} if e.refused is not None else {})
        for e in entries
    ]
    parts = []
    for v in values:
        name = Path(v["file"]).name
        body = _import_text(v["result"]) if v["ok"] else f"没有导入：{v['refused']}"
        parts.append(f"【{name}】\n{body}")
    refused = sum(not v["ok"] for v in values)
    done = len(values) - refused
    verb = "可以导入" if args.dry_run else "已导入"
    summary = f"共 {len(values)} 个数据包：{verb} {done} 个" + (
        f"，{refused} 个没有导入（原因见上）。" if refused else "。"
    )
    emit(args, values, "\n\n".join([*parts, summary]))
    return 1 if refused else 0


def _receipt_targets(s: Any, args: argparse.Namespace) -> list[str] | None:
    """The units below to write 回执 for (`--all-villages`: [] = every one), or None for a
    data bundle: a --to that names a unit below this one means 回执."""
    from huzhu_desktop.core.services.keys import workspace_info
    from huzhu_desktop.core.services.villages import town_villages
    from huzhu_desktop.core.sync.receipt import BELOW, units_below

    if args.all_villages:
        return []
    if not args.to:
        return None
    info = workspace_info(s)
    if info.kind not in BELOW:
        return None
    below = {p.org_code for p in units_below(s)}
    if info.kind == "town":
        below |= {v.code for v in town_villages(s)}
    named = [c.strip() for c in args.to]
    if any(c in below or (len(c) == 12 and c.isdigit() and c != info.parent_code) for c in named):
        return named
    return None


def _emit_receipts(args: argparse.Namespace, written: list[Any]) -> None:
    lines = [
        f"{w.unit_name}（{w.unit_code}）第{w.seq}号：{w.path}"
        + ("；" + "，".join(f"{quarter_label(q['quarter'])} {q['status']}" for q in w.quarters)
           if w.quarters else "")
        for w in written
    ]  # fmt: skip
    emit(
        args,
        [
            {
                "file": str(w.path),
                "code": w.unit_code,
                "name": w.unit_name,
                "seq": w.seq,
                "quarters": w.quarters,
                "size": w.size,
            }
            for w in written
        ],
        f"已写 {len(written)} 份回执（已读回校验无误）：\n" + "\n".join(lines),
    )


def _inspection_text(v: dict[str, Any]) -> str:
    s = v["sender"]
    if v.get("kind") == "receipt":
        return "\n".join(
            [
                f"回执：{s['org_name']}（{s['org_code']}）写给{v['target']}"
                + ("" if v["for_this_workspace"] else "（不是本单位！）"),
                f"第{v['seq']}号　写于：{v['made_at_local']}",
                f"签名：{v['signature']}　密钥：{v['key_status_text']}",
                f"指纹：{s['fingerprint']}",
                *(f"{quarter_label(q['quarter'])}：{q['status']}" for q in v["quarters"]),
            ]
            + (["这份回执已经导入过。"] if v["already_imported"] else [])
        )
    lines = [
        f"发送单位：{s['org_name']}（{s['org_code']}）",
        f"接收单位：{v['target']}{'' if v['for_this_workspace'] else '（不是本单位！）'}",
        f"季度：{quarter_label(v['period'])}　第{v['seq']}号　导出时间：{v['made_at_local']}",
        f"签名：{v['signature']}　密钥：{v['key_status_text']}",
        f"指纹：{s['fingerprint']}",
        "数字："
        + "，".join(
            f"{label} {v['totals'][k]}" for k, label in TOTAL_LABELS.items() if k in v["totals"]
        ),
    ]
    if v["from_older"]:
        lines.append(f"版本：{v['from_older']}")
    if v["villages"]:
        lines.append(
            "转报的村：" + "、".join(f"{x['org_name']}（第{x['seq']}号）" for x in v["villages"])
        )
    if v["already_imported"]:
        lines.append("这个数据包已经导入过。")
    return "\n".join(lines)


def _import_text(v: dict[str, Any]) -> str:
    if v["already_imported"]:
        return v["warnings"][0]
    if v["kind"] == "receipt":
        head = "回执预览（没有写入）：" if v["dry_run"] else "已导入回执："
        return head + "\n" + "\n".join(v["receipt"])
    head = "预览（没有写入）：" if v["dry_run"] else "已导入："
    rows = []
    for src in v["sources"]:
        for t, counts in src["tables"].items():
            if any(counts.values()):
                rows.append(
                    [src["org_name"], TABLE_LABELS.get(t, t), *(counts[k] for k in COUNT_LABELS)]
                )
    text = head + "\n" + table(["单位", "表", *COUNT_LABELS.values()], rows)
    if v["warnings"]:
        text += "\n" + "\n".join(f"注意：{w}" for w in v["warnings"])
    return text


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "keys": cmd_keys,
    "bundle": cmd_bundle,
}
