"""The `huzhu` command line, as a script or a clerk would call it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from huzhu_desktop.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def init_village(capsys, folder: object, code: str, name: str, *extra: str):  # type: ignore[no-untyped-def]
    """`huzhu init` of a village under 茨竹镇, 渝北区."""
    return run(
        capsys,
        "--workspace",
        str(folder),
        "init",
        "--kind",
        "village",
        "--org-code",
        code,
        "--org-name",
        name,
        "--parent-name",
        "茨竹镇",
        "--district-name",
        "渝北区",
        *extra,
    )


def test_init_then_list_and_check(tmp_path: Path, capsys) -> None:
    ws = str(tmp_path / "ws")
    code, out, _ = init_village(capsys, ws, "500112108201", "石坪村", "--clerk", "王文书", "--json")
    assert code == 0
    info = json.loads(out)
    assert info["org_code"] == "500112108201" and info["parent_code"] == "500112108000"
    code, out, _ = run(capsys, "--workspace", ws, "list", "elders", "--json")
    assert (code, json.loads(out)) == (0, [])
    code, out, _ = run(capsys, "--workspace", ws, "check", "--json")
    assert code == 0 and json.loads(out)["ok"] is True
    code, _, err = run(
        capsys,
        "--workspace",
        ws,
        "init",
        "--kind",
        "village",
        "--org-code",
        "500112108201",
        "--org-name",
        "x村",
        "--parent-name",
        "镇",
        "--district-name",
        "区",
    )
    assert code == 1 and "已经设置过" in err


def test_init_with_a_bad_code_names_the_field(tmp_path: Path, capsys) -> None:
    code, _, err = run(
        capsys,
        "--workspace",
        str(tmp_path / "ws"),
        "init",
        "--kind",
        "village",
        "--org-code",
        "500112",
        "--org-name",
        "石坪村",
        "--parent-name",
        "茨竹镇",
    )
    assert code == 1
    assert "统计用区划代码" in err


def test_demo_is_reproducible_and_stays_out_of_real_workspaces(tmp_path: Path, capsys) -> None:
    code, out, _ = run(capsys, "demo", "--elders", "40", "--seed", "5", "--json")
    assert code == 0
    demo_folder = json.loads(out)["workspace"]
    assert demo_folder.endswith("demo")
    _, first, _ = run(capsys, "--workspace", demo_folder, "list", "elders", "--json")
    run(capsys, "demo", "--elders", "40", "--seed", "5")
    _, second, _ = run(capsys, "--workspace", demo_folder, "list", "elders", "--json")
    first_rows, second_rows = json.loads(first), json.loads(second)
    assert len(first_rows) == 40
    assert [r["id"] for r in first_rows] == [r["id"] for r in second_rows]
    row = first_rows[0]
    for key in (
        "id",
        "name",
        "gender",
        "birth_year",
        "age",
        "phone",
        "address",
        "elder_types",
        "living",
        "health",
        "has_children",
        "id_number",
        "special",
        "paired",
    ):
        assert key in row
    real = str(tmp_path / "real")
    init_village(capsys, real, "500112108202", "龙井村")
    code, _, err = run(capsys, "--workspace", real, "demo")
    assert code == 1 and "真实数据" in err


@pytest.mark.parametrize("what", ["helpers", "pairings", "households", "care-points"])
def test_every_list_prints_json_arrays_with_ids(capsys, what: str) -> None:
    code, out, _ = run(capsys, "demo", "--elders", "40", "--json")
    folder = json.loads(out)["workspace"]
    code, out, _ = run(capsys, "--workspace", folder, "list", what, "--json")
    rows = json.loads(out)
    assert code == 0 and rows and all("id" in r for r in rows)
    code, text_out, _ = run(capsys, "--workspace", folder, "list", what)
    assert "共" in text_out


def test_backup_and_restore(capsys, tmp_path: Path) -> None:
    _, out, _ = run(capsys, "demo", "--elders", "20", "--json")
    folder = json.loads(out)["workspace"]
    code, out, _ = run(
        capsys, "--workspace", folder, "backup", "-o", str(tmp_path / "b.db"), "--json"
    )
    assert code == 0 and json.loads(out)["bytes"] > 0
    code, out, _ = run(capsys, "--workspace", folder, "restore", str(tmp_path / "b.db"), "--json")
    assert code == 0 and Path(json.loads(out)["previous_data_backup"]).exists()


def test_missing_workspace_and_usage_errors(tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, "--workspace", str(tmp_path / "none"), "list", "elders")
    assert code == 1 and "没有工作区" in err
    assert not (tmp_path / "none").exists()
    with pytest.raises(SystemExit) as exit_info:
        main(["list", "cats"])
    assert exit_info.value.code == 2


def test_import_xlsx_exit_codes_and_json(tmp_path: Path, capsys) -> None:
    from tests.fixtures import ledgers
    from tests.importers.test_import_ledger import CLEAN_ROWS

    ws = str(tmp_path / "ws")
    init_village(capsys, ws, "500112108201", "石坪村")
    rows = [*CLEAN_ROWS, [6, "曾玉兰", "女", 80, 12345, "2组", "无", "双居", "自理", "特困"]]
    book = ledgers.attachment2(tmp_path / "台账.xlsx", rows)
    code, out, _ = run(capsys, "--workspace", ws, "import-xlsx", str(book), "--dry-run", "--json")
    preview = json.loads(out)
    assert code == 0
    assert set(preview) == {
        "rows_total",
        "imported",
        "updated",
        "skipped_duplicates",
        "skipped_blank",
        "skipped_layout",
        "rejected",
        "rejections",
    }
    assert (preview["rows_total"], preview["imported"], preview["rejected"]) == (6, 5, 1)
    # the attachment2 fixture ends with a blank row, 合计 and the 说明 line
    assert (preview["skipped_blank"], preview["skipped_layout"]) == (1, 2)
    assert preview["rejections"][0] == {
        "row": 10,
        "column": "电话",
        "reason": "invalid_phone",
        "message": preview["rejections"][0]["message"],
    }
    _, out, _ = run(capsys, "--workspace", ws, "list", "elders", "--json")
    assert json.loads(out) == []
    code, out, err = run(capsys, "--workspace", ws, "import-xlsx", str(book), "--json")
    assert code == 0 and json.loads(out)["imported"] == 5
    assert "错误清单已保存" in err
    _, out, _ = run(capsys, "--workspace", ws, "list", "elders", "--json")
    stored = {e["name"]: e for e in json.loads(out)}
    assert stored["张德明"]["elder_types"] == ["低保", "残疾"] and stored["张德明"]["age"] == 78
    code, out, _ = run(capsys, "--workspace", ws, "import-xlsx", str(book), "--json")
    assert json.loads(out)["skipped_duplicates"] == 5

    not_xlsx = tmp_path / "x.xlsx"
    not_xlsx.write_text("hello")
    code, _, err = run(capsys, "--workspace", ws, "import-xlsx", str(not_xlsx))
    assert code == 2 and "不是 Excel" in err
    code, _, err = run(
        capsys, "--workspace", ws, "import-xlsx", str(ledgers.encrypted(tmp_path / "p.xlsx"))
    )
    assert code == 2 and "密码" in err


def test_cards_and_list_visits(capsys, tmp_path: Path) -> None:
    _, out, _ = run(capsys, "demo", "--elders", "60", "--json")
    demo = json.loads(out)
    assert demo["visits"] > 0
    folder = demo["workspace"]
    code, out, _ = run(capsys, "--workspace", folder, "list", "visits", "--json")
    visits = json.loads(out)
    assert code == 0 and len(visits) == demo["visits"]
    assert {"id", "date", "kind", "elders", "helpers", "duration_minutes"} <= set(visits[0])
    code, out, _ = run(capsys, "--workspace", folder, "list", "activities", "--json")
    held = json.loads(out)
    assert code == 0 and held and all(a["kind"] and a["participants"] for a in held)
    assert [a["date"] for a in held] == sorted((a["date"] for a in held), reverse=True)
    a1 = Path(folder) / "exports" / "附件1.xlsx"
    code, out, _ = run(
        capsys, "--workspace", folder, "report", "attachment1", "--quarter", "2026Q4", "-o", str(a1)
    )
    assert code == 0 and "已导出附件1（2026年第四季度）" in out and a1.exists()
    code, _, err = run(
        capsys, "--workspace", folder, "report", "attachment1", "--quarter", "26年", "-o", str(a1)
    )
    assert code == 2 and "看不懂" in err  # a usage error, as argparse's own
    code, _, err = run(
        capsys, "--workspace", folder, "report", "attachment1", "--quarter", "9999Q4", "-o", str(a1)
    )
    assert code == 2 and "2000 到 2100" in err
    a2 = Path(folder) / "exports" / "附件2.xlsx"
    code, out, _ = run(
        capsys, "--workspace", folder, "report", "attachment2", "--quarter", "2026Q4", "-o", str(a2)
    )
    assert code == 0 and "已导出附件2" in out and a2.exists()
    code, out, _ = run(capsys, "--workspace", folder, "list", "funding", "--json")
    money = json.loads(out)
    assert code == 0 and {m["source"] for m in money} >= {"镇财政", "爱心企业"}
    assert all(m["yuan"].count(".") == 1 for m in money)  # 元 to the 分, as text
    _, out, _ = run(capsys, "--workspace", folder, "list", "pairings", "--json")
    pairing = next(p for p in json.loads(out) if p["active"])
    code, out, _ = run(
        capsys,
        "--workspace",
        folder,
        "cards",
        str(tmp_path / "one.pdf"),
        "--pairing",
        pairing["id"],
        "--json",
    )
    assert code == 0 and json.loads(out)["cards"] == len(pairing["elders"])
    code, out, _ = run(
        capsys, "--workspace", folder, "cards", str(tmp_path / "all.pdf"), "--a5", "--json"
    )
    result = json.loads(out)
    assert code == 0 and result["pages"] == (result["cards"] + 1) // 2
    code, _, err = run(
        capsys, "--workspace", folder, "cards", str(tmp_path / "x.pdf"), "--pairing", "nope"
    )
    assert code == 1 and "找不到" in err


def test_coverage_report_for_a_quarter(capsys, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    _, out, _ = run(capsys, "demo", "--elders", "120", "--json")
    folder = json.loads(out)["workspace"]
    dest = tmp_path / "探访.xlsx"
    code, out, _ = run(
        capsys,
        "--workspace",
        folder,
        "report",
        "coverage",
        "--quarter",
        "2026Q3",
        "-o",
        str(dest),
        "--json",
    )
    result = json.loads(out)
    assert code == 0 and [m["month"] for m in result["months"]] == ["2026-07", "2026-08", "2026-09"]
    wb = load_workbook(dest)
    assert wb.sheetnames == ["月探访率", "未探访名单", "未结对特殊老人", "超期未走访"]
    rows = list(wb["月探访率"].iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == ["2026年7月", "2026年8月", "2026年9月"]
    assert all(r[2] <= r[1] for r in rows)
    code, _, err = run(
        capsys, "--workspace", folder, "report", "coverage", "--quarter", "Q9", "-o", str(dest)
    )
    assert code == 2 and "季度" in err


def test_an_old_demo_workspace_is_refilled_but_real_data_never(tmp_path: Path, capsys) -> None:
    from huzhu_desktop.core.demo import DEMO_STAMP, demo_outdated
    from huzhu_desktop.core.workspace import Workspace

    _, out, _ = run(capsys, "demo", "--elders", "30", "--json")
    folder = Path(json.loads(out)["workspace"])
    with Workspace.open(folder) as ws:
        assert not demo_outdated(ws)
    (folder / DEMO_STAMP).write_text('{"version": 1}', encoding="utf-8")
    with Workspace.open(folder) as ws:
        assert demo_outdated(ws)
    real = tmp_path / "real"
    init_village(capsys, str(real), "500112108202", "龙井村")
    with Workspace.open(real) as ws:
        assert not demo_outdated(ws)


def test_points_balance_and_passbook(capsys, tmp_path: Path) -> None:
    _, out, _ = run(capsys, "demo", "--elders", "60", "--json")
    folder = json.loads(out)["workspace"]
    code, out, _ = run(capsys, "--workspace", folder, "points", "balance", "--json")
    value = json.loads(out)
    assert code == 0 and value["households"]
    assert value["total"] == pytest.approx(sum(h["balance"] for h in value["households"]))
    richest = max(value["households"], key=lambda h: h["balance"])
    pdf = tmp_path / "存折.pdf"
    code, out, _ = run(
        capsys, "--workspace", folder, "points", "passbook", richest["id"], "-o", str(pdf), "--json"
    )
    book = json.loads(out)
    assert code == 0 and book["balance"] == richest["balance"] and book["pages"] >= 1
    assert pdf.read_bytes().startswith(b"%PDF") and not pdf.with_name("存折.pdf.part").exists()
    code, _, err = run(
        capsys, "--workspace", folder, "points", "passbook", "没有这户", "-o", str(pdf)
    )
    assert code == 1 and "找不到户" in err
    code, _, err = run(
        capsys,
        "--workspace",
        folder,
        "points",
        "passbook",
        richest["id"],
        "-o",
        str(tmp_path / "no-such-dir" / "x" / "\0bad.pdf"),
    )
    assert code in (1, 2) and "错误" in err


def test_about_says_the_version_the_data_folder_and_the_licences(tmp_path: Path, capsys) -> None:
    from huzhu_desktop import __version__

    code, out, _ = run(capsys, "about", "--json")
    assert code == 0
    v = json.loads(out)
    assert v["version"] == __version__ and v["packaged"] is False
    assert v["data_folder"] == str(tmp_path / "data-root")
    assert {x["name"] for x in v["libraries"]} >= {"Qt", "SQLAlchemy", "文泉驿微米黑 字体"}
    assert all(x["version"] not in ("", "—") for x in v["libraries"])
    code, out, _ = run(capsys, "about")
    assert out.startswith(f"互助养老桌面版 {__version__}（数据库版本")
