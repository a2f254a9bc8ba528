"""The command line's arguments: built without importing the core, so `huzhu --help`,
`--version` and usage errors answer at once (the command's code is imported when it runs)."""

from __future__ import annotations

import argparse
from typing import Any

from huzhu_desktop import __version__
from huzhu_desktop.cli.parser import Parser

# Kept equal to cli.lists.KINDS and services.permissions.ROLES by tests/cli/test_usage_errors.py.
LIST_KINDS = (
    "elders", "helpers", "pairings", "visits", "activities", "funding", "households", "care-points",
)  # fmt: skip
ROLES = {"clerk": "录入员", "admin": "村管理员", "reviewer": "镇审核员", "auditor": "只读/审计"}
# Which module runs a command (imported only then).
MODULE_OF = {
    "list": "lists",
    "keys": "sync_commands",
    "bundle": "sync_commands",
    "users": "user_commands",
    "villages": "village_commands",
    "review": "review_commands",
    "targets": "target_commands",
    "register": "target_commands",
}


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="huzhu", description="互助养老桌面版 命令行")
    p.add_argument(
        "--workspace", metavar="DIR", help="工作区文件夹（默认：HUZHU_WORKSPACE 或用户数据目录）"
    )
    p.add_argument(
        "--user",
        metavar="NAME",
        help="以这个用户登录（工作区设有用户时必填；密码取自 HUZHU_PASSWORD 或在终端输入）",
    )
    p.add_argument("--version", action="version", version=f"huzhu {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    about = sub.add_parser("about", help="软件版本、数据文件夹和所带组件的许可证")
    about.add_argument("--json", action="store_true")

    init = sub.add_parser("init", help="创建并设置工作区（村、镇或区）")
    init.add_argument("--kind", choices=("village", "town", "district"))
    init.add_argument("--org-code", help="统计用区划代码（6/9/12位）")
    init.add_argument("--org-name")
    init.add_argument("--from-card", metavar="CARD",
                      help="本单位第二台电脑：用第一台电脑导出的密钥卡设置（单位信息照抄，"
                           "先核对指纹）")  # fmt: skip
    init.add_argument("--parent-code", help="上级单位代码（可省略，由本单位代码推出）")
    init.add_argument("--parent-name", default="", help="上级单位名称（村填所属镇）")
    init.add_argument("--district-name", default="", help="所属区县名称（报表标题用）")
    init.add_argument("--clerk", default="管理员", help="经办人姓名")
    init.add_argument("--office-phone", default="", help="村委会（镇民政办）电话，印在明白卡上")
    init.add_argument("--supervision-phone", default="", help="监督电话，印在明白卡上")
    init.add_argument("--json", action="store_true")

    demo = sub.add_parser("demo", help="生成演示数据（默认放在单独的演示工作区）")
    demo.add_argument("--elders", type=int, default=300)
    demo.add_argument("--years", type=int, default=1)
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument("--json", action="store_true")

    lst = sub.add_parser(
        "list", help="列出老人、帮扶人、结对、走访、集体活动、筹集的资金、户或互助养老点"
    )
    lst.add_argument("what", choices=LIST_KINDS)
    lst.add_argument("--json", action="store_true")

    imp = sub.add_parser("import-xlsx", help="导入 Excel 台账（附件2 或本村自制的台账）")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--sheet", metavar="NAME", help="工作表名称（默认：第一张能找到表头的表）")
    imp.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    imp.add_argument("--json", action="store_true")

    vis = sub.add_parser(
        "import-visits",
        help="导入走访记录：帮扶人的走访表（.xlsx/.csv）或微信群里的文字（.txt，- 读标准输入）",
    )
    vis.add_argument("file", metavar="FILE|-")
    vis.add_argument("--sheet", metavar="NAME", help="工作表名称（.xlsx）")
    vis.add_argument("--dry-run", action="store_true", help="只检查，不保存")
    vis.add_argument("--json", action="store_true")

    cards = sub.add_parser("cards", help="把互助养老明白卡存成 PDF")
    cards.add_argument("output", metavar="OUT.pdf")
    which = cards.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", help="所有进行中的结对（默认）")
    which.add_argument("--pairing", nargs="+", metavar="ID", help="只打这些结对的卡")
    cards.add_argument("--a5", action="store_true", help="一张 A4 纸印两张 A5 卡")
    cards.add_argument("--copies", type=int, choices=(1, 2), default=1,
                       help="每张印几份：2 = 老人家中一份、帮扶人一份")  # fmt: skip
    cards.add_argument("--helper-sheets", action="store_true",
                       help="不印卡，印每位帮扶人的帮扶名单（他帮扶的所有老人）")  # fmt: skip
    cards.add_argument("--json", action="store_true")

    rep = sub.add_parser(
        "report",
        help="导出报表：coverage 探访情况，attachment1 附件1 汇总表，attachment2 附件2 台账",
    )
    rep.add_argument("what", choices=("coverage", "attachment1", "attachment2"))
    rep.add_argument("--quarter", required=True, help="季度，如 2026Q3")
    rep.add_argument(
        "--year-to-date", action="store_true", help="附件1、附件2：本年累计（1月至季度末）"
    )
    rep.add_argument("-o", "--output", required=True, metavar="OUT.xlsx")
    rep.add_argument("--json", action="store_true")

    reg = sub.add_parser(
        "register",
        help="导出档案：roster 队伍名单，activities 活动台账，funding 资金台账，points 积分汇总",
    )
    reg.add_argument("what", choices=("roster", "activities", "funding", "points"))
    reg.add_argument("--year", type=int, help="年份（默认：今年）")
    reg.add_argument("-o", "--output", required=True, metavar="OUT.xlsx")
    reg.add_argument("--json", action="store_true")

    pts = sub.add_parser("points", help="时间银行积分：各户结余、打印积分存折")
    pact = pts.add_subparsers(dest="action", required=True, metavar="ACTION")
    bal = pact.add_parser("balance", help="各户积分结余")
    bal.add_argument("--all", action="store_true", help="也列出还没有积分记录的户")
    bal.add_argument("--json", action="store_true")
    book = pact.add_parser("passbook", help="把一户的积分存折存成 PDF")
    book.add_argument("household", metavar="HOUSEHOLD", help="户的 id、卡号或户名")
    book.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    book.add_argument("--json", action="store_true")

    chk = sub.add_parser("check", help="检查数据库是否完好")
    chk.add_argument("--json", action="store_true")

    bak = sub.add_parser("backup", help="备份数据库")
    bak.add_argument(
        "-o", "--output", metavar="FILE", help="备份文件（默认放在工作区 backups 文件夹）"
    )
    bak.add_argument("--json", action="store_true")

    res = sub.add_parser(
        "restore",
        help="用备份文件恢复数据库（先显示备份内容；当前数据会先另存，数据库损坏或丢失时也能用）",
    )
    res.add_argument("file", metavar="FILE")
    res.add_argument("--inspect", action="store_true", help="只显示备份里有什么，不恢复")
    res.add_argument(
        "--move",
        action="store_true",
        help="确认这是搬到新电脑：允许用另一个工作区（或另一个单位）的备份代替本工作区",
    )
    res.add_argument("--json", action="store_true")
    _sync_parsers(sub)
    _user_parsers(sub)
    _village_parsers(sub)
    targets = sub.add_parser("targets", help="方案的主要指标：完成情况和目标")
    targets.add_argument("--year", type=int, help="年份（默认：今年）")
    targets.add_argument("--json", action="store_true")
    tact = targets.add_subparsers(dest="action", required=False, metavar="ACTION")
    tset = tact.add_parser("set", help="改一项指标某年的目标")
    tset.add_argument("target", metavar="ID", help="指标编号，如 points_year")
    tset.add_argument("goal", metavar="GOAL", type=float, help="目标值")
    tset.add_argument("--year", type=int, help="年份（默认：今年）")
    tset.add_argument("--json", action="store_true")
    review = sub.add_parser("review", help="审核下级报送的数据：已报送情况和需要核实的问题")
    ract = review.add_subparsers(dest="action", required=True, metavar="ACTION")
    rlist = ract.add_parser("list", help="各村（区里：各镇）本季度的报送情况和自动发现的问题")
    rlist.add_argument("--quarter", help="季度，如 2026Q3（默认：该报送的季度）")
    rlist.add_argument("--json", action="store_true")
    ok = ract.add_parser("approve", help="审核通过一个村（区里：一个镇）这一季度的数据")
    back = ract.add_parser("return", help="退回一个村这一季度的数据，写明原因")
    for verdict in (ok, back):
        verdict.add_argument("code", metavar="CODE", help="12位统计用区划代码")
        verdict.add_argument("--quarter", required=True, help="季度，如 2026Q3")
        verdict.add_argument("--json", action="store_true")
    status = ract.add_parser(
        "status", help="村里（镇里）看本单位各季度的报送和审核情况（来自回执）"
    )
    status.add_argument("--json", action="store_true")
    back.add_argument("--reason", required=True, help="退回的原因")
    back.add_argument("--record", action="append", default=[], metavar="ID",
                      help="有问题的记录（id 见 list … --json），可多次")  # fmt: skip
    back.add_argument("--record-reason", action="append", default=[], metavar="TEXT",
                      help="对应 --record 的原因，按顺序")  # fmt: skip
    return p


def _sync_parsers(sub: argparse._SubParsersAction[Any]) -> None:
    keys = sub.add_parser("keys", help="密钥卡：导出本单位的、导入上级或下级单位的")
    kact = keys.add_subparsers(dest="action", required=True, metavar="ACTION")
    show = kact.add_parser("show", help="本单位的指纹和已导入的密钥卡")
    show.add_argument("--json", action="store_true")
    out = kact.add_parser("export-card", help="导出本单位的密钥卡（只含公钥）")
    out.add_argument("output", metavar="OUT")
    out.add_argument("--json", action="store_true")
    card = kact.add_parser("import-card", help="导入别的单位发来的密钥卡（先电话核对指纹）")
    card.add_argument("file", metavar="FILE")
    card.add_argument("--replace", action="store_true", help="对方换了密钥，核对后确认更换")
    card.add_argument("--json", action="store_true")

    bundle = sub.add_parser("bundle", help="数据包：导出到U盘、查看、导入")
    bact = bundle.add_subparsers(dest="action", required=True, metavar="ACTION")
    exp = bact.add_parser("export", help="导出本单位的数据包")
    exp.add_argument("-o", "--output", required=True, metavar="DIR", help="保存到的文件夹或U盘")
    exp.add_argument("--quarter", help="报送季度，如 2026Q3（默认：本季度）")
    exp.add_argument("--to", metavar="CODE", action="append",
                     help="接收单位代码或工作区编号（默认：上级单位）；乡镇写下面村的代码、"
                          "区县写乡镇的代码时，导出的是给它的回执，可多次")  # fmt: skip
    exp.add_argument("--all-villages", action="store_true",
                     help="给下面每个已有密钥的村（区县：每个乡镇）各写一份回执")  # fmt: skip
    exp.add_argument("--json", action="store_true")
    ins = bact.add_parser("inspect", help="查看数据包（不导入）")
    ins.add_argument("file", metavar="FILE")
    ins.add_argument("--json", action="store_true")
    imp = bact.add_parser("import", help="导入数据包（可以一次导入多个，或一个文件夹里的全部）")
    imp.add_argument("file", metavar="FILE", nargs="+", help="数据包文件，或放数据包的文件夹")
    imp.add_argument("--dry-run", action="store_true", help="只看会有哪些变化，不写入")
    imp.add_argument(
        "--trust-new-key", action="store_true", help="首次收到该单位的数据包，指纹已核对"
    )
    imp.add_argument("--accept-changed-key", action="store_true", help="对方换了密钥，指纹已核对")
    imp.add_argument("--json", action="store_true")


def _user_parsers(sub: argparse._SubParsersAction[Any]) -> None:
    users = sub.add_parser("users", help="用户和密码：设首个管理员、添加用户、改密码、用恢复码重设")
    act = users.add_subparsers(dest="action", required=True, metavar="ACTION")
    first = act.add_parser("first-admin", help="给免登录的工作区设第一个村管理员（显示恢复码）")
    first.add_argument("name", metavar="NAME")
    act.add_parser("list", help="列出用户").add_argument("--json", action="store_true")
    add = act.add_parser("add", help="添加用户（村管理员登录）")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=tuple(ROLES), help="、".join(ROLES.values()))
    pw = act.add_parser("passwd", help="改密码（自己的，或村管理员改别人的）")
    pw.add_argument("name", metavar="NAME")
    for verb, words in (("disable", "停用用户"), ("enable", "重新启用用户")):
        act.add_parser(verb, help=words).add_argument("name", metavar="NAME")
    reset = act.add_parser("reset-admin", help="忘了村管理员密码：用恢复码重设")
    reset.add_argument("name", metavar="NAME")
    for p in (first, add, pw, reset):
        p.add_argument("--json", action="store_true")


def _village_parsers(sub: argparse._SubParsersAction[Any]) -> None:
    villages = sub.add_parser("villages", help="本镇的村名单（行政村、已开展互助养老）")
    act = villages.add_subparsers(dest="action", required=True, metavar="ACTION")
    act.add_parser("list", help="列出本镇的村").add_argument("--json", action="store_true")
    add = act.add_parser("add", help="把一个村加到村名单（已有则修改）")
    add.add_argument("code", metavar="CODE", help="村的12位统计用区划代码")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--started", metavar="yes|no", help="已开展互助养老：yes 或 no（不填：未填）")
    chg = act.add_parser("set", help="改一个村的“已开展”")
    chg.add_argument("code", metavar="CODE")
    chg.add_argument("--started", required=True, metavar="yes|no")
    imp = act.add_parser("import", help="从表格导入村名单（列：代码、名称、已开展）")
    imp.add_argument("file", metavar="FILE")
    for p in (add, chg, imp):
        p.add_argument("--json", action="store_true")
