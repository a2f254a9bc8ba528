"""`huzhu review list` — the town's (district's) view of what came in for a quarter and what in
it needs a look (reports.review_findings)."""

from __future__ import annotations

import argparse

from huzhu_desktop.cli.commands import _open
from huzhu_desktop.cli.output import emit, table


def cmd_review(args: argparse.Namespace) -> int:
    from huzhu_desktop.core.errors import WorkspaceError
    from huzhu_desktop.core.periods import Quarter, quarter_label, reporting_quarter
    from huzhu_desktop.core.reports.review_findings import review_rows

    given = getattr(args, "quarter", None)
    quarter = str(Quarter.parse(given)) if given else str(reporting_quarter())
    if args.action in ("approve", "return"):
        return _verdict(args, quarter)
    if args.action == "status":
        return _status(args)
    with _open(args) as ws:
        assert ws.info is not None
        if ws.info.kind == "village":
            raise WorkspaceError(
                "审核在乡镇和区县的工作区里做；村里看报送情况请用 huzhu review status。"
            )
        with ws.reading() as s:
            rows = review_rows(s, quarter)
    lines = [
        [r.name, r.code, r.status + ("（重新报送）" if r.reopened else ""), r.received_at or "",
         len(r.findings)]
        for r in rows
    ]  # fmt: skip
    details = [f"- {r.name}：{f.title}：{f.text}" for r in rows for f in r.findings]
    details += [f"- {r.name} 退回原因：{x.text}" for r in rows for x in r.reasons]
    emit(
        args,
        [r.to_json() for r in rows],
        f"{quarter_label(quarter)}\n"
        + table(["单位", "代码", "状态", "接收时间", "需核实"], lines)
        + (
            "\n需要核实的问题：\n" + "\n".join(details) if details else "\n没有发现需要核实的问题。"
        ),
    )
    return 0


def _verdict(args: argparse.Namespace, quarter: str) -> int:
    from huzhu_desktop.core.errors import ValidationError
    from huzhu_desktop.core.periods import quarter_label
    from huzhu_desktop.core.services import review

    records, texts = getattr(args, "record", []), getattr(args, "record_reason", [])
    if len(records) != len(texts):
        raise ValidationError({"reason": "每个 --record 后面要跟一个 --record-reason"})
    with _open(args) as ws, ws.transaction() as s:
        if args.action == "approve":
            v = review.approve(args.code, quarter, session=s, actor=ws.actor)
        else:
            reasons = [review.Reason(args.reason)] + [
                review.Reason(text, record) for record, text in zip(records, texts, strict=True)
            ]
            v = review.send_back(args.code, quarter, reasons, session=s, actor=ws.actor)
    emit(
        args,
        {"code": v.unit_code, "quarter": v.quarter, "status": v.status,
         "reasons": [{"record_id": r.record_id, "text": r.text} for r in v.reasons]},
        f"{v.unit_code} {quarter_label(v.quarter)}：{v.status}",
    )  # fmt: skip
    return 0


def _status(args: argparse.Namespace) -> int:
    from huzhu_desktop.core.errors import WorkspaceError
    from huzhu_desktop.core.periods import quarter_label
    from huzhu_desktop.core.sync.receipt import sent_status

    with _open(args) as ws:
        assert ws.info is not None
        if ws.info.kind == "district":
            raise WorkspaceError("区县没有上级，没有报送情况；审核下级请用 huzhu review list。")
        with ws.reading() as s:
            rows = sent_status(s)
    lines = [
        [quarter_label(r.quarter), r.sent_at or "", r.seq or "", r.status, r.reviewed_at or ""]
        for r in rows
    ]
    reasons = [
        f"- {quarter_label(r.quarter)}：{x['text']}"
        + (f"（{x['label']}）" if x.get("label") else "")
        for r in rows
        for x in r.reasons
    ]
    text = (
        table(["季度", "报送时间", "第几号", "状态", "审核时间"], lines)
        if rows
        else ("还没有报送过数据包。")
    )
    emit(args, [r.to_json() for r in rows],
         text + ("\n退回原因：\n" + "\n".join(reasons) if reasons else ""))  # fmt: skip
    return 0


COMMANDS = {"review": cmd_review}
